"""Less common forms of supported ONNX ops, against numpy: the opsets
before 7 (legacy broadcasting attributes, per-channel PRelu slopes),
BatchNormalization in training mode, integer Clip and Pow, Slice with
negative steps, empty tensors, and Dropout in training mode with ratio 0."""

import numpy as np
import pytest
from onnx import helper

from kiln_e2e import assert_close, rng
from onnx_models import make_model, run_onnx, run_single_node

R = rng(11)


def rand(*shape):
    return np.asarray(R.standard_normal(shape), np.float32)


# ----------------------------------------------------- opsets before 7

@pytest.mark.parametrize("op,ref", [("Add", np.add), ("Sub", np.subtract),
                                    ("Mul", np.multiply), ("Div", np.divide)])
@pytest.mark.parametrize("b_shape,axis,aligned", [
    ((4, 5), None, (4, 5)),            # trailing, as numpy
    ((3, 4), 1, (3, 4, 1)),            # placed at axis 1
    ((2,), 0, (2, 1, 1, 1)),           # the leading dimension
    ((2, 3, 4, 5), None, (2, 3, 4, 5)),
])
def test_legacy_broadcast(op, ref, b_shape, axis, aligned):
    """Opset 6: B broadcasts to A with broadcast=1, aligned at `axis`."""
    a, b = rand(2, 3, 4, 5), rand(*b_shape)
    attrs = {"broadcast": 1} | ({"axis": axis} if axis is not None else {})
    y = run_single_node(op, {"a": a}, a.shape, attrs, initializers=[("b", b)],
                        opset=6)
    assert_close(y, ref(a, b.reshape(aligned)).astype(np.float32))


def test_legacy_prelu_slope_per_channel():
    """Opset 6: a 1-D slope of size C applies along dimension 1."""
    x, slope = rand(2, 3, 4), rand(3)
    y = run_single_node("PRelu", {"x": x}, x.shape, initializers=[("s", slope)],
                        opset=6)
    assert_close(y, np.where(x > 0, x, slope.reshape(3, 1) * x))


def test_legacy_gemm_and_average_pool():
    a, b, c = rand(4, 6), rand(5, 6), rand(5)
    y = run_single_node("Gemm", {"a": a}, (4, 5), {"transB": 1, "broadcast": 1},
                        initializers=[("b", b), ("c", c)], opset=6)
    assert_close(y, a @ b.T + c, rtol=1e-4, atol=1e-5)
    x = rand(1, 2, 4, 4)
    y = run_single_node("AveragePool", {"x": x}, (1, 2, 2, 2),
                        {"kernel_shape": [2, 2], "strides": [2, 2]}, opset=6)
    assert_close(y, x.reshape(1, 2, 2, 2, 2, 2).mean(axis=(3, 5)), atol=1e-6)


# ------------------------------------------- BatchNormalization, training

@pytest.mark.parametrize("shape", [(4, 3, 5, 2), (6, 3)])
def test_batch_norm_training(shape):
    """training_mode = 1 (opset 15): batch statistics normalize, and the
    running ones are updated with `momentum`."""
    x = rand(*shape)
    s, b, mean, var = rand(3), rand(3), rand(3), np.abs(rand(3)) + 0.5
    node = helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"],
                            ["y", "rm", "rv"], training_mode=1, momentum=0.8,
                            epsilon=1e-3)
    model = make_model([node], {"x": x},
                       {"y": (np.float32, x.shape), "rm": (np.float32, (3,)),
                        "rv": (np.float32, (3,))},
                       [("s", s), ("b", b), ("m", mean), ("v", var)], opset=15)
    y, rm, rv = run_onnx(model, [x], num_outputs=3)
    axes = (0,) + tuple(range(2, x.ndim))
    bm, bv = x.mean(axis=axes), x.var(axis=axes)
    c = (1, 3) + (1,) * (x.ndim - 2)
    assert_close(y, (x - bm.reshape(c)) / np.sqrt(bv.reshape(c) + 1e-3)
                 * s.reshape(c) + b.reshape(c), rtol=1e-4, atol=1e-5)
    assert_close(rm, mean * 0.8 + bm * 0.2, rtol=1e-5, atol=1e-6)
    assert_close(rv, var * 0.8 + bv * 0.2, rtol=1e-5, atol=1e-6)


# --------------------------------------------------------- integer forms

@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64])
def test_clip_integers(dtype):
    x = np.arange(-20, 20, 3).astype(dtype)
    lo, hi = np.array(-7, dtype), np.array(9, dtype)
    y = run_single_node("Clip", {"x": x}, x.shape,
                        initializers=[("lo", lo), ("hi", hi)],
                        output_dtype=dtype)
    np.testing.assert_array_equal(y, np.clip(x, lo, hi))


@pytest.mark.parametrize("base,exponent", [
    (np.int32, np.int32), (np.int64, np.int64), (np.int32, np.float32),
    (np.int64, np.float32)])
def test_pow_integer_base(base, exponent):
    """An integer base keeps its type: numpy's power(x, y).astype(x.dtype)."""
    if exponent == np.float32:
        x = np.array([[1, 2, 3], [4, 5, 7]], base)
        e = np.array([0.5, 2.5, 3.0], exponent)
    else:
        x = np.array([[1, 2, 3], [-4, 5, 7]], base)
        e = np.array([3, 2, 1], exponent)
    y = run_single_node("Pow", {"x": x}, x.shape, initializers=[("e", e)],
                        output_dtype=base, opset=15)
    expected = np.power(x.astype(np.float64), e.astype(np.float64))
    np.testing.assert_array_equal(y, np.trunc(expected).astype(base))


def test_pow_float_exact():
    """Negative bases with integer exponents, and integer results, as libm's
    pow gives them (not exp(y * log(x)))."""
    x = np.array([-2.0, -3.0, 7.0, 5.0, 0.0, -1.5], np.float64)
    e = np.array([3.0, 2.0, 3.0, 2.0, 0.0, 2.0], np.float64)
    y = run_single_node("Pow", {"x": x, "e": e}, x.shape, output_dtype=np.float64)
    np.testing.assert_array_equal(y, np.power(x, e))


# ------------------------------------------------------ slices, empties

@pytest.mark.parametrize("starts,ends,axes,steps", [
    ([-1], [-100], [1], [-1]),                 # the whole axis, reversed
    ([8, 1], [1, 5], [1, 2], [-3, 2]),         # reversed with a stride
    ([100, -2], [-100, 0], [0, 2], [-2, -1]),  # clamped bounds
    ([3], [3], [1], [-1]),                     # empty
])
def test_slice_negative_steps(starts, ends, axes, steps):
    x = rand(4, 10, 6)
    index = [slice(None)] * 3
    for s, e, a, st in zip(starts, ends, axes, steps):
        n = x.shape[a]
        s = min(max(s + n if s < 0 else s, 0), n - 1)
        e = min(max(e + n if e < 0 else e, -1), n - 1)
        index[a] = slice(s, e if e >= 0 else None, st)
    ref = x[tuple(index)]
    inits = [(name, np.array(v, np.int64)) for name, v in
             [("starts", starts), ("ends", ends), ("axes", axes),
              ("steps", steps)]]
    y = run_single_node("Slice", {"x": x}, ref.shape, initializers=inits)
    assert y.shape == ref.shape
    assert_close(y, ref)


def test_empty_tensors():
    """A Reshape to a shape with a 0 (allowzero) and a Concat with it."""
    x, z = rand(0, 4), rand(3, 4)
    nodes = [helper.make_node("Reshape", ["x", "shape"], ["r"], allowzero=1),
             helper.make_node("Concat", ["r", "z"], ["y"], axis=0)]
    model = make_model(nodes, {"x": x, "z": z}, {"y": (np.float32, (3, 4))},
                       [("shape", np.array([4, 0], np.int64).reshape(2)[::-1]
                         .copy())], opset=14)
    assert_close(run_onnx(model, [x, z])[0], z)


def test_dropout_training_ratio_zero():
    """Training mode with ratio 0 keeps everything; the mode and ratio are
    graph inputs that kiln-run compiles for."""
    x = rand(3, 4)
    node = helper.make_node("Dropout", ["x", "r", "t"], ["y", "mask"])
    model = make_model([node], {"x": x, "r": np.array(0.0, np.float32),
                                "t": np.array(True)},
                       {"y": (np.float32, x.shape),
                        "mask": (np.bool_, x.shape)})
    y, mask = run_onnx(model, [x, np.array(0.0, np.float32), np.array(True)],
                       num_outputs=2)
    assert_close(y, x)
    assert mask.all()


def test_one_value_as_several_outputs():
    """Graph outputs that name one computed value (and an empty one twice)
    each get their own buffer."""
    x = rand(2, 3)
    nodes = [helper.make_node("Relu", ["x"], ["r"]),
             helper.make_node("Identity", ["r"], ["same"]),
             helper.make_node("Slice", ["x", "s", "e"], ["empty1"]),
             helper.make_node("Slice", ["x", "s", "e"], ["empty2"])]
    model = make_model(nodes, {"x": x},
                       {"r": (np.float32, x.shape), "same": (np.float32, x.shape),
                        "empty1": (np.float32, (0, 3)),
                        "empty2": (np.float32, (0, 3))},
                       [("s", np.array([1], np.int64)),
                        ("e", np.array([1], np.int64))])
    r, same, e1, e2 = run_onnx(model, [x], num_outputs=4)
    assert_close(r, np.maximum(x, 0))
    assert_close(same, np.maximum(x, 0))
    assert e1.shape == (0, 3) and e2.shape == (0, 3)
