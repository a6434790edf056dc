"""Helpers for Kiln's end-to-end numeric tests.

Each test writes a small nn program, compiles and runs it with kiln-run
(the JIT, through the full CPU pipeline) on .npy inputs, and compares the
outputs with a numpy reference.
"""

import os
import pathlib
import subprocess
import tempfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("KILN_BUILD_DIR", ROOT / "build"))
KILN_RUN = BUILD / "bin" / "kiln-run"
# The device kiln-run compiles for (its --device): `emulated-cuda` runs
# every test through the GPU schedule, on this CPU (scripts/test.sh does,
# for the op tests).
DEVICE = os.environ.get("KILN_E2E_DEVICE", "cpu")

MLIR_TYPES = {
    np.dtype(np.float32): "f32",
    np.dtype(np.float64): "f64",
    np.dtype(np.float16): "f16",
    np.dtype(np.int8): "i8",
    np.dtype(np.int16): "i16",
    np.dtype(np.int32): "i32",
    np.dtype(np.int64): "i64",
    np.dtype(np.uint8): "ui8",
    np.dtype(np.uint16): "ui16",
    np.dtype(np.uint32): "ui32",
    np.dtype(np.uint64): "ui64",
    np.dtype(np.bool_): "i1",
}


def tensor_type(shape, dtype=np.float32):
    """MLIR tensor type for a numpy shape and dtype."""
    element = MLIR_TYPES[np.dtype(dtype)]
    return "tensor<" + "".join(f"{d}x" for d in shape) + element + ">"


def single_op_program(op_text, inputs, outputs):
    """A @main function whose body is one op (`op_text`, using %a, %b, ...
    for the inputs and producing %r) and that returns %r.

    `inputs` are numpy arrays; `outputs` are (shape, dtype) of the results.
    """
    names = [f"%{chr(ord('a') + i)}" for i in range(len(inputs))]
    args = ", ".join(f"{n}: {tensor_type(x.shape, x.dtype)}"
                     for n, x in zip(names, inputs))
    results = ", ".join(tensor_type(s, d) for s, d in outputs)
    returned = ", ".join(f"%r#{i}" if len(outputs) > 1 else "%r"
                         for i in range(len(outputs)))
    return (f"func.func @main({args}) -> ({results}) {{\n"
            f"  %r = {op_text}\n"
            f"  return {returned} : {results}\n"
            f"}}\n")


def run_with_npy(cmd, inputs, num_outputs, tmp, extra_args=(), context=""):
    """Runs `cmd` (a model runner: kiln-run MODEL, or a compiled executable)
    with each of `inputs` saved as an --input .npy file in the directory
    `tmp` and `num_outputs` --output files; returns the outputs. Raises with
    the runner's stderr (and `context`) when it fails."""
    tmp = pathlib.Path(tmp)
    cmd = list(cmd)
    for i, x in enumerate(inputs):
        path = tmp / f"in{i}.npy"
        # (ascontiguousarray would turn a 0-d array into 1-d.)
        np.save(path, np.require(x, requirements="C"))
        cmd += ["--input", str(path)]
    outs = [tmp / f"out{i}.npy" for i in range(num_outputs)]
    for path in outs:
        cmd += ["--output", str(path)]
    if pathlib.Path(cmd[0]) == KILN_RUN and DEVICE != "cpu":
        cmd.append(f"--device={DEVICE}")
    proc = subprocess.run(cmd + list(extra_args), capture_output=True,
                          text=True, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"{pathlib.Path(cmd[0]).name} failed "
                           f"({proc.returncode}):\n{proc.stderr}\n{context}")
    return [np.load(path) for path in outs]


def run(program, inputs, num_outputs=1, entry=None, extra_args=()):
    """Compiles and runs `program` (MLIR text) with kiln-run on `inputs`;
    returns the outputs as numpy arrays. Raises with kiln-run's stderr when it
    fails."""
    with tempfile.TemporaryDirectory(prefix="kiln-e2e-") as tmp:
        model = pathlib.Path(tmp) / "model.mlir"
        model.write_text(program)
        cmd = [str(KILN_RUN), str(model)] + (["--entry", entry] if entry else [])
        return run_with_npy(cmd, inputs, num_outputs, tmp, extra_args,
                            context=f"program:\n{program}")


def run_op(op_text, inputs, ref):
    """Runs a single-op program and returns its one output; the result type
    comes from the numpy reference `ref`."""
    program = single_op_program(op_text, inputs, [(ref.shape, ref.dtype)])
    return run(program, inputs)[0]


def assert_close(actual, expected, rtol=1e-5, atol=1e-6):
    """Elementwise |actual - expected| <= atol + rtol * |expected|, same
    shape and dtype."""
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def rng(seed=0):
    return np.random.default_rng(seed)
