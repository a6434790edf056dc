"""Helpers for the ONNX frontend tests: build small ONNX models with
onnx.helper (Debian python3-onnx) and run them through kiln-run, which
imports .onnx files directly."""

import pathlib
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from kiln_e2e import KILN_RUN, run_with_npy

ONNX_TYPES = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.float64): TensorProto.DOUBLE,
    np.dtype(np.int64): TensorProto.INT64,
    np.dtype(np.int32): TensorProto.INT32,
    np.dtype(np.int16): TensorProto.INT16,
    np.dtype(np.int8): TensorProto.INT8,
    np.dtype(np.uint8): TensorProto.UINT8,
    np.dtype(np.uint16): TensorProto.UINT16,
    np.dtype(np.uint32): TensorProto.UINT32,
    np.dtype(np.uint64): TensorProto.UINT64,
    np.dtype(np.bool_): TensorProto.BOOL,
}


def make_model(nodes, inputs, outputs, initializers=(), opset=13):
    """An ONNX model of `nodes`; `inputs` maps names to arrays (for their
    type and shape), `outputs` to (dtype, shape), `initializers` to arrays."""
    graph = helper.make_graph(
        nodes, "test",
        [helper.make_tensor_value_info(n, ONNX_TYPES[a.dtype], a.shape)
         for n, a in inputs.items()],
        [helper.make_tensor_value_info(n, ONNX_TYPES[np.dtype(d)], s)
         for n, (d, s) in outputs.items()],
        [numpy_helper.from_array(a, n) for n, a in dict(initializers).items()])
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)],
        producer_name="kiln-tests")
    model.ir_version = 8
    return model


def run_onnx(model, inputs, num_outputs=1, extra_args=()):
    """Saves `model`, runs it with kiln-run on `inputs` (a list in graph
    input order) and returns the outputs. Raises with kiln-run's stderr."""
    with tempfile.TemporaryDirectory(prefix="kiln-onnx-") as tmp:
        tmp = pathlib.Path(tmp)
        path = tmp / "model.onnx"
        data = model if isinstance(model, bytes) else model.SerializeToString()
        path.write_bytes(data)
        return run_with_npy([str(KILN_RUN), str(path)], inputs, num_outputs,
                            tmp, extra_args)


def run_single_node(op, inputs, output_shape, attrs=None, initializers=(),
                    opset=13, output_dtype=np.float32, extra_inputs=()):
    """One node `op` whose inputs are the graph inputs `inputs` (name ->
    array, passed at run time) followed by `initializers` (name -> array,
    constants of the model) and `extra_inputs` (names, e.g. "" for an
    omitted optional input)."""
    names = list(inputs) + [n for n, _ in initializers] + list(extra_inputs)
    node = helper.make_node(op, names, ["y"], **(attrs or {}))
    model = make_model([node], inputs, {"y": (output_dtype, output_shape)},
                       initializers, opset)
    return run_onnx(model, list(inputs.values()))[0]


def export_torch(module, example, opset, path, **kwargs):
    """torch.onnx.export of `module` on `example` to `path`."""
    import torch
    torch.onnx.export(module, example, str(path), opset_version=opset,
                      input_names=["input"], output_names=["output"],
                      **kwargs)
    onnx.checker.check_model(str(path))


def torch_conv(torch, x, w, b, attrs):
    """PyTorch's convolution with ONNX's padding rules."""
    f = torch.nn.functional
    strides = attrs.get("strides", [1] * (x.ndim - 2))
    dilations = attrs.get("dilations", [1] * (x.ndim - 2))
    kernel = w.shape[2:]
    pads = attrs.get("pads", [0] * 2 * (x.ndim - 2))
    mode = attrs.get("auto_pad", "NOTSET")
    n = x.ndim - 2
    if mode.startswith("SAME"):
        pads = [0] * 2 * n
        for d in range(n):
            out = -(-x.shape[2 + d] // strides[d])
            total = max(0, (out - 1) * strides[d] + dilations[d] * (kernel[d] - 1)
                        + 1 - x.shape[2 + d])
            pads[d] = total // 2 if mode == "SAME_UPPER" else total - total // 2
            pads[n + d] = total - pads[d]
    xt = torch.from_numpy(x)
    # F.pad takes the last dimension first.
    torch_pads = []
    for d in reversed(range(n)):
        torch_pads += [pads[d], pads[n + d]]
    xt = f.pad(xt, torch_pads)
    conv = {1: f.conv1d, 2: f.conv2d, 3: f.conv3d}[n]
    return conv(xt, torch.from_numpy(w), torch.from_numpy(b), stride=strides,
                dilation=dilations, groups=attrs.get("group", 1)).numpy()
