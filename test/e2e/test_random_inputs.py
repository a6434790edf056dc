"""`--random SEED` inputs of every dtype, from kiln-run and from a
kiln-compile executable (the same runtime code): floats uniform in [-1, 1)
(float16 rounded to the nearest half, so 1.0 can occur), integers in
[0, 10), bools 0 or 1; the same seed gives the same values. A model that
returns its input shows what it was given."""

import subprocess

import numpy as np
import pytest

from kiln_e2e import BUILD, tensor_type

N = 4096
FLOATS = [np.float16, np.float32, np.float64]
INTEGERS = [np.int8, np.int16, np.int32, np.int64,
            np.uint8, np.uint16, np.uint32, np.uint64]


def identity_model(tmp_path, dtype):
    t = tensor_type((N,), dtype)
    path = tmp_path / "identity.mlir"
    path.write_text(f"func.func @main(%a: {t}) -> {t} {{\n"
                    f"  return %a : {t}\n}}\n")
    return path


def random_input(runner, tmp_path, seed):
    out = tmp_path / f"out{seed}.npy"
    proc = subprocess.run(runner + ["--random", str(seed), "--output", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return np.load(out)


def check_values(x, dtype):
    assert x.dtype == np.dtype(dtype) and x.shape == (N,)
    if dtype in FLOATS:
        assert x.min() >= -1 and x.max() <= 1
        assert np.all(np.isfinite(x))
        # Uniform over [-1, 1): mean 0 (standard error 0.009 at N = 4096),
        # half of them negative, a quarter in each quarter of the interval.
        assert abs(float(x.astype(np.float64).mean())) < 0.05
        quarters = np.histogram(x.astype(np.float64), bins=4, range=(-1, 1))[0]
        assert np.all(np.abs(quarters / N - 0.25) < 0.03), quarters
        # Not a few discrete values: float16 has 2048 halves in [-1, 1)
        # at the 1/1024 spacing of [0.5, 1) alone.
        assert len(np.unique(x)) > 1000
    elif dtype == np.bool_:
        assert set(np.unique(x)) == {False, True}
        assert abs(x.mean() - 0.5) < 0.05
    else:
        assert set(np.unique(x)) == set(range(10))


@pytest.mark.parametrize("dtype", FLOATS + INTEGERS + [np.bool_],
                         ids=lambda d: np.dtype(d).name)
def test_kiln_run_random(tmp_path, dtype):
    runner = [str(BUILD / "bin" / "kiln-run"), str(identity_model(tmp_path, dtype))]
    x = random_input(runner, tmp_path, 7)
    check_values(x, dtype)
    np.testing.assert_array_equal(x, random_input(runner, tmp_path, 7))
    assert not np.array_equal(x, random_input(runner, tmp_path, 8))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.int32],
                         ids=lambda d: np.dtype(d).name)
def test_executable_random_matches_kiln_run(tmp_path, dtype):
    model = identity_model(tmp_path, dtype)
    exe = tmp_path / "identity"
    proc = subprocess.run([str(BUILD / "bin" / "kiln-compile"), str(model),
                           "-o", str(exe)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    from_exe = random_input([str(exe)], tmp_path, 11)
    check_values(from_exe, dtype)
    jit = random_input([str(BUILD / "bin" / "kiln-run"), str(model)],
                       tmp_path, 11)
    np.testing.assert_array_equal(from_exe, jit)

