"""End-to-end numeric tests of nn.cross_entropy and nn.mse against
torch.nn.functional.cross_entropy / mse_loss in float64.

Rank-0 results (reductions mean and sum) are `tensor<f32>`.

Tolerance: cross-entropy is a log-sum-exp per sample plus a reduction over
at most a few hundred samples: rtol=1e-5, atol=1e-5 * max|reference|. MSE
sums up to 1000 squares: rtol=1e-5, atol=1e-6 * max|reference|.
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


REDUCTIONS = [None, "none", "mean", "sum"]  # None: the default, mean


def loss_text(op, a, b, reduction, ref):
    attr = f" reduction {reduction}" if reduction else ""
    return (f"nn.{op} %a, %b{attr} : ({tensor(a)}, {tensor(b)}) -> "
            f"{tensor_type(ref.shape)}")


def check(actual, ref64, scale):
    ref = np.asarray(ref64).astype(np.float32)
    assert_close(actual, ref, rtol=1e-5,
                 atol=scale * float(np.abs(ref64).max()))


# (logits shape, target index dtype)
INDEX_CASES = [
    ((5, 7), np.int64),
    ((5, 7), np.int32),
    ((1, 10), np.int64),
    ((32, 10), np.int64),
    ((3, 129), np.int32),
    ((2, 4, 3, 5), np.int64),       # [N, C, d1, d2], targets [N, d1, d2]
    ((2, 4, 3, 5), np.int32),
    ((3, 5, 7), np.int64),          # [N, C, d1]
]


@pytest.mark.parametrize("reduction", REDUCTIONS, ids=str)
@pytest.mark.parametrize("shape,index_dtype", INDEX_CASES, ids=str)
def test_cross_entropy_class_indices(shape, index_dtype, reduction):
    r = rng(60 + len(shape))
    logits = (r.standard_normal(shape) * 3).astype(np.float32)
    target_shape = (shape[0],) + shape[2:]
    targets = r.integers(0, shape[1], target_shape).astype(index_dtype)
    ref = F.cross_entropy(t64(logits), torch.from_numpy(targets.astype(np.int64)),
                          reduction=reduction or "mean").numpy()
    text = loss_text("cross_entropy", logits, targets, reduction, ref)
    out = run_op(text, [logits, targets], ref.astype(np.float32))
    check(out, ref, 1e-5)


def test_cross_entropy_large_logits():
    """Logits of +-80: exp overflows float32 unless the max is subtracted
    first (the reference values are O(100), finite)."""
    logits = np.array([[80.0, -80.0, 0.0], [-80.0, 79.0, 80.0]], np.float32)
    targets = np.array([1, 0], np.int64)
    ref = F.cross_entropy(t64(logits), torch.from_numpy(targets),
                          reduction="none").numpy()
    text = loss_text("cross_entropy", logits, targets, "none", ref)
    out = run_op(text, [logits, targets], ref.astype(np.float32))
    check(out, ref, 1e-5)


PROB_SHAPES = [(5, 7), (1, 3), (2, 4, 3, 5), (16, 33)]


@pytest.mark.parametrize("reduction", REDUCTIONS, ids=str)
@pytest.mark.parametrize("shape", PROB_SHAPES, ids=str)
def test_cross_entropy_probabilities(shape, reduction):
    """Float targets of the logits' shape are class probabilities (they sum
    to 1 over C; torch >= 1.10 semantics)."""
    r = rng(70 + len(shape))
    logits = (r.standard_normal(shape) * 2).astype(np.float32)
    p = r.uniform(0, 1, shape)
    probs = (p / p.sum(axis=1, keepdims=True)).astype(np.float32)
    ref = F.cross_entropy(t64(logits), t64(probs),
                          reduction=reduction or "mean").numpy()
    text = loss_text("cross_entropy", logits, probs, reduction, ref)
    out = run_op(text, [logits, probs], ref.astype(np.float32))
    check(out, ref, 1e-5)


MSE_SHAPES = [(5, 7), (1,), (32, 1), (2, 3, 4, 5), (10, 100)]


@pytest.mark.parametrize("reduction", REDUCTIONS, ids=str)
@pytest.mark.parametrize("shape", MSE_SHAPES, ids=str)
def test_mse(shape, reduction):
    r = rng(80 + len(shape))
    pred = r.uniform(-2, 2, shape).astype(np.float32)
    target = r.uniform(-2, 2, shape).astype(np.float32)
    ref = F.mse_loss(t64(pred), t64(target),
                     reduction=reduction or "mean").numpy()
    text = loss_text("mse", pred, target, reduction, ref)
    out = run_op(text, [pred, target], ref.astype(np.float32))
    check(out, ref, 1e-6)


def test_mse_f64():
    """float64 operands: float64 rank-0 result, rtol 1e-12."""
    r = rng(81)
    pred, target = r.standard_normal((2, 3, 4, 5)), r.standard_normal((2, 3, 4, 5))
    ref = F.mse_loss(t64(pred), t64(target)).numpy()
    text = (f"nn.mse %a, %b : ({tensor(pred)}, {tensor(target)}) -> "
            f"tensor<f64>")
    out = run_op(text, [pred, target], ref)
    assert_close(out, ref, rtol=1e-12, atol=0)
