#!/usr/bin/python3
"""Kiln's GPU kernels against NVIDIA's libraries: sgemm and hgemm vs cuBLAS,
ResNet-18's convolutions vs cuDNN, on CUDA device 0.

Each case is one op timed by kiln-tune's harness (`kiln-tune --device=cuda`):
the heuristic's schedule (Kiln's kernel) first, then the library (the GPU
search space's first candidate: cuBLAS for a matmul, cuDNN for an f32
convolution), each in a process of its own with its inputs and output in
device memory (copied once, not per run), the library's runs alternating
with Kiln's and timed as their ratio to them; with --tune BUDGET, BUDGET - 2
more of Kiln's schedules (random picks of the space) and the fastest of
them. The output of each is checked against the heuristic's. --rounds
rounds, each with a fresh database; the medians are compared. The ratio is
the library's time over Kiln's: above 1, Kiln is faster.

Runs only where a GPU exists: without a usable device 0 it says why and
exits 0. `--fake` runs the same flow over Kiln's fake CUDA driver and fake
cuBLAS/cuDNN (tests the script without a GPU: the fake runs no kernel of
Kiln's, so those are "wrong", and its times mean nothing).
"""

import argparse
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import harness  # noqa: E402
from conv import LAYERS, conv_program, label as conv_label  # noqa: E402

# (label, M, N, K, input element type): C (f32) = A x B.
GEMMS = [
    ("sgemm 1024", 1024, 1024, 1024, "f32"),
    ("sgemm 4096", 4096, 4096, 4096, "f32"),
    ("hgemm 1024", 1024, 1024, 1024, "f16"),
    ("hgemm 4096", 4096, 4096, 4096, "f16"),
]
# Small cases for --fake (the fake libraries compute on the CPU).
FAKE_GEMMS = [("sgemm 64", 64, 64, 64, "f32"), ("hgemm 64", 64, 64, 64, "f16")]
FAKE_LAYERS = [(8, 8, 16, 3, 1, 1)]


def gemm_program(m, n, k, element):
    a, b = f"tensor<{m}x{k}x{element}>", f"tensor<{k}x{n}x{element}>"
    c = f"tensor<{m}x{n}xf32>"
    return f"""
func.func @gemm(%a: {a}, %b: {b}) -> {c} {{
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : {c}
  %init = linalg.fill ins(%zero : f32) outs(%e : {c}) -> {c}
  %r = linalg.matmul ins(%a, %b : {a}, {b}) outs(%init : {c}) -> {c}
  return %r : {c}
}}
"""


LINE = re.compile(r"^\s+(heuristic|\d+/\d+) (#kiln_codegen\.lowering_config<.*>): "
                  r"(?:([0-9.]+) (us|ms)|(\w+))")


def measure(kiln_tune, program, budget, args, env):
    """kiln-tune on `program` into a fresh database; returns (Kiln's
    heuristic, the library, Kiln's fastest) in seconds, None where that
    measurement failed or was wrong, and {role: its statuses}."""
    with tempfile.TemporaryDirectory() as tmp:
        model = pathlib.Path(tmp) / "case.mlir"
        model.write_text(program)
        command = [kiln_tune, str(model), "--db", str(pathlib.Path(tmp) / "t.db"),
                   "--device=cuda", "--budget", str(budget),
                   "--strategy", "random" if budget > 2 else "exhaustive",
                   "--runs", str(args.runs), "--warmup", str(args.warmup),
                   "--finalists", "0", "--warm-check=false"]
        if args.gpu_arch:
            command.append(f"--gpu-arch={args.gpu_arch}")
        out = subprocess.run(command, capture_output=True, text=True, env=env)
        if out.returncode != 0:
            sys.exit(f"gpu_kernels: kiln-tune failed:\n{out.stderr}")
    heuristic = library = best = None
    statuses = {}
    for line in out.stdout.splitlines():
        match = LINE.match(line)
        if not match:
            continue
        which, config, value, unit, status = match.groups()
        seconds = (float(value) * (1e-6 if unit == "us" else 1e-3)
                   if value else None)
        role = ("library" if "library" in config
                else "Kiln" if which == "heuristic" else "tuned")
        statuses.setdefault(role, set()).add(status or "ok")
        if role == "library":
            library = seconds
        elif role == "Kiln":
            heuristic = seconds
        if role != "library" and seconds is not None:
            best = seconds if best is None else min(best, seconds)
    return heuristic, library, best, statuses


def cell(seconds):
    return f"{seconds * 1e3:.3f}" if seconds is not None else "failed"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", default=str(harness.ROOT / "build"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=20,
                        help="timed runs per schedule in kiln-tune (default 20)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--tune", type=int, default=0, metavar="BUDGET",
                        help="also measure BUDGET - 2 more of Kiln's "
                        "schedules per round (default 0: the heuristic's only)")
    parser.add_argument("--gpu-arch", default=None,
                        help="default: the device's")
    parser.add_argument("--only", nargs="+", default=None, metavar="CASE")
    parser.add_argument("--fake", action="store_true",
                        help="over the fake driver and libraries, small cases")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    build = pathlib.Path(args.build_dir)
    out_csv = pathlib.Path(args.out or build / "benchmarks" / "gpu_kernels.csv")
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    kiln_tune = str(build / "bin" / "kiln-tune")

    env = dict(os.environ)
    if args.fake:
        lib = build / "lib"
        env.update(KILN_CUDA_DRIVER=str(lib / "libkiln-fake-cuda.so"),
                   KILN_FAKE_CUDA_KERNELS="any",
                   KILN_CUBLAS_LIBRARY=str(lib / "libkiln-fake-cublas.so"),
                   KILN_CUDNN_LIBRARY=str(lib / "libkiln-fake-cudnn.so"))
    problem = harness.cuda_device_problem(build, env)
    if problem:
        print(f"gpu_kernels: skipped: no usable CUDA device 0 ({problem})")
        return 0

    cases = [(name, gemm_program(m, n, k, t))
             for name, m, n, k, t in (FAKE_GEMMS if args.fake else GEMMS)]
    for layer in (FAKE_LAYERS if args.fake else LAYERS):
        cases.append(("conv " + conv_label(layer), conv_program(*layer)))
    cases = [c for c in cases if args.only is None or c[0] in args.only]
    budget = max(2, args.tune)
    print(f"{'case':30} {'Kiln ms':>9} {'library ms':>11} {'ratio':>6}"
          + (f" {'tuned ms':>9} {'ratio':>6}" if args.tune else ""))
    rows = []
    for name, program in cases:
        samples = [measure(kiln_tune, program, budget, args, env)
                   for _ in range(args.rounds)]

        def median(i):
            values = [s[i] for s in samples if s[i] is not None]
            return statistics.median(values) if values else None
        heuristic, library, best = median(0), median(1), median(2)
        ratio = (f"{library / heuristic:.2f}"
                 if heuristic and library else "-")
        tuned = (f"{library / best:.2f}" if best and library else "-")
        line = f"{name:30} {cell(heuristic):>9} {cell(library):>11} {ratio:>6}"
        if args.tune:
            line += f" {cell(best):>9} {tuned:>6}"
        # What went wrong, per schedule: "library wrong", "tuned timeout".
        problems = sorted({f"{role} {status}" for sample in samples
                           for role, found in sample[3].items()
                           for status in found if status != "ok"})
        statuses = " ".join(problems)
        if problems:
            line += "  (" + ", ".join(problems) + ")"
        print(line, flush=True)
        rows.append({"case": name, "kiln_ms": cell(heuristic),
                     "library_ms": cell(library), "ratio": ratio,
                     "tuned_ms": cell(best), "tuned_ratio": tuned,
                     "problems": statuses, "fake": args.fake})
    harness.write_csv(rows, out_csv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
