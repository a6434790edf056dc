"""End-to-end numeric tests of nn.batch_norm (inference form) and
nn.layer_norm against torch.nn.functional in float64.

The inputs carry a nonzero mean and a non-unit scale so that a missing mean
subtraction or a wrong variance shows up.

Tolerance: rtol=1e-5, atol=1e-5 * max|reference| for batch_norm (a handful
of float32 operations per element); layer_norm reduces over up to 768
elements in float32 (mean and variance), so rtol=1e-4 with atol=1e-5 *
max|reference|.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kiln_e2e import assert_close, rng, run_op, tensor_type


def tensor(array):
    return tensor_type(array.shape, array.dtype)


def t64(array):
    return torch.from_numpy(np.asarray(array, dtype=np.float64))


def check(actual, ref64, rtol, scale=1e-5, dtype=np.float32):
    ref = np.asarray(ref64).astype(dtype)
    assert_close(actual, ref, rtol=rtol,
                 atol=scale * float(np.abs(ref64).max()))


# (input shape, epsilon or None for the default 1e-5)
BATCH_NORM = [
    ((2, 3, 9, 9), None),
    ((1, 64, 7, 7), None),
    ((4, 17), None),              # rank 2: [N, C]
    ((2, 5, 13), 1e-3),           # rank 3
    ((2, 3, 4, 5, 6), 0.1),       # rank 5
    ((3, 7, 1, 1), None),
]


@pytest.mark.parametrize("shape,epsilon", BATCH_NORM, ids=str)
def test_batch_norm(shape, epsilon):
    r = rng(40)
    c = shape[1]
    x = (r.standard_normal(shape) * 3 + 2).astype(np.float32)
    scale = r.uniform(0.5, 2, c).astype(np.float32)
    bias = r.uniform(-1, 1, c).astype(np.float32)
    mean = r.uniform(-1, 3, c).astype(np.float32)
    var = r.uniform(0.001, 4, c).astype(np.float32)
    eps = 1e-5 if epsilon is None else epsilon
    ref = F.batch_norm(t64(x), t64(mean), t64(var), t64(scale), t64(bias),
                       training=False, eps=eps).numpy()
    inputs = [x, scale, bias, mean, var]
    attr = "" if epsilon is None else f" epsilon {epsilon!r}"
    text = (f"nn.batch_norm %a, %b, %c, %d, %e{attr} : "
            f"({', '.join(tensor(t) for t in inputs)}) -> {tensor(x)}")
    check(run_op(text, inputs, ref.astype(np.float32)), ref, rtol=1e-5)


def test_batch_norm_f64():
    """float64 throughout: rtol 1e-12."""
    r = rng(41)
    x = r.standard_normal((2, 4, 5, 3)) * 2 + 1
    scale, bias, mean = (r.uniform(-1, 1, 4) for _ in range(3))
    var = r.uniform(0.1, 2, 4)
    ref = F.batch_norm(t64(x), t64(mean), t64(var), t64(scale), t64(bias),
                       training=False, eps=1e-5).numpy()
    inputs = [x, scale, bias, mean, var]
    text = (f"nn.batch_norm %a, %b, %c, %d, %e : "
            f"({', '.join(tensor(t) for t in inputs)}) -> {tensor(x)}")
    check(run_op(text, inputs, ref), ref, rtol=1e-12, scale=1e-12,
          dtype=np.float64)


# (input shape, axis or None for the default -1, with bias, epsilon or None)
LAYER_NORM = [
    ((2, 5, 33), None, True, None),
    ((2, 5, 33), None, False, None),
    ((2, 5, 33), -1, True, 1e-3),
    ((2, 5, 33), 1, True, None),       # normalize over [5, 33]
    ((2, 5, 33), 1, False, None),
    ((2, 5, 33), -2, True, None),      # same as axis 1
    ((4, 127), None, True, None),
    ((3, 7), 0, True, None),           # everything
    ((1, 1), None, True, None),        # a single element: output = bias
    ((2, 16, 768), None, True, None),  # transformer hidden size
    ((2, 3, 4, 5), 2, False, 0.01),
]


@pytest.mark.parametrize("shape,axis,bias,epsilon", LAYER_NORM, ids=str)
def test_layer_norm(shape, axis, bias, epsilon):
    r = rng(42)
    x = (r.standard_normal(shape) * 2 + 3).astype(np.float32)
    start = (axis if axis is not None else -1) % len(shape)
    normalized = shape[start:]
    scale = r.uniform(0.5, 2, normalized).astype(np.float32)
    b = r.uniform(-1, 1, normalized).astype(np.float32) if bias else None
    eps = 1e-5 if epsilon is None else epsilon
    ref = F.layer_norm(t64(x), normalized, t64(scale),
                       t64(b) if bias else None, eps=eps).numpy()
    inputs = [x, scale] + ([b] if bias else [])
    names = ", ".join("%" + chr(ord("a") + i) for i in range(len(inputs)))
    attrs = ("" if axis is None else f" axis {axis}") + \
        ("" if epsilon is None else f" epsilon {epsilon!r}")
    text = (f"nn.layer_norm {names}{attrs} : "
            f"({', '.join(tensor(t) for t in inputs)}) -> {tensor(x)}")
    check(run_op(text, inputs, ref.astype(np.float32)), ref, rtol=1e-4)
