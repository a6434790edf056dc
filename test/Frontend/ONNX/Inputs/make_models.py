"""Writes the ONNX models of the importer's lit tests into a directory:
malformed and unsupported models (errors.test) and small valid ones
(import.test). Built with onnx.helper (Debian python3-onnx)."""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def tensor(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def save(name, nodes, inputs, outputs, inits=(), opset=13, check=True):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    if check:
        onnx.checker.check_model(model)
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())
    return model


relu = lambda i, o, name="": helper.make_node("Relu", [i], [o], name=name)  # noqa: E731
x = tensor("x", [2, 3])
y = tensor("y", [2, 3])

# --- errors
save("unknown_op", [helper.make_node("FancyOp", ["x"], ["y"], name="fancy")],
     [x], [y], check=False)
save("unsupported_opset", [relu("x", "y", "r")], [x], [y], opset=19,
     check=False)
save("cycle", [relu("b", "a", "first"), relu("a", "b", "second"),
               relu("a", "y", "third")], [x], [y], check=False)
save("undefined_input", [relu("nowhere", "y", "lost")], [x], [y], check=False)
save("symbolic_dim", [relu("x", "y")], [tensor("x", ["batch", 3])],
     [tensor("y", ["batch", 3])])
save("string_input", [helper.make_node("Identity", ["s"], ["y"])],
     [tensor("s", [2], TensorProto.STRING)], [tensor("y", [2], TensorProto.STRING)])
save("other_domain", [helper.make_node("Gelu", ["x"], ["y"], domain="com.microsoft",
                                       name="g")], [x], [y], check=False)
save("bad_auto_pad", [helper.make_node("Conv", ["i", "w"], ["o"], name="conv",
                                       auto_pad="SIDEWAYS")],
     [tensor("i", [1, 1, 4, 4])], [tensor("o", [1, 1, 4, 4])],
     [numpy_helper.from_array(np.ones((1, 1, 3, 3), np.float32), "w")],
     check=False)
save("maxpool_indices", [helper.make_node("MaxPool", ["i"], ["o", "idx"],
                                          name="pool", kernel_shape=[2, 2, 2])],
     [tensor("i", [1, 1, 4, 4, 4])],
     [tensor("o", [1, 1, 3, 3, 3]),
      tensor("idx", [1, 1, 3, 3, 3], TensorProto.INT64)])
save("dynamic_reshape", [helper.make_node("Reshape", ["x", "shape"], ["y"],
                                          name="reshape")],
     [x, tensor("shape", [2], TensorProto.INT64)], [y])
short = numpy_helper.from_array(np.ones((2, 3), np.float32), "w")
short.raw_data = short.raw_data[:10]
save("short_initializer", [helper.make_node("Add", ["x", "w"], ["y"])], [x], [y],
     [short], check=False)
def external_tensor(name, dims, location, offset):
    t = TensorProto()
    t.name, t.data_type = name, TensorProto.FLOAT
    t.dims.extend(dims)
    t.data_location = TensorProto.EXTERNAL
    for k, v in [("location", location), ("offset", str(offset)),
                 ("length", str(4 * int(np.prod(dims))))]:
        entry = t.external_data.add()
        entry.key, entry.value = k, v
    return t


ext = external_tensor("w", [2, 3], "absent.bin", 0)
save("missing_external", [helper.make_node("Add", ["x", "w"], ["y"])], [x], [y],
     [ext], check=False)
save("no_outputs", [relu("x", "y")], [x], [], check=False)
model = save("valid", [relu("x", "y")], [x], [y])
data = model.SerializeToString()
with open(os.path.join(out, "truncated.onnx"), "wb") as f:
    f.write(data[: len(data) // 2])
with open(os.path.join(out, "garbage.onnx"), "wb") as f:
    f.write(b"\xff" * 64)

# --- valid models for import.test
# x.view(x.size(0), -1) as PyTorch exports it, then Gemm (Linear), names kept.
w = numpy_helper.from_array(np.full((4, 12), 0.5, np.float32), "fc.weight")
b = numpy_helper.from_array(np.zeros(4, np.float32), "fc.bias")
save("flatten_linear", [
    helper.make_node("Shape", ["image"], ["shape"]),
    helper.make_node("Constant", [], ["zero"],
                     value=helper.make_tensor("zero", TensorProto.INT64, [], [0])),
    helper.make_node("Gather", ["shape", "zero"], ["batch"], axis=0),
    helper.make_node("Unsqueeze", ["batch", "axes"], ["batch1"]),
    helper.make_node("Concat", ["batch1", "minus1"], ["target"], axis=0),
    helper.make_node("Reshape", ["image", "target"], ["flat"]),
    helper.make_node("Gemm", ["flat", "fc.weight", "fc.bias"], ["logits"],
                     transB=1),
], [tensor("image", [2, 3, 2, 2])], [tensor("logits", [2, 4])],
    [w, b, numpy_helper.from_array(np.array([0], np.int64), "axes"),
     numpy_helper.from_array(np.array([-1], np.int64), "minus1")])
# External data beside the model.
weights = np.arange(6, dtype=np.float32).reshape(2, 3)
with open(os.path.join(out, "weights.bin"), "wb") as f:
    f.write(b"\0" * 16 + weights.tobytes())
ext = external_tensor("w", [2, 3], "weights.bin", 16)
save("external", [helper.make_node("Add", ["x", "w"], ["y"])], [x], [y], [ext],
     check=False)
# A 16 KiB weight: elided when printed, kept with -o.
big = np.random.RandomState(0).standard_normal((64, 64)).astype(np.float32)
np.save(os.path.join(out, "big_weight.npy"), big)
save("big_weight", [helper.make_node("MatMul", ["x", "w"], ["y"])],
     [tensor("x", [1, 64])], [tensor("y", [1, 64])],
     [numpy_helper.from_array(big, "w")])

# --- more errors: bad attributes and shapes reach one diagnostic each
v = tensor("v", [2, 3, 4])
save("softmax_axis", [helper.make_node("Softmax", ["v"], ["o"], name="sm", axis=5)],
     [v], [tensor("o", [2, 3, 4])], check=False)
save("reshape_count", [helper.make_node("Reshape", ["v", "s"], ["o"], name="rs")],
     [v], [tensor("o", [5, 5])],
     [numpy_helper.from_array(np.array([5, 5], np.int64), "s")], check=False)
save("pad_mode", [helper.make_node("Pad", ["v", "p"], ["o"], name="pad",
                                   mode="wrap")],
     [v], [tensor("o", [2, 3, 6])],
     [numpy_helper.from_array(np.array([0, 0, 1, 0, 0, 1], np.int64), "p")],
     check=False)
save("gemm_rank", [helper.make_node("Gemm", ["v", "w"], ["o"], name="gemm")],
     [v, tensor("w", [4, 2])], [tensor("o", [2, 2])], check=False)
save("conv_channels", [helper.make_node("Conv", ["i", "w"], ["o"], name="conv")],
     [tensor("i", [1, 2, 4, 4]), tensor("w", [1, 3, 3, 3])],
     [tensor("o", [1, 1, 2, 2])], check=False)
save("conv_4d", [helper.make_node("Conv", ["i", "w"], ["o"], name="conv")],
     [tensor("i", [1, 1, 3, 3, 3, 3]), tensor("w", [1, 1, 1, 1, 1, 1])],
     [tensor("o", [1, 1, 3, 3, 3, 3])], check=False)
# Before opset 7, operands of different shapes need broadcast=1.
save("legacy_broadcast", [helper.make_node("Add", ["x", "b"], ["y"], name="add")],
     [x, tensor("b", [3])], [y], opset=6, check=False)
save("legacy_axis", [helper.make_node("Add", ["x", "b"], ["y"], name="add",
                                      broadcast=1, axis=1)],
     [x, tensor("b", [3, 1])], [y], opset=6, check=False)

# Errors of the less common ops.
img = tensor("img", [1, 1, 4, 4])
scales = numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "scales")
save("resize_antialias", [helper.make_node("Resize", ["img", "", "scales"], ["o"],
                                           name="resize", antialias=1)],
     [img], [tensor("o", [1, 1, 8, 8])], [scales], opset=18, check=False)
save("resize_mode", [helper.make_node("Resize", ["img", "", "scales"], ["o"],
                                      name="resize", mode="area")],
     [img], [tensor("o", [1, 1, 8, 8])], [scales], check=False)
save("resize_scales_count", [helper.make_node("Resize", ["img", "", "s2"], ["o"],
                                              name="resize")],
     [img], [tensor("o", [1, 1, 8, 8])],
     [numpy_helper.from_array(np.array([2, 2], np.float32), "s2")], check=False)
save("loss_target", [helper.make_node("NegativeLogLikelihoodLoss", ["v", "t"], ["o"],
                                      name="nll")],
     [v, tensor("t", [2, 5], TensorProto.INT64)], [tensor("o", [])], check=False)
save("quantize_int16", [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["o"],
                                         name="q")],
     [x], [tensor("o", [2, 3], TensorProto.INT16)],
     [numpy_helper.from_array(np.array(0.5, np.float32), "s"),
      numpy_helper.from_array(np.array(0, np.int16), "z")], check=False)
save("onehot_values", [helper.make_node("OneHot", ["i", "depth", "vals"], ["o"],
                                        name="onehot")],
     [tensor("i", [3], TensorProto.INT64)], [tensor("o", [3, 4])],
     [numpy_helper.from_array(np.array(4, np.int64), "depth"),
      numpy_helper.from_array(np.array([0, 1, 2], np.float32), "vals")],
     check=False)
save("gather_elements_rank", [helper.make_node("GatherElements", ["v", "i"], ["o"],
                                               name="ge")],
     [v, tensor("i", [2, 3], TensorProto.INT64)], [tensor("o", [2, 3])],
     check=False)
save("logic_types", [helper.make_node("And", ["x", "y"], ["o"], name="and")],
     [x, y], [tensor("o", [2, 3], TensorProto.BOOL)], check=False)

save("pool_zero_stride", [helper.make_node("MaxPool", ["img"], ["o"], name="pool",
                                          kernel_shape=[2, 2], strides=[0, 1],
                                          auto_pad="SAME_UPPER")],
     [img], [tensor("o", [1, 1, 4, 4])], check=False)

# A transposed convolution whose kernel has 100,000 rows: its im2col patch
# buffer would take 600 terabytes.
save("huge_buffer", [helper.make_node("ConvTranspose", ["i", "w"], ["o"],
                                      name="deconv")],
     [tensor("i", [1, 1, 4, 5000]), tensor("w", [1, 1, 100000, 3])],
     [tensor("o", [1, 1, 100003, 5002])])

# --- --bind and specialization (bind.test): a Reshape whose shape is a
# graph input, and its value.
save("reshape_input", [helper.make_node("Reshape", ["x", "shape"], ["y"],
                                        name="reshape")],
     [x, tensor("shape", [2], TensorProto.INT64)], [tensor("y", [3, 2])])
np.save(os.path.join(out, "shape.npy"), np.array([3, 2], np.int64))
np.save(os.path.join(out, "shape_int32.npy"), np.array([3, 2], np.int32))
np.save(os.path.join(out, "x.npy"), np.arange(6, dtype=np.float32).reshape(2, 3))
