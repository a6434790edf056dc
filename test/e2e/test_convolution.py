"""End-to-end numeric tests of nn.conv2d against
torch.nn.functional.conv2d in float64.

Covers strides, dilations, symmetric and asymmetric padding (nn's padding is
[top, left, bottom, right]; the torch reference pads with F.pad first),
grouped and depthwise convolutions (with channel multiplier 2), bias or none,
odd spatial sizes and batches 1 and 2.

Tolerance: float32 accumulation against a float64 reference: rtol=1e-5 plus
atol=1e-5 * max|reference| (one missing filter tap moves an element by
~0.1-1, far above that).
"""

import subprocess

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kiln_e2e import BUILD, assert_close, rng, run, run_op, tensor_type


def tensor(array):
    return tensor_type(array.shape, array.dtype)


def check(actual, ref64, rtol=1e-5, scale=1e-5, dtype=np.float32):
    ref = np.asarray(ref64).astype(dtype)
    atol = scale * float(np.abs(ref64).max()) if ref.size else 0.0
    assert_close(actual, ref, rtol=rtol, atol=atol)


def conv_reference(x, w, b, strides, padding, dilations, groups):
    """float64 torch conv2d; padding is nn's [top, left, bottom, right]."""
    top, left, bottom, right = padding
    xt = F.pad(torch.from_numpy(x.astype(np.float64)), (left, right, top, bottom))
    bt = None if b is None else torch.from_numpy(b.astype(np.float64))
    out = F.conv2d(xt, torch.from_numpy(w.astype(np.float64)), bt,
                   stride=tuple(strides), dilation=tuple(dilations),
                   groups=groups)
    return out.numpy()


def conv_case(input_shape, features, kernel, strides=None, padding=None,
              dilations=None, groups=1, bias=True, dtype=np.float32, seed=0):
    """Runs one nn.conv2d (attributes left out when None) and returns
    (kiln result, float64 reference)."""
    n, c, h, w_ = input_shape
    r = rng(seed)
    x = r.uniform(-1, 1, input_shape).astype(dtype)
    w = r.uniform(-1, 1, (features, c // groups) + tuple(kernel)).astype(dtype)
    b = r.uniform(-1, 1, (features,)).astype(dtype) if bias else None
    ref = conv_reference(x, w, b, strides or [1, 1], padding or [0, 0, 0, 0],
                         dilations or [1, 1], groups)
    inputs = [x, w] + ([b] if bias else [])
    attrs = ""
    if strides is not None:
        attrs += f" strides {list(strides)}"
    if padding is not None:
        attrs += f" padding {list(padding)}"
    if dilations is not None:
        attrs += f" dilations {list(dilations)}"
    if groups != 1:
        attrs += f" groups {groups}"
    names = ", ".join("%" + chr(ord("a") + i) for i in range(len(inputs)))
    types = ", ".join(tensor(t) for t in inputs)
    text = (f"nn.conv2d {names}{attrs} : ({types}) -> "
            f"{tensor_type(ref.shape, dtype)}")
    return run_op(text, inputs, ref.astype(dtype)), ref


# kwargs of conv_case.
CASES = {
    "basic_3x3": dict(input_shape=(1, 3, 9, 9), features=4, kernel=(3, 3)),
    "basic_no_bias": dict(input_shape=(2, 3, 9, 11), features=4,
                          kernel=(3, 3), bias=False),
    "stride2_pad1": dict(input_shape=(2, 3, 17, 13), features=5, kernel=(3, 3),
                         strides=(2, 2), padding=(1, 1, 1, 1)),
    "stride_2x3_kernel_3x5": dict(input_shape=(1, 4, 15, 19), features=6,
                                  kernel=(3, 5), strides=(2, 3),
                                  padding=(1, 2, 1, 2)),
    "stride3_no_pad": dict(input_shape=(2, 2, 16, 17), features=3,
                           kernel=(2, 2), strides=(3, 3), bias=False),
    "dilation2_pad2": dict(input_shape=(1, 3, 13, 13), features=4,
                           kernel=(3, 3), padding=(2, 2, 2, 2),
                           dilations=(2, 2)),
    "dilation_2x3_stride2": dict(input_shape=(2, 2, 17, 19), features=3,
                                 kernel=(3, 3), strides=(2, 2),
                                 dilations=(2, 3), bias=False),
    "asym_pad_0123": dict(input_shape=(1, 3, 9, 7), features=4, kernel=(3, 3),
                          padding=(0, 1, 2, 3)),
    "asym_pad_2011_stride2": dict(input_shape=(2, 3, 11, 10), features=5,
                                  kernel=(3, 3), strides=(2, 2),
                                  padding=(2, 0, 1, 1)),
    "asym_pad_dilated": dict(input_shape=(1, 2, 12, 9), features=3,
                             kernel=(2, 3), padding=(3, 0, 0, 2),
                             dilations=(2, 1)),
    "groups2": dict(input_shape=(1, 4, 9, 9), features=6, kernel=(3, 3),
                    padding=(1, 1, 1, 1), groups=2),
    "groups3_stride2_asym": dict(input_shape=(2, 6, 11, 13), features=9,
                                 kernel=(3, 3), strides=(2, 2),
                                 padding=(1, 0, 0, 1), groups=3, bias=False),
    "depthwise": dict(input_shape=(1, 8, 15, 15), features=8, kernel=(3, 3),
                      padding=(1, 1, 1, 1), groups=8),
    "depthwise_no_bias_b2": dict(input_shape=(2, 7, 10, 9), features=7,
                                 kernel=(3, 3), strides=(2, 2),
                                 padding=(1, 1, 1, 1), groups=7, bias=False),
    "depthwise_dilated_stride2": dict(input_shape=(1, 4, 13, 12), features=4,
                                      kernel=(3, 3), strides=(2, 2),
                                      padding=(2, 2, 2, 2), dilations=(2, 2),
                                      groups=4),
    "depthwise_multiplier2": dict(input_shape=(1, 5, 11, 11), features=10,
                                  kernel=(3, 3), strides=(2, 2),
                                  padding=(1, 1, 1, 1), groups=5),
    "depthwise_multiplier2_dilated": dict(input_shape=(2, 3, 13, 12),
                                          features=6, kernel=(3, 3),
                                          padding=(2, 2, 2, 2),
                                          dilations=(2, 2), groups=3,
                                          bias=False),
    "pointwise_1x1": dict(input_shape=(2, 17, 7, 9), features=33,
                          kernel=(1, 1), bias=False),
    "kernel_5x1": dict(input_shape=(1, 3, 9, 5), features=2, kernel=(5, 1),
                       padding=(2, 0, 2, 0)),
    "kernel_covers_input": dict(input_shape=(2, 3, 5, 5), features=7,
                                kernel=(5, 5)),
    "single_pixel": dict(input_shape=(1, 1, 1, 1), features=1, kernel=(1, 1)),
    "resnet_stem_7x7": dict(input_shape=(1, 3, 31, 31), features=8,
                            kernel=(7, 7), strides=(2, 2),
                            padding=(3, 3, 3, 3)),
    "wide_16_to_32": dict(input_shape=(1, 16, 32, 32), features=32,
                          kernel=(3, 3), padding=(1, 1, 1, 1)),
    "channels_65_to_129": dict(input_shape=(1, 65, 9, 9), features=129,
                               kernel=(3, 3), padding=(1, 1, 1, 1)),
}


# Convolutions large enough that their patch tiles are packed straight from
# the input, which then reads the unpadded input and writes the padding's
# zeros itself (kiln-cpu-pack-tiles; the tiled IR of each is checked to take
# that path): asymmetric padding, padding wider than the kernel's reach
# (whole rows and columns of zeros), strides, dilations, a batch of 2.
UNPADDED_PACKING = {
    "pad1_3x3": dict(input_shape=(1, 16, 30, 30), features=32, kernel=(3, 3),
                     padding=(1, 1, 1, 1)),
    "asymmetric_stride2": dict(input_shape=(1, 16, 31, 31), features=32,
                               kernel=(3, 3), strides=(2, 2),
                               padding=(2, 0, 1, 3)),
    "dilated_5x5": dict(input_shape=(1, 8, 20, 20), features=32, kernel=(5, 5),
                        dilations=(2, 2), padding=(4, 4, 4, 4)),
    "stem_7x7_stride2": dict(input_shape=(1, 4, 40, 40), features=32,
                             kernel=(7, 7), strides=(2, 2),
                             padding=(3, 3, 3, 3)),
    "padding_beyond_reach": dict(input_shape=(1, 16, 12, 40), features=32,
                                 kernel=(3, 3), padding=(3, 3, 3, 3)),
    "batch2": dict(input_shape=(2, 16, 28, 28), features=32, kernel=(3, 3),
                   padding=(1, 1, 1, 1)),
}


@pytest.mark.parametrize("name", list(UNPADDED_PACKING))
def test_conv2d_packed_from_unpadded_input(name):
    case = UNPADDED_PACKING[name]
    n, c, h, w = case["input_shape"]
    kh, kw = case["kernel"]
    sh, sw = case.get("strides", (1, 1))
    dh, dw = case.get("dilations", (1, 1))
    top, left, bottom, right = case["padding"]
    oh = (h + top + bottom - dh * (kh - 1) - 1) // sh + 1
    ow = (w + left + right - dw * (kw - 1) - 1) // sw + 1
    x = tensor_type((n, c, h, w))
    f = tensor_type((case["features"], c, kh, kw))
    out = tensor_type((n, case["features"], oh, ow))
    program = f"""func.func @f(%x: {x}, %w: {f}) -> {out} {{
  %0 = nn.conv2d %x, %w strides [{sh}, {sw}] padding [{top}, {left}, {bottom}, {right}] dilations [{dh}, {dw}] : ({x}, {f}) -> {out}
  return %0 : {out}
}}"""
    tiled = subprocess.run(
        [str(BUILD / "bin" / "kiln-opt"), "-",
         "--kiln-codegen=stop-after=tiled threads=2"],
        input=program, capture_output=True, text=True, check=True).stdout
    assert "tensor.pad" not in tiled and "scf.index_switch" in tiled, \
        "the patch tiles are not packed from the unpadded input"
    actual, ref = conv_case(**case, seed=len(name))
    check(actual, ref)


@pytest.mark.parametrize("name", list(CASES))
def test_conv2d(name):
    actual, ref = conv_case(**CASES[name], seed=len(name))
    check(actual, ref)


def test_conv2d_f64():
    """float64 convolution keeps float64 accuracy (rtol 1e-12)."""
    actual, ref = conv_case((1, 3, 9, 8), 4, (3, 3), strides=(2, 1),
                            padding=(1, 0, 1, 2), groups=1, dtype=np.float64)
    check(actual, ref, rtol=1e-12, scale=1e-12, dtype=np.float64)


def test_conv2d_exact_integers_in_float():
    """Small integer values: every partial sum is exact in float32, so the
    result must be bit-exact (a wrong tap, offset or pad value shows up
    whatever the tolerance)."""
    r = rng(21)
    x = r.integers(-3, 4, (2, 4, 11, 10)).astype(np.float32)
    w = r.integers(-3, 4, (6, 2, 3, 3)).astype(np.float32)
    b = r.integers(-3, 4, (6,)).astype(np.float32)
    ref = conv_reference(x, w, b, (2, 1), (1, 2, 0, 1), (1, 2), 2)
    ref = ref.astype(np.float32)
    text = (f"nn.conv2d %a, %b, %c strides [2, 1] padding [1, 2, 0, 1] "
            f"dilations [1, 2] groups 2 : ({tensor(x)}, {tensor(w)}, "
            f"{tensor(b)}) -> {tensor(ref)}")
    assert_close(run_op(text, [x, w, b], ref), ref, rtol=0, atol=0)


def constant(array):
    """An MLIR constant of `array` (its raw bytes in hex)."""
    return (f'arith.constant dense<"0x{array.tobytes().hex().upper()}"> : '
            f"{tensor(array)}")


def conv_constant_filter(x, w, b, strides, padding):
    """Kiln's conv2d of `x` with the filter and bias `w`, `b` as constants of
    the program (as in a model compiled for inference)."""
    ref = conv_reference(x, w, b, strides, padding, (1, 1), 1)
    out = tensor_type(ref.shape)
    program = f"""
func.func @main(%x: {tensor(x)}) -> {out} {{
  %w = {constant(w)}
  %b = {constant(b)}
  %0 = nn.conv2d %x, %w, %b strides {list(strides)} padding {list(padding)} : ({tensor(x)}, {tensor(w)}, {tensor(b)}) -> {out}
  return %0 : {out}
}}
"""
    return run(program, [x])[0], ref


# Constant filters, at least as many filters as output positions and
# reductions of at least 256: computed positions-major (the heuristic's `transposed`), like ResNet-18's 14x14
# and 7x7 layers. Partial register tiles on both sides (49 = 3 x 14 + 7
# positions, 72 and 40 filters), a stride, a 1x1 kernel.
POSITIONS_MAJOR = {
    "7x7": dict(x=(1, 32, 7, 7), w=(72, 32, 3, 3), strides=(1, 1),
                padding=(1, 1, 1, 1)),
    "stride2": dict(x=(1, 32, 14, 14), w=(64, 32, 3, 3), strides=(2, 2),
                    padding=(1, 1, 1, 1)),
    "1x1_stride2": dict(x=(1, 256, 12, 12), w=(40, 256, 1, 1), strides=(2, 2),
                        padding=(0, 0, 0, 0)),
}


@pytest.mark.parametrize("name", list(POSITIONS_MAJOR))
def test_conv2d_positions_major(name):
    case = POSITIONS_MAJOR[name]
    r = rng(len(name))
    x = r.uniform(-1, 1, case["x"]).astype(np.float32)
    w = r.uniform(-1, 1, case["w"]).astype(np.float32)
    b = r.uniform(-1, 1, case["w"][:1]).astype(np.float32)
    actual, ref = conv_constant_filter(x, w, b, case["strides"],
                                       case["padding"])
    check(actual, ref)


def test_conv2d_positions_major_exact():
    """Positions-major (the result transposed back and added to the bias),
    small integers: every partial sum is exact in float32, so the result
    must be bit-exact."""
    r = rng(22)
    x = r.integers(-3, 4, (1, 32, 5, 5)).astype(np.float32)
    w = r.integers(-3, 4, (40, 32, 3, 3)).astype(np.float32)
    b = r.integers(-3, 4, (40,)).astype(np.float32)
    actual, ref = conv_constant_filter(x, w, b, (1, 1), (0, 0, 0, 0))
    assert_close(actual, ref.astype(np.float32), rtol=0, atol=0)
