"""End-to-end numeric tests of the nn elementwise ops and activations
against numpy, on shapes that don't divide any tile size."""

import math

import numpy as np
import pytest

from kiln_e2e import assert_close, rng, run_op

# Pairs of broadcast-compatible shapes, odd sizes included.
BROADCAST_SHAPES = [
    ((1,), (1,)),
    ((17,), (17,)),
    ((3, 63), (63,)),
    ((4, 1, 7), (5, 1)),
    ((2, 3, 1, 127), (1, 3, 17, 1)),
    ((), (5,)),
]

BINARY = {
    "add": np.add,
    "sub": np.subtract,
    "mul": np.multiply,
    "div": np.divide,
    "maximum": np.maximum,
    "minimum": np.minimum,
}


@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("shapes", BROADCAST_SHAPES, ids=str)
def test_binary_broadcast(op, shapes):
    r = rng(1)
    a = r.uniform(-2, 2, shapes[0]).astype(np.float32)
    b = r.uniform(0.5, 2, shapes[1]).astype(np.float32)
    ref = BINARY[op](a, b).astype(np.float32)
    text = (f"nn.{op} %a, %b : ({tensor(a)}, {tensor(b)}) -> {tensor(ref)}")
    assert_close(run_op(text, [a, b], ref), ref)


def test_pow():
    r = rng(2)
    a = r.uniform(0.1, 3, (3, 17)).astype(np.float32)
    b = r.uniform(-2, 2, (17,)).astype(np.float32)
    ref = np.power(a, b).astype(np.float32)
    text = f"nn.pow %a, %b : ({tensor(a)}, {tensor(b)}) -> {tensor(ref)}"
    assert_close(run_op(text, [a, b], ref), ref, rtol=1e-5)


def test_binary_f64():
    r = rng(3)
    a = r.standard_normal((5, 3))
    b = r.standard_normal((3,))
    ref = a * b
    text = f"nn.mul %a, %b : ({tensor(a)}, {tensor(b)}) -> {tensor(ref)}"
    assert_close(run_op(text, [a, b], ref), ref, rtol=1e-12)


def test_maximum_propagates_nan():
    a = np.array([1.0, np.nan, 3.0], dtype=np.float32)
    b = np.array([np.nan, 2.0, 1.0], dtype=np.float32)
    ref = np.maximum(a, b)
    text = f"nn.maximum %a, %b : ({tensor(a)}, {tensor(b)}) -> {tensor(ref)}"
    out = run_op(text, [a, b], ref)
    assert np.isnan(out[0]) and np.isnan(out[1]) and out[2] == 3.0


def erf(x):
    return np.vectorize(math.erf)(x)


UNARY = {
    "exp": (np.exp, (-5, 5)),
    "log": (np.log, (0.01, 10)),
    "sqrt": (np.sqrt, (0, 10)),
    "rsqrt": (lambda x: 1 / np.sqrt(x), (0.01, 10)),
    "neg": (np.negative, (-5, 5)),
    "abs": (np.abs, (-5, 5)),
    "relu": (lambda x: np.maximum(x, 0), (-5, 5)),
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), (-30, 30)),
    "tanh": (np.tanh, (-5, 5)),
    "gelu": (lambda x: 0.5 * x * (1 + erf(x / math.sqrt(2))), (-5, 5)),
    "erf": (erf, (-3, 3)),
    "floor": (np.floor, (-5, 5)),
    "ceil": (np.ceil, (-5, 5)),
    "round": (np.round, (-5, 5)),   # numpy rounds halves to even too
    "sin": (np.sin, (-7, 7)),
    "cos": (np.cos, (-7, 7)),
    "tan": (np.tan, (-1.5, 1.5)),
    "asin": (np.arcsin, (-1, 1)),
    "acos": (np.arccos, (-1, 1)),
    "atan": (np.arctan, (-9, 9)),
    "sinh": (np.sinh, (-5, 5)),
    "cosh": (np.cosh, (-5, 5)),
    "asinh": (np.arcsinh, (-9, 9)),
    "acosh": (np.arccosh, (1, 9)),
    "atanh": (np.arctanh, (-0.99, 0.99)),
}


@pytest.mark.parametrize("op", sorted(UNARY))
@pytest.mark.parametrize("shape", [(1,), (3, 17), (2, 5, 63)], ids=str)
def test_unary(op, shape):
    fn, (lo, hi) = UNARY[op]
    x = rng(4).uniform(lo, hi, shape).astype(np.float32)
    ref = fn(x.astype(np.float64)).astype(np.float32)
    text = f"nn.{op} %a : {tensor(x)}"
    assert_close(run_op(text, [x], ref), ref, rtol=2e-6, atol=1e-6)


def test_sigmoid_saturates_without_nan():
    x = np.array([-1000, -100, 0, 100, 1000], dtype=np.float32)
    out = run_op(f"nn.sigmoid %a : {tensor(x)}", [x], x)
    assert_close(out, np.array([0, 0, 0.5, 1, 1], dtype=np.float32))


def test_gelu_tanh():
    x = rng(5).uniform(-5, 5, (4, 33)).astype(np.float32)
    x64 = x.astype(np.float64)
    ref = (0.5 * x64 * (1 + np.tanh(math.sqrt(2 / math.pi) *
                                    (x64 + 0.044715 * x64**3)))).astype(np.float32)
    text = f"nn.gelu %a approximate tanh : {tensor(x)}"
    assert_close(run_op(text, [x], ref), ref, rtol=2e-6, atol=1e-6)


@pytest.mark.parametrize("alpha", [0.01, 0.2])
def test_leaky_relu(alpha):
    x = rng(6).uniform(-3, 3, (7, 9)).astype(np.float32)
    ref = np.where(x >= 0, x, np.float32(alpha) * x).astype(np.float32)
    text = f"nn.leaky_relu %a alpha {alpha!r} : {tensor(x)}"
    assert_close(run_op(text, [x], ref), ref)


@pytest.mark.parametrize("bounds", [(0.0, 6.0), (-1.0, None), (None, 0.5)],
                         ids=str)
def test_clip(bounds):
    lo, hi = bounds
    x = rng(7).uniform(-8, 8, (3, 31)).astype(np.float32)
    ref = np.clip(x, lo, hi).astype(np.float32)
    attrs = (f" min {lo!r}" if lo is not None else "") + \
            (f" max {hi!r}" if hi is not None else "")
    text = f"nn.clip %a{attrs} : {tensor(x)}"
    assert_close(run_op(text, [x], ref), ref)


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("shape,axis", [((1, 10), -1), ((3, 17), 0),
                                        ((2, 5, 63), 1), ((4, 127), 1)],
                         ids=str)
def test_softmax(shape, axis):
    x = rng(8).uniform(-50, 50, shape).astype(np.float32)
    ref = softmax(x.astype(np.float64), axis).astype(np.float32)
    text = f"nn.softmax %a axis {axis} : {tensor(x)}"
    assert_close(run_op(text, [x], ref), ref, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("shape,axis", [((3, 17), -1), ((2, 5, 63), 1)],
                         ids=str)
def test_log_softmax(shape, axis):
    x = rng(9).uniform(-50, 50, shape).astype(np.float32)
    x64 = x.astype(np.float64)
    m = x64.max(axis=axis, keepdims=True)
    ref = (x64 - m - np.log(np.exp(x64 - m).sum(axis=axis, keepdims=True)))
    ref = ref.astype(np.float32)
    text = f"nn.log_softmax %a axis {axis} : {tensor(x)}"
    assert_close(run_op(text, [x], ref), ref, rtol=1e-5, atol=1e-5)


def test_dropout_is_identity_in_inference():
    x = rng(10).standard_normal((4, 9)).astype(np.float32)
    text = f"nn.dropout %a ratio 0.5 seed 3 : {tensor(x)}"
    assert_close(run_op(text, [x], x), x, rtol=0, atol=0)


def tensor(array):
    from kiln_e2e import tensor_type
    return tensor_type(array.shape, array.dtype)


@pytest.mark.parametrize("op,ref", [
    ("equal", np.equal), ("less", np.less), ("less_equal", np.less_equal),
    ("greater", np.greater), ("greater_equal", np.greater_equal)])
@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_compare(op, ref, dtype):
    a = rng(7).integers(-3, 3, (3, 17)).astype(dtype)
    b = rng(8).integers(-3, 3, (17,)).astype(dtype)
    out = ref(a, b)
    text = f"nn.{op} %a, %b : ({tensor(a)}, {tensor(b)}) -> {tensor(out)}"
    assert_close(run_op(text, [a, b], out), out)


def test_select_broadcasts():
    c = rng(9).integers(0, 2, (2, 1, 5)).astype(np.bool_)
    x = rng(10).standard_normal((3, 5)).astype(np.float32)
    y = np.array(-1.0, np.float32)
    out = np.where(c, x, y)
    text = (f"nn.select %a, %b, %c : ({tensor(c)}, {tensor(x)}, {tensor(y)}) "
            f"-> {tensor(out)}")
    assert_close(run_op(text, [c, x, y], out), out)


@pytest.mark.parametrize("src,dst", [
    (np.float32, np.int64), (np.float32, np.int32), (np.int64, np.float32),
    (np.float32, np.float64), (np.float64, np.float32), (np.int64, np.int32),
    (np.float32, np.bool_), (np.bool_, np.float32), (np.bool_, np.int64)])
def test_cast(src, dst):
    x = np.array([-2.7, -1.0, -0.5, 0.0, 0.4, 1.5, 3.9], np.float64).astype(src)
    out = x.astype(dst)   # numpy truncates toward zero, as ONNX does
    text = f"nn.cast %a : {tensor(x)} -> {tensor(out)}"
    assert_close(run_op(text, [x], out), out)


@pytest.mark.parametrize("op,ref", [
    ("add", np.add), ("sub", np.subtract), ("mul", np.multiply),
    ("maximum", np.maximum), ("minimum", np.minimum)])
@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_binary_integers(op, ref, dtype):
    a = rng(11).integers(-50, 50, (3, 17)).astype(dtype)
    b = rng(12).integers(-50, 50, (17,)).astype(dtype)
    out = ref(a, b).astype(dtype)
    text = f"nn.{op} %a, %b : ({tensor(a)}, {tensor(b)}) -> {tensor(out)}"
    assert_close(run_op(text, [a, b], out), out)


def test_integer_division_rounds_toward_zero_and_never_traps():
    a = np.array([7, -7, 7, -7, 5, np.iinfo(np.int32).min, 3], np.int32)
    b = np.array([2, 2, -2, -2, 0, -1, 0], np.int32)
    # C semantics (toward zero); x / 0 gives 0 and INT_MIN / -1 gives INT_MIN
    # instead of a SIGFPE.
    expected = np.array([3, -3, -3, 3, 0, np.iinfo(np.int32).min, 0], np.int32)
    text = f"nn.div %a, %b : ({tensor(a)}, {tensor(b)}) -> {tensor(a)}"
    assert_close(run_op(text, [a, b], expected), expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64,
                                   np.uint8, np.int8])
def test_rem(dtype):
    """C's fmod and %: the sign of the dividend; an integer remainder by 0
    is 0 (numpy's fmod gives 0 there too)."""
    r = rng(12)
    if np.issubdtype(dtype, np.floating):
        a = r.uniform(-20, 20, (4, 13)).astype(dtype)
        b = r.uniform(0.5, 6, (13,)).astype(dtype) * r.choice([-1, 1], (13,)).astype(dtype)
    else:
        info = np.iinfo(dtype)
        a = r.integers(info.min, info.max, (4, 13), endpoint=True).astype(dtype)
        b = r.integers(max(info.min, -9), 10, (13,)).astype(dtype)
        b[::4] = 0
        if info.min < 0:
            a[0, 1], b[1] = info.min, -1   # INT_MIN % -1 (a trap on x86)
    with np.errstate(divide="ignore", invalid="ignore"):
        ref = np.fmod(a, b).astype(dtype)
    if not np.issubdtype(dtype, np.floating):
        ref = np.where(b == 0, 0, ref).astype(dtype)
    text = f"nn.rem %a, %b : ({tensor(a)}, {tensor(b)}) -> {tensor(ref)}"
    out = run_op(text, [a, b], ref)
    if np.issubdtype(dtype, np.floating):
        assert_close(out, ref, rtol=1e-6, atol=1e-6)
    else:
        np.testing.assert_array_equal(out, ref)


@pytest.mark.parametrize("dtype", [np.int32, np.int8, np.uint16])
@pytest.mark.parametrize("op", ["shift_left", "shift_right"])
def test_shifts(dtype, op):
    """numpy's << and >>: arithmetic right shifts for signed integers; a
    shift by the width or more gives 0 (or all sign bits)."""
    info = np.iinfo(dtype)
    a = rng(13).integers(info.min, info.max, (3, 9), endpoint=True).astype(dtype)
    b = np.array([0, 1, 2, 5, info.bits - 1, info.bits, info.bits + 3, 7, 3],
                 dtype)
    clipped = np.minimum(b, info.bits - 1).astype(dtype)
    with np.errstate(over="ignore"):
        if op == "shift_left":
            ref = np.where(b >= info.bits, 0, a << clipped)
        else:
            ref = np.where((b >= info.bits) & (a >= 0), 0, a >> clipped)
    ref = ref.astype(dtype)
    text = f"nn.{op} %a, %b : ({tensor(a)}, {tensor(b)}) -> {tensor(ref)}"
    np.testing.assert_array_equal(run_op(text, [a, b], ref), ref)
