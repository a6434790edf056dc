"""Whole models against PyTorch: an MLP (weights as inputs) and LeNet-5
(weights embedded as dense resources), compiled by Kiln's CPU path and run
with kiln-run. Tolerance: 1e-4 relative, as the CPU code generation issue
requires."""

import numpy as np
import pytest
import torch  # Debian python3-torch, installed by scripts/setup.sh

from kiln_e2e import run, tensor_type


def resource(name, array):
    """A dialect_resources entry: 4-byte alignment header + raw bytes."""
    data = np.require(array, dtype=np.float32, requirements="C").tobytes()
    return f'      {name}: "0x04000000{data.hex().upper()}"'


def with_resources(body, entries):
    return body + "\n{-#\n  dialect_resources: {\n    builtin: {\n" + \
        ",\n".join(entries) + "\n    }\n  }\n#-}\n"


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


class LeNet5(torch.nn.Module):
    """LeNet-5 as in LeCun et al. 1998 with max pooling and ReLU (the common
    modern variant), on 1x32x32 inputs."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 6, 5)
        self.conv2 = torch.nn.Conv2d(6, 16, 5)
        self.fc1 = torch.nn.Linear(16 * 5 * 5, 120)
        self.fc2 = torch.nn.Linear(120, 84)
        self.fc3 = torch.nn.Linear(84, 10)

    def forward(self, x):
        f = torch.nn.functional
        x = f.max_pool2d(f.relu(self.conv1(x)), 2)
        x = f.max_pool2d(f.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = f.relu(self.fc1(x))
        x = f.relu(self.fc2(x))
        return f.softmax(self.fc3(x), dim=1)


@pytest.mark.parametrize("batch", [1, 2])
def test_lenet5(batch):
    torch.manual_seed(1)
    model = LeNet5().eval()
    x = torch.randn(batch, 1, 32, 32)
    with torch.no_grad():
        expected = model(x).numpy()
    state = {k.replace(".", "_"): v.numpy() for k, v in model.state_dict().items()}
    t = lambda *s: tensor_type(s)  # noqa: E731
    consts = "\n".join(
        f"  %{k} = nn.constant dense_resource<{k}> : {tensor_type(v.shape)}"
        for k, v in state.items())
    n = batch
    body = f"""
func.func @lenet5(%x: {t(n, 1, 32, 32)}) -> {t(n, 10)} {{
{consts}
  %c1 = nn.conv2d %x, %conv1_weight, %conv1_bias : ({t(n, 1, 32, 32)}, {t(6, 1, 5, 5)}, {t(6)}) -> {t(n, 6, 28, 28)}
  %r1 = nn.relu %c1 : {t(n, 6, 28, 28)}
  %p1 = nn.max_pool2d %r1 kernel [2, 2] strides [2, 2] : {t(n, 6, 28, 28)} -> {t(n, 6, 14, 14)}
  %c2 = nn.conv2d %p1, %conv2_weight, %conv2_bias : ({t(n, 6, 14, 14)}, {t(16, 6, 5, 5)}, {t(16)}) -> {t(n, 16, 10, 10)}
  %r2 = nn.relu %c2 : {t(n, 16, 10, 10)}
  %p2 = nn.max_pool2d %r2 kernel [2, 2] strides [2, 2] : {t(n, 16, 10, 10)} -> {t(n, 16, 5, 5)}
  %f = nn.flatten %p2 : {t(n, 16, 5, 5)} -> {t(n, 400)}
  %d1 = nn.dense %f, %fc1_weight, %fc1_bias : ({t(n, 400)}, {t(120, 400)}, {t(120)}) -> {t(n, 120)}
  %a1 = nn.relu %d1 : {t(n, 120)}
  %d2 = nn.dense %a1, %fc2_weight, %fc2_bias : ({t(n, 120)}, {t(84, 120)}, {t(84)}) -> {t(n, 84)}
  %a2 = nn.relu %d2 : {t(n, 84)}
  %d3 = nn.dense %a2, %fc3_weight, %fc3_bias : ({t(n, 84)}, {t(10, 84)}, {t(10)}) -> {t(n, 10)}
  %s = nn.softmax %d3 : {t(n, 10)}
  return %s : {t(n, 10)}
}}
"""
    program = with_resources(body, [resource(k, v) for k, v in state.items()])
    (actual,) = run(program, [x.numpy()])
    assert_matches_torch(actual, expected)
