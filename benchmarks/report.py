#!/usr/bin/python3
"""Plots the results of sgemm.py, conv.py and models.py (whichever have
been run) as Kiln/peer speed ratios: one panel per benchmark, one bar per
case and thread count, a line at parity. Writes BUILD/benchmarks/report.png.

Usage: benchmarks/report.py [--build-dir build] [--out FILE.png]
"""

import argparse
import csv
import pathlib

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]

PANELS = [
    ("sgemm.csv", "sgemm vs OpenBLAS", lambda r: f"{r['m']}x{r['k']}x{r['n']}"),
    ("conv.csv", "ResNet-18 conv vs oneDNN (PyTorch)",
     lambda r: r["layer"]),
    ("models.csv", "models vs PyTorch", lambda r: f"{r['model']} b{r['batch']}"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", default=str(ROOT / "build"))
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    results = pathlib.Path(args.build_dir) / "benchmarks"
    panels = [(title, label, list(csv.DictReader((results / name).open())))
              for name, title, label in PANELS if (results / name).exists()]
    if not panels:
        raise SystemExit(f"report.py: no results in {results}; run "
                         "benchmarks/sgemm.py, conv.py or models.py first")
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 3.2 * len(panels)),
                             squeeze=False)
    for ax, (title, label, rows) in zip(axes[:, 0], panels):
        threads = sorted({int(r["threads"]) for r in rows})
        cases = list(dict.fromkeys(label(r) for r in rows))
        width = 0.8 / len(threads)
        for i, t in enumerate(threads):
            ratios = {label(r): float(r["ratio"]) for r in rows
                      if int(r["threads"]) == t}
            xs = [c + (i - (len(threads) - 1) / 2) * width
                  for c in range(len(cases))]
            ax.bar(xs, [ratios.get(c, 0) for c in cases], width,
                   label=f"{t} thread{'s' if t > 1 else ''}")
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_xticks(range(len(cases)), cases, fontsize=8)
        ax.set_ylabel("Kiln speed / peer")
        ax.set_title(title)
        ax.legend(fontsize=8)
    fig.tight_layout()
    out = pathlib.Path(args.out or results / "report.png")
    fig.savefig(out, dpi=100)
    print(f"plot: {out}")


if __name__ == "__main__":
    main()
