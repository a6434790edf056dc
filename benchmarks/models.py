#!/usr/bin/python3
"""Whole models end to end: Kiln against PyTorch (CPU, oneDNN/MKL kernels),
side by side in one run on this machine, at the same thread counts.

Models: an MNIST MLP (784-128-64-10, ReLU, log-softmax) and LeNet-5 (two
5x5 convolutions with ReLU and 2x2 max pooling, three dense layers,
softmax) on 1x32x32 images, each at batch 1 and batch 64, float32. Weights
are function inputs on Kiln's side (random, like the images; times do not
depend on values). Kiln's time is kiln-run --bench --threads T's median;
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

TORCH = r"""
import sys, time, torch
name, batch, reps, threads = sys.argv[1], *map(int, sys.argv[2:])
torch.set_num_threads(threads)
f = torch.nn.functional
if name == "mlp":
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 10), torch.nn.LogSoftmax(dim=1)).eval()
    x = torch.randn(batch, 784)
else:
    class LeNet5(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = torch.nn.Conv2d(1, 6, 5)
            self.conv2 = torch.nn.Conv2d(6, 16, 5)
            self.fc1 = torch.nn.Linear(400, 120)
            self.fc2 = torch.nn.Linear(120, 84)
            self.fc3 = torch.nn.Linear(84, 10)
        def forward(self, x):
            x = f.max_pool2d(f.relu(self.conv1(x)), 2)
            x = f.max_pool2d(f.relu(self.conv2(x)), 2)
            x = torch.flatten(x, 1)
            x = f.relu(self.fc1(x))
            x = f.relu(self.fc2(x))
            return f.softmax(self.fc3(x), dim=1)
    model = LeNet5().eval()
    x = torch.randn(batch, 1, 32, 32)
with torch.no_grad():
    model(x)
    times = []
    for _ in range(reps):
        t = time.perf_counter(); model(x); times.append(time.perf_counter() - t)
times.sort()
print(times[len(times) // 2])
"""


def t(*shape):
    return "tensor<" + "".join(f"{d}x" for d in shape) + "f32>"


def mlp_program(n):
    return f"""
func.func @mlp(%x: {t(n, 784)}, %w1: {t(128, 784)}, %b1: {t(128)}, %w2: {t(64, 128)}, %b2: {t(64)}, %w3: {t(10, 64)}, %b3: {t(10)}) -> {t(n, 10)} {{
  %0 = nn.dense %x, %w1, %b1 : ({t(n, 784)}, {t(128, 784)}, {t(128)}) -> {t(n, 128)}
  %1 = nn.relu %0 : {t(n, 128)}
  %2 = nn.dense %1, %w2, %b2 : ({t(n, 128)}, {t(64, 128)}, {t(64)}) -> {t(n, 64)}
  %3 = nn.relu %2 : {t(n, 64)}
  %4 = nn.dense %3, %w3, %b3 : ({t(n, 64)}, {t(10, 64)}, {t(10)}) -> {t(n, 10)}
  %5 = nn.log_softmax %4 : {t(n, 10)}
  return %5 : {t(n, 10)}
}}
"""


def lenet5_program(n):
    return f"""
func.func @lenet5(%x: {t(n, 1, 32, 32)}, %k1: {t(6, 1, 5, 5)}, %c1b: {t(6)}, %k2: {t(16, 6, 5, 5)}, %c2b: {t(16)}, %w1: {t(120, 400)}, %b1: {t(120)}, %w2: {t(84, 120)}, %b2: {t(84)}, %w3: {t(10, 84)}, %b3: {t(10)}) -> {t(n, 10)} {{
  %c1 = nn.conv2d %x, %k1, %c1b : ({t(n, 1, 32, 32)}, {t(6, 1, 5, 5)}, {t(6)}) -> {t(n, 6, 28, 28)}
  %r1 = nn.relu %c1 : {t(n, 6, 28, 28)}
  %p1 = nn.max_pool2d %r1 kernel [2, 2] strides [2, 2] : {t(n, 6, 28, 28)} -> {t(n, 6, 14, 14)}
  %c2 = nn.conv2d %p1, %k2, %c2b : ({t(n, 6, 14, 14)}, {t(16, 6, 5, 5)}, {t(16)}) -> {t(n, 16, 10, 10)}
  %r2 = nn.relu %c2 : {t(n, 16, 10, 10)}
  %p2 = nn.max_pool2d %r2 kernel [2, 2] strides [2, 2] : {t(n, 16, 10, 10)} -> {t(n, 16, 5, 5)}
  %f = nn.flatten %p2 : {t(n, 16, 5, 5)} -> {t(n, 400)}
  %d1 = nn.dense %f, %w1, %b1 : ({t(n, 400)}, {t(120, 400)}, {t(120)}) -> {t(n, 120)}
  %a1 = nn.relu %d1 : {t(n, 120)}
  %d2 = nn.dense %a1, %w2, %b2 : ({t(n, 120)}, {t(84, 120)}, {t(84)}) -> {t(n, 84)}
  %a2 = nn.relu %d2 : {t(n, 84)}
  %d3 = nn.dense %a2, %w3, %b3 : ({t(n, 84)}, {t(10, 84)}, {t(10)}) -> {t(n, 10)}
  %s = nn.softmax %d3 : {t(n, 10)}
  return %s : {t(n, 10)}
}}
"""


MODELS = {"mlp": mlp_program, "lenet5": lenet5_program}


def torch_seconds(name, batch, reps, threads):
    out = subprocess.run([sys.executable, "-c", TORCH, name, str(batch),
                          str(reps), str(threads)], capture_output=True,
                         text=True, check=True)
    return float(out.stdout)


def main():
    args, kiln_run, out = harness.parse_args(__doc__, "models.csv")
    rows = []
    print(f"{'model':>8} {'batch':>5} {'threads':>7} {'Kiln ms':>8} "
          f"{'PyTorch ms':>10} {'ratio':>6}")
    for name, build in MODELS.items():
        for batch in BATCHES:
            program = build(batch)
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
