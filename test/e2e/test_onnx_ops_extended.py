"""ONNX ops beyond the core list, against numpy (and PyTorch for LRN):
Mod, Sign, logic and IsNaN/IsInf, ArgMax/ArgMin, Hardmax, GatherElements,
GatherND, OneHot, Trilu, EyeLike, Range, CumSum, ThresholdedRelu, Shrink,
linear quantization, LRN, MeanVarianceNormalization and the window
functions. Integer and index results are compared exactly; floats at rtol
1e-5 unless noted."""

import numpy as np
import pytest
from onnx import helper

from kiln_e2e import assert_close, rng
from onnx_models import make_model, run_onnx, run_single_node

R = rng(21)


def rand(*shape):
    return np.asarray(R.standard_normal(shape), np.float32)


# ------------------------------------------------------------ arithmetic

@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.int8])
def test_mod_python_semantics(dtype):
    """fmod = 0: the divisor's sign (numpy's mod)."""
    a = R.integers(-50, 50, (4, 9)).astype(dtype)
    b = R.integers(1, 7, (9,)).astype(dtype) * R.choice([-1, 1], (9,)).astype(dtype)
    y = run_single_node("Mod", {"a": a, "b": b}, a.shape, output_dtype=dtype)
    np.testing.assert_array_equal(y, np.mod(a, b))


@pytest.mark.parametrize("dtype", [np.float32, np.int32])
def test_mod_fmod(dtype):
    """fmod = 1: the dividend's sign (C's fmod)."""
    a = (R.uniform(-20, 20, (3, 8)) if dtype == np.float32
         else R.integers(-50, 50, (3, 8))).astype(dtype)
    b = np.array([3, -3, 2.5 if dtype == np.float32 else 2, -7, 1, 4, -2, 9], dtype)
    y = run_single_node("Mod", {"a": a, "b": b}, a.shape, {"fmod": 1},
                        output_dtype=dtype)
    assert_close(y, np.fmod(a, b))


@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_sign(dtype):
    x = np.array([-3, -0.5, 0, 0.25, 7] if dtype == np.float32
                 else [-3, -1, 0, 1, 7], dtype)
    np.testing.assert_array_equal(
        run_single_node("Sign", {"x": x}, x.shape, output_dtype=dtype),
        np.sign(x))


@pytest.mark.parametrize("op,ref", [("And", np.logical_and),
                                    ("Or", np.logical_or),
                                    ("Xor", np.logical_xor)])
def test_logic(op, ref):
    a = R.integers(0, 2, (3, 1, 5)).astype(np.bool_)
    b = R.integers(0, 2, (4, 1)).astype(np.bool_)
    expected = ref(a, b)
    y = run_single_node(op, {"a": a, "b": b}, expected.shape,
                        output_dtype=np.bool_)
    np.testing.assert_array_equal(y, expected)


@pytest.mark.parametrize("positive,negative", [(1, 1), (1, 0), (0, 1)])
def test_isnan_isinf(positive, negative):
    x = np.array([1.0, np.inf, -np.inf, np.nan, 0.0, -2.5], np.float32)
    y = run_single_node("IsInf", {"x": x}, x.shape,
                        {"detect_positive": positive,
                         "detect_negative": negative}, output_dtype=np.bool_)
    np.testing.assert_array_equal(
        y, (np.isposinf(x) & bool(positive)) | (np.isneginf(x) & bool(negative)))
    np.testing.assert_array_equal(
        run_single_node("IsNaN", {"x": x}, x.shape, output_dtype=np.bool_),
        np.isnan(x))


# ------------------------------------------------------ positions, masks

@pytest.mark.parametrize("op", ["ArgMax", "ArgMin"])
@pytest.mark.parametrize("attrs", [{}, {"axis": -1, "keepdims": 0},
                                   {"axis": 1, "select_last_index": 1}])
def test_arg_max_min(op, attrs):
    x = R.integers(0, 3, (3, 4, 5)).astype(np.float32)   # many ties
    axis, keep = attrs.get("axis", 0), attrs.get("keepdims", 1)
    fn = np.argmax if op == "ArgMax" else np.argmin
    if attrs.get("select_last_index"):
        ref = x.shape[axis] - 1 - fn(np.flip(x, axis), axis=axis)
    else:
        ref = fn(x, axis=axis)
    if keep:
        ref = np.expand_dims(ref, axis)
    y = run_single_node(op, {"x": x}, ref.shape, attrs, output_dtype=np.int64)
    np.testing.assert_array_equal(y, ref)


@pytest.mark.parametrize("opset,axis", [(11, 1), (13, 1), (13, -1)])
def test_hardmax(opset, axis):
    x = rand(2, 3, 4)
    if opset < 13:   # over the input flattened to 2-D at axis
        flat = x.reshape(x.shape[0], -1)
        ref = np.eye(flat.shape[1], dtype=np.float32)[flat.argmax(1)].reshape(x.shape)
    else:
        ref = np.moveaxis(np.eye(x.shape[axis], dtype=np.float32)[
            np.moveaxis(x, axis, -1).argmax(-1)], -1, axis)
    assert_close(run_single_node("Hardmax", {"x": x}, x.shape, {"axis": axis},
                                 opset=opset), ref)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_gather_elements(axis):
    x = rand(4, 5, 3)
    shape = list(x.shape)
    shape[axis] = 6
    idx = R.integers(-x.shape[axis], x.shape[axis], shape).astype(np.int64)
    ref = np.take_along_axis(x, np.where(idx < 0, idx + x.shape[axis], idx), axis)
    y = run_single_node("GatherElements", {"x": x, "i": idx}, ref.shape,
                        {"axis": axis})
    assert_close(y, ref)


@pytest.mark.parametrize("batch_dims", [0, 1])
def test_gather_nd(batch_dims):
    x = rand(2, 4, 3, 5)
    if batch_dims == 0:
        idx = np.array([[[0, -1], [1, 2]], [[1, 0], [0, 3]]], np.int64)
        ref = np.stack([x[tuple(i)] for i in idx.reshape(-1, 2)]).reshape(
            2, 2, 3, 5)
    else:
        idx = np.array([[[3], [-4]], [[1], [2]]], np.int64)
        ref = np.stack([np.stack([x[b, i[0]] for i in idx[b]])
                        for b in range(2)])
    y = run_single_node("GatherND", {"x": x, "i": idx}, ref.shape,
                        {"batch_dims": batch_dims})
    assert_close(y, ref)


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_one_hot(axis):
    idx = np.array([[1, -1, 3], [0, 4, -5]], np.int64)
    depth, values = 5, np.array([-2.0, 7.0], np.float32)
    hot = np.eye(depth, dtype=np.float32)[np.where(idx < 0, idx + depth, idx)]
    ref = np.moveaxis(np.where(hot == 1, values[1], values[0]), -1, axis)
    y = run_single_node("OneHot", {"i": idx}, ref.shape, {"axis": axis},
                        initializers=[("depth", np.array(depth, np.int64)),
                                      ("values", values)])
    assert_close(y, ref)


@pytest.mark.parametrize("upper,k", [(1, 0), (1, 2), (0, -1), (0, 1)])
def test_trilu(upper, k):
    x = rand(2, 4, 6)
    ref = np.triu(x, k) if upper else np.tril(x, k)
    y = run_single_node("Trilu", {"x": x}, x.shape, {"upper": upper},
                        initializers=[("k", np.array(k, np.int64))], opset=14)
    assert_close(y, ref)


def test_eye_like_range_cumsum():
    x = rand(3, 5)
    assert_close(run_single_node("EyeLike", {"x": x}, x.shape, {"k": 1}),
                 np.eye(3, 5, 1, dtype=np.float32))
    y = run_single_node("EyeLike", {"x": x}, x.shape, {"dtype": 7},
                        output_dtype=np.int64)
    np.testing.assert_array_equal(y, np.eye(3, 5, dtype=np.int64))
    node = helper.make_node("Range", ["s", "l", "d"], ["r"])
    model = make_model([node], {}, {"r": (np.float32, (7,))},
                       [("s", np.array(1.5, np.float32)),
                        ("l", np.array(-2, np.float32)),
                        ("d", np.array(-0.5, np.float32))], opset=11)
    assert_close(run_onnx(model, [])[0], np.arange(1.5, -2, -0.5, dtype=np.float32))


@pytest.mark.parametrize("dtype", [np.float32, np.int64])
@pytest.mark.parametrize("exclusive,reverse", [(0, 0), (1, 0), (0, 1), (1, 1)])
def test_cumsum(dtype, exclusive, reverse):
    x = (R.integers(-9, 9, (3, 6, 2)) if dtype == np.int64
         else R.standard_normal((3, 6, 2))).astype(dtype)
    axis = 1
    v = np.flip(x, axis) if reverse else x
    ref = np.cumsum(v, axis=axis)
    if exclusive:
        ref = np.concatenate([np.zeros_like(np.take(ref, [0], axis)),
                              np.take(ref, range(ref.shape[axis] - 1), axis)], axis)
    ref = (np.flip(ref, axis) if reverse else ref).astype(dtype)
    y = run_single_node("CumSum", {"x": x}, x.shape,
                        {"exclusive": exclusive, "reverse": reverse},
                        initializers=[("axis", np.array(axis, np.int64))],
                        output_dtype=dtype)
    if dtype == np.int64:
        np.testing.assert_array_equal(y, ref)
    else:
        assert_close(y, ref, atol=1e-5)


def test_thresholded_relu_and_shrink():
    x = np.linspace(-3, 3, 25, dtype=np.float32)
    assert_close(run_single_node("ThresholdedRelu", {"x": x}, x.shape,
                                 {"alpha": 0.5}), np.where(x > 0.5, x, 0))
    assert_close(run_single_node("Shrink", {"x": x}, x.shape,
                                 {"lambd": 1.0, "bias": 0.25}),
                 np.where(x < -1, x + 0.25, np.where(x > 1, x - 0.25, 0)))


# ---------------------------------------------------------- quantization

@pytest.mark.parametrize("dtype", [np.uint8, np.int8])
@pytest.mark.parametrize("per_axis", [False, True])
def test_quantize_dequantize(dtype, per_axis):
    """Halves round to even; results saturate to the type's range."""
    x = np.concatenate([rand(2, 3, 4).ravel() * 80,
                        np.array([0.5, 1.5, 2.5, -0.5, 1000, -1000])]).astype(
        np.float32)[:24].reshape(2, 3, 4)
    x[0, 0, :4] = [0.5, 1.5, -2.5, 1000]
    if per_axis:
        scale = np.array([1.0, 0.5, 2.0], np.float32)
        zero = np.array([3, 0, 9] if dtype == np.uint8 else [-3, 0, 9], dtype)
        shaped = lambda v: v.reshape(1, 3, 1)  # noqa: E731
    else:
        scale, zero = np.array(0.75, np.float32), np.array(5, dtype)
        shaped = lambda v: v  # noqa: E731
    info = np.iinfo(dtype)
    q = np.clip(np.round(x / shaped(scale)) + shaped(zero), info.min, info.max)
    y = run_single_node("QuantizeLinear", {"x": x}, x.shape,
                        initializers=[("s", scale), ("z", zero)],
                        output_dtype=dtype)
    np.testing.assert_array_equal(y, q.astype(dtype))
    d = run_single_node("DequantizeLinear", {"q": y}, x.shape,
                        initializers=[("s", scale), ("z", zero)])
    assert_close(d, (y.astype(np.float32) - shaped(zero)) * shaped(scale))


def test_dynamic_quantize_linear():
    x = np.array([[-1.5, 0.25, 3.0], [2.2, -0.7, 0.0]], np.float32)
    lo, hi = min(0, x.min()), max(0, x.max())
    scale = np.float32((hi - lo) / 255)
    zero = np.clip(np.round(-lo / scale), 0, 255)
    q = np.clip(np.round(x / scale) + zero, 0, 255).astype(np.uint8)
    node = helper.make_node("DynamicQuantizeLinear", ["x"], ["y", "s", "z"])
    model = make_model([node], {"x": x}, {"y": (np.uint8, x.shape),
                                          "s": (np.float32, ()),
                                          "z": (np.uint8, ())}, opset=11)
    y, s, z = run_onnx(model, [x], num_outputs=3)
    np.testing.assert_array_equal(y, q)
    assert_close(s, scale)
    assert z == zero


# -------------------------------------------------------- normalization

def test_lrn():
    import torch
    x = rand(2, 7, 4, 5)
    ref = torch.nn.functional.local_response_norm(
        torch.from_numpy(x), 3, alpha=2e-3, beta=0.6, k=1.5).numpy()
    y = run_single_node("LRN", {"x": x}, x.shape,
                        {"size": 3, "alpha": 2e-3, "beta": 0.6, "bias": 1.5})
    assert_close(y, ref, rtol=1e-5, atol=1e-6)


def test_mean_variance_normalization():
    x = rand(3, 4, 5, 2)
    mean = x.mean(axis=(0, 2, 3), keepdims=True)
    std = np.sqrt((x ** 2).mean(axis=(0, 2, 3), keepdims=True) - mean ** 2)
    y = run_single_node("MeanVarianceNormalization", {"x": x}, x.shape)
    assert_close(y, (x - mean) / (std + 1e-9), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("op,coefficients", [
    ("HannWindow", (0.5, 0.5, 0)), ("HammingWindow", (25 / 46, 21 / 46, 0)),
    ("BlackmanWindow", (0.42, 0.5, 0.08))])
@pytest.mark.parametrize("periodic", [0, 1])
def test_windows(op, coefficients, periodic):
    size = 10
    n = np.arange(size)
    period = size if periodic else size - 1
    a0, a1, a2 = coefficients
    ref = (a0 - a1 * np.cos(2 * np.pi * n / period)
           + a2 * np.cos(4 * np.pi * n / period)).astype(np.float32)
    node = helper.make_node(op, ["size"], ["w"], periodic=periodic)
    model = make_model([node], {}, {"w": (np.float32, (size,))},
                       [("size", np.array(size, np.int64))], opset=17)
    assert_close(run_onnx(model, [])[0], ref, atol=1e-6)


# ------------------------------------------------ bits, einsum, selection

@pytest.mark.parametrize("dtype", [np.uint8, np.uint32, np.uint64])
@pytest.mark.parametrize("direction", ["LEFT", "RIGHT"])
def test_bit_shift(dtype, direction):
    bits = np.iinfo(dtype).bits
    x = R.integers(0, np.iinfo(dtype).max, (3, 7), dtype=dtype, endpoint=True)
    s = np.array([0, 1, 3, bits - 1, bits, bits + 5, 2], dtype)
    y = run_single_node("BitShift", {"x": x, "s": s}, x.shape,
                        {"direction": direction}, output_dtype=dtype)
    # Shifts by the width or more give 0 (numpy's are undefined there).
    with np.errstate(over="ignore"):
        ref = np.where(s >= bits, 0,
                       (x << np.minimum(s, bits - 1)) if direction == "LEFT"
                       else (x >> np.minimum(s, bits - 1))).astype(dtype)
    np.testing.assert_array_equal(y, ref)


@pytest.mark.parametrize("equation,shapes", [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("bhqd,bhkd->bhqk", [(2, 3, 4, 8), (2, 3, 5, 8)]),   # attention scores
    ("ij,kj", [(3, 4), (5, 4)]),                         # implicit output
    ("i,i", [(6,), (6,)]),
    ("ij->ji", [(3, 4)]),
    ("ij->i", [(3, 4)]),
    ("ii->i", [(4, 4)]),
    ("...ii->...i", [(2, 3, 3)]),
    ("ijk,ik->ij", [(2, 3, 4), (2, 4)]),
    ("i,j->ij", [(3,), (4,)]),
    ("bi,bj,bk->bijk", [(2, 3), (2, 2), (2, 4)]),
])
def test_einsum(equation, shapes):
    operands = [rand(*s) for s in shapes]
    ref = np.einsum(equation, *operands)
    names = {f"x{i}": a for i, a in enumerate(operands)}
    y = run_single_node("Einsum", names, ref.shape, {"equation": equation},
                        opset=12)
    assert_close(y, ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("largest", [1, 0])
@pytest.mark.parametrize("axis", [-1, 0])
def test_top_k(largest, axis):
    """Ties go to the lower index; infinities are values like others."""
    x = R.integers(0, 4, (5, 6)).astype(np.float32)
    x[1, 2] = np.inf
    x[2, 1] = -np.inf
    k = 3
    order = np.argsort(-x if largest else x, axis=axis, kind="stable")
    idx = np.take(order, range(k), axis=axis)
    vals = np.take_along_axis(x, idx, axis=axis)
    node = helper.make_node("TopK", ["x", "k"], ["v", "i"], axis=axis,
                            largest=largest)
    model = make_model([node], {"x": x}, {"v": (np.float32, vals.shape),
                                          "i": (np.int64, vals.shape)},
                       [("k", np.array([k], np.int64))], opset=11)
    v, i = run_onnx(model, [x], num_outputs=2)
    np.testing.assert_array_equal(v, vals)
    np.testing.assert_array_equal(i, idx)


# ------------------------------------------ quantized integer arithmetic

def test_matmul_integer_and_qlinear_matmul():
    a = R.integers(0, 256, (3, 5), dtype=np.uint8)
    b = R.integers(-128, 128, (5, 4), dtype=np.int8)
    az, bz = np.array([3, 7, 200], np.uint8), np.array(-5, np.int8)
    y = run_single_node("MatMulInteger", {"a": a, "b": b}, (3, 4),
                        initializers=[("az", az), ("bz", bz)],
                        output_dtype=np.int32)
    exact = (a.astype(np.int32) - az.reshape(3, 1)) @ (b.astype(np.int32) - bz)
    np.testing.assert_array_equal(y, exact)
    node = helper.make_node("QLinearMatMul", ["a", "as", "az", "b", "bs", "bz",
                                              "ys", "yz"], ["y"])
    scalars = [("as", np.array(0.02, np.float32)), ("az", np.array(3, np.uint8)),
               ("bs", np.array(0.01, np.float32)), ("bz", np.array(-5, np.int8)),
               ("ys", np.array(0.5, np.float32)), ("yz", np.array(100, np.uint8))]
    model = make_model([node], {"a": a, "b": b}, {"y": (np.uint8, (3, 4))},
                       scalars, opset=10)
    acc = (a.astype(np.int64) - 3) @ (b.astype(np.int64) + 5)
    ref = np.clip(np.rint(acc * (0.02 * 0.01 / 0.5)) + 100, 0, 255)
    np.testing.assert_array_equal(run_onnx(model, [a, b])[0], ref.astype(np.uint8))


def test_conv_integer_and_qlinear_conv():
    import torch
    x = R.integers(0, 256, (1, 2, 6, 6), dtype=np.uint8)
    w = R.integers(-20, 20, (3, 2, 3, 3), dtype=np.int8)
    xz = np.array(128, np.uint8)
    exact = torch.nn.functional.conv2d(
        torch.from_numpy(x.astype(np.float64) - 128),
        torch.from_numpy(w.astype(np.float64)), padding=1).numpy()
    y = run_single_node("ConvInteger", {"x": x}, exact.shape, {"pads": [1] * 4},
                        initializers=[("w", w), ("xz", xz)],
                        output_dtype=np.int32, opset=10)
    np.testing.assert_array_equal(y, exact.astype(np.int32))
    ws = np.array([0.01, 0.02, 0.05], np.float32)
    bias = np.array([100, -50, 7], np.int32)
    node = helper.make_node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz",
                                            "ys", "yz", "b"], ["y"],
                            pads=[1] * 4)
    model = make_model([node], {"x": x}, {"y": (np.int8, exact.shape)},
                       [("xs", np.array(0.05, np.float32)), ("xz", xz),
                        ("w", w), ("ws", ws), ("wz", np.array(0, np.int8)),
                        ("ys", np.array(0.25, np.float32)),
                        ("yz", np.array(-3, np.int8)), ("b", bias)], opset=10)
    acc = exact + bias.reshape(1, 3, 1, 1)
    ref = np.clip(np.rint(acc * (0.05 * ws.astype(np.float64).reshape(1, 3, 1, 1)) / 0.25)
                  - 3, -128, 127)
    np.testing.assert_array_equal(run_onnx(model, [x])[0], ref.astype(np.int8))


# ----------------------------------------- sequences, compress, scatters

@pytest.mark.parametrize("batch_axis,time_axis", [(1, 0), (0, 1)])
def test_reverse_sequence(batch_axis, time_axis):
    x = rand(*((6, 4, 3) if time_axis == 0 else (4, 6, 3)))
    lens = np.array([1, 6, 3, 0], np.int64)
    ref = x.copy()
    for b, n in enumerate(lens):
        if time_axis == 0:
            ref[:n, b] = x[:n, b][::-1]
        else:
            ref[b, :n] = x[b, :n][::-1]
    y = run_single_node("ReverseSequence", {"x": x, "lens": lens}, x.shape,
                        {"batch_axis": batch_axis, "time_axis": time_axis},
                        opset=10)
    assert_close(y, ref)


@pytest.mark.parametrize("axis", [None, 1, -1])
def test_compress(axis):
    x = rand(3, 4)
    condition = np.array([True, False, True] + ([] if axis == 1 else []),
                         np.bool_)
    ref = np.compress(condition, x, axis=axis)
    attrs = {} if axis is None else {"axis": axis}
    y = run_single_node("Compress", {"x": x}, ref.shape, attrs,
                        initializers=[("c", condition)], opset=11)
    assert_close(y, ref)


def scatter_elements_reference(data, indices, updates, axis, reduction):
    out = data.copy()
    for index in np.ndindex(*indices.shape):
        target = list(index)
        target[axis] = indices[index] % data.shape[axis]
        target = tuple(target)
        u = updates[index]
        if reduction == "add":
            out[target] += u
        elif reduction == "mul":
            out[target] *= u
        elif reduction == "max":
            out[target] = max(out[target], u)
        elif reduction == "min":
            out[target] = min(out[target], u)
        else:
            out[target] = u
    return out


@pytest.mark.parametrize("axis,reduction", [(0, "none"), (1, "none"),
                                            (-1, "add"), (0, "mul"),
                                            (1, "max"), (1, "min")])
def test_scatter_elements(axis, reduction):
    data = rand(4, 5)
    shape = (3, 4)   # a box smaller than the data
    n = data.shape[axis]
    if reduction == "none":   # distinct targets per row/column
        indices = np.stack([R.permutation(n)[:shape[axis]] for _ in
                            range(shape[1 - axis % 2])], axis=1 - axis % 2)
        indices = indices - n * (R.integers(0, 2, indices.shape))  # negatives
    else:
        indices = R.integers(-n, n, shape)
    indices = indices.astype(np.int64)
    updates = rand(*shape)
    ref = scatter_elements_reference(data, indices, updates, axis % 2, reduction)
    attrs = {"axis": axis} | ({} if reduction == "none" else {"reduction": reduction})
    y = run_single_node("ScatterElements", {"d": data, "i": indices,
                                            "u": updates}, data.shape, attrs,
                        opset=18)
    assert_close(y, ref)


@pytest.mark.parametrize("reduction", ["none", "add", "mul"])
def test_scatter_nd(reduction):
    data = rand(4, 3, 2)
    indices = np.array([[1], [3], [1]] if reduction != "none" else [[1], [3]],
                       np.int64)
    updates = rand(len(indices), 3, 2)
    ref = data.copy()
    for i, u in zip(indices[:, 0], updates):
        ref[i] = ref[i] + u if reduction == "add" else (
            ref[i] * u if reduction == "mul" else u)
    attrs = {} if reduction == "none" else {"reduction": reduction}
    y = run_single_node("ScatterND", {"d": data, "i": indices, "u": updates},
                        data.shape, attrs, opset=16)
    assert_close(y, ref)
