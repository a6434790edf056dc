"""Schedules: every form a lowering_config can take (what the heuristic and
kiln-tune write) computes the same matmul. Each config is attached to a
linalg.matmul by hand and the result compared with numpy's float64 product
at the matmul tolerance (rtol 1e-5, atol 1e-5 * max|reference|).

The shapes leave partial tiles at both levels (m = 100 rows with 14-row
register tiles, n = 80 with 32-column ones, k = 300 with 128-deep cache
tiles), so that the peeled remainders run too."""

import numpy as np
import pytest

from kiln_e2e import assert_close, rng, run, tensor_type

M, K, N = 100, 300, 80

CONFIGS = {
    "heuristic-like": "cache = [56, 64, 128], register = [14, 32, 1], pack = [1]",
    "pack A and B": "cache = [56, 64, 128], register = [14, 32, 1], pack = [0, 1]",
    "pack A only": "cache = [56, 64, 128], register = [14, 32, 1], pack = [0]",
    "n outer": "cache = [56, 64, 128], register = [14, 32, 1], pack = [1], register_order = [1, 0, 2]",
    "n outer, both packed, distributed": "cache = [28, 64, 128], register = [14, 32, 1], pack = [0, 1], distribute = [0], register_order = [1, 0, 2]",
    "16 rows, 3 vectors": "cache = [32, 48, 64], register = [16, 48, 1], pack = [0, 1]",
    "cache order n, k, m": "cache = [28, 64, 128], register = [14, 32, 1], pack = [0, 1], cache_order = [1, 2, 0]",
    "cache order n, k, m, n distributed": "cache = [28, 32, 128], register = [14, 32, 1], pack = [0, 1], distribute = [1], cache_order = [1, 2, 0]",
    "both orders, distributed": "cache = [28, 64, 128], register = [14, 32, 1], pack = [0, 1], distribute = [0], cache_order = [1, 2, 0], register_order = [1, 0, 2]",
    "untiled cache level": "cache = [0, 0, 0], register = [14, 32, 1], register_order = [1, 0, 2]",
}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_schedule(name):
    g = rng(7)
    a = g.uniform(-1, 1, (M, K)).astype(np.float32)
    b = g.uniform(-1, 1, (K, N)).astype(np.float32)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    ta, tb, tc = tensor_type(a.shape), tensor_type(b.shape), tensor_type(ref.shape)
    program = f"""
func.func @main(%a: {ta}, %b: {tb}) -> {tc} {{
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : {tc}
  %f = linalg.fill ins(%z : f32) outs(%e : {tc}) -> {tc}
  %c = linalg.matmul {{lowering_config = #kiln_codegen.lowering_config<{CONFIGS[name]}>}} ins(%a, %b : {ta}, {tb}) outs(%f : {tc}) -> {tc}
  return %c : {tc}
}}
"""
    for threads in ("1", "2"):
        out = run(program, [a, b], extra_args=["--threads", threads])[0]
        assert_close(out, ref.astype(np.float32), rtol=1e-5,
                     atol=1e-5 * np.abs(ref).max())
