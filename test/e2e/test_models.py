"""Whole models against PyTorch: an MLP (weights as inputs), and the models
of model_zoo (an MLP, LeNet-5, a small CNN; weights embedded as dense
resources), compiled by Kiln's CPU path and run with kiln-run. Tolerance:
1e-4 relative, as the CPU code generation issue requires."""

import numpy as np
import pytest
import torch  # Debian python3-torch, installed by scripts/setup.sh

import model_zoo
from kiln_e2e import run, tensor_type


def assert_matches_torch(actual, expected):
    assert actual.shape == expected.shape
    scale = np.abs(expected).max()
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-4 * scale)


@pytest.mark.parametrize("batch", [1, 3])
def test_mlp(batch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 10), torch.nn.LogSoftmax(dim=1)).eval()
    x = torch.randn(batch, 784)
    with torch.no_grad():
        expected = model(x).numpy()
    params = [p.detach().numpy() for p in model.parameters()]
    names = ["%w1", "%b1", "%w2", "%b2", "%w3", "%b3"]
    args = ", ".join(f"{n}: {tensor_type(p.shape)}" for n, p in zip(names, params))
    t = lambda *s: tensor_type(s)  # noqa: E731
    program = f"""
func.func @mlp(%x: {t(batch, 784)}, {args}) -> {t(batch, 10)} {{
  %0 = nn.dense %x, %w1, %b1 : ({t(batch, 784)}, {t(128, 784)}, {t(128)}) -> {t(batch, 128)}
  %1 = nn.relu %0 : {t(batch, 128)}
  %2 = nn.dense %1, %w2, %b2 : ({t(batch, 128)}, {t(64, 128)}, {t(64)}) -> {t(batch, 64)}
  %3 = nn.relu %2 : {t(batch, 64)}
  %4 = nn.dense %3, %w3, %b3 : ({t(batch, 64)}, {t(10, 64)}, {t(10)}) -> {t(batch, 10)}
  %5 = nn.log_softmax %4 : {t(batch, 10)}
  return %5 : {t(batch, 10)}
}}
"""
    (actual,) = run(program, [x.numpy()] + params)
    assert_matches_torch(actual, expected)


@pytest.mark.parametrize("name,batch", [("lenet5", 1), ("lenet5", 2),
                                        ("small_cnn", 2), ("mlp", 2)])
def test_embedded_weights(name, batch):
    """Models with their weights embedded as dense resources."""
    program, x, expected = model_zoo.build(name, batch, seed=1)
    (actual,) = run(program, [x])
    assert_matches_torch(actual, expected)
