"""Small whole models for the end-to-end tests: PyTorch modules with seeded
weights and the same networks as nn IR with the weights embedded as dense
resources. Used by test_models.py (JIT against PyTorch) and test_aot.py
(kiln-compile for every target against the JIT)."""

import numpy as np
import torch  # Debian python3-torch, installed by scripts/setup.sh

from kiln_e2e import tensor_type


def resource(name, array):
    """A dialect_resources entry: 4-byte alignment header + raw bytes."""
    data = np.require(array, dtype=np.float32, requirements="C").tobytes()
    return f'      {name}: "0x04000000{data.hex().upper()}"'


def with_resources(body, entries):
    return body + "\n{-#\n  dialect_resources: {\n    builtin: {\n" + \
        ",\n".join(entries) + "\n    }\n  }\n#-}\n"


def embedded(name, body, model):
    """`body` (a func.func using %<param> values, dots in parameter names
    replaced by '_') with every parameter of `model` as an nn.constant."""
    state = {k.replace(".", "_"): v.detach().numpy()
             for k, v in model.state_dict().items()}
    consts = "\n".join(
        f"  %{k} = nn.constant dense_resource<{k}> : {tensor_type(v.shape)}"
        for k, v in state.items())
    head, rest = body.split("{\n", 1)
    program = f"{head}{{\n{consts}\n{rest}"
    return with_resources(program, [resource(k, v) for k, v in state.items()])


def t(*shape):
    return tensor_type(shape)


class MLP(torch.nn.Module):
    """An MNIST MLP: 784-128-64-10, ReLU, log-softmax."""

    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(784, 128)
        self.fc2 = torch.nn.Linear(128, 64)
        self.fc3 = torch.nn.Linear(64, 10)

    def forward(self, x):
        f = torch.nn.functional
        x = f.relu(self.fc1(x))
        x = f.relu(self.fc2(x))
        return f.log_softmax(self.fc3(x), dim=1)


def mlp_program(n, model):
    return embedded("mlp", f"""
func.func @mlp(%x: {t(n, 784)}) -> {t(n, 10)} {{
  %0 = nn.dense %x, %fc1_weight, %fc1_bias : ({t(n, 784)}, {t(128, 784)}, {t(128)}) -> {t(n, 128)}
  %1 = nn.relu %0 : {t(n, 128)}
  %2 = nn.dense %1, %fc2_weight, %fc2_bias : ({t(n, 128)}, {t(64, 128)}, {t(64)}) -> {t(n, 64)}
  %3 = nn.relu %2 : {t(n, 64)}
  %4 = nn.dense %3, %fc3_weight, %fc3_bias : ({t(n, 64)}, {t(10, 64)}, {t(10)}) -> {t(n, 10)}
  %5 = nn.log_softmax %4 : {t(n, 10)}
  return %5 : {t(n, 10)}
}}
""", model)


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


def lenet5_program(n, model):
    return embedded("lenet5", f"""
func.func @lenet5(%x: {t(n, 1, 32, 32)}) -> {t(n, 10)} {{
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
""", model)


class SmallCNN(torch.nn.Module):
    """conv 3x3 (padded) + relu + max pool, conv 3x3 + relu + global
    average pool, dense, softmax, on 3x16x16 images."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(8, 16, 3, padding=1)
        self.fc = torch.nn.Linear(16, 10)

    def forward(self, x):
        f = torch.nn.functional
        x = f.max_pool2d(f.relu(self.conv1(x)), 2)
        x = f.adaptive_avg_pool2d(f.relu(self.conv2(x)), 1)
        return f.softmax(self.fc(torch.flatten(x, 1)), dim=1)


def small_cnn_program(n, model):
    return embedded("small_cnn", f"""
func.func @small_cnn(%x: {t(n, 3, 16, 16)}) -> {t(n, 10)} {{
  %c1 = nn.conv2d %x, %conv1_weight, %conv1_bias padding [1, 1, 1, 1] : ({t(n, 3, 16, 16)}, {t(8, 3, 3, 3)}, {t(8)}) -> {t(n, 8, 16, 16)}
  %r1 = nn.relu %c1 : {t(n, 8, 16, 16)}
  %p1 = nn.max_pool2d %r1 kernel [2, 2] strides [2, 2] : {t(n, 8, 16, 16)} -> {t(n, 8, 8, 8)}
  %c2 = nn.conv2d %p1, %conv2_weight, %conv2_bias padding [1, 1, 1, 1] : ({t(n, 8, 8, 8)}, {t(16, 8, 3, 3)}, {t(16)}) -> {t(n, 16, 8, 8)}
  %r2 = nn.relu %c2 : {t(n, 16, 8, 8)}
  %g = nn.global_avg_pool %r2 : {t(n, 16, 8, 8)} -> {t(n, 16, 1, 1)}
  %f = nn.flatten %g : {t(n, 16, 1, 1)} -> {t(n, 16)}
  %d = nn.dense %f, %fc_weight, %fc_bias : ({t(n, 16)}, {t(10, 16)}, {t(10)}) -> {t(n, 10)}
  %s = nn.softmax %d : {t(n, 10)}
  return %s : {t(n, 10)}
}}
""", model)


MODELS = {
    "mlp": (MLP, mlp_program, (784,)),
    "lenet5": (LeNet5, lenet5_program, (1, 32, 32)),
    "small_cnn": (SmallCNN, small_cnn_program, (3, 16, 16)),
}


def build(name, batch, seed=0):
    """(nn IR text, an input batch, PyTorch's output) for model `name`."""
    cls, program, shape = MODELS[name]
    torch.manual_seed(seed)
    model = cls().eval()
    x = torch.randn(batch, *shape)
    with torch.no_grad():
        expected = model(x).numpy()
    return program(batch, model), x.numpy(), expected
