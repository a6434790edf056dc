"""Ahead-of-time compilation for every target: the same models compiled by
kiln-compile into static executables for x86-64, AArch64 and RISC-V, the
cross binaries run under Debian's qemu-user, each output compared with the
host JIT (kiln-run) at 1e-5 relative (plus 1e-5 of the output's largest
magnitude, for softmax probabilities near 0). Differences come only from
instruction selection (FMA contraction, vector widths), so they stay at
float32 rounding level.

The cross toolchains and qemu are installed by scripts/setup.sh; these
tests fail (they do not skip) when they are missing."""

import os
import pathlib
import shutil
import subprocess
import tempfile

import numpy as np
import pytest

import model_zoo
from kiln_e2e import BUILD, run, run_with_npy

KILN_COMPILE = BUILD / "bin" / "kiln-compile"

# How to run a binary of each target on this (x86-64) machine.
RUNNERS = {
    "x86_64-linux-gnu": [],
    "aarch64-linux-gnu": ["qemu-aarch64"],
    "riscv64-linux-gnu": ["qemu-riscv64"],
}


def compile_and_run(program, inputs, target, extra_compile=(), extra_run=(),
                    runner=None, num_outputs=1):
    """Compiles `program` with kiln-compile for `target`, runs the binary (via
    qemu for cross targets) on `inputs`, returns its outputs."""
    with tempfile.TemporaryDirectory(prefix="kiln-aot-") as tmp:
        tmp = pathlib.Path(tmp)
        (tmp / "model.mlir").write_text(program)
        exe = tmp / "model"
        subprocess.run([str(KILN_COMPILE), str(tmp / "model.mlir"), "-o",
                        str(exe), f"--target={target}", *extra_compile],
                       check=True, capture_output=True, text=True, timeout=300)
        cmd = (RUNNERS[target] if runner is None else runner) + [str(exe)]
        return run_with_npy(cmd, inputs, num_outputs, tmp, extra_run)


def assert_matches_jit(actual, expected):
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    scale = np.abs(expected).max()
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5 * scale)


@pytest.fixture(scope="module")
def jit_results():
    """Each model's input and host-JIT output, computed once."""
    results = {}
    for name, batch in [("mlp", 2), ("lenet5", 2), ("small_cnn", 2)]:
        program, x, expected = model_zoo.build(name, batch, seed=3)
        (jit,) = run(program, [x])
        # The JIT itself matches PyTorch (test_models.py checks at 1e-4).
        np.testing.assert_allclose(jit, expected, rtol=1e-4,
                                   atol=1e-4 * np.abs(expected).max())
        results[name] = (program, x, jit)
    return results


def test_toolchains_present():
    """What the cross tests need, named when missing."""
    for tool in ["aarch64-linux-gnu-g++", "riscv64-linux-gnu-g++",
                 "qemu-aarch64", "qemu-riscv64"]:
        assert shutil.which(tool), f"{tool} missing: run scripts/setup.sh"
    for target in RUNNERS:
        archive = BUILD / "lib" / "kiln" / target / "libkiln_runtime.a"
        assert archive.exists(), f"{archive} missing: rebuild Kiln"


@pytest.mark.parametrize("target", list(RUNNERS))
@pytest.mark.parametrize("name", ["mlp", "lenet5", "small_cnn"])
def test_model_matches_jit(jit_results, name, target):
    program, x, jit = jit_results[name]
    (actual,) = compile_and_run(program, [x], target)
    assert_matches_jit(actual, jit)


@pytest.mark.parametrize("target", list(RUNNERS))
def test_threads_and_side_weights(jit_results, target):
    """Two threads and weights in a side file give the same outputs."""
    program, x, jit = jit_results["lenet5"]
    with tempfile.TemporaryDirectory(prefix="kiln-aot-w-") as tmp:
        weights = os.path.join(tmp, "lenet5.weights")
        (actual,) = compile_and_run(
            program, [x], target, extra_compile=[f"--weights={weights}"],
            extra_run=["--threads", "2", "--weights", weights])
        assert os.path.getsize(weights) > 100_000
    assert_matches_jit(actual, jit)


@pytest.mark.parametrize("target", list(RUNNERS))
def test_distributed_matmul(target):
    """A matmul large enough to run on the thread pool (cache tiles shared
    by the threads), on 3 threads, against numpy."""
    rng = np.random.default_rng(5)
    a = rng.standard_normal((256, 256), dtype=np.float32)
    b = rng.standard_normal((256, 256), dtype=np.float32)
    program = """
func.func @mm(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %0 = nn.matmul %a, %b : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  return %0 : tensor<256x256xf32>
}
"""
    with tempfile.TemporaryDirectory(prefix="kiln-aot-ir-") as tmp:
        path = pathlib.Path(tmp) / "mm.mlir"
        path.write_text(program)
        ir = subprocess.run([str(KILN_COMPILE), str(path), "--emit=llvm",
                             "-o", "-", f"--target={target}"], check=True,
                            capture_output=True, text=True).stdout
    assert "call void @kiln_parallel_for" in ir
    (jit,) = run(program, [a, b])
    (actual,) = compile_and_run(program, [a, b], target,
                                extra_run=["--threads", "3"])
    np.testing.assert_allclose(jit, a.astype(np.float64) @ b, rtol=1e-4,
                               atol=1e-4)
    assert_matches_jit(actual, jit)


def test_riscv_vector_extension(jit_results):
    """--features=+v: RVV code, run on a qemu CPU with 128-bit vectors."""
    program, x, jit = jit_results["small_cnn"]
    (actual,) = compile_and_run(
        program, [x], "riscv64-linux-gnu", extra_compile=["--features=+v"],
        runner=["qemu-riscv64", "-cpu",
                "rv64,v=true,vlen=128,elen=64,vext_spec=v1.0"])
    assert_matches_jit(actual, jit)


def test_aarch64_named_cpu(jit_results):
    """--cpu picks a real core's tuning (Neoverse N1: what cloud ARM
    servers run)."""
    program, x, jit = jit_results["lenet5"]
    (actual,) = compile_and_run(program, [x], "aarch64-linux-gnu",
                                extra_compile=["--cpu=neoverse-n1"])
    assert_matches_jit(actual, jit)
