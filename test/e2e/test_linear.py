"""End-to-end numeric tests of nn.matmul and nn.dense against a float64
numpy reference.

Kiln tiles contractions (cache tiles like 128x64x256, register tiles 8x32x1)
and peels the partial tiles, so the sizes sit on, just below and just above
those tile sizes, plus odd sizes (1, 3, 17, 63, 127) that divide nothing.

Tolerance: the kernels accumulate in float32 while the reference is float64,
so each test allows rtol=1e-5 plus atol=1e-5 * max|reference| (an error of
that size is far below what a missing or duplicated term of the sum gives:
the inputs are O(1), so one wrong product moves an element by ~0.1-1).
"""

import numpy as np
import pytest

from kiln_e2e import assert_close, rng, run_op, tensor_type


def tensor(array):
    return tensor_type(array.shape, array.dtype)


def check(actual, ref64, rtol=1e-5, scale=1e-5, dtype=np.float32):
    """actual vs the float64 reference: rtol plus atol = scale * max|ref|."""
    ref = np.asarray(ref64).astype(dtype)
    atol = scale * float(np.abs(ref64).max()) if ref.size else 0.0
    assert_close(actual, ref, rtol=rtol, atol=atol)


def operands(r, *shapes, dtype=np.float32):
    return [r.uniform(-1, 1, s).astype(dtype) for s in shapes]


# (M, K, N) for 2-D matmul.
MATMUL_2D = [
    (1, 1, 1),
    (1, 17, 3),
    (3, 17, 63),
    (33, 1, 9),      # K = 1
    (7, 9, 33),      # just below / above the 8x32 register tile
    (9, 33, 31),
    (8, 32, 32),     # exactly one register tile
    (17, 63, 127),
    (127, 129, 33),
    (128, 64, 256),  # exactly one cache tile
    (129, 65, 257),  # one past the cache tile in every dimension
    (127, 63, 255),  # one short of it
    (1, 784, 10),
    (64, 784, 512),
    (256, 256, 256),
    (257, 127, 129),
]


@pytest.mark.parametrize("mkn", MATMUL_2D, ids=str)
def test_matmul_2d(mkn):
    m, k, n = mkn
    a, b = operands(rng(m * 1000 + k + n), (m, k), (k, n))
    ref = a.astype(np.float64) @ b.astype(np.float64)
    text = (f"nn.matmul %a, %b : ({tensor(a)}, {tensor(b)}) -> "
            f"{tensor_type(ref.shape)}")
    check(run_op(text, [a, b], ref.astype(np.float32)), ref)


# (lhs shape, rhs shape): batched and broadcast-batch matmuls.
MATMUL_BATCHED = [
    ((2, 17, 9), (2, 9, 33)),
    ((3, 129, 7), (3, 7, 65)),
    ((4, 1, 63), (4, 63, 1)),
    ((2, 1, 5, 17), (3, 17, 7)),     # [2,1,M,K] x [3,K,N] -> [2,3,M,N]
    ((2, 1, 33, 9), (3, 9, 129)),
    ((1, 7, 63), (4, 63, 9)),        # batch 1 broadcast against 4
    ((17, 63), (3, 63, 9)),          # rank 2 x rank 3
    ((3, 9, 63), (63, 33)),          # rank 3 x rank 2
    ((2, 3, 1, 7, 17), (3, 5, 17, 9)),
]


@pytest.mark.parametrize("shapes", MATMUL_BATCHED, ids=str)
def test_matmul_batched(shapes):
    a, b = operands(rng(11), *shapes)
    ref = np.matmul(a.astype(np.float64), b.astype(np.float64))
    text = (f"nn.matmul %a, %b : ({tensor(a)}, {tensor(b)}) -> "
            f"{tensor_type(ref.shape)}")
    check(run_op(text, [a, b], ref.astype(np.float32)), ref)


def test_matmul_f64():
    """float64 operands: the result must have float64 accuracy (rtol 1e-12)."""
    a, b = operands(rng(12), (33, 129), (129, 17), dtype=np.float64)
    ref = a @ b
    text = f"nn.matmul %a, %b : ({tensor(a)}, {tensor(b)}) -> {tensor(ref)}"
    check(run_op(text, [a, b], ref), ref, rtol=1e-12, scale=1e-12,
          dtype=np.float64)


def test_matmul_exact_integers_in_float():
    """Small integers in float32: every partial sum is exact, so the result
    must be exactly the integer product (catches a dropped or repeated
    k-slice in the peeled tiles whatever the tolerance)."""
    r = rng(13)
    a = r.integers(-3, 4, (129, 257)).astype(np.float32)
    b = r.integers(-3, 4, (257, 65)).astype(np.float32)
    ref = (a.astype(np.int64) @ b.astype(np.int64)).astype(np.float32)
    text = f"nn.matmul %a, %b : ({tensor(a)}, {tensor(b)}) -> {tensor(ref)}"
    assert_close(run_op(text, [a, b], ref), ref, rtol=0, atol=0)


# (input shape, out features, with bias)
DENSE = [
    ((1, 784), 128, True),
    ((3, 17), 63, False),
    ((3, 17), 63, True),
    ((2, 5, 33), 9, True),           # rank-3 input
    ((2, 5, 33), 9, False),
    ((129, 65), 257, True),
    ((100, 700), 300, True),         # W^T's tiles packed transposed, partial
    ((7, 127), 1, True),
    ((17,), 5, True),                # rank-1 input
    ((2, 3, 4, 7), 5, False),        # rank-4 input
    ((64, 512), 256, True),
]


@pytest.mark.parametrize("shape,out,bias", DENSE, ids=str)
def test_dense(shape, out, bias):
    r = rng(sum(shape) + out)
    x, w = operands(r, shape, (out, shape[-1]))
    ref = x.astype(np.float64) @ w.astype(np.float64).T
    inputs = [x, w]
    if bias:
        b = r.uniform(-1, 1, (out,)).astype(np.float32)
        ref = ref + b
        inputs.append(b)
    operand_names = ", ".join("%" + chr(ord("a") + i) for i in range(len(inputs)))
    types = ", ".join(tensor(t) for t in inputs)
    text = (f"nn.dense {operand_names} : ({types}) -> "
            f"{tensor_type(ref.shape)}")
    check(run_op(text, inputs, ref.astype(np.float32)), ref)
