"""End-to-end tests of the nn data movement ops (reshape, transpose, concat,
slice, flatten, pad, broadcast_to, gather) against numpy, in float32 and in
the other element types kiln-run reads and writes (int32, int64, bool,
float16, float64).

Tolerance: none. These ops only move or copy elements, so every result must
equal numpy's bit for bit, with numpy's shape and dtype.
"""

import numpy as np
import pytest

from kiln_e2e import rng, run, run_op, tensor_type

DTYPES = [np.float32, np.int32, np.int64, np.bool_, np.float16, np.float64]
DTYPE_IDS = [np.dtype(d).name for d in DTYPES]


def tensor(array):
    return tensor_type(array.shape, array.dtype)


def sample(shape, dtype=np.float32, seed=0):
    """Distinct-looking values of any dtype (ints in [-100, 100), bools,
    floats exactly representable in float16)."""
    r = rng(seed)
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return r.integers(0, 2, shape).astype(np.bool_)
    if dtype.kind == "i":
        return r.integers(-100, 100, shape).astype(dtype)
    return (r.integers(-2048, 2048, shape) / 8).astype(dtype)


def assert_exact(actual, expected):
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    np.testing.assert_array_equal(actual, expected)


# ---------------------------------------------------------------- reshape

RESHAPES = [
    ((2, 3, 4), [4, -1]),
    ((2, 3, 4), [24]),
    ((6,), [1, 2, 1, 3]),
    ((2, 3, 5), [-1, 5, 2]),
    ((1, 16, 5, 5), [1, -1]),
    ((17, 3), [3, 17]),
    ((7,), [7]),
]


@pytest.mark.parametrize("shape,new", RESHAPES, ids=str)
def test_reshape(shape, new):
    x = sample(shape, seed=1)
    ref = x.reshape(new)
    text = f"nn.reshape %a {new} : {tensor(x)} -> {tensor(ref)}"
    assert_exact(run_op(text, [x], ref), ref)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_reshape_dtypes(dtype):
    x = sample((2, 3, 5), dtype, seed=2)
    ref = x.reshape(5, -1)
    text = f"nn.reshape %a [5, -1] : {tensor(x)} -> {tensor(ref)}"
    assert_exact(run_op(text, [x], ref), ref)


# -------------------------------------------------------------- transpose

TRANSPOSES = [
    ((3, 17), [1, 0]),
    ((2, 3, 5), [2, 0, 1]),
    ((1, 3, 8, 9), [0, 2, 3, 1]),
    ((2, 3, 4, 5), [3, 2, 1, 0]),
    ((4, 1, 7), [1, 0, 2]),
    ((33, 65), [1, 0]),
]


@pytest.mark.parametrize("shape,perm", TRANSPOSES, ids=str)
def test_transpose(shape, perm):
    x = sample(shape, seed=3)
    ref = np.ascontiguousarray(x.transpose(perm))
    text = f"nn.transpose %a {perm} : {tensor(x)} -> {tensor(ref)}"
    assert_exact(run_op(text, [x], ref), ref)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_transpose_dtypes(dtype):
    x = sample((2, 3, 5), dtype, seed=4)
    ref = np.ascontiguousarray(x.transpose(1, 2, 0))
    text = f"nn.transpose %a [1, 2, 0] : {tensor(x)} -> {tensor(ref)}"
    assert_exact(run_op(text, [x], ref), ref)


# ----------------------------------------------------------------- concat

CONCATS = [
    ([(2, 3), (5, 3)], 0),
    ([(2, 3, 4), (2, 1, 4), (2, 5, 4)], 1),
    ([(3, 4), (3, 7)], -1),
    ([(2, 1, 3), (2, 4, 3), (2, 2, 3)], -2),
    ([(1, 16, 8, 8), (1, 32, 8, 8)], 1),
    ([(5, 2)], 1),  # a single input
]


def concat_case(shapes, axis, dtype, seed):
    xs = [sample(s, dtype, seed=seed + i) for i, s in enumerate(shapes)]
    ref = np.concatenate(xs, axis=axis)
    names = ", ".join("%" + chr(ord("a") + i) for i in range(len(xs)))
    text = (f"nn.concat {names} axis {axis} : "
            f"({', '.join(tensor(x) for x in xs)}) -> {tensor(ref)}")
    assert_exact(run_op(text, xs, ref), ref)


@pytest.mark.parametrize("shapes,axis", CONCATS, ids=str)
def test_concat(shapes, axis):
    concat_case(shapes, axis, np.float32, seed=5)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_concat_dtypes(dtype):
    concat_case([(2, 1, 3), (2, 4, 3), (2, 2, 3)], -2, dtype, seed=6)


# ------------------------------------------------------------------ slice

# (shape, starts, ends, steps or None)
SLICES = [
    ((4, 16), [0, 2], [4, 10], [1, 2]),
    ((2, 3, 9, 9), [0, 1, 2, 0], [2, 3, 9, 9], [1, 1, 2, 3]),
    ((17,), [3], [17], [5]),
    ((17,), [0], [17], [16]),
    ((5, 7), [1, 2], [4, 6], None),
    ((5, 7), [4, 6], [5, 7], None),      # a single element
    ((6, 9), [0, 0], [6, 9], [1, 1]),    # everything
    ((3, 10, 4), [1, 1, 0], [3, 10, 4], [2, 4, 3]),
]


def slice_text(x, starts, ends, steps, ref):
    st = f" steps {steps}" if steps is not None else ""
    return (f"nn.slice %a starts {starts} ends {ends}{st} : {tensor(x)} -> "
            f"{tensor(ref)}")


@pytest.mark.parametrize("shape,starts,ends,steps", SLICES, ids=str)
def test_slice(shape, starts, ends, steps):
    x = sample(shape, seed=7)
    steps_ = steps or [1] * len(shape)
    ref = np.ascontiguousarray(
        x[tuple(slice(s, e, k) for s, e, k in zip(starts, ends, steps_))])
    assert_exact(run_op(slice_text(x, starts, ends, steps, ref), [x], ref), ref)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_slice_dtypes(dtype):
    x = sample((3, 10, 4), dtype, seed=8)
    ref = np.ascontiguousarray(x[1:3:1, 1:10:4, 0:4:3])
    text = slice_text(x, [1, 1, 0], [3, 10, 4], [1, 4, 3], ref)
    assert_exact(run_op(text, [x], ref), ref)


# ---------------------------------------------------------------- flatten

@pytest.mark.parametrize("axis", [None, 0, 1, 2, 4, -1, -3], ids=str)
def test_flatten(axis):
    """axis None means the default, 1; axis may equal the rank (4)."""
    x = sample((2, 3, 4, 5), seed=9)
    a = 1 if axis is None else axis if axis >= 0 else axis + x.ndim
    ref = x.reshape(int(np.prod(x.shape[:a])), -1)
    attr = "" if axis is None else f" axis {axis}"
    text = f"nn.flatten %a{attr} : {tensor(x)} -> {tensor(ref)}"
    assert_exact(run_op(text, [x], ref), ref)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_flatten_dtypes(dtype):
    x = sample((2, 3, 4), dtype, seed=10)
    ref = x.reshape(6, 4)
    text = f"nn.flatten %a axis 2 : {tensor(x)} -> {tensor(ref)}"
    assert_exact(run_op(text, [x], ref), ref)


# -------------------------------------------------------------------- pad

def pad_case(x, pads, mode=None, value=None):
    """nn pads are [b0, ..., bn-1, e0, ..., en-1]."""
    n = x.ndim
    widths = [(pads[d], pads[n + d]) for d in range(n)]
    if mode in (None, "constant"):
        fill = 0 if value is None else value
        ref = np.pad(x, widths, mode="constant",
                     constant_values=np.array(fill).astype(x.dtype))
    else:
        ref = np.pad(x, widths, mode={"reflect": "reflect", "edge": "edge"}[mode])
    attrs = (f" mode {mode}" if mode else "") + \
        (f" value {value!r}" if value is not None else "")
    text = f"nn.pad %a {pads}{attrs} : {tensor(x)} -> {tensor(ref)}"
    assert_exact(run_op(text, [x], ref), ref)


# (shape, pads, mode, value)
PADS = [
    ((1, 3, 8, 8), [0, 0, 1, 1, 0, 0, 1, 1], None, None),
    ((2, 5), [1, 2, 3, 0], None, 2.5),
    ((2, 5), [1, 2, 3, 0], "constant", -1.0),
    ((7,), [3, 2], None, None),
    ((1, 3, 8, 8), [0, 0, 2, 2, 0, 0, 2, 2], "reflect", None),
    ((2, 3, 9, 9), [0, 0, 1, 2, 0, 0, 2, 1], "reflect", None),
    ((4, 5), [3, 4, 2, 1], "reflect", None),  # pads up to size - 1
    ((1, 3, 8, 8), [0, 0, 2, 2, 0, 0, 2, 2], "edge", None),
    ((3, 1, 4), [1, 2, 0, 2, 3, 5], "edge", None),  # edge of a size-1 dim
    ((5,), [0, 0], "reflect", None),       # no padding at all
]


@pytest.mark.parametrize("shape,pads,mode,value", PADS, ids=str)
def test_pad(shape, pads, mode, value):
    pad_case(sample(shape, seed=11), pads, mode, value)


@pytest.mark.parametrize("mode,value", [(None, None), ("constant", 7.0),
                                        ("reflect", None), ("edge", None)],
                         ids=str)
@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.float16, np.float64],
                         ids=["int32", "int64", "float16", "float64"])
def test_pad_dtypes(dtype, mode, value):
    pad_case(sample((3, 4), dtype, seed=12), [1, 2, 2, 1], mode, value)


def test_pad_bool():
    pad_case(sample((3, 4), np.bool_, seed=13), [1, 0, 0, 2])
    pad_case(sample((3, 4), np.bool_, seed=13), [1, 2, 2, 1], "edge")


# ----------------------------------------------------------- broadcast_to

BROADCASTS = [
    ((16,), [8, 16]),
    ((3, 1), [2, 3, 5]),
    ((), [4, 3]),
    ((1, 1), [1, 1]),
    ((1, 7, 1), [3, 7, 9]),
    ((2, 1, 3), [4, 2, 5, 3]),
]


@pytest.mark.parametrize("shape,target", BROADCASTS, ids=str)
def test_broadcast_to(shape, target):
    x = sample(shape, seed=14)
    ref = np.ascontiguousarray(np.broadcast_to(x, target))
    text = f"nn.broadcast_to %a {target} : {tensor(x)} -> {tensor(ref)}"
    assert_exact(run_op(text, [x], ref), ref)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_broadcast_to_dtypes(dtype):
    x = sample((3, 1), dtype, seed=15)
    ref = np.ascontiguousarray(np.broadcast_to(x, (2, 3, 4)))
    text = f"nn.broadcast_to %a [2, 3, 4] : {tensor(x)} -> {tensor(ref)}"
    assert_exact(run_op(text, [x], ref), ref)


# ----------------------------------------------------------------- gather

# (data shape, indices, axis or None for the default 0)
GATHERS = [
    ((10, 4), np.array([3, 0, 9, 3], np.int64), None),
    ((10, 4), np.array([3, 0, 9, 3], np.int32), 0),
    ((10, 4), np.array([-1, -10, 2], np.int64), 0),        # negative
    ((5, 7, 3), np.array([[0, 6], [-7, -1], [3, 3]], np.int32), 1),
    ((5, 7, 3), np.array([[0, 6], [-7, -1], [3, 3]], np.int64), 1),
    ((5, 7, 3), np.array([2, -1], np.int64), -1),
    ((5, 7), np.array(4, np.int64), 0),                    # rank-0 indices
    ((5, 7), np.array(-2, np.int32), 1),
    ((1000, 64), np.array([[1, 999], [500, -1000]], np.int64), 0),
]


def gather_case(data, indices, axis):
    ref = np.take(data, indices, axis=0 if axis is None else axis)
    attr = "" if axis is None else f" axis {axis}"
    text = (f"nn.gather %a, %b{attr} : ({tensor(data)}, {tensor(indices)}) "
            f"-> {tensor(ref)}")
    assert_exact(run_op(text, [data, indices], ref), ref)


@pytest.mark.parametrize("shape,indices,axis", GATHERS, ids=str)
def test_gather(shape, indices, axis):
    gather_case(sample(shape, seed=16), indices, axis)


def test_gather_out_of_range_is_clamped():
    """Indices outside [-n, n) (undefined in ONNX) read the nearest element,
    never memory outside the data."""
    data = sample((5, 3), seed=20)
    indices = np.array([7, -9, 1 << 40, -(1 << 40), 4], np.int64)
    ref = np.take(data, np.clip(np.where(indices < 0, indices + 5, indices),
                                0, 4), axis=0)
    text = (f"nn.gather %a, %b : ({tensor(data)}, {tensor(indices)}) "
            f"-> {tensor(ref)}")
    assert_exact(run_op(text, [data, indices], ref), ref)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_gather_dtypes(dtype):
    gather_case(sample((5, 7, 3), dtype, seed=17),
                np.array([[0, -1], [4, 2]], np.int32), 1)


# ------------------------------------------------------- a chain of them

def test_shape_ops_chain():
    """Several data movement ops in one function (fusion and folding across
    them must keep the values)."""
    x = sample((2, 3, 4), seed=18)
    y = sample((2, 4, 3), seed=19)
    t = np.ascontiguousarray(x.transpose(0, 2, 1))
    c = np.concatenate([t, y], axis=-1)                 # 2x4x6
    s = np.ascontiguousarray(c[:, 1:4:2, ::2])          # 2x2x3
    p = np.pad(s, [(0, 0), (1, 0), (0, 2)], mode="edge")  # 2x3x5
    ref = p.reshape(-1, 5)                              # 6x5
    program = f"""
func.func @main(%x: {tensor(x)}, %y: {tensor(y)}) -> {tensor(ref)} {{
  %t = nn.transpose %x [0, 2, 1] : {tensor(x)} -> {tensor(t)}
  %c = nn.concat %t, %y axis -1 : ({tensor(t)}, {tensor(y)}) -> {tensor(c)}
  %s = nn.slice %c starts [0, 1, 0] ends [2, 4, 6] steps [1, 2, 2] : {tensor(c)} -> {tensor(s)}
  %p = nn.pad %s [0, 1, 0, 0, 0, 2] mode edge : {tensor(s)} -> {tensor(p)}
  %r = nn.reshape %p [-1, 5] : {tensor(p)} -> {tensor(ref)}
  return %r : {tensor(ref)}
}}
"""
    assert_exact(run(program, [x, y])[0], ref)

