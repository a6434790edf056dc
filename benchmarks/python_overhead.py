#!/usr/bin/python3
"""What calling a compiled model from Python costs over calling it from C++.

ResNet-18 (torchvision, random weights, exported to ONNX at opset 17) and a
tiny model (a 1x16 relu, whose compiled code takes well under a
microsecond), each compiled once with kiln.compile; the same compiled code is
then called two ways, in alternating rounds:

  python  model(x): argument checks, fresh output arrays, GIL release, the
          run, the result.
  c++     what a C or C++ program embedding Kiln does per call: check the
          input shapes, malloc the outputs, kiln::api::Model::run, free them
          (a loop in the extension, on the same compiled code and buffers).

Each call's overhead is its time minus the time the compiled code itself
took inside it (timed around the entry point), so the noise of the run
cancels: on ResNet-18 a run takes tens of milliseconds and moves by more
than a millisecond from one to the next, far more than the overheads. The
result is the median overhead per call of each caller, and what Python adds:
the difference of the two.

Most of both overheads on ResNet-18 is cache misses: a run streams ~47 MB of
weights through the caches, so whatever code runs between two runs starts
cold (the same Python call on the tiny model costs about a microsecond).
"""

import argparse
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import harness  # noqa: E402


def python_calls(model, x, calls):
    """Overhead of each of `calls` Python calls, in seconds."""
    native = model._native
    overheads = []
    for _ in range(calls):
        start = time.perf_counter()
        model(x)
        total = time.perf_counter() - start
        overheads.append(total - native.last_run_seconds)
    return overheads


def embedder_calls(model, x, calls):
    """Overhead of each of `calls` C++ calls, in seconds."""
    return [total - inner
            for total, inner in model._native.embedder_calls([x], calls)]


def resnet18(path):
    import torch
    import torchvision
    torch.manual_seed(0)
    net = torchvision.models.resnet18().eval()
    example = torch.randn(1, 3, 224, 224)
    torch.onnx.export(net, example, str(path), input_names=["image"],
                      output_names=["logits"], opset_version=17)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", default=str(ROOT / "build"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=20,
                        help="ResNet-18 calls per round and kind (default "
                        "20; the tiny model makes 100 times as many)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    build = pathlib.Path(args.build_dir)
    sys.path.insert(0, str(build / "python_packages"))
    import numpy as np
    import kiln
    from kiln import nn

    out = pathlib.Path(args.out or build / "benchmarks" /
                       "python_overhead.csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx_path = build / "benchmarks" / "resnet18.onnx"
    if not onnx_path.exists():
        resnet18(onnx_path)
    rng = np.random.default_rng(0)
    cases = [
        ("resnet18", kiln.compile(onnx_path),
         rng.standard_normal((1, 3, 224, 224)).astype(np.float32),
         args.calls),
        ("tiny relu 1x16", kiln.compile(nn.relu(nn.input((1, 16)))),
         rng.standard_normal((1, 16)).astype(np.float32), args.calls * 100),
    ]
    rows = []
    for name, model, x, calls in cases:
        for threads in args.threads:
            kiln.set_num_threads(threads)
            model(x)  # warm-up
            py, cc = [], []
            for _ in range(args.rounds):
                py += python_calls(model, x, calls)
                cc += embedder_calls(model, x, calls)
            row = {
                "model": name, "threads": threads,
                "run_ms": model.benchmark(calls, inputs=[x]).median * 1e3,
                "python_overhead_us": statistics.median(py) * 1e6,
                "cxx_overhead_us": statistics.median(cc) * 1e6,
                "python_adds_us": (statistics.median(py) -
                                   statistics.median(cc)) * 1e6,
                "python_p90_us": statistics.quantiles(py, n=10)[-1] * 1e6,
                "cxx_p90_us": statistics.quantiles(cc, n=10)[-1] * 1e6,
                "calls": len(py),
            }
            rows.append(row)
            print(f"{name:15} T={threads}  run {row['run_ms']:9.4f} ms  "
                  f"overhead per call (median, p90): python "
                  f"{row['python_overhead_us']:5.1f} us "
                  f"({row['python_p90_us']:5.1f}), c++ "
                  f"{row['cxx_overhead_us']:5.1f} us "
                  f"({row['cxx_p90_us']:5.1f}); python adds "
                  f"{row['python_adds_us']:5.1f} us", flush=True)
    harness.write_csv(rows, out)


if __name__ == "__main__":
    main()
