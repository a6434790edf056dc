#!/usr/bin/python3
"""ResNet-18 end to end: Kiln (heuristic, and tuned) against PyTorch,
side by side in one run on this machine, at the same thread counts.

The model is torchvision's ResNet-18 (random weights, seed 0, eval mode)
exported to ONNX at opset 17 (build/benchmarks/resnet18.onnx, made once);
Kiln runs that file twice: through kiln-run's JIT (kiln-run --bench
--threads T, weights embedded, batch 1), and as the standalone executable
kiln-compile makes of it for T threads (build/benchmarks/resnet18_tT,
kiln-compile --threads T, its --bench; "AOT", how a model ships). PyTorch runs the same module under torch.no_grad()
with torch.set_num_threads(T). They alternate --rounds times; medians. The
ratio is PyTorch's time over the AOT executable's (above 1: Kiln faster).

With --tuning-db FILE, the AOT executable is built a second time with the
schedules of that tuning database for T threads ("tuned"; the ratio is
then the tuned one); --tune BUDGET first runs kiln-tune on the model
(guided, BUDGET measurements per op) into it, once per thread count
(KILN_NUM_THREADS=T: the database's key includes the count).

Usage: benchmarks/resnet18.py [--build-dir build] [--rounds 3]
                              [--threads 1 2] [--tune BUDGET]
                              [--tuning-db FILE] [--out FILE.csv]
"""

import os
import pathlib
import subprocess
import sys

import harness

TORCH = r"""
import sys, time, torch, torchvision
reps, threads = map(int, sys.argv[1:])
torch.set_num_threads(threads)
torch.manual_seed(0)
model = torchvision.models.resnet18().eval()
x = torch.randn(1, 3, 224, 224)
with torch.no_grad():
    for _ in range(3):
        model(x)
    times = []
    for _ in range(reps):
        t = time.perf_counter(); model(x); times.append(time.perf_counter() - t)
times.sort()
print(times[len(times) // 2])
"""

EXPORT = r"""
import sys, torch, torchvision
torch.manual_seed(0)
model = torchvision.models.resnet18().eval()
torch.onnx.export(model, torch.randn(1, 3, 224, 224), sys.argv[1],
                  opset_version=17, input_names=["image"],
                  output_names=["logits"])
"""


def torch_seconds(reps, threads):
    out = subprocess.run([sys.executable, "-c", TORCH, str(reps),
                          str(threads)], capture_output=True, text=True,
                         check=True)
    return float(out.stdout)


def compile_executable(build_dir, model, exe, threads, tuning_db=None):
    """`model` as a standalone executable `exe` (kiln-compile) for
    `threads` threads (the tiles the threads share, and the tuning key)."""
    compiler = pathlib.Path(build_dir) / "bin" / "kiln-compile"
    subprocess.run([str(compiler), str(model), "-o", str(exe), "--threads",
                    str(threads)]
                   + (["--tuning-db", str(tuning_db)] if tuning_db else []),
                   check=True, capture_output=True)


def executable_seconds(exe, reps, threads):
    """Median seconds per call of the executable's --bench."""
    out = subprocess.run([str(exe), "--random", "1", "--bench", str(reps),
                          "--threads", str(threads), "--output", os.devnull],
                         capture_output=True, text=True, check=True).stdout
    return harness.bench_seconds(out)


def main():
    args, kiln_run, out = harness.parse_args(__doc__, "resnet18.csv")
    bench_dir = pathlib.Path(args.build_dir) / "benchmarks"
    model = bench_dir / "resnet18.onnx"
    if not model.exists():
        subprocess.run([sys.executable, "-c", EXPORT, str(model)], check=True,
                       capture_output=True)
    db = args.tuning_db
    if args.tune:
        harness.tune(args.build_dir, model, db, args.tune, args.threads)
    exe = {t: bench_dir / f"resnet18_t{t}" for t in args.threads}
    tuned_exe = {t: bench_dir / f"resnet18_tuned_t{t}" for t in args.threads}
    for t in args.threads:
        compile_executable(args.build_dir, model, exe[t], t)
        if db:
            compile_executable(args.build_dir, model, tuned_exe[t], t, db)
    reps = 20
    timers = [lambda t: harness.kiln_seconds(kiln_run, model, reps, t),
              lambda t: executable_seconds(exe[t], reps, t),
              lambda t: torch_seconds(reps, t)]
    if db:
        timers.append(lambda t: executable_seconds(tuned_exe[t], reps, t))
    medians = harness.compare(args.rounds, args.threads, *timers)
    print(f"{'threads':>7} {'JIT ms':>7} {'AOT ms':>7} "
          + (f"{'tuned ms':>8} " if db else "")
          + f"{'PyTorch ms':>10} {'ratio':>6}")
    rows = []
    for t in args.threads:
        k_s, r_s = medians[t][-1 if db else 1], medians[t][2]
        row = {"threads": t, "jit_ms": medians[t][0] * 1e3,
               "aot_ms": medians[t][1] * 1e3,
               "tuned_ms": k_s * 1e3 if db else "",
               "pytorch_ms": r_s * 1e3, "ratio": r_s / k_s}
        rows.append(row)
        tuned = f"{row['tuned_ms']:8.2f} " if db else ""
        print(f"{t:7d} {row['jit_ms']:7.2f} {row['aot_ms']:7.2f} {tuned}"
              f"{row['pytorch_ms']:10.2f} {row['ratio']:6.2f}")
    harness.write_csv(rows, out)


if __name__ == "__main__":
    main()
