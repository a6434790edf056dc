"""GPU kernels without a GPU: `kiln-compile --device=cuda --emit=ptx` on the
bundled example, torchvision's ResNet-18 and a transformer encoder (ONNX
exports made here), for sm_80 and sm_90a, and the CUDA toolkit's ptxas
accepts every kernel with no register spills. Skipped, with the reason,
where the toolkit's ptxas is missing. (Whether the kernels compute the
right numbers is what `--device=emulated-cuda` checks: scripts/test.sh runs
the op and model tests through it.)"""

import pathlib
import re
import shutil
import subprocess
import tempfile

import numpy as np
import pytest
import torch

from kiln_e2e import BUILD, KILN_RUN, ROOT, run_with_npy
from onnx_models import export_torch

KILN_COMPILE = BUILD / "bin" / "kiln-compile"
PTXAS = shutil.which("ptxas") or "/usr/local/cuda/bin/ptxas"

pytestmark = [
    pytest.mark.filterwarnings("ignore::torch.jit.TracerWarning"),
    pytest.mark.skipif(not pathlib.Path(PTXAS).exists(),
                       reason="no ptxas (the CUDA toolkit's) to check PTX"),
]


def check_ptx(model_path, arch, tmp):
    """Compiles the model's kernels for `arch`, assembles them with ptxas;
    returns (number of kernels, ptxas's report)."""
    ptx = tmp / f"kernels.{arch}.ptx"
    subprocess.run([str(KILN_COMPILE), str(model_path), "--device=cuda",
                    f"--gpu-arch={arch}", "--emit=ptx", "-o", str(ptx)],
                   check=True, capture_output=True, text=True, timeout=600)
    text = ptx.read_text()
    assert f".target {arch}" in text
    kernels = len(re.findall(r"^\.visible \.entry ", text, re.M))
    proc = subprocess.run([PTXAS, f"-arch={arch}", "-v", str(ptx), "-o",
                           str(tmp / "k.cubin")],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    spills = re.findall(r"(\d+) bytes spill stores, (\d+) bytes spill loads",
                        proc.stderr)
    assert len(spills) == kernels, proc.stderr
    assert all(s == ("0", "0") for s in spills), proc.stderr
    return kernels, proc.stderr


def exported(module, example, path):
    export_torch(module.eval(), example, 13, path)
    return path


@pytest.fixture(scope="module")
def models():
    with tempfile.TemporaryDirectory(prefix="kiln-gpu-models-") as tmp:
        tmp = pathlib.Path(tmp)
        import torchvision
        torch.manual_seed(6)
        resnet = exported(torchvision.models.resnet18(weights=None),
                          torch.randn(1, 3, 224, 224), tmp / "resnet18.onnx")
        torch.manual_seed(5)
        layer = torch.nn.TransformerEncoderLayer(
            d_model=64, nhead=4, dim_feedforward=128, dropout=0.0,
            batch_first=True)
        encoder = exported(torch.nn.TransformerEncoder(layer, num_layers=2),
                           torch.randn(2, 10, 64), tmp / "encoder.onnx")
        yield {"tiny_cnn": ROOT / "docs" / "examples" / "tiny_cnn.mlir",
               "resnet18": resnet, "transformer_encoder": encoder}


@pytest.mark.parametrize("arch", ["sm_80", "sm_90a"])
@pytest.mark.parametrize("name", ["tiny_cnn", "resnet18",
                                  "transformer_encoder"])
def test_model_kernels_assemble(models, name, arch):
    with tempfile.TemporaryDirectory(prefix="kiln-gpu-ptx-") as tmp:
        kernels, _ = check_ptx(models[name], arch, pathlib.Path(tmp))
    # Every op is a kernel: nothing stays on the host.
    assert kernels >= {"tiny_cnn": 10, "resnet18": 60,
                       "transformer_encoder": 40}[name]


HGEMM_F32 = """
func.func @hgemm(%a: tensor<128x64xf16>, %b: tensor<64x256xf16>) -> tensor<128x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<128x256xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<128x256xf32>) -> tensor<128x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<128x64xf16>, tensor<64x256xf16>) outs(%c : tensor<128x256xf32>) -> tensor<128x256xf32>
  return %r : tensor<128x256xf32>
}
"""

HGEMM_F16 = """
func.func @hgemm(%a: tensor<128x64xf16>, %b: tensor<64x256xf16>) -> tensor<128x256xf16> {
  %r = nn.matmul %a, %b : (tensor<128x64xf16>, tensor<64x256xf16>) -> tensor<128x256xf16>
  return %r : tensor<128x256xf16>
}
"""


@pytest.mark.parametrize("program,out_dtype",
                         [(HGEMM_F32, np.float32), (HGEMM_F16, np.float16)],
                         ids=["f32_accumulators", "f16_accumulators"])
def test_tensor_core_matmul(program, out_dtype):
    """The tensor-core schedules: sm_80's (64 x 64 blocks, 2 x 2 warps,
    m16n8k16 mma.sync steps) and sm_90a's (a warpgroup's m64n64k16 wgmma
    per K step, for f32 accumulators; mma.sync for f16 ones) are in the
    PTX, and on the emulated GPU (which runs the mma.sync schedule for both
    architectures) the product is exact (small integers: every partial sum
    is exact in f16 and f32)."""
    rng = np.random.default_rng(11)
    a = rng.integers(-3, 4, (128, 64)).astype(np.float16)
    b = rng.integers(-3, 4, (64, 256)).astype(np.float16)
    expected = (a.astype(np.float32) @ b.astype(np.float32)).astype(out_dtype)
    with tempfile.TemporaryDirectory(prefix="kiln-gpu-hgemm-") as tmp:
        tmp = pathlib.Path(tmp)
        model = tmp / "hgemm.mlir"
        model.write_text(program)
        for arch in ["sm_80", "sm_90a"]:
            check_ptx(model, arch, tmp)
            ptx = (tmp / f"kernels.{arch}.ptx").read_text()
            wgmma = arch == "sm_90a" and out_dtype == np.float32
            assert ("wgmma.mma_async.sync.aligned.m64n64k16" in ptx) == wgmma
            assert ("mma.sync.aligned.m16n8k16.row.col" in ptx) != wgmma
        for arch in ["sm_80", "sm_90a"]:
            [actual] = run_with_npy([str(KILN_RUN), str(model),
                                     "--device=emulated-cuda",
                                     f"--gpu-arch={arch}"], [a, b], 1, tmp)
            assert actual.dtype == out_dtype
            np.testing.assert_array_equal(actual, expected)
