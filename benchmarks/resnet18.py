#!/usr/bin/python3
"""ResNet-18 end to end: Kiln (heuristic, and tuned) against PyTorch,
side by side in one run on this machine, at the same thread counts.

The model is torchvision's ResNet-18 (random weights, seed 0, eval mode)
exported to ONNX at opset 17 (build/benchmarks/resnet18.onnx, made once);
Kiln runs that file (kiln-run --bench --threads T, weights embedded, batch
1), PyTorch the same module under torch.no_grad() with
torch.set_num_threads(T). The two alternate --rounds times; medians.

With --tuning-db FILE, Kiln is timed a second time with the schedules of
that tuning database ("tuned"; the ratio is then the tuned one); --tune
BUDGET first runs kiln-tune on the model (guided, BUDGET measurements per
op, on every CPU) into it.

Usage: benchmarks/resnet18.py [--build-dir build] [--rounds 3]
                              [--threads 1 2] [--tune BUDGET]
                              [--tuning-db FILE] [--out FILE.csv]
"""

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


def main():
    args, kiln_run, out = harness.parse_args(__doc__, "resnet18.csv")
    model = pathlib.Path(args.build_dir) / "benchmarks" / "resnet18.onnx"
    if not model.exists():
        subprocess.run([sys.executable, "-c", EXPORT, str(model)], check=True,
                       capture_output=True)
    db = args.tuning_db
    if args.tune:
        harness.tune(args.build_dir, model, db, args.tune)
    reps = 20
    timers = [lambda t: harness.kiln_seconds(kiln_run, model, reps, t),
              lambda t: torch_seconds(reps, t)]
    if db:
        timers.append(lambda t: harness.kiln_seconds(kiln_run, model, reps, t,
                                                     db))
    medians = harness.compare(args.rounds, args.threads, *timers)
    print(f"{'threads':>7} {'Kiln ms':>8} " + (f"{'tuned ms':>8} " if db else "")
          + f"{'PyTorch ms':>10} {'ratio':>6}")
    rows = []
    for t in args.threads:
        k_s, r_s = medians[t][-1 if db else 0], medians[t][1]
        row = {"threads": t, "kiln_ms": medians[t][0] * 1e3,
               "tuned_ms": k_s * 1e3 if db else "",
               "pytorch_ms": r_s * 1e3, "ratio": r_s / k_s}
        rows.append(row)
        tuned = f"{row['tuned_ms']:8.2f} " if db else ""
        print(f"{t:7d} {row['kiln_ms']:8.2f} {tuned}{row['pytorch_ms']:10.2f} "
              f"{row['ratio']:6.2f}")
    harness.write_csv(rows, out)


if __name__ == "__main__":
    main()
