"""Unsigned integers (ui8 ... ui64) end to end against numpy: arithmetic
with wraparound and division by zero, comparisons and conversions where the
unsigned reading differs from the signed one (values of 128 and up in ui8),
max pooling, and ONNX models with UINT8 images through kiln-run and a
kiln-compile executable."""

import pathlib
import subprocess
import tempfile

import numpy as np
import pytest
from onnx import helper

from kiln_e2e import BUILD, rng, run, run_op, run_with_npy, tensor_type
from onnx_models import make_model, run_onnx

UNSIGNED = [np.uint8, np.uint16, np.uint32, np.uint64]


def values(dtype, shape, seed):
    """Random values over the whole range of `dtype`, zeros included."""
    info = np.iinfo(dtype)
    x = rng(seed).integers(0, info.max, shape, dtype=dtype, endpoint=True)
    x.flat[::5] = 0
    return x


@pytest.mark.parametrize("dtype", UNSIGNED)
@pytest.mark.parametrize("op,ref", [
    ("add", np.add), ("sub", np.subtract), ("mul", np.multiply),
    ("maximum", np.maximum), ("minimum", np.minimum)])
def test_binary(dtype, op, ref):
    a, b = values(dtype, (3, 17), 1), values(dtype, (17,), 2)
    expected = ref(a, b)  # numpy wraps around, as Kiln does
    text = (f"nn.{op} %a, %b : ({tensor_type(a.shape, dtype)}, "
            f"{tensor_type(b.shape, dtype)}) -> {tensor_type(expected.shape, dtype)}")
    np.testing.assert_array_equal(run_op(text, [a, b], expected), expected)


@pytest.mark.parametrize("dtype", UNSIGNED)
def test_divide(dtype):
    """Unsigned quotients (large values too); x / 0 is 0, as in numpy."""
    a, b = values(dtype, (4, 9), 3), values(dtype, (4, 9), 4) >> 3
    b.flat[::7] = 0
    with np.errstate(divide="ignore"):
        expected = a // b
    text = (f"nn.div %a, %b : ({tensor_type(a.shape, dtype)}, "
            f"{tensor_type(b.shape, dtype)}) -> {tensor_type(a.shape, dtype)}")
    np.testing.assert_array_equal(run_op(text, [a, b], expected), expected)


@pytest.mark.parametrize("op,ref", [
    ("less", np.less), ("less_equal", np.less_equal), ("greater", np.greater),
    ("greater_equal", np.greater_equal), ("equal", np.equal)])
def test_compare(op, ref):
    a, b = values(np.uint8, (5, 13), 5), values(np.uint8, (13,), 6)
    expected = ref(a, b)
    text = (f"nn.{op} %a, %b : ({tensor_type(a.shape, np.uint8)}, "
            f"{tensor_type(b.shape, np.uint8)}) -> {tensor_type(expected.shape, np.bool_)}")
    np.testing.assert_array_equal(run_op(text, [a, b], expected), expected)


@pytest.mark.parametrize("source,target", [
    (np.uint8, np.float32), (np.uint64, np.float64), (np.uint8, np.uint32),
    (np.uint8, np.int32), (np.uint32, np.uint8), (np.uint16, np.int8),
    (np.int8, np.uint8), (np.int8, np.uint16), (np.uint8, np.bool_),
    (np.float32, np.uint8)])
def test_cast(source, target):
    """numpy's astype: unsigned values widen with zeros, signed ones with
    their sign, narrowing wraps around, floats truncate."""
    if source == np.float32:
        x = rng(7).uniform(0, 255.9, (6, 7)).astype(np.float32)
    elif source == np.int8:
        x = rng(7).integers(-128, 128, (6, 7)).astype(np.int8)
    else:
        x = values(source, (6, 7), 7)
    expected = x.astype(target)
    text = (f"nn.cast %a : {tensor_type(x.shape, source)} -> "
            f"{tensor_type(x.shape, target)}")
    np.testing.assert_array_equal(run_op(text, [x], expected), expected)


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int32, np.uint64])
def test_max_pool(dtype):
    info = np.iinfo(dtype)
    x = rng(8).integers(info.min, info.max, (2, 3, 7, 7), dtype=dtype,
                        endpoint=True)
    program = f"""
func.func @main(%x: {tensor_type(x.shape, dtype)}) -> {tensor_type((2, 3, 4, 4), dtype)} {{
  %0 = nn.max_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1]
      : {tensor_type(x.shape, dtype)} -> {tensor_type((2, 3, 4, 4), dtype)}
  return %0 : {tensor_type((2, 3, 4, 4), dtype)}
}}
"""
    padded = np.pad(x, [(0, 0), (0, 0), (1, 1), (1, 1)], constant_values=info.min)
    expected = np.empty((2, 3, 4, 4), dtype)
    for i in range(4):
        for j in range(4):
            expected[:, :, i, j] = padded[:, :, 2 * i:2 * i + 3,
                                          2 * j:2 * j + 3].max(axis=(2, 3))
    np.testing.assert_array_equal(run(program, [x])[0], expected)


def image_model():
    """A UINT8 image scaled to [0, 1] and thresholded at a UINT8 level:
    Cast, Div, and a Greater on the raw bytes."""
    image = np.zeros((1, 3, 4, 4), np.uint8)
    nodes = [helper.make_node("Cast", ["image"], ["f"], to=1),
             helper.make_node("Div", ["f", "scale"], ["scaled"]),
             helper.make_node("Greater", ["image", "level"], ["bright"])]
    return make_model(nodes, {"image": image},
                      {"scaled": (np.float32, image.shape),
                       "bright": (np.bool_, image.shape)},
                      [("scale", np.array(255, np.float32)),
                       ("level", np.array(200, np.uint8))])


def test_onnx_uint8_image():
    image = values(np.uint8, (1, 3, 4, 4), 9)
    scaled, bright = run_onnx(image_model(), [image], num_outputs=2)
    np.testing.assert_allclose(scaled, image / np.float32(255), rtol=1e-6)
    np.testing.assert_array_equal(bright, image > 200)


def test_onnx_uint8_image_executable():
    """kiln-compile: the executable's --help and C ABI dtype say uint8, and
    it reads a uint8 .npy file."""
    image = values(np.uint8, (1, 3, 4, 4), 10)
    with tempfile.TemporaryDirectory(prefix="kiln-uint8-") as tmp:
        tmp = pathlib.Path(tmp)
        (tmp / "image.onnx").write_bytes(image_model().SerializeToString())
        subprocess.run([str(BUILD / "bin" / "kiln-compile"),
                        str(tmp / "image.onnx"), "-o", str(tmp / "image")],
                       check=True, capture_output=True, text=True)
        help_text = subprocess.run([str(tmp / "image"), "--help"], check=True,
                                   capture_output=True, text=True).stdout
        assert "image: uint8 [1, 3, 4, 4]" in help_text, help_text
        scaled, bright = run_with_npy([str(tmp / "image")], [image], 2, tmp)
    np.testing.assert_allclose(scaled, image / np.float32(255), rtol=1e-6)
    np.testing.assert_array_equal(bright, image > 200)
