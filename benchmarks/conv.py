#!/usr/bin/python3
"""ResNet-18's convolutions: Kiln against oneDNN (through PyTorch),
side by side in one run on this machine, at the same thread counts.

Layers: each distinct convolution of torchvision's ResNet-18 at batch 1
(the 7x7 stem, the 3x3 ones, the strided 3x3 and 1x1 downsamplings),
labelled CINxSxS>COUT KxK/STRIDE. Kiln compiles each layer as it runs in
the model: the filter is a constant of the program (random values), as the
weights of an ONNX model are, so what Kiln does to it once at compile time
(a transposed copy for positions-major layers) is not timed; the input is
the argument. Kiln's time is kiln-run --bench --threads T's median; PyTorch's the median of as many calls of torch.nn.functional.conv2d
with torch.set_num_threads(T). The two alternate --rounds times. "% peak" is
Kiln's share of the fp32 FMA peak measured on T threads.

With --tuning-db FILE, Kiln is timed a second time with the schedules of
that tuning database ("tuned"; ratio and % peak are then the tuned
figures); --tune BUDGET first runs kiln-tune (guided, BUDGET measurements,
once per thread count: the database's key includes it) on each layer into it.

Usage: benchmarks/conv.py [--build-dir build] [--rounds 3] [--threads 1 2]
                          [--only "64x56x56>64 3x3/1" ...] [--tune BUDGET]
                          [--tuning-db FILE] [--out FILE.csv]
"""

import subprocess
import sys

import numpy as np

import harness

# Every distinct convolution of ResNet-18 at batch 1:
# (in channels, out channels, input size, kernel, stride, padding).
LAYERS = [
    (3, 64, 224, 7, 2, 3),      # conv1
    (64, 64, 56, 3, 1, 1),      # layer1
    (64, 128, 56, 3, 2, 1),     # layer2.0.conv1
    (64, 128, 56, 1, 2, 0),     # layer2.0.downsample
    (128, 128, 28, 3, 1, 1),    # layer2
    (128, 256, 28, 3, 2, 1),    # layer3.0.conv1
    (128, 256, 28, 1, 2, 0),    # layer3.0.downsample
    (256, 256, 14, 3, 1, 1),    # layer3
    (256, 512, 14, 3, 2, 1),    # layer4.0.conv1
    (256, 512, 14, 1, 2, 0),    # layer4.0.downsample
    (512, 512, 7, 3, 1, 1),     # layer4
]

TORCH = r"""
import sys, time, torch
ci, co, s, k, stride, pad, reps, threads = map(int, sys.argv[1:])
torch.set_num_threads(threads)
x = torch.randn(1, ci, s, s)
w = torch.randn(co, ci, k, k)
conv = lambda: torch.nn.functional.conv2d(x, w, stride=stride, padding=pad)
with torch.no_grad():
    conv()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        conv()
        times.append(time.perf_counter() - t)
times.sort()
print(times[len(times) // 2])
"""


def out_size(s, k, stride, pad):
    return (s + 2 * pad - k) // stride + 1


def label(layer):
    ci, co, s, k, stride, _ = layer
    return f"{ci}x{s}x{s}>{co} {k}x{k}/{stride}"


def conv_program(ci, co, s, k, stride, pad):
    o = out_size(s, k, stride, pad)
    x, w = f"tensor<1x{ci}x{s}x{s}xf32>", f"tensor<{co}x{ci}x{k}x{k}xf32>"
    y = f"tensor<1x{co}x{o}x{o}xf32>"
    weights = np.random.default_rng(0).uniform(-1, 1, (co, ci, k, k))
    # A dense_resource blob: 4 bytes of alignment, then the raw floats.
    blob = "0x04000000" + weights.astype(np.float32).tobytes().hex().upper()
    return f"""
func.func @conv(%x: {x}) -> {y} {{
  %w = arith.constant dense_resource<filter> : {w}
  %0 = nn.conv2d %x, %w strides [{stride}, {stride}] padding [{pad}, {pad}, {pad}, {pad}] : ({x}, {w}) -> {y}
  return %0 : {y}
}}
{{-#
  dialect_resources: {{
    builtin: {{
      filter: "{blob}"
    }}
  }}
#-}}
"""


def torch_seconds(layer, reps, threads):
    out = subprocess.run([sys.executable, "-c", TORCH,
                          *map(str, layer), str(reps), str(threads)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout)


def main():
    args, kiln_run, out = harness.parse_args(__doc__, "conv.csv")
    peaks = {t: harness.fma_peak_gflops(args.build_dir, t) for t in args.threads}
    rows = []
    db = args.tuning_db
    print(f"{'layer':>22} {'threads':>7} {'Kiln GFLOP/s':>13} "
          + (f"{'tuned':>6} " if db else "") +
          f"{'PyTorch':>8} {'ratio':>6} {'% peak':>7}")
    for layer in LAYERS:
        ci, co, s, k, stride, pad = layer
        if not harness.selected(args, label(layer)):
            continue
        flops = 2.0 * co * ci * k * k * out_size(s, k, stride, pad) ** 2
        reps = max(5, min(100, int(5e9 / flops)))
        program = conv_program(*layer)
        if args.tune:
            harness.tune(args.build_dir, program, db, args.tune, args.threads)
        timers = [lambda t: harness.kiln_seconds(kiln_run, program, reps, t),
                  lambda t: torch_seconds(layer, reps, t)]
        if db:
            timers.append(lambda t: harness.kiln_seconds(kiln_run, program,
                                                         reps, t, db))
        medians = harness.compare(args.rounds, args.threads, *timers)
        best = -1 if db else 0  # tuned Kiln is compared when there is a db
        for t in args.threads:
            k_s, r_s = medians[t][best], medians[t][1]
            row = {"layer": label(layer), "threads": t,
                   "kiln_gflops": flops / medians[t][0] / 1e9,
                   "tuned_gflops": flops / k_s / 1e9 if db else "",
                   "pytorch_gflops": flops / r_s / 1e9, "ratio": r_s / k_s,
                   "peak_fraction": flops / k_s / 1e9 / peaks[t]}
            rows.append(row)
            tuned = f"{row['tuned_gflops']:6.1f} " if db else ""
            print(f"{label(layer):>22} {t:7d} {row['kiln_gflops']:13.1f} "
                  f"{tuned}{row['pytorch_gflops']:8.1f} {row['ratio']:6.2f} "
                  f"{100 * row['peak_fraction']:6.0f}%")
    harness.write_csv(rows, out)


if __name__ == "__main__":
    main()
