"""End-to-end numeric tests of nn.reduce_sum, nn.reduce_mean and
nn.reduce_max against numpy (float64 for the sums).

Tolerance: reduce_max only selects, so it is exact (rtol=0, atol=0). Sums and
means of up to 4096 float32 values: rtol=1e-5 and atol=1e-5 * max|reference|
for the mean, atol=1e-6 * (the sum of |x| over each output) for sums -- the
bound on float32 accumulation error grows with the magnitudes summed, not
with the (possibly cancelling) result.
"""

import numpy as np
import pytest

from kiln_e2e import assert_close, rng, run_op, tensor_type


def tensor(array):
    return tensor_type(array.shape, array.dtype)


NUMPY = {"reduce_sum": np.sum, "reduce_mean": np.mean, "reduce_max": np.max}

# (input shape, axes)
AXES = [
    ((2, 3, 17, 9), [0]),
    ((2, 3, 17, 9), [1]),
    ((2, 3, 17, 9), [3]),
    ((2, 3, 17, 9), [-1]),
    ((2, 3, 17, 9), [1, 3]),
    ((2, 3, 17, 9), [-1, 0]),       # unsorted and negative
    ((2, 3, 17, 9), [2, -3]),
    ((2, 3, 17, 9), [0, 1, 2, 3]),  # everything: a rank-0 result
    ((127,), [0]),
    ((3, 1000), [1]),               # a long row
    ((4096, 3), [-2]),              # a long column
    ((5, 1, 7), [1]),               # a size-1 axis
]


def reduce_text(op, x, axes, keepdims, out_shape):
    kd = " keepdims" if keepdims else ""
    return (f"nn.{op} %a axes {list(axes)}{kd} : {tensor(x)} -> "
            f"{tensor_type(out_shape, x.dtype)}")


def check_reduction(op, x, axes, keepdims):
    axes_t = tuple(axes)
    ref = NUMPY[op](x.astype(np.float64), axis=axes_t, keepdims=keepdims)
    ref = np.asarray(ref)
    text = reduce_text(op, x, axes, keepdims, ref.shape)
    out = run_op(text, [x], ref.astype(x.dtype))
    if op == "reduce_max":
        assert_close(out, ref.astype(x.dtype), rtol=0, atol=0)
    elif op == "reduce_sum":
        magnitude = np.abs(x.astype(np.float64)).sum(axis=axes_t,
                                                     keepdims=keepdims)
        assert_close(out, ref.astype(x.dtype), rtol=1e-5,
                     atol=1e-6 * float(magnitude.max()))
    else:
        assert_close(out, ref.astype(x.dtype), rtol=1e-5,
                     atol=1e-5 * float(np.abs(ref).max()))


@pytest.mark.parametrize("shape,axes", AXES, ids=str)
@pytest.mark.parametrize("op", sorted(NUMPY))
def test_reduction(op, shape, axes):
    x = rng(50 + len(shape)).uniform(-1, 1, shape).astype(np.float32) + 0.25
    check_reduction(op, x, axes, False)


KEEPDIMS_AXES = [[1, -1], [0], [-2], [0, 1, 2, 3]]


@pytest.mark.parametrize("axes", KEEPDIMS_AXES, ids=str)
@pytest.mark.parametrize("op", sorted(NUMPY))
def test_reduction_keepdims(op, axes):
    x = rng(53).uniform(-1, 1, (2, 3, 17, 9)).astype(np.float32) - 0.25
    check_reduction(op, x, axes, True)


@pytest.mark.parametrize("op", sorted(NUMPY))
def test_reduction_all_negative(op):
    """All inputs negative: a max initialized with 0 instead of -inf, or a
    sum that drops the first element, shows up."""
    x = -rng(51).uniform(1, 2, (3, 33)).astype(np.float32)
    check_reduction(op, x, [1], False)


@pytest.mark.parametrize("op", sorted(NUMPY))
def test_reduction_f64(op):
    """float64 input gives a float64 result of float64 accuracy (rtol and
    atol 1e-12 on O(1) values)."""
    x = rng(52).standard_normal((4, 9, 5))
    ref = np.asarray(NUMPY[op](x, axis=(0, 2)))
    text = reduce_text(op, x, [0, 2], False, ref.shape)
    out = run_op(text, [x], ref)
    assert_close(out, ref, rtol=1e-12, atol=1e-12)


def test_reduce_max_propagates_nan():
    """nn.maximum propagates NaN; reduce_max should agree with np.max."""
    x = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0]], dtype=np.float32)
    ref = np.max(x, axis=1)
    out = run_op(reduce_text("reduce_max", x, [1], False, ref.shape), [x], ref)
    assert np.isnan(out[0]) and out[1] == 6.0, out


@pytest.mark.parametrize("shape,axes", [((2, 3, 5), [1]), ((4, 6), [0, 1]),
                                        ((3, 7), [-1])])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduce_prod(shape, axes, keepdims):
    # Values near 1 keep the products in range.
    x = rng(3).uniform(0.5, 1.5, shape).astype(np.float32)
    ref = np.prod(x.astype(np.float64), axis=tuple(axes), keepdims=keepdims)
    ref = np.asarray(ref).astype(np.float32)
    out = run_op(reduce_text("reduce_prod", x, axes, keepdims, ref.shape), [x],
                 ref)
    assert_close(out, ref, rtol=1e-5, atol=1e-6)


def arg_reference(op, x, axis, keepdims, last):
    """numpy's argmax/argmin (first occurrence, NaN first); `last` takes the
    last of equal values."""
    fn = np.argmax if op == "arg_max" else np.argmin
    if last:
        flipped = np.flip(x, axis=axis)
        index = x.shape[axis] - 1 - fn(flipped, axis=axis)
    else:
        index = fn(x, axis=axis)
    if keepdims:
        index = np.expand_dims(index, axis)
    return index.astype(np.int64)


@pytest.mark.parametrize("op", ["arg_max", "arg_min"])
@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.uint8, np.int8])
@pytest.mark.parametrize("axis,keepdims,last", [
    (0, False, False), (1, True, False), (-1, False, True), (2, True, True)])
def test_arg_reductions(op, dtype, axis, keepdims, last):
    """Few distinct values, so that ties decide many positions."""
    x = rng(9).integers(0, 4, (3, 5, 7))
    if dtype == np.uint8:
        x = x + 250      # above 127: unsigned order differs from signed
    elif dtype == np.int8:
        x = x - 2
    x = x.astype(dtype)
    ref = arg_reference(op, x, axis, keepdims, last)
    attrs = (" keepdims" if keepdims else "") + (" select_last_index" if last else "")
    text = (f"nn.{op} %a axis {axis}{attrs} : {tensor(x)} -> "
            f"{tensor_type(ref.shape, np.int64)}")
    np.testing.assert_array_equal(run_op(text, [x], ref), ref)


def test_arg_max_nan():
    """A NaN wins (the first one), as in numpy."""
    x = np.array([[1, np.nan, 3, np.nan], [4, 5, 6, 2]], np.float32)
    for op in ["arg_max", "arg_min"]:
        ref = arg_reference(op, x, 1, False, False)
        text = f"nn.{op} %a axis 1 : {tensor(x)} -> {tensor_type((2,), np.int64)}"
        np.testing.assert_array_equal(run_op(text, [x], ref), ref)


# Long sums (kiln-codegen-split-reductions). Summed one element after another in
# float32, a sum of 2^26 ones stopped at 2^24 (the mean of an 8192x8192
# tensor of ones read 0.25) and the mean of uniform [0, 1) data read 0.25
# instead of 0.5. Blocked sums keep every chain of additions at most 256
# long. Tolerance: 2e-6 relative to the float64 result, the size of
# numpy's own float32 pairwise error on these inputs (checked below
# against numpy's float32 sum, within a factor of 4).


def test_mean_of_ones_2_26():
    x = np.ones((8192, 8192), np.float32)
    out = run_op(reduce_text("reduce_mean", x, [0, 1], False, ()), [x],
                 np.float32(1))
    assert abs(float(out) - 1.0) <= 1e-6, out


LONG = [
    ((1 << 22,), [0]),              # one long axis: blocks of one dim
    ((1000003,), [0]),              # a prime: blocks and a remainder
    ((8, 300007), [1]),             # rows of a prime length
    ((300007, 3), [0]),             # a long column
    ((64, 64, 1024), [0, 1, 2]),    # several reduced dims
    ((7, 513, 2051), [0, 2]),       # reduced dims around a kept one
    ((2, 3, 512, 512), [2, 3]),     # global pooling's shape
]


@pytest.mark.parametrize("shape,axes", LONG, ids=str)
@pytest.mark.parametrize("op", ["reduce_sum", "reduce_mean"])
def test_long_reduction_accuracy(op, shape, axes):
    x = rng(60).random(shape, dtype=np.float32)
    axes_t = tuple(axes)
    ref = np.asarray(NUMPY[op](x.astype(np.float64), axis=axes_t))
    out = run_op(reduce_text(op, x, axes, False, ref.shape), [x],
                 ref.astype(np.float32))
    error = np.abs(out.astype(np.float64) - ref) / np.abs(ref)
    numpy_error = np.abs(np.asarray(NUMPY[op](x, axis=axes_t), np.float64)
                         - ref) / np.abs(ref)
    assert error.max() <= max(2e-6, 4 * numpy_error.max()), (
        error.max(), numpy_error.max())


def test_long_reduction_keepdims_and_negative_axes():
    x = rng(61).standard_normal((3, 70001)).astype(np.float32)
    ref = np.sum(x.astype(np.float64), axis=-1, keepdims=True)
    out = run_op(reduce_text("reduce_sum", x, [-1], True, ref.shape), [x],
                 ref.astype(np.float32))
    magnitude = np.abs(x.astype(np.float64)).sum(axis=-1, keepdims=True)
    assert np.all(np.abs(out - ref) <= 2e-6 * magnitude), np.abs(out - ref).max()


def test_long_reduction_f16_accumulates_in_blocks():
    """float16 sums of 4096 ones: 2048 + 1 rounds back to 2048 in one chain;
    in blocks of 256 every partial sum is exact."""
    x = np.ones((4096,), np.float16)
    out = run_op(reduce_text("reduce_sum", x, [0], False, ()), [x],
                 np.float16(4096))
    assert float(out) == 4096.0, out


def test_global_avg_pool_of_large_maps():
    """GlobalAveragePool over 1024 x 1024 positions: the mean of ones is 1
    and of uniform data its float64 value to 2e-6."""
    x = np.ones((1, 2, 1024, 1024), np.float32)
    x[0, 1] = rng(62).random((1024, 1024), dtype=np.float32)
    ref = x.astype(np.float64).mean(axis=(2, 3), keepdims=True)
    text = (f"nn.global_avg_pool %a : {tensor(x)} -> "
            f"{tensor_type(ref.shape, np.float32)}")
    out = run_op(text, [x], ref.astype(np.float32))
    assert out[0, 0, 0, 0] == 1.0, out
    assert abs(out[0, 1, 0, 0] - ref[0, 1, 0, 0]) <= 2e-6 * ref[0, 1, 0, 0]
