#!/usr/bin/python3
"""ResNet-18 3x3 convolution layers: Kiln against oneDNN (through PyTorch),
side by side in one run on this machine, at the same thread counts.

Layers (batch 1, stride 1, padding 1, C -> C channels): 64x56x56,
128x28x28, 256x14x14, 512x7x7. Kiln's time is kiln-run --bench --threads T's
median; PyTorch's the median of as many calls of torch.nn.functional.conv2d
with torch.set_num_threads(T). The two alternate --rounds times. "% peak" is
Kiln's share of the fp32 FMA peak measured on T threads.

Usage: benchmarks/conv.py [--build-dir build] [--rounds 3] [--threads 1 2]
                          [--out FILE.csv]
"""

import subprocess
import sys

import harness

LAYERS = [(64, 56), (128, 28), (256, 14), (512, 7)]  # (channels, size)

TORCH = r"""
import sys, time, torch
c, s, reps, threads = map(int, sys.argv[1:])
torch.set_num_threads(threads)
x = torch.randn(1, c, s, s)
w = torch.randn(c, c, 3, 3)
with torch.no_grad():
    torch.nn.functional.conv2d(x, w, padding=1)
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        torch.nn.functional.conv2d(x, w, padding=1)
        times.append(time.perf_counter() - t)
times.sort()
print(times[len(times) // 2])
"""


def conv_program(c, s):
    x, w = f"tensor<1x{c}x{s}x{s}xf32>", f"tensor<{c}x{c}x3x3xf32>"
    return f"""
func.func @conv(%x: {x}, %w: {w}) -> {x} {{
  %0 = nn.conv2d %x, %w padding [1, 1, 1, 1] : ({x}, {w}) -> {x}
  return %0 : {x}
}}
"""


def torch_seconds(c, s, reps, threads):
    out = subprocess.run([sys.executable, "-c", TORCH, str(c), str(s),
                          str(reps), str(threads)], capture_output=True,
                         text=True, check=True)
    return float(out.stdout)


def main():
    args, kiln_run, out = harness.parse_args(__doc__, "conv.csv")
    peaks = {t: harness.fma_peak_gflops(args.build_dir, t) for t in args.threads}
    rows = []
    print(f"{'layer':>16} {'threads':>7} {'Kiln GFLOP/s':>13} {'PyTorch':>8} "
          f"{'ratio':>6} {'% peak':>7}")
    for c, s in LAYERS:
        flops = 2.0 * c * c * 9 * s * s
        reps = max(5, min(100, int(5e9 / flops)))
        program = conv_program(c, s)
        medians = harness.compare(
            args.rounds, args.threads,
            lambda t: harness.kiln_seconds(kiln_run, program, reps, t),
            lambda t: torch_seconds(c, s, reps, t))
        for t in args.threads:
            k_s, r_s = medians[t]
            row = {"channels": c, "size": s, "threads": t,
                   "kiln_gflops": flops / k_s / 1e9,
                   "pytorch_gflops": flops / r_s / 1e9, "ratio": r_s / k_s,
                   "peak_fraction": flops / k_s / 1e9 / peaks[t]}
            rows.append(row)
            print(f"{f'1x{c}x{s}x{s}':>16} {t:7d} {row['kiln_gflops']:13.1f} "
                  f"{row['pytorch_gflops']:8.1f} {row['ratio']:6.2f} "
                  f"{100 * row['peak_fraction']:6.0f}%")
    harness.write_csv(rows, out)


if __name__ == "__main__":
    main()
