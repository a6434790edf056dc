#!/usr/bin/python3
"""Whole models end to end: Kiln against ONNX Runtime and PyTorch at its best,
side by side in one run on this machine, at the same thread counts.

Models (random weights, seed 0, float32, exported to ONNX opset 17 by
torch.onnx): torchvision's ResNet-18 (batch 1 and 8), MobileNetV2 and
SqueezeNet 1.1 on 224x224 images, a transformer encoder (d 256, 4 heads, FF
1024, 2 layers, sequence 128, batch_first), the MNIST MLP 784-128-64-10 at
batch 64 and LeNet-5 at batch 1 (test/e2e/model_zoo.py).

- Kiln: the executable `kiln-compile MODEL.onnx --threads T` makes (one per
  thread count), `--bench REPS` median. Its output for the model's input is
  compared with PyTorch's (eager, float32): the largest difference over the
  largest magnitude of PyTorch's output ("rel err").
- ONNX Runtime: the onnxruntime-node package (CPU execution provider,
  intraOpNumThreads = T, all graph optimizations; benchmarks/ort_bench.js),
  median of REPS runs after 3 warm-up runs.
- PyTorch: torch.jit.trace + torch.jit.freeze + optimize_for_inference,
  torch.set_num_threads(T), median of REPS calls after 3 warm-up calls.

Each round times Kiln, ONNX Runtime and PyTorch at every thread count
(harness.compare); the medians over --rounds rounds are compared. "Kiln/ORT"
is Kiln's time over ONNX Runtime's (below 1: Kiln is faster), "Kiln/best"
over the faster peer's.

Usage: benchmarks/models.py [--build-dir build] [--rounds 3] [--threads 1 2]
                            [--only resnet18/1 transformer/1 ...]
                            [--out FILE.csv]
"""

import json
import os
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import harness  # noqa: E402

ZOO = harness.ROOT / "test" / "e2e"

# (name, batch, runs per timing)
CASES = [("resnet18", 1, 20), ("resnet18", 8, 5), ("mobilenetv2", 1, 40),
         ("squeezenet", 1, 40), ("transformer", 1, 20), ("mlp", 64, 400),
         ("lenet5", 1, 1000)]


def build(name, batch):
    """The PyTorch module (eval mode, weights from seed 0) and an input."""
    import torch
    torch.manual_seed(0)
    if name in ("resnet18", "mobilenetv2", "squeezenet"):
        import torchvision
        make = {"resnet18": torchvision.models.resnet18,
                "mobilenetv2": torchvision.models.mobilenet_v2,
                "squeezenet": torchvision.models.squeezenet1_1}[name]
        return make().eval(), torch.randn(batch, 3, 224, 224)
    if name == "transformer":
        layer = torch.nn.TransformerEncoderLayer(
            d_model=256, nhead=4, dim_feedforward=1024, dropout=0.0,
            batch_first=True)
        model = torch.nn.TransformerEncoder(layer, num_layers=2).eval()
        return model, torch.randn(batch, 128, 256)
    sys.path.insert(0, str(ZOO))
    import model_zoo
    cls, _, shape = model_zoo.MODELS[name]
    return cls().eval(), torch.randn(batch, *shape)


TORCH = r"""
import statistics, sys, time, torch
sys.path.insert(0, sys.argv[1])
import models
name, batch, reps, threads = sys.argv[2], *map(int, sys.argv[3:6])
torch.set_num_threads(threads)
model, x = models.build(name, batch)
with torch.no_grad():
    best = torch.jit.optimize_for_inference(
        torch.jit.freeze(torch.jit.trace(model, x)))
    for _ in range(3):
        best(x)
    times = []
    for _ in range(reps):
        t = time.perf_counter(); best(x); times.append(time.perf_counter() - t)
print(statistics.median(times))
"""


def prepare(work, name, batch):
    """Exports the model, its input and PyTorch's output into `work`."""
    import numpy as np
    import torch
    model, x = build(name, batch)
    onnx = work / f"{name}_b{batch}.onnx"
    with torch.no_grad():
        reference = model(x).numpy()
    # (Outside no_grad: there the transformer takes PyTorch's fused fast
    # path, which has no ONNX export.)
    torch.onnx.export(model, x, str(onnx), opset_version=17,
                      input_names=["x"], output_names=["y"])
    np.save(work / f"{name}_b{batch}_x.npy", x.numpy())
    np.save(work / f"{name}_b{batch}_ref.npy", reference)
    return onnx, list(x.shape)


def main():
    args, kiln_run, out = harness.parse_args(__doc__, "models.csv")
    import numpy as np
    build_dir = pathlib.Path(args.build_dir)
    work = build_dir / "benchmarks" / "models"
    work.mkdir(parents=True, exist_ok=True)
    compiler = str(build_dir / "bin" / "kiln-compile")
    env = {**os.environ, "KILN_BUILD_DIR": str(build_dir)}
    rows = []
    print(f"{'model':>12} {'batch':>5} {'thr':>3} {'Kiln ms':>9} "
          f"{'ORT ms':>9} {'PyTorch ms':>10} {'Kiln/ORT':>8} {'Kiln/best':>9} "
          f"{'rel err':>8}", flush=True)
    for name, batch, reps in CASES:
        label = f"{name}/{batch}"
        if not harness.selected(args, label):
            continue
        onnx, shape = prepare(work, name, batch)
        stem = work / f"{name}_b{batch}"
        exes, errors = {}, {}
        for t in args.threads:
            exe = work / f"{name}_b{batch}_t{t}"
            subprocess.run([compiler, str(onnx), "--threads", str(t), "-o",
                            str(exe)], check=True)
            exes[t] = exe
            result = work / f"{name}_b{batch}_t{t}_y.npy"
            subprocess.run([str(exe), "--input", f"{stem}_x.npy", "--output",
                            str(result), "--threads", str(t)], check=True)
            y, ref = np.load(result), np.load(f"{stem}_ref.npy")
            errors[t] = float(np.abs(y - ref).max() / np.abs(ref).max())

        def kiln(t):
            return harness.bench_seconds(subprocess.run(
                [str(exes[t]), "--input", f"{stem}_x.npy", "--output",
                 os.devnull, "--bench", str(reps), "--threads", str(t)],
                capture_output=True, text=True, check=True).stdout)

        def ort(t):
            return float(subprocess.run(
                ["node", str(harness.ROOT / "benchmarks" / "ort_bench.js"),
                 str(onnx), str(t), str(reps), json.dumps(shape)],
                capture_output=True, text=True, check=True, env=env).stdout)

        def torch(t):
            return float(subprocess.run(
                [sys.executable, "-c", TORCH,
                 str(harness.ROOT / "benchmarks"), name, str(batch),
                 str(reps), str(t)],
                capture_output=True, text=True, check=True).stdout)

        medians = harness.compare(args.rounds, args.threads, kiln, ort, torch)
        for t in args.threads:
            k, o, p = medians[t]
            row = {"model": name, "batch": batch, "threads": t,
                   "kiln_ms": k * 1e3, "ort_ms": o * 1e3, "pytorch_ms": p * 1e3,
                   "kiln_over_ort": k / o, "kiln_over_best": k / min(o, p),
                   "rel_err": errors[t]}
            rows.append(row)
            print(f"{name:>12} {batch:5d} {t:3d} {row['kiln_ms']:9.3f} "
                  f"{row['ort_ms']:9.3f} {row['pytorch_ms']:10.3f} "
                  f"{row['kiln_over_ort']:8.2f} {row['kiln_over_best']:9.2f} "
                  f"{row['rel_err']:8.1e}", flush=True)
    if rows:
        harness.write_csv(rows, out)


if __name__ == "__main__":
    main()
