#!/usr/bin/python3
"""sgemm: Kiln against OpenBLAS, side by side in one run on this machine.

For each shape and thread count, Kiln's matmul is compiled and timed by
kiln-run --bench --threads T (median of the runs), and OpenBLAS's sgemm
through numpy in a subprocess with OPENBLAS_NUM_THREADS=T and no core-type
override (the CI machines set OPENBLAS_CORETYPE to work around old OpenBLAS
bugs, which slows a current one). The two alternate `--rounds` times and the
medians are compared. "% peak" is Kiln's share of the fp32 FMA peak measured
on as many threads (benchmarks/fma_peak.c); "scaling" is Kiln's speedup over
its own first thread count.

With --tuning-db FILE, Kiln is timed a second time with the schedules of
that tuning database ("tuned"; ratio and % peak are then the tuned
figures); --tune BUDGET first runs kiln-tune (guided, BUDGET measurements,
once per thread count: the database's key includes it) on each shape into it.

Usage: benchmarks/sgemm.py [--build-dir build] [--rounds 3] [--threads 1 2]
                           [--only MxKxN ...] [--tune BUDGET]
                           [--tuning-db FILE] [--out FILE.csv]
"""

import os
import subprocess
import sys

import harness

SHAPES = [(256, 256, 256), (512, 512, 512), (1024, 1024, 1024),
          (2048, 2048, 2048), (64, 784, 512)]  # (M, K, N)
OPENBLAS = r"""
import sys, time, numpy as np
m, k, n, reps = map(int, sys.argv[1:])
a = np.random.rand(m, k).astype(np.float32)
b = np.random.rand(k, n).astype(np.float32)
a @ b
times = []
for _ in range(reps):
    t = time.perf_counter(); a @ b; times.append(time.perf_counter() - t)
times.sort()
print(times[len(times) // 2])
"""


def sgemm_program(m, k, n):
    return f"""
func.func @sgemm(%a: tensor<{m}x{k}xf32>, %b: tensor<{k}x{n}xf32>) -> tensor<{m}x{n}xf32> {{
  %0 = nn.matmul %a, %b : (tensor<{m}x{k}xf32>, tensor<{k}x{n}xf32>) -> tensor<{m}x{n}xf32>
  return %0 : tensor<{m}x{n}xf32>
}}
"""


def openblas_seconds(m, k, n, reps, threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    out = subprocess.run([sys.executable, "-c", OPENBLAS, str(m), str(k),
                          str(n), str(reps)],
                         capture_output=True, text=True, check=True, env=env)
    return float(out.stdout)


def main():
    args, kiln_run, out = harness.parse_args(__doc__, "sgemm.csv")
    peaks = {t: harness.fma_peak_gflops(args.build_dir, t) for t in args.threads}
    print("fp32 FMA peak: " + ", ".join(f"{p:.1f} GFLOP/s on {t} thread(s)"
                                        for t, p in peaks.items()))
    rows = []
    print(f"{'M x K x N':>18} {'threads':>7} {'Kiln GFLOP/s':>13} "
          + (f"{'tuned':>6} " if args.tuning_db else "") +
          f"{'OpenBLAS':>9} {'ratio':>6} {'% peak':>7} {'scaling':>8}")
    db = args.tuning_db
    for m, k, n in SHAPES:
        if not harness.selected(args, f"{m}x{k}x{n}"):
            continue
        flops = 2.0 * m * k * n
        reps = max(3, min(50, int(2e10 / flops)))
        program = sgemm_program(m, k, n)
        if args.tune:
            harness.tune(args.build_dir, program, db, args.tune, args.threads)
        timers = [lambda t: harness.kiln_seconds(kiln_run, program, reps, t),
                  lambda t: openblas_seconds(m, k, n, reps, t)]
        if db:
            timers.append(lambda t: harness.kiln_seconds(kiln_run, program,
                                                         reps, t, db))
        medians = harness.compare(args.rounds, args.threads, *timers)
        # The figures compared: tuned Kiln's when there is a database.
        best = -1 if db else 0
        first = medians[args.threads[0]][best]
        for t in args.threads:
            k_s, b_s = medians[t][best], medians[t][1]
            row = {"m": m, "k": k, "n": n, "threads": t,
                   "kiln_gflops": flops / medians[t][0] / 1e9,
                   "tuned_gflops": flops / k_s / 1e9 if db else "",
                   "openblas_gflops": flops / b_s / 1e9,
                   "ratio": b_s / k_s,
                   "peak_fraction": flops / k_s / 1e9 / peaks[t],
                   "scaling": first / k_s}
            rows.append(row)
            tuned = f"{row['tuned_gflops']:6.1f} " if db else ""
            print(f"{f'{m} x {k} x {n}':>18} {t:7d} {row['kiln_gflops']:13.1f} "
                  f"{tuned}{row['openblas_gflops']:9.1f} {row['ratio']:6.2f} "
                  f"{100 * row['peak_fraction']:6.0f}% {row['scaling']:7.2f}x")
    harness.write_csv(rows, out)


if __name__ == "__main__":
    main()
