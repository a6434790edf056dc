"""Writes the hostile ONNX models of hostile.test into a directory: what a
probe found to crash the importer or be misread silently (no-input variadic
ops, attributes of the wrong type, extra inputs, impossible splits, external
data through a symbolic link, a huge constant). Built with onnx.helper,
without the checker (it would reject most of them)."""

import os
import sys

import numpy as np
from onnx import AttributeProto, TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def tensor(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def save(name, nodes, inputs, outputs, inits=(), opset=13):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())


def attribute(name, kind, value):
    """An attribute of the given AttributeProto type, whatever the schema
    says it should be."""
    a = AttributeProto()
    a.name = name
    a.type = kind
    if kind == AttributeProto.FLOAT:
        a.f = value
    elif kind == AttributeProto.INT:
        a.i = value
    elif kind == AttributeProto.STRING:
        a.s = value.encode()
    elif kind == AttributeProto.INTS:
        a.ints.extend(value)
    return a


def node(op, inputs, outputs, name, *attributes, **kwargs):
    n = helper.make_node(op, inputs, outputs, name=name, **kwargs)
    n.attribute.extend(attributes)
    return n


x = tensor("x", [2, 3])
y = tensor("y", [2, 3])

# Variadic ops without inputs (Concat crashed the importer).
save("concat_no_inputs", [node("Concat", [], ["y"], "cat", axis=0)], [x], [y])
save("concat_no_inputs_18", [node("Concat", [], ["y"], "cat", axis=0)], [x],
     [y], opset=18)
save("sum_no_inputs", [node("Sum", [], ["y"], "sum")], [x], [y])

# Attributes of the wrong type (they read as their defaults).
save("softmax_axis_float", [node("Softmax", ["x"], ["y"], "sm",
                                 attribute("axis", AttributeProto.FLOAT, 0.0))],
     [x], [y])
save("leakyrelu_alpha_int", [node("LeakyRelu", ["x"], ["y"], "lrelu",
                                  attribute("alpha", AttributeProto.INT, 2))],
     [x], [y])
save("shrink_lambd_ints", [node("Shrink", ["x"], ["y"], "shrink",
                                attribute("lambd", AttributeProto.INTS, [1, 2]))],
     [x], [y])
save("cast_to_string", [node("Cast", ["x"], ["y"], "cast",
                             attribute("to", AttributeProto.STRING, "FLOAT"))],
     [x], [y])
save("gemm_transb_float", [node("Gemm", ["x", "w"], ["y"], "gemm",
                                attribute("transB", AttributeProto.FLOAT, 1.0))],
     [x], [tensor("y", [2, 2])],
     [numpy_helper.from_array(np.ones((2, 3), np.float32), "w")])
save("duplicate_attribute", [node("Softmax", ["x"], ["y"], "sm",
                                  attribute("axis", AttributeProto.INT, 0),
                                  attribute("axis", AttributeProto.INT, 1))],
     [x], [y])
save("unknown_attribute", [node("Relu", ["x"], ["y"], "relu",
                                attribute("slope", AttributeProto.FLOAT, 0.5))],
     [x], [y])
save("missing_required", [node("Cast", ["x"], ["y"], "cast")], [x], [y])

# Arity.
save("relu_two_inputs", [node("Relu", ["x", "x"], ["y"], "relu")], [x], [y])

# Splits with more outputs than rows.
save("split_uneven", [node("Split", ["x"], ["a", "b", "c"], "split", axis=0)],
     [x], [tensor("a", [1, 3]), tensor("b", [1, 3]), tensor("c", [0, 3])])
save("split_too_many_18", [node("Split", ["x"], ["a", "b", "c"], "split",
                                axis=0, num_outputs=3)],
     [x], [tensor("a", [1, 3]), tensor("b", [1, 3]), tensor("c", [0, 3])],
     opset=18)

# Shapes beyond what Kiln supports (2^40 elements) and impossible shapes.
save("huge_input", [node("Relu", ["x"], ["y"], "relu")],
     [tensor("x", [1 << 21, 1 << 21])], [tensor("y", [1 << 21, 1 << 21])])
save("reshape_huge", [node("Reshape", ["x", "shape"], ["y"], "reshape")],
     [x], [tensor("y", [1 << 30, 1 << 30, 6])],
     [numpy_helper.from_array(np.array([1 << 30, 1 << 30, 6], np.int64),
                              "shape")])
save("negative_constant_shape", [
    node("ConstantOfShape", ["shape"], ["y"], "fill")],
    [], [tensor("y", [2, 3])],
    [numpy_helper.from_array(np.array([-2, 3], np.int64), "shape")])
save("split_num_outputs_18", [node("Split", ["x"], ["a", "b", "c"], "split",
                                   axis=1, num_outputs=2)],
     [x], [tensor("a", [2, 1]), tensor("b", [2, 1]), tensor("c", [2, 1])],
     opset=18)

# A constant of 2^40 floats (4.4 TB, more than any machine has), read by an
# op that needs it in memory (ArgMax: scalar loops): rejected when compiled,
# not written.
big = helper.make_tensor("value", TensorProto.FLOAT, [1], [1.0])
save("huge_constant", [
    node("ConstantOfShape", ["shape"], ["c"], "fill", value=big),
    node("ArgMax", ["c"], ["y"], "argmax", axis=1, keepdims=0)],
    [], [tensor("y", [1 << 20], TensorProto.INT64)],
    [numpy_helper.from_array(np.array([1 << 20, 1 << 20], np.int64), "shape")])

# External data through a symbolic link to a file outside the model's
# directory.
secret = os.path.join(out, "outside", "secret.bin")
os.makedirs(os.path.join(out, "outside"), exist_ok=True)
os.makedirs(os.path.join(out, "model"), exist_ok=True)
np.ones(6, np.float32).tofile(secret)
link = os.path.join(out, "model", "weights.bin")
if os.path.lexists(link):
    os.remove(link)
os.symlink(os.path.abspath(secret), link)
w = TensorProto()
w.name = "w"
w.data_type = TensorProto.FLOAT
w.dims.extend([2, 3])
w.data_location = TensorProto.EXTERNAL
for key, value in (("location", "weights.bin"), ("offset", "0"),
                   ("length", "24")):
    entry = w.external_data.add()
    entry.key, entry.value = key, value
graph = helper.make_graph([node("Add", ["x", "w"], ["y"], "add")], "linked",
                          [x], [y], [w])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
with open(os.path.join(out, "model", "linked.onnx"), "wb") as f:
    f.write(model.SerializeToString())
