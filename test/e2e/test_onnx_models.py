"""Real models through ONNX: PyTorch modules with seeded random weights,
exported by torch.onnx.export (opsets 13 and 17), imported and compiled by
Kiln, against PyTorch's outputs. Tolerance: 1e-4 relative to the output's
largest magnitude for every model, ResNet-18 included (its 20 layers of
float32 accumulation stay around 1e-6 here, well inside; the issue allows
1e-3 for deep nets). The exported files live in temporary directories."""

import pathlib
import subprocess
import tempfile

import numpy as np
import pytest
import torch

import model_zoo
from kiln_e2e import BUILD, DEVICE, KILN_RUN
from onnx_models import export_torch

KILN_COMPILE = BUILD / "bin" / "kiln-compile"

# torch.onnx.export warns about traced Python values in attention; harmless
# for fixed shapes.
pytestmark = pytest.mark.filterwarnings("ignore::torch.jit.TracerWarning")


def assert_matches_torch(actual, expected, rtol=1e-4):
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    scale = np.abs(expected).max()
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale)


def run_exported(module, example, opset, aot=False):
    """Exports `module`, runs the .onnx with kiln-run (or a kiln-compile
    executable), returns (Kiln's output, PyTorch's output)."""
    with torch.no_grad():
        expected = module(example).numpy()
    with tempfile.TemporaryDirectory(prefix="kiln-onnx-model-") as tmp:
        tmp = pathlib.Path(tmp)
        path = tmp / "model.onnx"
        export_torch(module, example, opset, path)
        np.save(tmp / "x.npy", example.numpy())
        if aot:
            subprocess.run([str(KILN_COMPILE), str(path), "-o",
                            str(tmp / "model")], check=True,
                           capture_output=True, text=True, timeout=600)
            cmd = [str(tmp / "model")]
        else:
            cmd = [str(KILN_RUN), str(path), f"--device={DEVICE}"]
        proc = subprocess.run(cmd + ["--input", str(tmp / "x.npy"), "--output",
                                     str(tmp / "y.npy")],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        return np.load(tmp / "y.npy"), expected


@pytest.mark.parametrize("opset", [13, 17])
@pytest.mark.parametrize("name", ["mlp", "lenet5", "small_cnn"])
def test_model_zoo(name, opset):
    cls, _, shape = model_zoo.MODELS[name]
    torch.manual_seed(4)
    actual, expected = run_exported(cls().eval(), torch.randn(2, *shape), opset)
    assert_matches_torch(actual, expected)


@pytest.mark.parametrize("opset,batch", [(13, 2), (17, 2), (17, 1)])
def test_transformer_encoder(opset, batch):
    """Two post-norm encoder layers (multi-head attention, feed-forward,
    layer norms), batch-first; opset 17 exports LayerNormalization, opset 13
    its decomposition. At batch 1 the projections have a unit loop, which
    kiln-codegen-drop-unit-contraction-dims removes (the output projection
    reads its weights transposed)."""
    torch.manual_seed(5)
    layer = torch.nn.TransformerEncoderLayer(
        d_model=64, nhead=4, dim_feedforward=128, dropout=0.0,
        batch_first=True)
    encoder = torch.nn.TransformerEncoder(layer, num_layers=2).eval()
    actual, expected = run_exported(encoder, torch.randn(batch, 10, 64),
                                    opset)
    assert_matches_torch(actual, expected)


@pytest.mark.parametrize("opset,aot", [(13, False), (17, True)])
def test_resnet18(opset, aot):
    """torchvision's ResNet-18 at batch 1, through the JIT (opset 13) and
    through `kiln-compile resnet18.onnx -o resnet18` (opset 17)."""
    import torchvision
    torch.manual_seed(6)
    model = torchvision.models.resnet18(weights=None).eval()
    actual, expected = run_exported(model, torch.randn(1, 3, 224, 224), opset,
                                    aot=aot)
    assert_matches_torch(actual, expected)
    assert actual.argmax() == expected.argmax()


@pytest.mark.parametrize("opset", [13, 17])
def test_gelu_mlp(opset):
    """GELU exports as its Erf formula before opset 20: Erf, Div, Add, Mul."""
    torch.manual_seed(7)
    model = torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.GELU(),
                                torch.nn.Linear(64, 8)).eval()
    actual, expected = run_exported(model, torch.randn(3, 32), opset)
    assert_matches_torch(actual, expected)


class UpsampleDecoder(torch.nn.Module):
    """A segmentation-style decoder: convolutions between F.interpolate
    upsamplings (exported as Resize), one per mode."""

    def __init__(self, mode):
        super().__init__()
        self.mode = mode
        self.conv1 = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(8, 4, 3, padding=1)

    def forward(self, x):
        extra = {} if self.mode == "nearest" else {"align_corners": False}
        x = torch.relu(self.conv1(x))
        x = torch.nn.functional.interpolate(x, scale_factor=2, mode=self.mode,
                                            **extra)
        x = self.conv2(x)
        return torch.nn.functional.interpolate(x, size=(13, 11), mode=self.mode,
                                               **extra)


@pytest.mark.parametrize("mode", ["nearest", "bilinear", "bicubic"])
def test_interpolate(mode):
    """F.interpolate by a scale factor and to a size (up and down)."""
    torch.manual_seed(8)
    actual, expected = run_exported(UpsampleDecoder(mode).eval(),
                                    torch.randn(2, 3, 9, 7), 13)
    assert_matches_torch(actual, expected)


class ClassifierHead(torch.nn.Module):
    """Logits, their softmax cross-entropy against labels, and the argmax:
    SoftmaxCrossEntropyLoss and ArgMax as PyTorch exports them."""

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(16, 5)

    def forward(self, x):
        logits = self.linear(x)
        labels = torch.arange(x.shape[0]) % 5
        loss = torch.nn.functional.cross_entropy(logits, labels)
        return loss.reshape(1) + logits.argmax(dim=1).to(torch.float32)


def test_cross_entropy_and_argmax():
    torch.manual_seed(9)
    actual, expected = run_exported(ClassifierHead().eval(), torch.randn(6, 16),
                                    13)
    assert_matches_torch(actual, expected)
