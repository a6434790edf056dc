"""GPU matmuls computed by cuBLAS and convolutions computed by cuDNN
(`--gpu-libraries=cublas,cudnn`).

Without a GPU: over test/Runtime's fake driver (device memory is host
memory; kernels do nothing), fake cuBLAS (the reference column-major GEMM)
and fake cuDNN (the reference convolution), the compiled host code's calls
compute what numpy and PyTorch do, through kiln-run's JIT and through a
compiled executable, so each call's operands, sizes, strides and layouts
are checked; a missing or failing library is one clear error. The emulated
GPU computes those ops on the CPU. With KILN_E2E_DEVICE=cuda
(scripts/gpu-check.sh on a machine with a GPU) the same models run with
the real driver and libraries; elsewhere those tests report themselves
skipped."""

import os
import pathlib
import subprocess

import numpy as np
import pytest
import torch

from kiln_e2e import BUILD, DEVICE, KILN_RUN

KILN_COMPILE = BUILD / "bin" / "kiln-compile"
FAKE_DRIVER = BUILD / "lib" / "libkiln-fake-cuda.so"
FAKE_CUBLAS = BUILD / "lib" / "libkiln-fake-cublas.so"
FAKE_CUDNN = BUILD / "lib" / "libkiln-fake-cudnn.so"

# Two matmuls in a chain, every size different (a swapped size or leading
# dimension shows), each accumulating into a zero fill.
CHAIN = """
func.func @chain(%a: tensor<96x64xf32>, %b: tensor<64x80xf32>,
                 %c: tensor<80x48xf32>) -> tensor<96x48xf32> {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<96x80xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<96x80xf32>) -> tensor<96x80xf32>
  %ab = linalg.matmul ins(%a, %b : tensor<96x64xf32>, tensor<64x80xf32>)
                      outs(%f0 : tensor<96x80xf32>) -> tensor<96x80xf32>
  %e1 = tensor.empty() : tensor<96x48xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<96x48xf32>) -> tensor<96x48xf32>
  %abc = linalg.matmul ins(%ab, %c : tensor<96x80xf32>, tensor<80x48xf32>)
                       outs(%f1 : tensor<96x48xf32>) -> tensor<96x48xf32>
  return %abc : tensor<96x48xf32>
}
"""


# Two convolutions with no padding (pads are kernels, which do nothing over
# the fake driver): strides 2 x 2, then dilations 2 x 1 on a 2 x 3 filter.
CONVS = """
func.func @convs(%x: tensor<2x3x17x19xf32>, %w1: tensor<8x3x3x3xf32>,
                 %w2: tensor<4x8x2x3xf32>) -> tensor<2x4x6x7xf32> {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<2x8x8x9xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<2x8x8x9xf32>) -> tensor<2x8x8x9xf32>
  %y1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w1 : tensor<2x3x17x19xf32>, tensor<8x3x3x3xf32>) outs(%f0 : tensor<2x8x8x9xf32>) -> tensor<2x8x8x9xf32>
  %e1 = tensor.empty() : tensor<2x4x6x7xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x4x6x7xf32>) -> tensor<2x4x6x7xf32>
  %y2 = linalg.conv_2d_nchw_fchw {dilations = dense<[2, 1]> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%y1, %w2 : tensor<2x8x8x9xf32>, tensor<4x8x2x3xf32>) outs(%f1 : tensor<2x4x6x7xf32>) -> tensor<2x4x6x7xf32>
  return %y2 : tensor<2x4x6x7xf32>
}
"""

SHAPES = {"cublas": ((96, 64), (64, 80), (80, 48)),
          "cudnn": ((2, 3, 17, 19), (8, 3, 3, 3), (4, 8, 2, 3))}


def inputs(library):
    rng = np.random.default_rng(11)
    return [rng.standard_normal(shape).astype(np.float32)
            for shape in SHAPES[library]]


def expected(library, a, b, c):
    if library == "cublas":
        return (a.astype(np.float64) @ b) @ c
    t = [torch.from_numpy(v.astype(np.float64)) for v in (a, b, c)]
    y = torch.nn.functional.conv2d(t[0], t[1], stride=2)
    return torch.nn.functional.conv2d(y, t[2], dilation=(2, 1)).numpy()


def fake_env(**extra):
    env = dict(os.environ, KILN_CUDA_DRIVER=str(FAKE_DRIVER),
               KILN_FAKE_CUDA_KERNELS="any", KILN_CUBLAS_LIBRARY=str(FAKE_CUBLAS),
               KILN_CUDNN_LIBRARY=str(FAKE_CUDNN), KILN_FAKE_CUDA_REPORT="1")
    env.update(extra)
    return env


def run(cmd, library, tmp, env):
    """Runs `cmd` (kiln-run MODEL or an executable) on inputs() saved as
    .npy files; returns the completed process and the output path."""
    for i, x in enumerate(inputs(library)):
        np.save(tmp / f"in{i}.npy", x)
        cmd += ["--input", str(tmp / f"in{i}.npy")]
    out = tmp / "out.npy"
    cmd += ["--output", str(out)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True,
                          timeout=300), out


LIBRARIES = ["cublas", "cudnn"]


@pytest.fixture
def model(tmp_path, library):
    path = tmp_path / f"{library}.mlir"
    path.write_text(CHAIN if library == "cublas" else CONVS)
    return path


def runner(kind, model, tmp_path, library, device="cuda"):
    """kiln-run's command for `model`, or a compiled executable's."""
    flags = [f"--device={device}", f"--gpu-libraries={library}"]
    if kind == "jit":
        return [str(KILN_RUN), str(model)] + flags
    exe = tmp_path / "model"
    subprocess.run([str(KILN_COMPILE), str(model), "-o", str(exe)] + flags,
                   check=True, capture_output=True, text=True, timeout=600)
    return [str(exe)]


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("kind", ["jit", "exe"])
def test_fake_library_computes_the_chain(model, tmp_path, library, kind):
    proc, out = run(runner(kind, model, tmp_path, library), library,
                    tmp_path, fake_env())
    assert proc.returncode == 0, proc.stderr
    # Both ops called the library; the rest ran as (fake) kernels.
    report = {"cublas": "fake cuBLAS: 2 GEMMs",
              "cudnn": "fake cuDNN: 2 convolutions, 2 algorithm queries"}
    assert report[library] in proc.stderr, proc.stderr
    np.testing.assert_allclose(np.load(out),
                               expected(library, *inputs(library)),
                               rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("library", ["cudnn"])
def test_cudnn_plans_are_made_once(model, tmp_path, library):
    """The four runs of --bench 3 (a warm-up, three timed) call cuDNN for
    both convolutions each time, but ask for each shape's algorithm once. (No numbers: over the fake driver the
    fills do nothing, so a reused buffer keeps the last run's sums.)"""
    cmd = runner("jit", model, tmp_path, library) + ["--bench", "3"]
    proc, _ = run(cmd, library, tmp_path, fake_env())
    assert proc.returncode == 0, proc.stderr
    assert "fake cuDNN: 8 convolutions, 2 algorithm queries" in proc.stderr, \
        proc.stderr


NAMES = {"cublas": ("cuBLAS", "matmuls"), "cudnn": ("cuDNN", "convolutions")}


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("kind", ["jit", "exe"])
def test_missing_library_is_one_error(model, tmp_path, library, kind):
    missing = tmp_path / f"lib{library}-missing.so"
    variable = f"KILN_{library.upper()}_LIBRARY"
    proc, _ = run(runner(kind, model, tmp_path, library), library, tmp_path,
                  fake_env(**{variable: str(missing)}))
    assert proc.returncode == 1, proc.stderr
    name, ops = NAMES[library]
    assert f"cannot load {name} ({missing}): " in proc.stderr, proc.stderr
    assert f"the model calls it for its {ops} (compiled with " \
           f"--gpu-libraries={library}): install {name} or compile " \
           "without it" in proc.stderr
    assert proc.stderr.count("error:") == 1, proc.stderr


@pytest.mark.parametrize("library", LIBRARIES)
def test_not_the_library_is_one_error(model, tmp_path, library):
    """A library that loads but lacks the functions Kiln calls (here the
    other fake)."""
    other = FAKE_CUDNN if library == "cublas" else FAKE_CUBLAS
    variable = f"KILN_{library.upper()}_LIBRARY"
    proc, _ = run(runner("jit", model, tmp_path, library), library, tmp_path,
                  fake_env(**{variable: str(other)}))
    assert proc.returncode == 1, proc.stderr
    symbol = "cublasCreate_v2" if library == "cublas" else "cudnnCreate"
    assert f"{other} has no {symbol}: it is older than Kiln needs, or not " \
           "the library" in proc.stderr, proc.stderr
    assert proc.stderr.count("error:") == 1, proc.stderr


@pytest.mark.parametrize("library", LIBRARIES)
def test_failing_library_says_why(model, tmp_path, library):
    variable = f"KILN_FAKE_{library.upper()}_FAIL"
    proc, _ = run(runner("jit", model, tmp_path, library), library, tmp_path,
                  fake_env(**{variable: "1"}))
    assert proc.returncode == 1, proc.stderr
    why = {"cublas": "cuBLAS: cublasCreate failed (status 1: the library "
                     "was not initialized)",
           "cudnn": "cuDNN: cudnnCreate failed (status 1001: "
                    "CUDNN_STATUS_NOT_INITIALIZED)"}
    assert why[library] in proc.stderr, proc.stderr


def rounded(x, precision):
    """x as --precision rounds a matmul's inputs (to nearest, ties to even),
    in float64."""
    if precision == "fp16":
        return x.astype(np.float16).astype(np.float64)
    if precision == "tf32":
        bits = x.astype(np.float32).view(np.uint32).astype(np.uint64)
        bits = (bits + 0xFFF + ((bits >> 13) & 1)) & 0xFFFFE000
        return bits.astype(np.uint32).view(np.float32).astype(np.float64)
    return x.astype(np.float64)


@pytest.mark.parametrize("library", ["cublas"])
@pytest.mark.parametrize("precision", ["fp32", "tf32", "fp16"])
def test_emulated_gpu_computes_library_matmuls(model, tmp_path, library,
                                               precision):
    """The emulated GPU has no cuBLAS: the CPU computes those matmuls, on the
    inputs --precision rounded (each matmul's, the first one's f32 result
    too)."""
    cmd = runner("jit", model, tmp_path, library, device="emulated-cuda")
    proc, out = run(cmd + [f"--precision={precision}"], library, tmp_path,
                    dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    a, b, c = inputs(library)
    ab = (rounded(a, precision) @ rounded(b, precision)).astype(np.float32)
    want = rounded(ab, precision) @ rounded(c, precision)
    # (Where the f32 sum of A B lands on the other side of a rounding
    # boundary than numpy's f64 one, the second product moves by one
    # rounding step of that element times C's: up to about 1e-2 here, ten
    # times less than without rounding the inputs.)
    np.testing.assert_allclose(np.load(out), want, rtol=1e-5, atol=2e-2)


@pytest.mark.parametrize("library", ["cudnn"])
def test_emulated_gpu_computes_library_convolutions(model, tmp_path,
                                                    library):
    """Nor has it cuDNN: the CPU computes the convolutions."""
    cmd = runner("jit", model, tmp_path, library, device="emulated-cuda")
    proc, out = run(cmd, library, tmp_path, dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    np.testing.assert_allclose(np.load(out),
                               expected(library, *inputs(library)),
                               rtol=1e-5, atol=1e-4)


@pytest.mark.skipif(DEVICE != "cuda", reason="no GPU here: the real cuBLAS "
                    "and cuDNN run in scripts/gpu-check.sh "
                    "(KILN_E2E_DEVICE=cuda)")
@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("kind", ["jit", "exe"])
def test_real_library(model, tmp_path, library, kind):
    proc, out = run(runner(kind, model, tmp_path, library), library, tmp_path,
                    dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    np.testing.assert_allclose(np.load(out),
                               expected(library, *inputs(library)),
                               rtol=1e-4, atol=1e-3)
