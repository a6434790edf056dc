#!/usr/bin/python3
"""Whole models end to end: Kiln against PyTorch (CPU, oneDNN/MKL kernels),
side by side in one run on this machine, at the same thread counts.

Models: an MNIST MLP (784-128-64-10, ReLU, log-softmax) and LeNet-5 (two
5x5 convolutions with ReLU and 2x2 max pooling, three dense layers,
softmax) on 1x32x32 images, each at batch 1 and batch 64, float32, as
defined in test/e2e/model_zoo.py: Kiln compiles the nn IR with the
module's weights embedded (dense resources), as a deployed model has them. Kiln's time is kiln-run --bench --threads T's median;
PyTorch's the median of as many calls of the eval-mode module under
torch.no_grad() with torch.set_num_threads(T). The two alternate --rounds
times.

Usage: benchmarks/models.py [--build-dir build] [--rounds 3] [--threads 1 2]
                            [--out FILE.csv]
"""

import subprocess
import sys

import harness

BATCHES = [1, 64]

# The models (PyTorch modules and the same networks as nn IR with embedded
# weights) are the end-to-end tests' (test/e2e/model_zoo.py).
ZOO = str(harness.ROOT / "test" / "e2e")
sys.path.insert(0, ZOO)
import model_zoo  # noqa: E402

TORCH = r"""
import sys, time, torch
sys.path.insert(0, sys.argv[5])
import model_zoo
name, batch, reps, threads = sys.argv[1], *map(int, sys.argv[2:5])
torch.set_num_threads(threads)
cls, _, shape = model_zoo.MODELS[name]
model = cls().eval()
x = torch.randn(batch, *shape)
with torch.no_grad():
    model(x)
    times = []
    for _ in range(reps):
        t = time.perf_counter(); model(x); times.append(time.perf_counter() - t)
times.sort()
print(times[len(times) // 2])
"""


def kiln_program(name, batch):
    """The model as nn IR with PyTorch's initial weights embedded."""
    cls, program, _ = model_zoo.MODELS[name]
    return program(batch, cls().eval())


def torch_seconds(name, batch, reps, threads):
    out = subprocess.run([sys.executable, "-c", TORCH, name, str(batch),
                          str(reps), str(threads), ZOO], capture_output=True,
                         text=True, check=True)
    return float(out.stdout)


def main():
    args, kiln_run, out = harness.parse_args(__doc__, "models.csv")
    rows = []
    print(f"{'model':>8} {'batch':>5} {'threads':>7} {'Kiln ms':>8} "
          f"{'PyTorch ms':>10} {'ratio':>6}")
    for name in ["mlp", "lenet5"]:
        for batch in BATCHES:
            program = kiln_program(name, batch)
            reps = 200 if batch == 1 else 50
            medians = harness.compare(
                args.rounds, args.threads,
                lambda t: harness.kiln_seconds(kiln_run, program, reps, t),
                lambda t: torch_seconds(name, batch, reps, t))
            for threads in args.threads:
                k_s, r_s = medians[threads]
                row = {"model": name, "batch": batch, "threads": threads,
                       "kiln_ms": k_s * 1e3, "pytorch_ms": r_s * 1e3,
                       "ratio": r_s / k_s}
                rows.append(row)
                print(f"{name:>8} {batch:5d} {threads:7d} {row['kiln_ms']:8.3f} "
                      f"{row['pytorch_ms']:10.3f} {row['ratio']:6.2f}")
    harness.write_csv(rows, out)


if __name__ == "__main__":
    main()
