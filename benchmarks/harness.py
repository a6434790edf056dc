"""What the benchmark scripts share: command line, timing Kiln through
kiln-run --bench, the machine's FMA peak, alternating rounds with a peer,
the table and the CSV."""

import argparse
import csv
import os
import pathlib
import re
import statistics
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]


def parse_args(doc, default_csv):
    """--build-dir, --rounds, --out; returns (args, kiln_run path, csv path)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--build-dir", default=str(ROOT / "build"))
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating Kiln/peer rounds (default 3)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2],
                        help="thread counts to compare at (default 1 2)")
    parser.add_argument("--out", default=None,
                        help=f"CSV file (default: BUILD/benchmarks/{default_csv})")
    args = parser.parse_args()
    build = pathlib.Path(args.build_dir)
    out = pathlib.Path(args.out or build / "benchmarks" / default_csv)
    out.parent.mkdir(parents=True, exist_ok=True)
    return args, str(build / "bin" / "kiln-run"), out


def kiln_seconds(kiln_run, program, reps, threads=1):
    """Median seconds per call of `program`'s function, from kiln-run on
    `threads` threads."""
    with tempfile.NamedTemporaryFile("w", suffix=".mlir") as f:
        f.write(program)
        f.flush()
        outputs = program.split("->", 1)[1].split("{", 1)[0].count("tensor<")
        out = subprocess.run([kiln_run, f.name, "--random", "1", "--bench",
                              str(reps), "--threads", str(threads)]
                             + ["--output", os.devnull] * outputs,
                             capture_output=True, text=True, check=True).stdout
    return float(re.search(r"median ([0-9.]+) ms", out).group(1)) / 1e3


def fma_peak_gflops(build, threads):
    """The machine's fp32 FMA peak on `threads` threads (GFLOP/s), measured
    by benchmarks/fma_peak.c, built here with clang -O2 -march=native."""
    exe = pathlib.Path(build) / "benchmarks" / "fma_peak"
    source = ROOT / "benchmarks" / "fma_peak.c"
    if not exe.exists() or exe.stat().st_mtime < source.stat().st_mtime:
        exe.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["clang-22", "-O2", "-march=native", str(source),
                        "-o", str(exe), "-lpthread"], check=True)
    out = subprocess.run([str(exe), str(threads)], capture_output=True,
                         text=True, check=True).stdout
    return float(out)


def compare(rounds, threads, kiln, peer):
    """Runs kiln(t) and peer(t) for every thread count t in each of `rounds`
    rounds; returns {t: (Kiln's median, the peer's median)} in seconds.
    Every round visits every thread count, so that a slow phase of the
    machine (they last seconds to minutes here) weighs on all of them
    alike rather than on one thread count's block of rounds."""
    k = {t: [] for t in threads}
    p = {t: [] for t in threads}
    for _ in range(rounds):
        for t in threads:
            k[t].append(kiln(t))
            p[t].append(peer(t))
    return {t: (statistics.median(k[t]), statistics.median(p[t]))
            for t in threads}


def write_csv(rows, out):
    with out.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"results: {out}")
