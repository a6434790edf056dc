"""The ONNX importer, op by op: small ONNX graphs built with onnx.helper,
imported and run by kiln-run, against numpy references (rtol 1e-5,
atol 1e-6 unless noted), across the opset versions whose semantics
differ."""

import numpy as np
import pytest
from onnx import helper

from kiln_e2e import assert_close, rng
from onnx_models import make_model, run_onnx, run_single_node, torch_conv

R = rng(42)


def rand(*shape, positive=False):
    x = R.standard_normal(shape)
    return np.asarray(np.abs(x) + 0.1 if positive else x, np.float32)


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# ---------------------------------------------------------------- activations

@pytest.mark.parametrize("op,ref,attrs", [
    ("Relu", lambda x: np.maximum(x, 0), {}),
    ("Sigmoid", lambda x: 1 / (1 + np.exp(-x)), {}),
    ("Tanh", np.tanh, {}),
    ("LeakyRelu", lambda x: np.where(x > 0, x, 0.2 * x), {"alpha": 0.2}),
    ("HardSigmoid", lambda x: np.clip(0.3 * x + 0.4, 0, 1),
     {"alpha": 0.3, "beta": 0.4}),
    ("HardSwish", lambda x: x * np.clip(x / 6 + 0.5, 0, 1), {}),
    ("Abs", np.abs, {}), ("Neg", np.negative, {}), ("Exp", np.exp, {}),
])
def test_unary(op, ref, attrs):
    x = rand(2, 3, 5)
    y = run_single_node(op, {"x": x}, x.shape, attrs, opset=14)
    assert_close(y, ref(x).astype(np.float32))


@pytest.mark.parametrize("op,ref", [
    ("Sqrt", np.sqrt), ("Log", np.log), ("Reciprocal", lambda x: 1 / x)])
def test_unary_positive(op, ref):
    x = rand(4, 7, positive=True)
    assert_close(run_single_node(op, {"x": x}, x.shape), ref(x))


def test_prelu():
    x, slope = rand(2, 4, 3, 3), rand(4, 1, 1)
    y = run_single_node("PRelu", {"x": x}, x.shape, initializers=[("s", slope)])
    assert_close(y, np.where(x > 0, x, slope * x))


def test_clip_attributes_opset6():
    x = rand(3, 8)
    y = run_single_node("Clip", {"x": x}, x.shape, {"min": -0.5, "max": 0.25},
                        opset=6)
    assert_close(y, np.clip(x, -0.5, 0.25))


def test_clip_inputs_opset13():
    x = rand(3, 8)
    y = run_single_node("Clip", {"x": x}, x.shape,
                        initializers=[("lo", np.array(-0.3, np.float32)),
                                      ("hi", np.array(0.6, np.float32))])
    assert_close(y, np.clip(x, -0.3, 0.6))
    # Omitted min (an empty input name): only the upper bound.
    node = helper.make_node("Clip", ["x", "", "hi"], ["y"])
    model = make_model([node], {"x": x}, {"y": (np.float32, x.shape)},
                       [("hi", np.array(0.6, np.float32))])
    assert_close(run_onnx(model, [x])[0], np.minimum(x, 0.6))


@pytest.mark.parametrize("op", ["Softmax", "LogSoftmax"])
@pytest.mark.parametrize("opset,axis", [(11, 1), (11, -1), (13, 1), (13, -1)])
def test_softmax_semantics(op, opset, axis):
    x = rand(2, 3, 4)
    y = run_single_node(op, {"x": x}, x.shape, {"axis": axis}, opset=opset)
    if opset < 13:
        # Opset 1-12: over the input flattened to 2-D at `axis`.
        a = axis % 3
        flat = x.reshape(int(np.prod(x.shape[:a])), -1)
        ref = softmax(flat, 1).reshape(x.shape)
    else:
        ref = softmax(x, axis)
    assert_close(y, np.log(ref) if op == "LogSoftmax" else ref, atol=1e-5)


def test_dropout_and_identity_are_identity():
    x = rand(2, 6)
    nodes = [helper.make_node("Dropout", ["x"], ["d"], ratio=0.5),
             helper.make_node("Identity", ["d"], ["y"])]
    model = make_model(nodes, {"x": x}, {"y": (np.float32, x.shape)}, opset=10)
    assert_close(run_onnx(model, [x])[0], x)


# ----------------------------------------------------------------- arithmetic

@pytest.mark.parametrize("op,ref", [
    ("Add", np.add), ("Sub", np.subtract), ("Mul", np.multiply),
    ("Div", np.divide)])
@pytest.mark.parametrize("shapes", [((2, 3, 4), (2, 3, 4)), ((2, 3, 4), (4,)),
                                    ((2, 1, 4), (3, 1)), ((2, 3, 4), ())])
def test_binary_broadcast(op, ref, shapes):
    a, b = rand(*shapes[0]), rand(*shapes[1], positive=True)
    out = np.broadcast_shapes(a.shape, b.shape)
    y = run_single_node(op, {"a": a, "b": b}, out)
    assert_close(y, ref(a, b).astype(np.float32))


def test_pow():
    a, b = rand(3, 4, positive=True), rand(4)
    assert_close(run_single_node("Pow", {"a": a, "b": b}, (3, 4)),
                 np.power(a, b), rtol=1e-4)


@pytest.mark.parametrize("op,ref", [
    ("Sum", lambda *x: x[0] + x[1] + x[2]),
    ("Max", lambda *x: np.maximum(np.maximum(x[0], x[1]), x[2])),
    ("Min", lambda *x: np.minimum(np.minimum(x[0], x[1]), x[2])),
    ("Mean", lambda *x: (x[0] + x[1] + x[2]) / 3)])
def test_variadic(op, ref):
    xs = {"a": rand(2, 3), "b": rand(3), "c": rand(2, 1)}
    assert_close(run_single_node(op, xs, (2, 3)), ref(*xs.values()))


# -------------------------------------------------------- convolution, linear

@pytest.mark.parametrize("attrs,w_shape", [
    ({}, (4, 3, 3, 3)),
    ({"pads": [1, 2, 1, 0], "strides": [2, 1]}, (4, 3, 3, 3)),
    ({"dilations": [2, 2], "pads": [2, 2, 2, 2]}, (5, 3, 3, 3)),
    ({"group": 3, "pads": [1, 1, 1, 1]}, (6, 1, 3, 3)),   # depthwise x2
    ({"auto_pad": "SAME_UPPER", "strides": [2, 2]}, (4, 3, 4, 4)),
    ({"auto_pad": "SAME_LOWER"}, (4, 3, 2, 2)),
    ({"auto_pad": "VALID"}, (2, 3, 5, 5)),
])
def test_conv2d(attrs, w_shape):
    import torch
    x, w, b = rand(2, 3, 9, 9), rand(*w_shape), rand(w_shape[0])
    ref = torch_conv(torch, x, w, b, attrs)
    y = run_single_node("Conv", {"x": x}, ref.shape, attrs,
                        initializers=[("w", w), ("b", b)])
    assert_close(y, ref, rtol=1e-4, atol=1e-5)


def test_conv1d():
    import torch
    x, w, b = rand(2, 4, 20), rand(6, 4, 5), rand(6)
    attrs = {"pads": [2, 1], "strides": [2]}
    ref = torch_conv(torch, x, w, b, attrs)
    y = run_single_node("Conv", {"x": x}, ref.shape, attrs,
                        initializers=[("w", w), ("b", b)])
    assert_close(y, ref, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("attrs,c_shape", [
    ({"transB": 1}, (5,)),                           # PyTorch's Linear
    ({}, (3, 5)),
    ({"transA": 1, "alpha": 0.5, "beta": 2.0}, (1, 5)),
    ({"transA": 1, "transB": 1, "alpha": 1.5}, None),
])
def test_gemm(attrs, c_shape):
    a = rand(4, 3) if attrs.get("transA") else rand(3, 4)
    b = rand(5, 4) if attrs.get("transB") else rand(4, 5)
    inits = [("b", b)] + ([("c", rand(*c_shape))] if c_shape else [])
    y = run_single_node("Gemm", {"a": a}, (3, 5), attrs, initializers=inits)
    aa = a.T if attrs.get("transA") else a
    bb = b.T if attrs.get("transB") else b
    ref = attrs.get("alpha", 1.0) * aa @ bb
    if c_shape:
        ref = ref + attrs.get("beta", 1.0) * inits[1][1]
    assert_close(y, ref.astype(np.float32), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("shapes", [((3, 4), (4, 5)), ((2, 3, 4), (4, 5)),
                                    ((2, 3, 4), (2, 4, 5)), ((4,), (4, 5)),
                                    ((2, 3, 4), (4,))])
def test_matmul(shapes):
    a, b = rand(*shapes[0]), rand(*shapes[1])
    ref = np.matmul(a, b)
    y = run_single_node("MatMul", {"a": a, "b": b}, ref.shape)
    assert_close(y, ref, rtol=1e-4, atol=1e-5)


# -------------------------------------------------------------- normalization

def test_batch_norm():
    x = rand(2, 3, 4, 4)
    s, b, m, v = rand(3), rand(3), rand(3), rand(3, positive=True)
    y = run_single_node("BatchNormalization", {"x": x}, x.shape,
                        {"epsilon": 1e-3},
                        initializers=[("s", s), ("b", b), ("m", m), ("v", v)])
    c = lambda t: t.reshape(1, 3, 1, 1)  # noqa: E731
    ref = (x - c(m)) / np.sqrt(c(v) + 1e-3) * c(s) + c(b)
    assert_close(y, ref, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("axis", [-1, 1])
def test_layer_norm(axis):
    x = rand(2, 3, 8)
    shape = x.shape[axis:] if axis >= 0 else x.shape[-1:]
    g, b = rand(*shape), rand(*shape)
    y = run_single_node("LayerNormalization", {"x": x}, x.shape,
                        {"axis": axis, "epsilon": 1e-5},
                        initializers=[("g", g), ("b", b)], opset=17)
    axes = tuple(range(axis % 3, 3))
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    assert_close(y, (x - mean) / np.sqrt(var + 1e-5) * g + b, rtol=1e-4,
                 atol=1e-5)


# -------------------------------------------------------------------- pooling

@pytest.mark.parametrize("op,attrs", [
    ("MaxPool", {"kernel_shape": [2, 2], "strides": [2, 2]}),
    ("MaxPool", {"kernel_shape": [3, 3], "strides": [2, 2],
                 "pads": [1, 1, 1, 1]}),
    ("MaxPool", {"kernel_shape": [3, 3], "strides": [2, 2], "ceil_mode": 1}),
    ("AveragePool", {"kernel_shape": [3, 3], "pads": [1, 1, 1, 1]}),
    ("AveragePool", {"kernel_shape": [3, 3], "pads": [1, 1, 1, 1],
                     "count_include_pad": 1}),
    ("AveragePool", {"kernel_shape": [2, 2], "auto_pad": "SAME_UPPER"}),
])
def test_pool(op, attrs):
    import torch
    x = rand(2, 3, 8, 8)
    f = torch.nn.functional
    xt = torch.from_numpy(x)
    pads = attrs.get("pads", [0, 0, 0, 0])
    k, s = attrs["kernel_shape"], attrs.get("strides", [1, 1])
    if attrs.get("auto_pad") == "SAME_UPPER":
        # 8x8, kernel 2, stride 1: one row/column at the end.
        pads = [0, 0, 1, 1]
    if op == "MaxPool":
        xt = f.pad(xt, [pads[1], pads[3], pads[0], pads[2]],
                   value=-float("inf"))
        ref = f.max_pool2d(xt, k, s, ceil_mode=bool(attrs.get("ceil_mode")))
    elif attrs.get("count_include_pad"):
        ref = f.avg_pool2d(f.pad(xt, [pads[1], pads[3], pads[0], pads[2]]), k, s)
    else:
        ones = f.pad(torch.ones_like(xt), [pads[1], pads[3], pads[0], pads[2]])
        sums = f.avg_pool2d(f.pad(xt, [pads[1], pads[3], pads[0], pads[2]]),
                            k, s, divisor_override=1)
        ref = sums / f.avg_pool2d(ones, k, s, divisor_override=1)
    ref = ref.numpy()
    y = run_single_node(op, {"x": x}, ref.shape, attrs, opset=12)
    assert_close(y, ref, atol=1e-5)


def test_global_pools():
    x = rand(2, 5, 6, 7)
    assert_close(run_single_node("GlobalAveragePool", {"x": x}, (2, 5, 1, 1)),
                 x.mean(axis=(2, 3), keepdims=True), atol=1e-6)
    assert_close(run_single_node("GlobalMaxPool", {"x": x}, (2, 5, 1, 1)),
                 x.max(axis=(2, 3), keepdims=True))


# ----------------------------------------------------------------- reductions

@pytest.mark.parametrize("op,ref,opset,axes_as_input", [
    ("ReduceSum", np.sum, 11, False), ("ReduceSum", np.sum, 13, True),
    ("ReduceMean", np.mean, 13, False), ("ReduceMean", np.mean, 18, True),
    ("ReduceMax", np.max, 13, False), ("ReduceMax", np.max, 18, True)])
@pytest.mark.parametrize("keepdims", [0, 1])
def test_reduce(op, ref, opset, axes_as_input, keepdims):
    x = rand(2, 3, 4)
    axes = [0, -1]
    expected = ref(x, axis=(0, 2), keepdims=bool(keepdims))
    attrs = {"keepdims": keepdims}
    inits = []
    if axes_as_input:
        inits = [("axes", np.array(axes, np.int64))]
    else:
        attrs["axes"] = axes
    y = run_single_node(op, {"x": x}, expected.shape, attrs, initializers=inits,
                        opset=opset)
    assert_close(y, expected.astype(np.float32), rtol=1e-5, atol=1e-5)


# ---------------------------------------------------------- shapes, movement

def test_reshape_with_zero_and_minus_one():
    x = rand(2, 3, 4)
    y = run_single_node("Reshape", {"x": x}, (2, 12),
                        initializers=[("s", np.array([0, -1], np.int64))])
    assert_close(y, x.reshape(2, 12))


def test_shape_chain_folds_to_static_reshape():
    """Shape -> Gather -> Unsqueeze -> Concat -> Reshape, as PyTorch exports
    x.view(x.size(0), -1)."""
    x = rand(3, 4, 5)
    nodes = [
        helper.make_node("Shape", ["x"], ["shape"]),
        helper.make_node("Constant", [], ["zero"],
                         value=helper.make_tensor("zero", 7, [], [0])),
        helper.make_node("Gather", ["shape", "zero"], ["batch"], axis=0),
        helper.make_node("Unsqueeze", ["batch", "axes"], ["batch1"]),
        helper.make_node("Concat", ["batch1", "minus1"], ["target"], axis=0),
        helper.make_node("Reshape", ["x", "target"], ["y"]),
    ]
    model = make_model(nodes, {"x": x}, {"y": (np.float32, (3, 20))},
                       [("axes", np.array([0], np.int64)),
                        ("minus1", np.array([-1], np.int64))])
    assert_close(run_onnx(model, [x])[0], x.reshape(3, 20))


@pytest.mark.parametrize("axis", [0, 1, 2])
def test_flatten(axis):
    x = rand(2, 3, 4)
    out = (int(np.prod(x.shape[:axis])), -1)
    ref = x.reshape(out)
    assert_close(run_single_node("Flatten", {"x": x}, ref.shape,
                                 {"axis": axis}), ref)


def test_transpose():
    x = rand(2, 3, 4)
    assert_close(run_single_node("Transpose", {"x": x}, (4, 2, 3),
                                 {"perm": [2, 0, 1]}), x.transpose(2, 0, 1))
    assert_close(run_single_node("Transpose", {"x": x}, (4, 3, 2)), x.T)


@pytest.mark.parametrize("opset", [11, 13])
def test_squeeze_unsqueeze(opset):
    x = rand(2, 1, 3, 1)
    axes = [1, -1]
    if opset < 13:
        sq = run_single_node("Squeeze", {"x": x}, (2, 3), {"axes": axes},
                             opset=opset)
        un = run_single_node("Unsqueeze", {"x": x}, (1, 2, 1, 3, 1, 1),
                             {"axes": [0, 5]}, opset=opset)
    else:
        sq = run_single_node("Squeeze", {"x": x}, (2, 3), opset=opset,
                             initializers=[("a", np.array(axes, np.int64))])
        un = run_single_node("Unsqueeze", {"x": x}, (1, 2, 1, 3, 1, 1),
                             opset=opset,
                             initializers=[("a", np.array([0, 5], np.int64))])
    assert_close(sq, x.reshape(2, 3))
    assert_close(un, x.reshape(1, 2, 1, 3, 1, 1))
    # Without axes, every size-1 dimension goes.
    assert_close(run_single_node("Squeeze", {"x": x}, (2, 3), opset=opset),
                 x.reshape(2, 3))


def test_concat():
    a, b = rand(2, 3, 4), rand(2, 5, 4)
    assert_close(run_single_node("Concat", {"a": a, "b": b}, (2, 8, 4),
                                 {"axis": -2}), np.concatenate([a, b], 1))


@pytest.mark.parametrize("opset", [11, 13, 18])
def test_split(opset):
    x = rand(2, 7)
    names = ["p", "q", "r"]
    if opset == 18:
        node = helper.make_node("Split", ["x"], names, axis=1, num_outputs=3)
        expected = [x[:, :3], x[:, 3:6], x[:, 6:]]
        inits = []
    elif opset == 13:
        node = helper.make_node("Split", ["x", "split"], names, axis=1)
        inits = [("split", np.array([2, 4, 1], np.int64))]
        expected = [x[:, :2], x[:, 2:6], x[:, 6:]]
    else:
        node = helper.make_node("Split", ["x"], names, axis=1, split=[2, 4, 1])
        inits = []
        expected = [x[:, :2], x[:, 2:6], x[:, 6:]]
    model = make_model([node], {"x": x},
                       {n: (np.float32, e.shape) for n, e in zip(names, expected)},
                       inits, opset)
    for y, e in zip(run_onnx(model, [x], num_outputs=3), expected):
        assert_close(y, e)


@pytest.mark.parametrize("opset", [9, 13])
def test_slice(opset):
    x = rand(5, 6, 7)
    starts, ends, axes = [1, -4], [100, -1], [0, 2]
    ref = x[1:, :, -4:-1]
    if opset < 10:
        y = run_single_node("Slice", {"x": x}, ref.shape,
                            {"starts": starts, "ends": ends, "axes": axes},
                            opset=opset)
    else:
        steps = [2, 1]
        ref = x[1::2, :, -4:-1]
        y = run_single_node(
            "Slice", {"x": x}, ref.shape, opset=opset,
            initializers=[("s", np.array(starts, np.int64)),
                          ("e", np.array(ends, np.int64)),
                          ("a", np.array(axes, np.int64)),
                          ("t", np.array(steps, np.int64))])
    assert_close(y, ref)


def test_gather():
    x = rand(4, 5, 3)
    idx = np.array([[0, 4], [2, -1]], np.int64)
    ref = np.take(x, idx, axis=1)
    y = run_single_node("Gather", {"x": x}, ref.shape, {"axis": 1},
                        initializers=[("i", idx)])
    assert_close(y, ref)


def test_expand():
    x = rand(3, 1)
    y = run_single_node("Expand", {"x": x}, (2, 3, 4),
                        initializers=[("s", np.array([2, 1, 4], np.int64))])
    assert_close(y, np.broadcast_to(x, (2, 3, 4)))


@pytest.mark.parametrize("mode", ["constant", "reflect", "edge"])
@pytest.mark.parametrize("opset", [10, 13])
def test_pad(mode, opset):
    x = rand(1, 2, 4, 5)
    pads = [0, 0, 1, 2, 0, 0, 2, 1]
    width = [(pads[i], pads[i + 4]) for i in range(4)]
    ref = (np.pad(x, width, mode="constant", constant_values=1.5)
           if mode == "constant" else np.pad(x, width, mode=mode))
    if opset < 11:
        y = run_single_node("Pad", {"x": x}, ref.shape,
                            {"pads": pads, "mode": mode, "value": 1.5},
                            opset=opset)
    else:
        y = run_single_node("Pad", {"x": x}, ref.shape, {"mode": mode},
                            opset=opset,
                            initializers=[("p", np.array(pads, np.int64)),
                                          ("v", np.array(1.5, np.float32))])
    assert_close(y, ref)


def test_constant_of_shape_cast_and_constants():
    """Known values flow: Constant(value_floats) + ConstantOfShape(shape of
    x, 2.0) after a Cast of a known int list; the graph adds them to x."""
    x = rand(2, 3)
    nodes = [
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Cast", ["s"], ["s32"], to=6),
        helper.make_node("Cast", ["s32"], ["s64"], to=7),
        helper.make_node("ConstantOfShape", ["s64"], ["twos"],
                         value=helper.make_tensor("v", 1, [1], [2.0])),
        helper.make_node("Constant", [], ["c"], value_floats=[1.0, 2.0, 3.0]),
        helper.make_node("Add", ["x", "twos"], ["t"]),
        helper.make_node("Add", ["t", "c"], ["y"]),
    ]
    model = make_model(nodes, {"x": x}, {"y": (np.float32, x.shape)})
    assert_close(run_onnx(model, [x])[0], x + 2 + np.array([1, 2, 3], np.float32))


def test_graph_names_and_initializer_inputs():
    """Initializers listed as graph inputs (IR < 4 style) are constants, not
    arguments; the entry point keeps the graph's input and output names."""
    x, w = rand(2, 4), rand(4, 3)
    node = helper.make_node("MatMul", ["image", "w"], ["scores"])
    model = make_model([node], {"image": x, "w": w},
                       {"scores": (np.float32, (2, 3))}, [("w", w)])
    (y,) = run_onnx(model, [x])
    assert_close(y, x @ w, rtol=1e-5, atol=1e-5)


# ------------------------------------- composites of nn ops (no nn op of their own)

def erf(x):
    import math
    return np.vectorize(math.erf)(x.astype(np.float64)).astype(np.float32)


def elu(x, alpha):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


@pytest.mark.parametrize("op,ref,attrs,opset", [
    ("Elu", lambda x: elu(x, 0.7), {"alpha": 0.7}, 13),
    ("Selu", lambda x: 1.0507 * elu(x, 1.67326), {}, 13),
    ("Celu", lambda x: np.maximum(0, x) + np.minimum(0, 2 * np.expm1(x / 2)),
     {"alpha": 2.0}, 13),
    ("Softplus", lambda x: np.logaddexp(0, x), {}, 13),
    ("Softsign", lambda x: x / (1 + np.abs(x)), {}, 13),
    ("Erf", erf, {}, 13),
    ("Floor", np.floor, {}, 13), ("Ceil", np.ceil, {}, 13),
    ("Round", np.round, {}, 13),
])
def test_more_unary(op, ref, attrs, opset):
    # Large magnitudes too: Softplus must not overflow.
    x = np.concatenate([rand(40) * 3, np.array([-100, 100, 0.5, -2.5], np.float32)])
    y = run_single_node(op, {"x": x}, x.shape, attrs, opset=opset)
    assert_close(y, ref(x).astype(np.float32), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("op,ref", [
    ("ReduceMin", lambda x, a, k: x.min(axis=a, keepdims=k)),
    ("ReduceSumSquare", lambda x, a, k: (x * x).sum(axis=a, keepdims=k)),
    ("ReduceL1", lambda x, a, k: np.abs(x).sum(axis=a, keepdims=k)),
    ("ReduceL2", lambda x, a, k: np.sqrt((x * x).sum(axis=a, keepdims=k))),
    ("ReduceLogSum", lambda x, a, k: np.log(np.abs(x).sum(axis=a, keepdims=k))),
    ("ReduceLogSumExp",
     lambda x, a, k: np.log(np.exp(x.astype(np.float64)).sum(axis=a, keepdims=k))),
])
@pytest.mark.parametrize("keepdims", [0, 1])
def test_more_reductions(op, ref, keepdims):
    x = rand(3, 4, 5) * 4
    if op == "ReduceLogSum":
        x = np.abs(x) + 0.1
    expected = ref(x, (1,), bool(keepdims)).astype(np.float32)
    y = run_single_node(op, {"x": x}, expected.shape,
                        {"axes": [1], "keepdims": keepdims}, opset=13)
    assert_close(y, expected, rtol=1e-5, atol=1e-5)


def test_instance_norm():
    x, s, b = rand(2, 3, 4, 5), rand(3), rand(3)
    y = run_single_node("InstanceNormalization", {"x": x}, x.shape,
                        {"epsilon": 1e-4}, initializers=[("s", s), ("b", b)])
    mean = x.mean(axis=(2, 3), keepdims=True)
    var = x.var(axis=(2, 3), keepdims=True)
    ref = (x - mean) / np.sqrt(var + 1e-4) * s.reshape(1, 3, 1, 1) + \
        b.reshape(1, 3, 1, 1)
    assert_close(y, ref, rtol=1e-4, atol=1e-5)


def test_tile_and_size():
    x = rand(2, 3)
    y = run_single_node("Tile", {"x": x}, (4, 9),
                        initializers=[("r", np.array([2, 3], np.int64))])
    assert_close(y, np.tile(x, (2, 3)))
    nodes = [helper.make_node("Size", ["x"], ["n"]),
             helper.make_node("Cast", ["n"], ["nf"], to=1),
             helper.make_node("Mul", ["x", "nf"], ["y"])]
    model = make_model(nodes, {"x": x}, {"y": (np.float32, x.shape)})
    assert_close(run_onnx(model, [x])[0], x * 6)


@pytest.mark.parametrize("mode", ["DCR", "CRD"])
def test_depth_to_space(mode):
    x = rand(1, 8, 2, 3)
    b = 2
    n, c, h, w = x.shape
    if mode == "DCR":
        ref = x.reshape(n, b, b, c // 4, h, w).transpose(0, 3, 4, 1, 5, 2)
    else:
        ref = x.reshape(n, c // 4, b, b, h, w).transpose(0, 1, 4, 2, 5, 3)
    ref = ref.reshape(n, c // 4, h * b, w * b)
    y = run_single_node("DepthToSpace", {"x": x}, ref.shape,
                        {"blocksize": b, "mode": mode})
    assert_close(y, ref)


def test_space_to_depth():
    x = rand(1, 2, 4, 6)
    n, c, h, w = x.shape
    ref = x.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 3, 5, 1, 2, 4)
    ref = ref.reshape(n, c * 4, h // 2, w // 2)
    assert_close(run_single_node("SpaceToDepth", {"x": x}, ref.shape,
                                 {"blocksize": 2}), ref)


# ------------------------------------------- comparisons, Where, Cast on data

@pytest.mark.parametrize("op,ref,opset", [
    ("Equal", np.equal, 13), ("Less", np.less, 13), ("Greater", np.greater, 13),
    ("LessOrEqual", np.less_equal, 16), ("GreaterOrEqual", np.greater_equal, 16)])
def test_compare_computed(op, ref, opset):
    a = np.round(rand(3, 4) * 2)
    b = np.round(rand(4) * 2)
    y = run_single_node(op, {"a": a, "b": b}, (3, 4), opset=opset,
                        output_dtype=np.bool_)
    assert (y == ref(a, b)).all()


def test_where_not_and_casts_of_computed_tensors():
    """A masked fill as transformer exports have it: Where(Not(x > 0), -1, x),
    then the mask cast to float and added."""
    x = rand(2, 5)
    nodes = [
        helper.make_node("Greater", ["x", "zero"], ["positive"]),
        helper.make_node("Not", ["positive"], ["negative"]),
        helper.make_node("Where", ["negative", "minus1", "x"], ["filled"]),
        helper.make_node("Cast", ["positive"], ["ones"], to=1),
        helper.make_node("Add", ["filled", "ones"], ["y"]),
    ]
    model = make_model(nodes, {"x": x}, {"y": (np.float32, x.shape)},
                       [("zero", np.array(0, np.float32)),
                        ("minus1", np.array(-1, np.float32))])
    ref = np.where(~(x > 0), -1, x) + (x > 0).astype(np.float32)
    assert_close(run_onnx(model, [x])[0], ref.astype(np.float32))


def test_cast_float_to_int_truncates():
    x = np.array([[-2.7, -0.5, 0.4, 3.9]], np.float32)
    node = helper.make_node("Cast", ["x"], ["y"], to=7)
    model = make_model([node], {"x": x}, {"y": (np.int64, x.shape)})
    assert (run_onnx(model, [x])[0] == x.astype(np.int64)).all()


def test_layer_norm_statistics_outputs():
    x = rand(2, 3, 8)
    g, b = rand(8), rand(8)
    node = helper.make_node("LayerNormalization", ["x", "g", "b"],
                            ["y", "mean", "invstd"], axis=-1, epsilon=1e-5)
    model = make_model([node], {"x": x},
                       {"y": (np.float32, x.shape), "mean": (np.float32, (2, 3, 1)),
                        "invstd": (np.float32, (2, 3, 1))},
                       [("g", g), ("b", b)], opset=17)
    y, mean, invstd = run_onnx(model, [x], num_outputs=3)
    m = x.mean(axis=-1, keepdims=True)
    v = x.var(axis=-1, keepdims=True)
    assert_close(mean, m, atol=1e-6)
    assert_close(invstd, 1 / np.sqrt(v + 1e-5), rtol=1e-4)
    assert_close(y, (x - m) / np.sqrt(v + 1e-5) * g + b, rtol=1e-4, atol=1e-5)


def test_dropout_mask_is_all_true():
    x = rand(3, 4)
    node = helper.make_node("Dropout", ["x"], ["y", "mask"])
    model = make_model([node], {"x": x}, {"y": (np.float32, x.shape),
                                          "mask": (np.bool_, x.shape)})
    y, mask = run_onnx(model, [x], num_outputs=2)
    assert_close(y, x)
    assert mask.dtype == np.bool_ and mask.all()


def test_pow_with_integer_exponent():
    a = rand(3, 4, positive=True)
    e = np.array([2, 3, 0, 1], np.int64)
    y = run_single_node("Pow", {"a": a}, a.shape, initializers=[("e", e)])
    assert_close(y, (a ** e).astype(np.float32), rtol=1e-5)


@pytest.mark.parametrize("keepdims", [0, 1])
def test_reduce_prod(keepdims):
    x = R.uniform(0.5, 1.5, (3, 4, 2)).astype(np.float32)
    ref = x.prod(axis=(0, 2), keepdims=bool(keepdims))
    y = run_single_node("ReduceProd", {"x": x}, ref.shape,
                        {"axes": [0, 2], "keepdims": keepdims}, opset=13)
    assert_close(y, ref, rtol=1e-5)


@pytest.mark.parametrize("attrs,w_shape", [
    ({}, (3, 4, 3, 3)),
    ({"strides": [2, 2]}, (3, 4, 3, 3)),
    ({"strides": [2, 3], "pads": [1, 0, 1, 2], "output_padding": [1, 1]},
     (3, 2, 4, 3)),
    ({"dilations": [2, 1], "pads": [1, 1, 1, 1]}, (3, 4, 3, 3)),
    ({"group": 3, "strides": [2, 2]}, (3, 2, 3, 3)),
    ({"strides": [2, 2], "auto_pad": "SAME_UPPER"}, (3, 4, 3, 3)),
    ({"strides": [2, 2], "output_shape": [10, 11]}, (3, 4, 3, 3)),
])
def test_conv_transpose(attrs, w_shape):
    import torch
    x, w, b = rand(2, 3, 5, 6), rand(*w_shape), rand(w_shape[1] * attrs.get("group", 1))
    s = attrs.get("strides", [1, 1])
    d = attrs.get("dilations", [1, 1])
    op = attrs.get("output_padding", [0, 0])
    pads = attrs.get("pads", [0, 0, 0, 0])
    k = w_shape[2:]
    if "auto_pad" in attrs or "output_shape" in attrs:
        out = attrs.get("output_shape", [x.shape[2] * s[0], x.shape[3] * s[1]])
        pads = [0] * 4
        for i in range(2):
            total = s[i] * (x.shape[2 + i] - 1) + op[i] + (k[i] - 1) * d[i] + 1 - out[i]
            # ONNX: SAME_UPPER puts the odd pad at the end, NOTSET (with
            # output_shape) and SAME_LOWER at the beginning.
            head = total // 2 if attrs.get("auto_pad") == "SAME_UPPER" else total - total // 2
            pads[i], pads[i + 2] = head, total - head
    # PyTorch pads symmetrically: transpose-convolve unpadded, then crop.
    full = torch.nn.functional.conv_transpose2d(
        torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), stride=s,
        dilation=d, groups=attrs.get("group", 1)).numpy()
    h_end = full.shape[2] - pads[2] + op[0]
    w_end = full.shape[3] - pads[3] + op[1]
    padded = np.pad(full, [(0, 0), (0, 0), (0, op[0]), (0, op[1])])
    if op[0] or op[1]:
        # The output_padding rows/columns see only the bias.
        padded[:, :, full.shape[2]:, :] = b.reshape(1, -1, 1, 1)
        padded[:, :, :, full.shape[3]:] = b.reshape(1, -1, 1, 1)
    ref = padded[:, :, pads[0]:h_end, pads[1]:w_end]
    y = run_single_node("ConvTranspose", {"x": x}, ref.shape, attrs,
                        initializers=[("w", w), ("b", b)])
    assert_close(y, ref, rtol=1e-4, atol=1e-5)


def test_neg_and_abs_fold_on_known_integers():
    """Expanded ONNX functions compute axes with Neg/Abs on constants:
    ReduceSum over axes = Neg([1]) = [-1]."""
    x = rand(2, 3, 4)
    nodes = [helper.make_node("Neg", ["one"], ["minus_one"]),
             helper.make_node("Abs", ["minus_one"], ["again_one"]),
             helper.make_node("Neg", ["again_one"], ["axes"]),
             helper.make_node("ReduceSum", ["x", "axes"], ["y"], keepdims=0)]
    model = make_model(nodes, {"x": x}, {"y": (np.float32, (2, 3))},
                       [("one", np.array([1], np.int64))])
    assert_close(run_onnx(model, [x])[0], x.sum(axis=-1), atol=1e-5)
