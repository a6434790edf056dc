#!/usr/bin/python3
"""Whole models on CUDA device 0: ResNet-18 and a transformer encoder at
batch 1 and 32, Kiln's kernels against Kiln with cuBLAS and cuDNN (and
PyTorch on the GPU, where its build has CUDA).

Each model is exported to ONNX here (random weights: torchvision's
ResNet-18, opset 17; a 2-layer transformer encoder, d 256, 4 heads, FF
1024, sequence 128, batch first) and timed with `kiln-run --device=cuda
--bench N` (the median of N runs after a warm-up; every run copies the
input to the device and the output back, as a model's runs do today), once
with Kiln's kernels and once with `--gpu-libraries=cublas,cudnn`, and, if
`torch.cuda.is_available()`, the PyTorch module on the GPU (eval, no_grad,
synchronized per call, the input copied in and the output out as well).
--rounds rounds alternate them; the medians are compared. Ratios are the
peer's time over Kiln's: above 1, Kiln is faster.

Runs only where a GPU exists: without a usable device 0 it says why and
exits 0.
"""

import argparse
import pathlib
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import harness  # noqa: E402

# `model` and its input `x` for `name` and `batch` (random weights, seed 0).
MODEL = r"""
torch.manual_seed(0)
if name == "resnet18":
    model, x = torchvision.models.resnet18().eval(), torch.randn(batch, 3, 224, 224)
else:
    layer = torch.nn.TransformerEncoderLayer(d_model=256, nhead=4,
        dim_feedforward=1024, dropout=0.0, batch_first=True)
    model = torch.nn.TransformerEncoder(layer, num_layers=2).eval()
    x = torch.randn(batch, 128, 256)
"""

EXPORT = r"""
import sys, torch, torchvision
name, batch, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
""" + MODEL + r"""
torch.onnx.export(model, x, path, opset_version=17, input_names=["x"],
                  output_names=["y"])
"""

TORCH = r"""
import sys, time, torch, torchvision
name, batch, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
if not torch.cuda.is_available():
    print("none"); sys.exit(0)
""" + MODEL + r"""
model = model.cuda()
def run():
    y = model(x.cuda()).cpu()
    torch.cuda.synchronize()
with torch.no_grad():
    for _ in range(3):
        run()
    times = []
    for _ in range(reps):
        t = time.perf_counter(); run(); times.append(time.perf_counter() - t)
times.sort()
print(times[len(times) // 2])
"""

MODELS = [("resnet18", 1), ("resnet18", 32), ("transformer", 1),
          ("transformer", 32)]


def kiln_seconds(kiln_run, model, reps, libraries):
    out = subprocess.run(
        [kiln_run, str(model), "--device=cuda", "--random", "1", "--bench",
         str(reps), "--output", "/dev/null"]
        + (["--gpu-libraries=cublas,cudnn"] if libraries else []),
        capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"gpu_models: kiln-run failed:\n{out.stderr}")
    return harness.bench_seconds(out.stdout)


def torch_seconds(name, batch, reps):
    out = subprocess.run([sys.executable, "-c", TORCH, name, str(batch),
                          str(reps)], capture_output=True, text=True,
                         check=True).stdout.strip()
    return None if out == "none" else float(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", default=str(harness.ROOT / "build"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reps", type=int, default=50,
                        help="runs per timing (default 50)")
    parser.add_argument("--only", nargs="+", default=None, metavar="CASE",
                        help="e.g. resnet18/1 transformer/32")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    build = pathlib.Path(args.build_dir)
    out_csv = pathlib.Path(args.out or build / "benchmarks" / "gpu_models.csv")
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    kiln_run = str(build / "bin" / "kiln-run")

    problem = harness.cuda_device_problem(build)
    if problem:
        print(f"gpu_models: skipped: no usable CUDA device 0 ({problem})")
        return 0

    print(f"{'model':16} {'Kiln ms':>9} {'libraries ms':>13} {'ratio':>6} "
          f"{'PyTorch ms':>11} {'ratio':>6}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="kiln-gpu-models-") as tmp:
        for name, batch in MODELS:
            case = f"{name}/{batch}"
            if args.only and case not in args.only:
                continue
            model = pathlib.Path(tmp) / f"{name}-{batch}.onnx"
            subprocess.run([sys.executable, "-c", EXPORT, name, str(batch),
                            str(model)], check=True, capture_output=True)
            samples = [[], [], []]
            for _ in range(args.rounds):
                samples[0].append(kiln_seconds(kiln_run, model, args.reps, False))
                samples[1].append(kiln_seconds(kiln_run, model, args.reps, True))
                t = torch_seconds(name, batch, args.reps)
                if t is not None:
                    samples[2].append(t)
            kiln, libraries = (statistics.median(s) for s in samples[:2])
            torch = statistics.median(samples[2]) if samples[2] else None
            ratio = f"{libraries / kiln:.2f}"
            torch_ratio = f"{torch / kiln:.2f}" if torch else "-"
            torch_ms = f"{torch * 1e3:.3f}" if torch else "no CUDA"
            print(f"{case:16} {kiln * 1e3:9.3f} {libraries * 1e3:13.3f} "
                  f"{ratio:>6} {torch_ms:>11} {torch_ratio:>6}", flush=True)
            rows.append({"model": case, "kiln_ms": f"{kiln * 1e3:.3f}",
                         "libraries_ms": f"{libraries * 1e3:.3f}",
                         "libraries_ratio": ratio, "torch_ms": torch_ms,
                         "torch_ratio": torch_ratio})
    if rows:
        harness.write_csv(rows, out_csv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
