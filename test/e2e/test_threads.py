"""Multithreading: ops whose lowering_config distributes a loop run on
Kiln's thread pool (kiln-run --threads). Each thread computes whole cache
tiles with the same code, so results must be bitwise identical for every
thread count, and match numpy at the matmul tolerance (rtol 1e-5 on sums
of up to 1024 products of O(1) values, atol 1e-5 * max|reference|).

Shapes: a distributed m with a partial last tile (257 rows, a prime), a
distributed n (64 x 784 x 512, one m tile), BLIS's cache order with the
threads sharing n (300 x 1024 x 1100: B is larger than L2; partial m and
n tiles), more threads (8) than tiles,
and convolutions (im2col with its channel loop distributed, then the
contraction, filters-major and positions-major), including tiles sized for
the thread count the code is compiled for."""

import subprocess

import numpy as np
import pytest
import torch

from kiln_e2e import BUILD, assert_close, rng, run, run_with_npy, tensor_type

KILN_COMPILE = BUILD / "bin" / "kiln-compile"


def matmul_program(m, k, n):
    a, b, c = tensor_type((m, k)), tensor_type((k, n)), tensor_type((m, n))
    return f"""
func.func @main(%a: {a}, %b: {b}) -> {c} {{
  %0 = nn.matmul %a, %b : ({a}, {b}) -> {c}
  return %0 : {c}
}}
"""


@pytest.mark.parametrize("m,k,n", [(257, 300, 129), (64, 784, 512),
                                   (384, 1024, 200), (300, 1024, 1100)])
def test_matmul_threads(m, k, n):
    g = rng(m + k + n)
    a = g.uniform(-1, 1, (m, k)).astype(np.float32)
    b = g.uniform(-1, 1, (k, n)).astype(np.float32)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    program = matmul_program(m, k, n)
    results = {t: run(program, [a, b], extra_args=["--threads", str(t)])[0]
               for t in (1, 2, 3, 8)}
    assert_close(results[1], ref.astype(np.float32), rtol=1e-5,
                 atol=1e-5 * np.abs(ref).max())
    for t in (2, 3, 8):
        np.testing.assert_array_equal(results[t], results[1],
                                      err_msg=f"{t} threads")


# (input, filters): filters-major (2 x 16 x 30 x 30 -> 32); with a
# constant filter, positions-major (the heuristic's `transposed`): its 196
# positions split in two tiles the threads share (32 x 14 x 14 -> 224), and
# its 512 filters shared (64 x 7 x 7 -> 512).
@pytest.mark.parametrize("input_shape,filters", [((2, 16, 30, 30), 32),
                                                 ((1, 32, 14, 14), 224),
                                                 ((1, 64, 7, 7), 512)])
def test_conv_threads(input_shape, filters):
    g = rng(3)
    x = g.uniform(-1, 1, input_shape).astype(np.float32)
    w = g.uniform(-1, 1, (filters, input_shape[1], 3, 3)).astype(np.float32)
    ref = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w),
                                     padding=1).numpy()
    tx, tw, tr = tensor_type(x.shape), tensor_type(w.shape), tensor_type(ref.shape)
    constant = filters > 32
    filter_value = (f'%w = arith.constant dense<"0x{w.tobytes().hex()}"> : {tw}'
                    if constant else "")
    program = f"""
func.func @main(%x: {tx}{"" if constant else f", %w: {tw}"}) -> {tr} {{
  {filter_value}
  %0 = nn.conv2d %x, %w padding [1, 1, 1, 1] : ({tx}, {tw}) -> {tr}
  return %0 : {tr}
}}
"""
    inputs = [x] if constant else [x, w]
    one = run(program, inputs, extra_args=["--threads", "1"])[0]
    two = run(program, inputs, extra_args=["--threads", "2"])[0]
    assert_close(one, ref, rtol=1e-5, atol=1e-5 * np.abs(ref).max())
    np.testing.assert_array_equal(two, one)


def strided_conv_program(x, w, ref):
    tx, tw, tr = tensor_type(x.shape), tensor_type(w.shape), tensor_type(ref.shape)
    return f"""
func.func @main(%x: {tx}) -> {tr} {{
  %w = arith.constant dense<"0x{w.tobytes().hex()}"> : {tw}
  %0 = nn.conv2d %x, %w strides [2, 2] padding [1, 1, 1, 1] : ({tx}, {tw}) -> {tr}
  return %0 : {tr}
}}
"""


def test_conv_tiles_for_thread_count(tmp_path):
    """kiln-run compiles for the threads it runs on: a 28 x 28 output (784
    positions) is 7 tiles of 112 for 1 (and 3) threads, one tile of 392 =
    12 register tiles + 8 columns per thread for 2. Same values either way;
    and a binary compiled for 2 threads (kiln-compile --threads 2) is
    correct on 1 and 3."""
    g = rng(5)
    x = g.uniform(-1, 1, (1, 16, 56, 56)).astype(np.float32)
    w = g.uniform(-1, 1, (32, 16, 3, 3)).astype(np.float32)
    ref = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w),
                                     stride=2, padding=1).numpy()
    program = strided_conv_program(x, w, ref)
    results = {t: run(program, [x], extra_args=["--threads", str(t)])[0]
               for t in (1, 2, 3)}
    assert_close(results[1], ref, rtol=1e-5, atol=1e-5 * np.abs(ref).max())
    for t in (2, 3):
        np.testing.assert_array_equal(results[t], results[1],
                                      err_msg=f"{t} threads")
    model = tmp_path / "model.mlir"
    model.write_text(program)
    exe = tmp_path / "conv"
    subprocess.run([str(KILN_COMPILE), str(model), "-o", str(exe),
                    "--threads", "2"], check=True, capture_output=True,
                   timeout=300)
    for t in (1, 3):
        out = run_with_npy([str(exe), "--threads", str(t)], [x], 1, tmp_path)[0]
        np.testing.assert_array_equal(out, results[1],
                                      err_msg=f"compiled for 2, run on {t}")
