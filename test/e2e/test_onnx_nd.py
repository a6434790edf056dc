"""ONNX convolutions and pooling beyond 2-D: Conv, ConvTranspose, MaxPool,
AveragePool and GlobalAveragePool over 1 and 3 spatial dimensions (Kiln
builds them from its 2-D ops), ConvTranspose with a weight computed at run
time, and MaxPool's Indices output, against PyTorch (rtol 1e-4, atol
1e-5; indices exactly)."""

import numpy as np
import pytest
from onnx import helper

from kiln_e2e import assert_close, rng
from onnx_models import make_model, run_onnx, run_single_node, torch_conv

R = rng(7)


def rand(*shape):
    return np.asarray(R.standard_normal(shape), np.float32)


@pytest.mark.parametrize("attrs,w_shape", [
    ({}, (4, 3, 2, 3, 3)),
    ({"strides": [2, 1, 2], "pads": [1, 0, 1, 1, 2, 0]}, (4, 3, 3, 3, 2)),
    ({"dilations": [2, 1, 2], "pads": [2, 1, 2, 2, 1, 2]}, (2, 3, 3, 3, 3)),
    ({"group": 3, "pads": [1, 1, 1, 1, 1, 1]}, (6, 1, 3, 3, 3)),
    ({"auto_pad": "SAME_UPPER", "strides": [2, 2, 2]}, (4, 3, 2, 2, 3)),
])
def test_conv3d(attrs, w_shape):
    import torch
    x, w, b = rand(2, 3, 6, 7, 8), rand(*w_shape), rand(w_shape[0])
    ref = torch_conv(torch, x, w, b, attrs)
    y = run_single_node("Conv", {"x": x}, ref.shape, attrs,
                        initializers=[("w", w), ("b", b)])
    assert_close(y, ref, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("spatial", [1, 2, 3])
@pytest.mark.parametrize("known_weight", [True, False])
def test_conv_transpose(spatial, known_weight):
    """PyTorch's conv_transposeNd with symmetric pads, output_padding and
    groups; the weight an initializer or a graph input (flipped by nn ops
    at run time)."""
    import torch
    f = torch.nn.functional
    x = rand(2, 4, *[5, 4, 3][:spatial])
    w = rand(4, 3, *[3, 2, 3][:spatial])
    b = rand(6)
    strides, pads = [2, 1, 3][:spatial], [1, 0, 1][:spatial]
    dilations, output_padding = [1, 2, 1][:spatial], [1, 0, 2][:spatial]
    conv = {1: f.conv_transpose1d, 2: f.conv_transpose2d,
            3: f.conv_transpose3d}[spatial]
    ref = conv(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b),
               stride=strides, padding=pads, output_padding=output_padding,
               groups=2, dilation=dilations).numpy()
    attrs = {"strides": strides, "pads": pads + pads, "group": 2,
             "dilations": dilations, "output_padding": output_padding}
    if known_weight:
        y = run_single_node("ConvTranspose", {"x": x}, ref.shape, attrs,
                            initializers=[("w", w), ("b", b)])
    else:
        y = run_single_node("ConvTranspose", {"x": x, "w": w}, ref.shape,
                            attrs, initializers=[("b", b)])
    assert_close(y, ref, rtol=1e-4, atol=1e-5)


def torch_pool(op, x, attrs):
    """PyTorch's pooling with ONNX's padding rules (pads applied first:
    -inf for MaxPool; counted or not for AveragePool)."""
    import torch
    f = torch.nn.functional
    n = x.ndim - 2
    k = attrs["kernel_shape"]
    s = attrs.get("strides", [1] * n)
    pads = attrs.get("pads", [0] * 2 * n)
    torch_pads = []
    for d in reversed(range(n)):
        torch_pads += [pads[d], pads[n + d]]
    xt = torch.from_numpy(x)
    if op == "MaxPool":
        pool = {1: f.max_pool1d, 2: f.max_pool2d, 3: f.max_pool3d}[n]
        return pool(f.pad(xt, torch_pads, value=-float("inf")), k, s,
                    dilation=attrs.get("dilations", [1] * n),
                    ceil_mode=bool(attrs.get("ceil_mode"))).numpy()
    pool = {1: f.avg_pool1d, 2: f.avg_pool2d, 3: f.avg_pool3d}[n]
    window = float(np.prod(k))
    sums = pool(f.pad(xt, torch_pads), k, s) * window
    if attrs.get("count_include_pad"):
        return (sums / window).numpy()
    counts = pool(f.pad(torch.ones_like(xt), torch_pads), k, s) * window
    return (sums / counts).numpy()


@pytest.mark.parametrize("op,attrs", [
    ("MaxPool", {"kernel_shape": [3], "strides": [2], "pads": [1, 1]}),
    ("MaxPool", {"kernel_shape": [2], "dilations": [3]}),
    ("AveragePool", {"kernel_shape": [3], "pads": [1, 2]}),
    ("AveragePool", {"kernel_shape": [3], "strides": [2], "pads": [1, 1],
                     "count_include_pad": 1}),
    ("MaxPool", {"kernel_shape": [2, 3, 2], "strides": [2, 2, 1],
                 "pads": [1, 0, 1, 0, 1, 1]}),
    ("MaxPool", {"kernel_shape": [2, 2, 2], "strides": [2, 2, 2],
                 "ceil_mode": 1}),
    ("MaxPool", {"kernel_shape": [2, 2, 2], "dilations": [2, 1, 2]}),
    ("AveragePool", {"kernel_shape": [3, 3, 3], "pads": [1, 1, 1, 1, 1, 1]}),
    ("AveragePool", {"kernel_shape": [2, 3, 2], "strides": [1, 2, 2],
                     "pads": [0, 1, 1, 1, 1, 0], "count_include_pad": 1}),
])
def test_pool(op, attrs):
    n = len(attrs["kernel_shape"])
    x = rand(2, 3, *[7, 6, 5][:n])
    ref = torch_pool(op, x, attrs)
    y = run_single_node(op, {"x": x}, ref.shape, attrs, opset=12)
    assert_close(y, ref, atol=1e-5)


@pytest.mark.parametrize("shape", [(2, 3, 9), (2, 3, 4, 5, 6)])
def test_global_pools(shape):
    x = rand(*shape)
    axes = tuple(range(2, x.ndim))
    out = shape[:2] + (1,) * (x.ndim - 2)
    assert_close(run_single_node("GlobalAveragePool", {"x": x}, out),
                 x.mean(axis=axes, keepdims=True), atol=1e-6)
    assert_close(run_single_node("GlobalMaxPool", {"x": x}, out),
                 x.max(axis=axes, keepdims=True))


@pytest.mark.parametrize("attrs", [
    {"kernel_shape": [2, 2], "strides": [2, 2]},
    {"kernel_shape": [3, 3], "strides": [2, 1], "pads": [1, 1, 1, 1]},
    {"kernel_shape": [2, 3], "dilations": [2, 1], "ceil_mode": 1},
    {"kernel_shape": [3, 2], "pads": [1, 0, 1, 1], "storage_order": 1},
    {"kernel_shape": [3], "strides": [2], "pads": [1, 1]},
])
def test_max_pool_indices(attrs):
    """MaxPool's Indices: PyTorch's per-plane argmax, offset by the plane
    (ONNX flattens batch and channels too); storage_order 1 counts
    column-major within the plane."""
    import torch
    f = torch.nn.functional
    n = len(attrs["kernel_shape"])
    x = rand(2, 3, *[7, 8][:n])
    pads = attrs.get("pads", [0] * 2 * n)
    assert pads[:n] == pads[n:] or n == 2, "PyTorch pads symmetrically"
    pool = f.max_pool1d if n == 1 else f.max_pool2d
    ref, plane_index = pool(
        torch.from_numpy(x), attrs["kernel_shape"], attrs.get("strides", [1] * n),
        padding=pads[:n] if pads[:n] == pads[n:] else 0,
        dilation=attrs.get("dilations", 1), ceil_mode=bool(attrs.get("ceil_mode")),
        return_indices=True)
    if pads[:n] != pads[n:]:
        # Asymmetric pads: pool the -inf padded input, then shift the
        # indices back into the unpadded input.
        xp = f.pad(torch.from_numpy(x), [pads[1], pads[3], pads[0], pads[2]],
                   value=-float("inf"))
        ref, padded_index = f.max_pool2d(
            xp, attrs["kernel_shape"], attrs.get("strides", [1] * n),
            dilation=attrs.get("dilations", 1), return_indices=True)
        width = xp.shape[3]
        plane_index = ((padded_index // width - pads[0]) * x.shape[3]
                       + padded_index % width - pads[1])
    ref, plane_index = ref.numpy(), plane_index.numpy()
    spatial = x.shape[2:]
    if attrs.get("storage_order") == 1:
        h, w = plane_index // spatial[1], plane_index % spatial[1]
        plane_index = w * spatial[0] + h
    planes = np.arange(x.shape[0] * x.shape[1]).reshape(x.shape[:2] + (1,) * n)
    expected = plane_index + planes * int(np.prod(spatial))
    node = helper.make_node("MaxPool", ["x"], ["y", "i"], **attrs)
    model = make_model([node], {"x": x}, {"y": (np.float32, ref.shape),
                                          "i": (np.int64, ref.shape)}, opset=12)
    y, indices = run_onnx(model, [x], num_outputs=2)
    assert_close(y, ref)
    np.testing.assert_array_equal(indices, expected)
