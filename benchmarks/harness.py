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
    parser.add_argument("--only", nargs="+", default=None, metavar="CASE",
                        help="run only the cases named (e.g. 1024x1024x1024 "
                        "or 1x64x56x56; default: all)")
    parser.add_argument("--tune", type=int, default=0, metavar="BUDGET",
                        help="first tune each case with kiln-tune --budget "
                        "BUDGET into the --tuning-db (default 0: no tuning)")
    parser.add_argument("--tuning-db", default=None, metavar="FILE",
                        help="also time Kiln with this tuning database "
                        "(default with --tune: BUILD/benchmarks/"
                        f"{default_csv.replace('.csv', '.db')})")
    args = parser.parse_args()
    build = pathlib.Path(args.build_dir)
    out = pathlib.Path(args.out or build / "benchmarks" / default_csv)
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.tune and not args.tuning_db:
        args.tuning_db = str(build / "benchmarks" /
                             default_csv.replace(".csv", ".db"))
    return args, str(build / "bin" / "kiln-run"), out


def selected(args, label):
    """Whether the case `label` is among --only's (all are by default)."""
    return args.only is None or label in args.only


def tune(build, program, db, budget, threads):
    """Tunes `program`'s contractions (nn IR text, or a model file as a
    pathlib.Path) into `db` with kiln-tune for each thread count of
    `threads` (the key includes it: $KILN_NUM_THREADS=T; the guided
    strategy, `budget` measurements per op; a database that already holds
    them resumes), printing kiln-tune's final tables."""
    with tempfile.NamedTemporaryFile("w", suffix=".mlir") as f:
        if isinstance(program, pathlib.Path):
            model = str(program)
        else:
            f.write(program)
            f.flush()
            model = f.name
        for t in threads:
            out = subprocess.run(
                [str(pathlib.Path(build) / "bin" / "kiln-tune"), model,
                 "--db", db, "--budget", str(budget), "--strategy", "guided"],
                capture_output=True, text=True, check=True,
                env={**os.environ, "KILN_NUM_THREADS": str(t)}).stdout
            table = [line for line in out.splitlines() if line.startswith("|")]
            print(f"    kiln-tune on {t} thread(s):")
            print("\n".join("    " + line for line in table[2:]), flush=True)


def kiln_seconds(kiln_run, program, reps, threads=1, tuning_db=None):
    """Median seconds per call of `program`'s function (nn IR text, or a
    model file as a pathlib.Path), from kiln-run on `threads` threads (with
    the schedules of `tuning_db`, if given)."""
    with tempfile.NamedTemporaryFile("w", suffix=".mlir") as f:
        if isinstance(program, pathlib.Path):
            model, outputs = str(program), 1
        else:
            f.write(program)
            f.flush()
            model = f.name
            outputs = program.split("->", 1)[1].split("{", 1)[0].count("tensor<")
        out = subprocess.run([kiln_run, model, "--random", "1", "--bench",
                              str(reps), "--threads", str(threads)]
                             + ["--output", os.devnull] * outputs
                             + (["--tuning-db", tuning_db] if tuning_db
                                else []),
                             capture_output=True, text=True, check=True).stdout
    return bench_seconds(out)


def bench_seconds(out):
    """The median of kiln-run's (or an executable's) --bench line, in
    seconds (printed in ms, or in us under a millisecond)."""
    match = re.search(r"median ([0-9.]+) (ms|us)", out)
    return float(match.group(1)) * (1e-3 if match.group(2) == "ms" else 1e-6)


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


def compare(rounds, threads, *timers):
    """Runs each of `timers` (kiln(t), peer(t), ...) for every thread count
    t in each of `rounds` rounds; returns {t: (median of each timer, in
    order)} in seconds. Every round visits every thread count, so that a
    slow phase of the machine (they last seconds to minutes here) weighs on
    all of them alike rather than on one thread count's block of rounds."""
    samples = {t: [[] for _ in timers] for t in threads}
    for _ in range(rounds):
        for t in threads:
            for timer, times in zip(timers, samples[t]):
                times.append(timer(t))
    return {t: tuple(statistics.median(times) for times in samples[t])
            for t in threads}


def cuda_device_problem(build, env=None):
    """Why CUDA device 0 cannot be used, as kiln-test-cuda-runtime's probe
    says (with the environment `env`); None when it can."""
    probe = subprocess.run([str(pathlib.Path(build) / "bin" /
                                "kiln-test-cuda-runtime"), "probe"],
                           capture_output=True, text=True, env=env)
    if probe.returncode == 0:
        return None
    reason = (probe.stderr or probe.stdout).strip().splitlines()
    return reason[-1] if reason else "no reason given"


def write_csv(rows, out):
    with out.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"results: {out}")
