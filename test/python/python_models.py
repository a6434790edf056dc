"""Small models the Python API tests share: a PyTorch CNN and its ONNX
export, and an nn IR program."""

import io

import numpy as np
import onnx
import torch

# Two inputs, two outputs, all named.
TWO_OUTPUT_IR = """
func.func @two(%x: tensor<2x3xf32> {nn.name = "x"}, %y: tensor<2x3xf32> {nn.name = "y"})
    -> (tensor<2x3xf32> {nn.name = "sum"}, tensor<2x3xf32> {nn.name = "product"}) {
  %s = nn.add %x, %y : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %p = nn.mul %x, %y : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %s, %p : tensor<2x3xf32>, tensor<2x3xf32>
}
"""


def small_cnn(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2), torch.nn.Conv2d(8, 16, 3, padding=1),
        torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
        torch.nn.Linear(16, 10)).eval()


def onnx_bytes(net, example, opset=13):
    buffer = io.BytesIO()
    torch.onnx.export(net, example, buffer, input_names=["image"],
                      output_names=["logits"], opset_version=opset)
    return buffer.getvalue()


def image(seed=1, shape=(1, 3, 16, 16)):
    return np.random.default_rng(seed).standard_normal(shape).astype(
        np.float32)


def reference(net, x):
    with torch.no_grad():
        return net(torch.from_numpy(x)).numpy()


def reshape_model():
    """An ONNX graph whose Reshape shape is a graph input (needs bind=)."""
    from onnx import TensorProto, helper
    node = helper.make_node("Reshape", ["data", "shape"], ["out"])
    graph = helper.make_graph(
        [node], "reshape",
        [helper.make_tensor_value_info("data", TensorProto.FLOAT, [2, 6]),
         helper.make_tensor_value_info("shape", TensorProto.INT64, [2])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, None)])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("",
                                                                       13)])


def unsupported_op_model():
    from onnx import TensorProto, helper
    node = helper.make_node("NonZero", ["x"], ["y"], name="find_nonzero")
    graph = helper.make_graph(
        [node], "nonzero",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info("y", TensorProto.INT64, None)])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("",
                                                                       13)])


def torch_example(shape=(1, 3, 16, 16)):
    return torch.from_numpy(image(seed=0, shape=shape))
