"""kiln.nn: write models as Python functions of tensors, without ONNX.

    import numpy as np, kiln
    from kiln import nn

    x = nn.input((1, 3, 32, 32), name="image")
    y = nn.relu(nn.conv2d(x, w, b, padding=1))       # w, b: numpy arrays
    y = nn.dense(nn.flatten(nn.global_avg_pool(y)), fc_w, fc_b)
    model = kiln.compile({"logits": y})
    logits = model(image)

Every call adds one op of Kiln's ``nn`` dialect (docs/reference/NNDialect.md)
and checks it at once: the result's ``shape`` and ``dtype`` are known, and a
mistake (mismatched shapes, a bad attribute) raises :class:`GraphError` where
it is made. Weights may be numpy arrays (they become constants) or tensors.
``kiln.compile`` takes the output tensors; the model's inputs are the
``input`` tensors they depend on, in the order they were created.
"""

from __future__ import annotations

import itertools
import math
import os
import struct
import sys
import threading
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import numpy as np

from . import _kiln
from ._errors import CompileError

__all__ = [
    "GraphError", "Tensor", "input", "constant", "to_mlir",
    "add", "sub", "mul", "div", "pow", "maximum", "minimum", "where",
    "equal", "less", "less_equal", "greater", "greater_equal",
    "relu", "leaky_relu", "sigmoid", "tanh", "gelu", "softmax", "log_softmax",
    "clip", "exp", "log", "sqrt", "rsqrt", "abs", "neg", "erf", "floor",
    "ceil", "sin", "cos", "cast",
    "matmul", "dense", "conv2d", "max_pool2d", "avg_pool2d",
    "global_avg_pool", "batch_norm", "layer_norm",
    "reshape", "transpose", "flatten", "concat", "slice", "pad",
    "broadcast_to", "gather", "reduce_sum", "reduce_mean", "reduce_max",
    "reduce_prod", "arg_max", "arg_min",
]


class GraphError(CompileError, ValueError):
    """An op the ``nn`` dialect rejects (its diagnostics say why)."""


_serial = itertools.count()


class _Node:
    """One op (or input, or constant) of a graph."""

    __slots__ = ("op", "operands", "attrs", "result_types", "value", "name",
                 "serial", "where")

    def __init__(self, op: str, operands: Sequence["Tensor"] = (),
                 attrs: Sequence = (), result_types: Sequence = (),
                 value: Optional[np.ndarray] = None,
                 name: Optional[str] = None) -> None:
        self.op = op
        self.operands = tuple(operands)
        self.attrs = list(attrs)
        self.result_types = list(result_types)
        self.value = value
        self.name = name
        self.serial = next(_serial)
        self.where = ("", 0)


class Tensor:
    """A value of a graph: the result of an op, an input or a constant.

    Supports ``+ - * / ** @`` and unary ``-`` with tensors, arrays and
    Python numbers (numbers take the tensor's dtype).
    """

    __slots__ = ("_node", "_index", "shape", "dtype")

    def __init__(self, node: _Node, index: int, shape: tuple,
                 dtype: np.dtype) -> None:
        self._node = node
        self._index = index
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def name(self) -> Optional[str]:
        """An input's or a constant's name (None for op results)."""
        return self._node.name

    def __repr__(self) -> str:
        what = self._node.op if self._node.op.startswith("nn.") else \
            f"{self._node.op} {self._node.name or ''}".strip()
        return f"<kiln.nn.Tensor {self.shape} {self.dtype} from {what}>"

    def __add__(self, other: Any) -> "Tensor":
        return add(self, other)

    def __radd__(self, other: Any) -> "Tensor":
        return add(other, self)

    def __sub__(self, other: Any) -> "Tensor":
        return sub(self, other)

    def __rsub__(self, other: Any) -> "Tensor":
        return sub(other, self)

    def __mul__(self, other: Any) -> "Tensor":
        return mul(self, other)

    def __rmul__(self, other: Any) -> "Tensor":
        return mul(other, self)

    def __truediv__(self, other: Any) -> "Tensor":
        return div(self, other)

    def __rtruediv__(self, other: Any) -> "Tensor":
        return div(other, self)

    def __pow__(self, other: Any) -> "Tensor":
        return pow(self, other)

    def __matmul__(self, other: Any) -> "Tensor":
        return matmul(self, other)

    def __rmatmul__(self, other: Any) -> "Tensor":
        return matmul(other, self)

    def __neg__(self) -> "Tensor":
        return neg(self)

    # Tensors are graph values, not booleans or sequences.
    def __bool__(self) -> bool:
        raise TypeError("a kiln.nn.Tensor has no truth value (it is a value "
                        "of a graph; compile the graph to compute it)")

    __hash__ = object.__hash__


TensorLike = Union[Tensor, np.ndarray, float, int, Sequence]

# Ops are checked one at a time in a scratch builder per thread (a builder
# holds an MLIR context, too costly to make per op).
_scratch = threading.local()


def _scratch_builder() -> Any:
    builder = getattr(_scratch, "builder", None)
    if builder is None:
        builder = _scratch.builder = _kiln.GraphBuilder("scratch")
    return builder


def _raise_graph_error(error: CompileError) -> None:
    raise GraphError(error.summary,
                     [tuple(d) for d in error.diagnostics]) from None


def _op(op: str, operands: Sequence[TensorLike], attrs: Sequence = (),
        result_types: Sequence = (), like: Optional[Tensor] = None) -> Any:
    """Adds `op` and returns its result (a tuple when it has several)."""
    if like is None:
        like = next((t for t in operands if isinstance(t, Tensor)), None)
    tensors = [_as_tensor(t, like) for t in operands]
    builder = _scratch_builder()
    builder.clear()
    ids = [builder.add_input("", t.dtype.name, t.shape) for t in tensors]
    text = [(k, v) for k, v in attrs if v is not None]
    types = [(np.dtype(d).name, tuple(s)) for d, s in result_types]
    where = _caller()
    try:
        results = builder.add_op(op, ids, text, types, *where)
    except CompileError as error:
        _raise_graph_error(error)
    node = _Node(op, tensors, text, types)
    node.where = where
    out = []
    for index, rid in enumerate(results):
        dtype, shape = builder.spec(rid)
        out.append(Tensor(node, index, shape, np.dtype(dtype)))
    return out[0] if len(out) == 1 else tuple(out)


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _caller() -> tuple:
    """(file, line) of the user's code that called into kiln.nn: ops carry
    it as their location, so diagnostics point at the user's line."""
    frame = sys._getframe(2)
    while frame is not None and os.path.dirname(
            os.path.abspath(frame.f_code.co_filename)) == _PACKAGE_DIR:
        frame = frame.f_back
    if frame is None:
        return ("", 0)
    return (frame.f_code.co_filename, frame.f_lineno)


def _as_tensor(value: TensorLike, like: Optional[Tensor] = None) -> Tensor:
    if isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray):
        return constant(value)
    # Python numbers and lists take the other operand's dtype.
    return constant(value, dtype=like.dtype if like is not None else None)


# -- Attribute text (MLIR syntax) -------------------------------------------


def _i64(value: Any) -> str:
    return f"{int(value)} : i64"


def _i64s(values: Iterable) -> str:
    values = [int(v) for v in values]
    return "array<i64: " + ", ".join(map(str, values)) + ">" if values \
        else "array<i64>"


def _f64(value: Any) -> str:
    value = float(value)
    if math.isfinite(value):
        return f"{value:.17e} : f64"
    bits = struct.unpack("<Q", struct.pack("<d", value))[0]
    return f"0x{bits:016X} : f64"


def _unit(flag: bool) -> Optional[str]:
    return "unit" if flag else None


def _pair(value: Union[int, Sequence[int]], what: str) -> list:
    if isinstance(value, int):
        return [value, value]
    value = [int(v) for v in value]
    if len(value) != 2:
        raise ValueError(f"{what} must be an int or (h, w), got {value}")
    return value


def _padding(value: Union[int, Sequence[int]]) -> list:
    """int, (h, w) or (top, left, bottom, right)."""
    if isinstance(value, int):
        return [value] * 4
    value = [int(v) for v in value]
    if len(value) == 2:
        return value * 2
    if len(value) == 4:
        return value
    raise ValueError("padding must be an int, (h, w) or (top, left, bottom, "
                     f"right), got {value}")


# -- Graph inputs and constants ---------------------------------------------


def input(shape: Sequence[int], dtype: Any = "float32",
          name: Optional[str] = None) -> Tensor:
    """A model input of a static ``shape`` (default dtype float32)."""
    shape = tuple(int(d) for d in shape)
    if any(d < 0 for d in shape):
        raise ValueError(f"input dimensions must be non-negative, got {shape}")
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a str, got {name!r}")
    d = _dtype(dtype)
    return Tensor(_Node("input", result_types=[(d.name, shape)], name=name),
                  0, shape, d)


def constant(value: Any, dtype: Any = None,
             name: Optional[str] = None) -> Tensor:
    """A constant (weights). Arrays keep their dtype unless ``dtype`` is
    given; Python floats default to float32 and ints to int64."""
    if dtype is not None:
        array = np.asarray(value, dtype=_dtype(dtype))
    elif isinstance(value, np.ndarray):
        array = value
    else:
        array = np.asarray(value)
        if array.dtype == np.float64:
            array = array.astype(np.float32)
    _dtype(array.dtype)  # supported?
    array = np.array(array, order="C", copy=True)  # later edits don't leak in
    return Tensor(_Node("constant", value=array, name=name), 0, array.shape,
                  array.dtype)


_DTYPES = ("bool", "int8", "uint8", "int16", "uint16", "int32", "uint32",
           "int64", "uint64", "float16", "float32", "float64")


def _dtype(dtype: Any) -> np.dtype:
    try:
        d = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"not a dtype: {dtype!r}") from None
    if d.name not in _DTYPES:
        raise TypeError(f"dtype {d} is not supported (Kiln has "
                        f"{', '.join(_DTYPES)})")
    return d


# -- Elementwise -------------------------------------------------------------


def add(a: TensorLike, b: TensorLike) -> Tensor:
    """a + b, with numpy broadcasting."""
    return _op("nn.add", [a, b])


def sub(a: TensorLike, b: TensorLike) -> Tensor:
    """a - b, with numpy broadcasting."""
    return _op("nn.sub", [a, b])


def mul(a: TensorLike, b: TensorLike) -> Tensor:
    """a * b, with numpy broadcasting."""
    return _op("nn.mul", [a, b])


def div(a: TensorLike, b: TensorLike) -> Tensor:
    """a / b, with numpy broadcasting."""
    return _op("nn.div", [a, b])


def pow(a: TensorLike, b: TensorLike) -> Tensor:
    """a ** b, with numpy broadcasting."""
    return _op("nn.pow", [a, b])


def maximum(a: TensorLike, b: TensorLike) -> Tensor:
    """Elementwise maximum (NaN propagating)."""
    return _op("nn.maximum", [a, b])


def minimum(a: TensorLike, b: TensorLike) -> Tensor:
    """Elementwise minimum (NaN propagating)."""
    return _op("nn.minimum", [a, b])


def equal(a: TensorLike, b: TensorLike) -> Tensor:
    """a == b (bool)."""
    return _op("nn.equal", [a, b])


def less(a: TensorLike, b: TensorLike) -> Tensor:
    """a < b (bool)."""
    return _op("nn.less", [a, b])


def less_equal(a: TensorLike, b: TensorLike) -> Tensor:
    """a <= b (bool)."""
    return _op("nn.less_equal", [a, b])


def greater(a: TensorLike, b: TensorLike) -> Tensor:
    """a > b (bool)."""
    return _op("nn.greater", [a, b])


def greater_equal(a: TensorLike, b: TensorLike) -> Tensor:
    """a >= b (bool)."""
    return _op("nn.greater_equal", [a, b])


def where(condition: TensorLike, on_true: TensorLike,
          on_false: TensorLike) -> Tensor:
    """condition ? on_true : on_false, with broadcasting."""
    like = on_true if isinstance(on_true, Tensor) else on_false
    return _op("nn.select", [condition, on_true, on_false],
               like=like if isinstance(like, Tensor) else None)


def _unary(op: str, doc: str) -> Any:
    def function(x: TensorLike) -> Tensor:
        return _op(op, [x])

    function.__name__ = op[3:]
    function.__doc__ = doc
    return function


relu = _unary("nn.relu", "max(x, 0).")
sigmoid = _unary("nn.sigmoid", "1 / (1 + exp(-x)).")
tanh = _unary("nn.tanh", "Hyperbolic tangent.")
exp = _unary("nn.exp", "e ** x.")
log = _unary("nn.log", "Natural logarithm.")
sqrt = _unary("nn.sqrt", "Square root.")
rsqrt = _unary("nn.rsqrt", "1 / sqrt(x).")
abs = _unary("nn.abs", "|x|.")
neg = _unary("nn.neg", "-x.")
erf = _unary("nn.erf", "Gauss error function.")
floor = _unary("nn.floor", "Largest integer not above x.")
ceil = _unary("nn.ceil", "Smallest integer not below x.")
sin = _unary("nn.sin", "Sine.")
cos = _unary("nn.cos", "Cosine.")


def leaky_relu(x: TensorLike, alpha: float = 0.01) -> Tensor:
    """x if x > 0 else alpha * x."""
    return _op("nn.leaky_relu", [x], [("alpha", _f64(alpha))])


def gelu(x: TensorLike, approximate: str = "none") -> Tensor:
    """x * Phi(x); ``approximate="tanh"`` for the tanh formula."""
    modes = {"none": 0, "tanh": 1}
    if approximate not in modes:
        raise ValueError(f"approximate must be 'none' or 'tanh', got "
                         f"{approximate!r}")
    return _op("nn.gelu", [x], [("approximate",
                                 f"{modes[approximate]} : i32")])


def softmax(x: TensorLike, axis: int = -1) -> Tensor:
    """exp(x) / sum(exp(x)) along ``axis``."""
    return _op("nn.softmax", [x], [("axis", _i64(axis))])


def log_softmax(x: TensorLike, axis: int = -1) -> Tensor:
    """log(softmax(x)) along ``axis``."""
    return _op("nn.log_softmax", [x], [("axis", _i64(axis))])


def clip(x: TensorLike, min: Optional[float] = None,
         max: Optional[float] = None) -> Tensor:
    """Clamps into [min, max] (either may be None)."""
    return _op("nn.clip", [x], [("min", None if min is None else _f64(min)),
                                ("max", None if max is None else _f64(max))])


def cast(x: TensorLike, dtype: Any) -> Tensor:
    """Converts elements to ``dtype``."""
    x = _as_tensor(x)
    return _op("nn.cast", [x], result_types=[(_dtype(dtype), x.shape)])


# -- Linear algebra and convolution -----------------------------------------


def matmul(a: TensorLike, b: TensorLike) -> Tensor:
    """Matrix product, batched over leading dimensions (as numpy.matmul)."""
    return _op("nn.matmul", [a, b])


def dense(x: TensorLike, weight: TensorLike,
          bias: Optional[TensorLike] = None) -> Tensor:
    """x @ weight.T + bias, as torch.nn.Linear: weight is [out, in]."""
    return _op("nn.dense", [x, weight] + ([bias] if bias is not None else []))


def conv2d(x: TensorLike, weight: TensorLike,
           bias: Optional[TensorLike] = None, stride: Any = 1,
           padding: Any = 0, dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-D convolution, NCHW, as torch.nn.functional.conv2d: weight is
    [out, in/groups, kh, kw]; padding is an int, (h, w) or (top, left,
    bottom, right)."""
    operands = [x, weight] + ([bias] if bias is not None else [])
    return _op("nn.conv2d", operands, [
        ("strides", _i64s(_pair(stride, "stride"))),
        ("padding", _i64s(_padding(padding))),
        ("dilations", _i64s(_pair(dilation, "dilation"))),
        ("groups", _i64(groups)),
    ])


# -- Pooling and normalization -----------------------------------------------


def max_pool2d(x: TensorLike, kernel: Any, stride: Any = None,
               padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False) -> Tensor:
    """Max pooling, NCHW; ``stride`` defaults to ``kernel`` (as PyTorch)."""
    kernel = _pair(kernel, "kernel")
    return _op("nn.max_pool2d", [x], [
        ("kernel", _i64s(kernel)),
        ("strides", _i64s(kernel if stride is None else _pair(stride,
                                                               "stride"))),
        ("padding", _i64s(_padding(padding))),
        ("dilations", _i64s(_pair(dilation, "dilation"))),
        ("rounding", "1 : i32" if ceil_mode else None),
    ])


def avg_pool2d(x: TensorLike, kernel: Any, stride: Any = None,
               padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """Average pooling, NCHW; ``stride`` defaults to ``kernel`` and padded
    positions count in the average (as PyTorch)."""
    kernel = _pair(kernel, "kernel")
    return _op("nn.avg_pool2d", [x], [
        ("kernel", _i64s(kernel)),
        ("strides", _i64s(kernel if stride is None else _pair(stride,
                                                               "stride"))),
        ("padding", _i64s(_padding(padding))),
        ("rounding", "1 : i32" if ceil_mode else None),
        ("count_include_pad", _unit(count_include_pad)),
    ])


def global_avg_pool(x: TensorLike) -> Tensor:
    """Mean over H and W: [N, C, H, W] -> [N, C, 1, 1]."""
    return _op("nn.global_avg_pool", [x])


def batch_norm(x: TensorLike, scale: TensorLike, bias: TensorLike,
               mean: TensorLike, variance: TensorLike,
               epsilon: float = 1e-5) -> Tensor:
    """Inference batch normalization over channels (dimension 1)."""
    return _op("nn.batch_norm", [x, scale, bias, mean, variance],
               [("epsilon", _f64(epsilon))])


def layer_norm(x: TensorLike, scale: TensorLike,
               bias: Optional[TensorLike] = None, axis: int = -1,
               epsilon: float = 1e-5) -> Tensor:
    """Layer normalization over the dimensions from ``axis`` on."""
    operands = [x, scale] + ([bias] if bias is not None else [])
    return _op("nn.layer_norm", operands,
               [("axis", _i64(axis)), ("epsilon", _f64(epsilon))])


# -- Shapes ------------------------------------------------------------------


def reshape(x: TensorLike, shape: Sequence[int]) -> Tensor:
    """The same elements in ``shape`` (one dimension may be -1)."""
    x = _as_tensor(x)
    shape = [int(d) for d in shape]
    if shape.count(-1) > 1:
        raise ValueError(f"at most one dimension may be -1, got {shape}")
    if -1 in shape:
        known = int(np.prod([d for d in shape if d != -1]))
        total = int(np.prod(x.shape))
        if known == 0 or total % known:
            raise ValueError(f"cannot reshape {x.shape} into {shape}")
        shape[shape.index(-1)] = total // known
    return _op("nn.reshape", [x], [("shape", _i64s(shape))])


def transpose(x: TensorLike, perm: Sequence[int]) -> Tensor:
    """Permutes dimensions: result dimension i is input dimension perm[i]."""
    return _op("nn.transpose", [x], [("perm", _i64s(perm))])


def flatten(x: TensorLike, axis: int = 1) -> Tensor:
    """Collapses dimensions before and from ``axis`` into two."""
    return _op("nn.flatten", [x], [("axis", _i64(axis))])


def concat(tensors: Sequence[TensorLike], axis: int = 0) -> Tensor:
    """Joins tensors along ``axis``."""
    if not tensors:
        raise ValueError("concat needs at least one tensor")
    return _op("nn.concat", list(tensors), [("axis", _i64(axis))])


def slice(x: TensorLike, starts: Sequence[int], ends: Sequence[int],
          steps: Optional[Sequence[int]] = None) -> Tensor:
    """x[starts:ends:steps] in every dimension."""
    return _op("nn.slice", [x], [("starts", _i64s(starts)),
                                 ("ends", _i64s(ends)),
                                 ("steps", None if steps is None else
                                  _i64s(steps))])


def pad(x: TensorLike, pads: Sequence[int], mode: str = "constant",
        value: float = 0.0) -> Tensor:
    """Pads every dimension: ``pads`` is [begin0, ..., beginN-1, end0, ...,
    endN-1] (ONNX order); ``mode`` is constant, reflect or edge."""
    modes = {"constant": 0, "reflect": 1, "edge": 2}
    if mode not in modes:
        raise ValueError(f"mode must be constant, reflect or edge, got "
                         f"{mode!r}")
    return _op("nn.pad", [x], [("pads", _i64s(pads)),
                               ("mode", f"{modes[mode]} : i32"),
                               ("value", _f64(value))])


def broadcast_to(x: TensorLike, shape: Sequence[int]) -> Tensor:
    """Broadcasts to ``shape`` (numpy rules)."""
    return _op("nn.broadcast_to", [x], [("shape", _i64s(shape))])


def gather(x: TensorLike, indices: TensorLike, axis: int = 0) -> Tensor:
    """numpy.take(x, indices, axis)."""
    if not isinstance(indices, Tensor):
        indices = constant(np.asarray(indices, dtype=np.int64))
    return _op("nn.gather", [x, indices], [("axis", _i64(axis))])


def _reduction(op: str, doc: str) -> Any:
    def function(x: TensorLike, axes: Union[int, Sequence[int]],
                 keepdims: bool = False) -> Tensor:
        axes = [axes] if isinstance(axes, int) else list(axes)
        return _op(op, [x], [("axes", _i64s(axes)),
                             ("keepdims", _unit(keepdims))])

    function.__name__ = op[3:]
    function.__doc__ = doc
    return function


reduce_sum = _reduction("nn.reduce_sum", "Sum over ``axes``.")
reduce_mean = _reduction("nn.reduce_mean", "Mean over ``axes``.")
reduce_max = _reduction("nn.reduce_max", "Maximum over ``axes``.")
reduce_prod = _reduction("nn.reduce_prod", "Product over ``axes``.")


def arg_max(x: TensorLike, axis: int, keepdims: bool = False) -> Tensor:
    """Index of the maximum along ``axis`` (int64; the first on ties)."""
    return _op("nn.arg_max", [x], [("axis", _i64(axis)),
                                   ("keepdims", _unit(keepdims))])


def arg_min(x: TensorLike, axis: int, keepdims: bool = False) -> Tensor:
    """Index of the minimum along ``axis`` (int64; the first on ties)."""
    return _op("nn.arg_min", [x], [("axis", _i64(axis)),
                                   ("keepdims", _unit(keepdims))])


# -- Building the function ---------------------------------------------------


def _outputs_of(outputs: Any) -> tuple:
    """(tensors, names) of what kiln.compile was given."""
    if isinstance(outputs, Tensor):
        return [outputs], [None]
    if isinstance(outputs, Mapping):
        for name in outputs:
            if not isinstance(name, str):
                raise TypeError(f"output names must be str, got {name!r}")
        return list(outputs.values()), list(outputs.keys())
    tensors = list(outputs)
    if not tensors or not all(isinstance(t, Tensor) for t in tensors):
        raise TypeError("outputs must be kiln.nn tensors")
    return tensors, [None] * len(tensors)


def _build(outputs: Any, name: str = "graph") -> tuple:
    """A GraphBuilder holding the function that computes ``outputs`` from
    the inputs they depend on, and the output names."""
    tensors, names = _outputs_of(outputs)
    # Every node the outputs depend on, operands first (iteratively: deep
    # graphs must not hit Python's recursion limit).
    order, seen = [], set()
    for root in tensors:
        stack = [(root._node, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for operand in reversed(node.operands):
                if id(operand._node) not in seen:
                    stack.append((operand._node, False))
    inputs = sorted((n for n in order if n.op == "input"),
                    key=lambda n: n.serial)
    input_names = [n.name or f"input{i}" for i, n in enumerate(inputs)]
    if len(set(input_names)) != len(input_names):
        raise ValueError(f"input names must be distinct, got {input_names}")

    builder = _kiln.GraphBuilder(name)
    ids = {}
    for node, input_name in zip(inputs, input_names):
        tensor_dtype, shape = node.result_types[0]
        ids[id(node)] = [builder.add_input(input_name, tensor_dtype, shape)]
    constants = 0
    for node in order:
        if node.op == "input":
            continue
        if node.op == "constant":
            ids[id(node)] = [builder.add_constant(
                node.value, node.name or f"constant{constants}")]
            constants += 1
            continue
        operands = [ids[id(t._node)][t._index] for t in node.operands]
        try:
            ids[id(node)] = builder.add_op(node.op, operands, node.attrs,
                                           node.result_types, *node.where)
        except CompileError as error:
            _raise_graph_error(error)
    output_ids = [ids[id(t._node)][t._index] for t in tensors]
    output_names = [n or f"output{i}" for i, n in enumerate(names)]
    builder.set_outputs(output_ids, output_names)
    return builder, output_names


def to_mlir(outputs: Any, weights: bool = False) -> str:
    """The nn IR of the function computing ``outputs`` (weights over 1 KiB
    elided unless ``weights``)."""
    builder, _ = _build(outputs)
    return builder.text(weights)
