"""End-to-end numeric tests of nn.max_pool2d, nn.avg_pool2d and
nn.global_avg_pool.

The reference is torch.nn.functional.max_pool2d / avg_pool2d in float64
wherever torch can express the case (symmetric padding of at most half the
kernel). Asymmetric or larger padding (which nn allows: anything smaller than
the dilated window) uses `pool_reference`, a direct numpy transcription of
the documented semantics, which test_reference_matches_torch checks against
torch on the cases both can express.

Tolerance: max pooling only selects elements, so it must be exact (rtol=0,
atol=0). Average pooling sums at most a few dozen float32 values and
divides: rtol=1e-5, atol=1e-6 on O(1) data. Global average pooling sums up
to 3136 values: rtol=1e-5, atol=1e-5 * max|reference|.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kiln_e2e import assert_close, rng, run_op, tensor_type


def tensor(array):
    return tensor_type(array.shape, array.dtype)


def output_size(size, kernel, stride, dilation, before, after, ceil):
    """nn's output size rule (PyTorch's, with asymmetric padding)."""
    span = size + before + after - (dilation * (kernel - 1) + 1)
    if not ceil:
        return span // stride + 1
    out = -(-span // stride) + 1
    if (out - 1) * stride >= size + before:
        out -= 1
    return out


def pool_reference(x, kind, kernel, strides, padding, dilations=(1, 1),
                   ceil=False, count_include_pad=False):
    """float64 pooling by the nn op descriptions: padding [t, l, b, r];
    padded positions never win a max; the average divides by the number of
    input positions, or (count_include_pad) by the positions inside the
    padded input, never those added by ceil rounding."""
    n, c, h, w = x.shape
    (kh, kw), (sh, sw), (dh, dw) = kernel, strides, dilations
    top, left, bottom, right = padding
    oh = output_size(h, kh, sh, dh, top, bottom, ceil)
    ow = output_size(w, kw, sw, dw, left, right, ceil)
    out = np.empty((n, c, oh, ow))
    x = x.astype(np.float64)
    for i in range(oh):
        rows = [i * sh - top + a * dh for a in range(kh)]
        for j in range(ow):
            cols = [j * sw - left + b * dw for b in range(kw)]
            vr = [r for r in rows if 0 <= r < h]
            vc = [q for q in cols if 0 <= q < w]
            window = x[:, :, vr][:, :, :, vc]
            if kind == "max":
                out[:, :, i, j] = window.max(axis=(2, 3))
            else:
                if count_include_pad:
                    count = (sum(-top <= r < h + bottom for r in rows) *
                             sum(-left <= q < w + right for q in cols))
                else:
                    count = len(vr) * len(vc)
                out[:, :, i, j] = window.sum(axis=(2, 3)) / count
    return out


def torch_reference(x, kind, kernel, strides, padding, dilations=(1, 1),
                    ceil=False, count_include_pad=False):
    top, left, bottom, right = padding
    assert top == bottom and left == right
    xt = torch.from_numpy(x.astype(np.float64))
    if kind == "max":
        out = F.max_pool2d(xt, tuple(kernel), tuple(strides), (top, left),
                           tuple(dilations), ceil_mode=ceil)
    else:
        out = F.avg_pool2d(xt, tuple(kernel), tuple(strides), (top, left),
                           ceil_mode=ceil, count_include_pad=count_include_pad)
    return out.numpy()


def torch_can_express(kernel, padding):
    top, left, bottom, right = padding
    return (top == bottom and left == right and top <= kernel[0] // 2 and
            left <= kernel[1] // 2)


def pool_text(kind, x, out_shape, kernel, strides, padding, dilations, ceil,
              count_include_pad):
    attrs = f" kernel {list(kernel)}"
    if strides is not None:
        attrs += f" strides {list(strides)}"
    if padding is not None:
        attrs += f" padding {list(padding)}"
    if dilations is not None:
        attrs += f" dilations {list(dilations)}"
    if ceil:
        attrs += " rounding ceil"
    if count_include_pad:
        attrs += " count_include_pad"
    return (f"nn.{kind}_pool2d %a{attrs} : {tensor(x)} -> "
            f"{tensor_type(out_shape, x.dtype)}")


def pool_case(kind, shape, kernel, strides=None, padding=None, dilations=None,
              ceil=False, count_include_pad=False, seed=0):
    x = rng(seed).uniform(-1, 1, shape).astype(np.float32)
    args = (kind, kernel, strides or (1, 1), padding or (0, 0, 0, 0),
            dilations or (1, 1), ceil, count_include_pad)
    if torch_can_express(kernel, args[3]):
        ref = torch_reference(x, *args)
    else:
        ref = pool_reference(x, *args)
    text = pool_text(kind, x, ref.shape, kernel, strides, padding, dilations,
                     ceil, count_include_pad)
    return run_op(text, [x], ref.astype(np.float32)), ref


# kwargs of pool_case (without kind).
MAX_CASES = {
    "k2_s2": dict(shape=(1, 3, 8, 8), kernel=(2, 2), strides=(2, 2)),
    "k2_s2_odd": dict(shape=(2, 3, 9, 7), kernel=(2, 2), strides=(2, 2)),
    "k3_default_stride": dict(shape=(1, 2, 7, 9), kernel=(3, 3)),
    "k3_s2_p1": dict(shape=(2, 4, 17, 13), kernel=(3, 3), strides=(2, 2),
                     padding=(1, 1, 1, 1)),
    "k3x2_s2x1_p1x0": dict(shape=(1, 3, 10, 11), kernel=(3, 2),
                           strides=(2, 1), padding=(1, 0, 1, 0)),
    "dilation2": dict(shape=(1, 2, 13, 13), kernel=(3, 3), padding=(1, 1, 1, 1),
                      dilations=(2, 2)),
    "dilation_2x3_s2": dict(shape=(2, 2, 15, 17), kernel=(2, 3),
                            strides=(2, 2), dilations=(2, 3)),
    "ceil_k2_s2": dict(shape=(1, 2, 7, 7), kernel=(2, 2), strides=(2, 2),
                       ceil=True),
    "ceil_k3_s2_p1": dict(shape=(2, 3, 10, 9), kernel=(3, 3), strides=(2, 2),
                          padding=(1, 1, 1, 1), ceil=True),
    # ceil would add a window starting in the trailing padding: dropped.
    "ceil_drops_window_in_padding": dict(shape=(1, 2, 4, 4), kernel=(2, 2),
                                         strides=(3, 3), padding=(1, 1, 1, 1),
                                         ceil=True),
    "ceil_dilated": dict(shape=(1, 2, 12, 11), kernel=(3, 3), strides=(2, 3),
                         dilations=(2, 1), padding=(1, 1, 1, 1), ceil=True),
    "asym_pad": dict(shape=(1, 3, 9, 8), kernel=(3, 3), strides=(2, 2),
                     padding=(0, 1, 2, 0)),
    "asym_pad_ceil": dict(shape=(2, 2, 8, 9), kernel=(3, 2), strides=(2, 2),
                          padding=(2, 0, 1, 1), ceil=True),
    "window_covers_input": dict(shape=(1, 3, 7, 7), kernel=(7, 7)),
    "resnet_k3_s2_p1": dict(shape=(1, 16, 56, 56), kernel=(3, 3),
                            strides=(2, 2), padding=(1, 1, 1, 1)),
    # Strided rows are read as contiguous spans and shuffled (kiln-cpu-
    # contiguous-strided-reads) up to stride 4; stride 5 reads elements.
    "k3_s3_wide": dict(shape=(1, 2, 9, 100), kernel=(3, 3), strides=(3, 3)),
    "k2_s4_wide": dict(shape=(1, 2, 8, 130), kernel=(2, 2), strides=(4, 4)),
    "k2_s5_wide": dict(shape=(1, 2, 10, 101), kernel=(2, 2), strides=(5, 5)),
}


@pytest.mark.parametrize("name", list(MAX_CASES))
def test_max_pool2d(name):
    """Exact: max pooling only selects elements."""
    actual, ref = pool_case("max", **MAX_CASES[name], seed=len(name))
    assert_close(actual, ref.astype(np.float32), rtol=0, atol=0)


def test_max_pool2d_all_negative_with_padding():
    """Padded positions count as -infinity, not 0: with all-negative input a
    border window must return an input value."""
    x = -rng(30).uniform(1, 2, (1, 2, 5, 5)).astype(np.float32)
    ref = torch_reference(x, "max", (3, 3), (2, 2), (1, 1, 1, 1))
    text = pool_text("max", x, ref.shape, (3, 3), (2, 2), (1, 1, 1, 1), None,
                     False, False)
    out = run_op(text, [x], ref.astype(np.float32))
    assert_close(out, ref.astype(np.float32), rtol=0, atol=0)


AVG_CASES = {
    "k2_s2": dict(shape=(1, 3, 8, 8), kernel=(2, 2), strides=(2, 2)),
    "k3_default_stride": dict(shape=(2, 2, 7, 9), kernel=(3, 3)),
    "k3_s2_p1": dict(shape=(2, 4, 17, 13), kernel=(3, 3), strides=(2, 2),
                     padding=(1, 1, 1, 1)),
    "k3_s2_p1_include_pad": dict(shape=(2, 4, 17, 13), kernel=(3, 3),
                                 strides=(2, 2), padding=(1, 1, 1, 1),
                                 count_include_pad=True),
    "k3x5_s1x2_p1x2": dict(shape=(1, 3, 9, 14), kernel=(3, 5), strides=(1, 2),
                           padding=(1, 2, 1, 2)),
    "k3x5_s1x2_p1x2_include_pad": dict(shape=(1, 3, 9, 14), kernel=(3, 5),
                                       strides=(1, 2), padding=(1, 2, 1, 2),
                                       count_include_pad=True),
    "ceil_k2_s2": dict(shape=(1, 2, 7, 7), kernel=(2, 2), strides=(2, 2),
                       ceil=True),
    "ceil_k3_s2_p1": dict(shape=(2, 3, 10, 9), kernel=(3, 3), strides=(2, 2),
                          padding=(1, 1, 1, 1), ceil=True),
    # positions added by ceil are not counted even with count_include_pad.
    "ceil_k3_s2_p1_include_pad": dict(shape=(2, 3, 10, 9), kernel=(3, 3),
                                      strides=(2, 2), padding=(1, 1, 1, 1),
                                      ceil=True, count_include_pad=True),
    "ceil_drops_window_in_padding": dict(shape=(1, 2, 4, 4), kernel=(2, 2),
                                         strides=(3, 3), padding=(1, 1, 1, 1),
                                         ceil=True, count_include_pad=True),
    "asym_pad": dict(shape=(1, 3, 9, 8), kernel=(3, 3), strides=(2, 2),
                     padding=(0, 1, 2, 0)),
    "asym_pad_include_pad": dict(shape=(1, 3, 9, 8), kernel=(3, 3),
                                 strides=(2, 2), padding=(0, 1, 2, 0),
                                 count_include_pad=True),
    "asym_pad_ceil_include_pad": dict(shape=(2, 2, 8, 9), kernel=(3, 2),
                                      strides=(2, 2), padding=(2, 0, 1, 1),
                                      ceil=True, count_include_pad=True),
    "window_covers_input": dict(shape=(1, 3, 7, 7), kernel=(7, 7)),
}


@pytest.mark.parametrize("name", list(AVG_CASES))
def test_avg_pool2d(name):
    """rtol 1e-5, atol 1e-6: a mean of at most 25 float32 values of O(1)."""
    actual, ref = pool_case("avg", **AVG_CASES[name], seed=len(name) + 100)
    assert_close(actual, ref.astype(np.float32), rtol=1e-5, atol=1e-6)


REFERENCE_CHECKS = [
    ("max", (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), True, False),
    ("max", (2, 2), (3, 3), (1, 1, 1, 1), (1, 1), True, False),
    ("max", (3, 3), (2, 3), (1, 1, 1, 1), (2, 1), True, False),
    ("avg", (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), True, True),
    ("avg", (2, 2), (3, 3), (1, 1, 1, 1), (1, 1), True, True),
    ("avg", (3, 5), (1, 2), (1, 2, 1, 2), (1, 1), False, False),
]


@pytest.mark.parametrize("args", REFERENCE_CHECKS, ids=str)
def test_reference_matches_torch(args):
    """pool_reference (used for what torch can't express) agrees with torch
    where both apply. Runs no Kiln code; cheap."""
    x = rng(31).uniform(-1, 1, (2, 2, 10, 11))
    np.testing.assert_allclose(pool_reference(x, *args),
                               torch_reference(x, *args), rtol=1e-12)


@pytest.mark.parametrize("shape", [(2, 3, 7, 9), (1, 64, 7, 7),
                                   (1, 4, 56, 56), (2, 5, 17), (3, 1, 1),
                                   (1, 2, 3, 4, 5)], ids=str)
def test_global_avg_pool(shape):
    """rtol 1e-5, atol 1e-5 * max|ref|: a mean of up to 3136 values."""
    x = rng(32).uniform(-1, 1, shape).astype(np.float32) + 0.5
    axes = tuple(range(2, len(shape)))
    ref = x.astype(np.float64).mean(axis=axes, keepdims=True)
    text = (f"nn.global_avg_pool %a : {tensor(x)} -> "
            f"{tensor_type(ref.shape)}")
    out = run_op(text, [x], ref.astype(np.float32))
    assert_close(out, ref.astype(np.float32), rtol=1e-5,
                 atol=1e-5 * np.abs(ref).max())
