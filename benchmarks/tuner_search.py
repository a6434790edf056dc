#!/usr/bin/python3
"""Model-guided search against exhaustive search, on a matmul and a conv.

For each problem, kiln-tune measures every candidate of a pruned space
(`--strategy exhaustive`), then, into fresh databases, the guided and the
random strategies measure 15% of it (the heuristic's schedule included),
with several seeds.
A strategy's result is the schedule it found fastest, compared with the
exhaustive optimum by measuring both again side by side (`kiln-run --bench
50 --tuning-db` with a database holding only that schedule, alternating
rounds, medians): 1.00 = found the optimum, 1.05 = 5% slower. (The
exhaustive optimum itself is the fastest of its three best schedules
measured again that way: the minimum of a thousand noisy measurements is
flattered by the noise.)

Measurements run on one thread (KILN_NUM_THREADS=1) with the spaces
constrained to `parallel == 0`, `pack == 1`, `pack.a == 0`, `order.reg ==
0`, `order.cache == 0` and `tile.k == 256` (register and cache tile shapes
are searched), so that an exhaustive run
takes minutes, not hours.
"""

import argparse
import math
import pathlib
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import harness  # noqa: E402

PROBLEMS = {
    "matmul 256x256x256": """
func.func @mm(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %c = nn.matmul %a, %b : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  return %c : tensor<256x256xf32>
}
""",
    "conv 1x64x28x28 3x3": """
func.func @conv(%x: tensor<1x64x28x28xf32>, %w: tensor<64x64x3x3xf32>) -> tensor<1x64x28x28xf32> {
  %y = nn.conv2d %x, %w padding [1, 1, 1, 1] : (tensor<1x64x28x28xf32>, tensor<64x64x3x3xf32>) -> tensor<1x64x28x28xf32>
  return %y : tensor<1x64x28x28xf32>
}
""",
}
CONSTRAINTS = ["parallel == 0", "pack == 1", "pack.a == 0", "order.reg == 0",
               "order.cache == 0", "tile.k == 256"]


def tune(tool, model, db, strategy, budget, seed, runs, env):
    args = [tool, str(model), "--db", str(db), "--strategy", strategy,
            "--budget", str(budget), "--seed", str(seed), "--runs", str(runs)]
    for c in CONSTRAINTS:
        args += ["--constraint", c]
    out = subprocess.run(args, capture_output=True, text=True, env=env,
                         check=True).stdout
    size = int(re.search(r"user constraints (\d+)", out).group(1))
    return out, size


def times(db):
    """{schedule: seconds} of the Ok measurements in `db`."""
    with sqlite3.connect(db) as c:
        return dict(c.execute(
            "SELECT schedule, seconds FROM measurements WHERE status = 'ok'"))


def verify(kiln_run, model, db, schedules, rounds, tmp):
    """Median seconds of the model with each of `schedules` (the only row of
    a copy of `db`), measured side by side in alternating rounds."""
    dbs = []
    for i, schedule in enumerate(schedules):
        one = tmp / f"verify-{i}.db"
        one.unlink(missing_ok=True)
        # (SQLite's backup copies what the write-ahead log holds too.)
        with sqlite3.connect(db) as source, sqlite3.connect(one) as copy:
            source.backup(copy)
            copy.execute("DELETE FROM measurements WHERE schedule <> ?",
                         (schedule,))
            assert copy.execute(
                "SELECT COUNT(*) FROM measurements").fetchone()[0] == 1
        dbs.append(one)
    samples = [[] for _ in schedules]
    for _ in range(rounds):
        for i, one in enumerate(dbs):
            out = subprocess.run(
                [kiln_run, str(model), "--random", "1", "--bench", "50",
                 "--threads", "1", "--tuning-db", str(one)],
                capture_output=True, text=True, check=True).stdout
            samples[i].append(
                float(re.search(r"median ([0-9.]+) ms", out).group(1)))
    return [statistics.median(s) / 1e3 for s in samples]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", default=str(ROOT / "build"))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--fraction", type=float, default=0.15)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating rounds when schedules are compared "
                        "again (default 3)")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    build = pathlib.Path(args.build_dir)
    tool = str(build / "bin" / "kiln-tune")
    kiln_run = str(build / "bin" / "kiln-run")
    out = pathlib.Path(args.out or build / "benchmarks" / "tuner_search.csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    env = {"KILN_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        for name, text in PROBLEMS.items():
            model = tmp / "model.mlir"
            model.write_text(text)
            exhaustive_db = tmp / f"exhaustive-{len(rows)}.db"
            _, size = tune(tool, model, exhaustive_db, "exhaustive", 10**6, 0,
                           args.runs, env)
            every = times(exhaustive_db)
            optimum = min(every.values())
            budget = max(2, math.floor(args.fraction * size))
            print(f"{name}: {size} candidates, optimum "
                  f"{optimum * 1e6:.1f} us; budget {budget}", flush=True)
            # The exhaustive optimum: the fastest of its 3 best schedules
            # when measured again side by side (the minimum of ~1000 noisy
            # measurements is flattered by the noise).
            top = sorted(every, key=every.get)[:3]
            again = verify(kiln_run, model, exhaustive_db, top, args.rounds,
                           tmp)
            optimum_schedule = top[again.index(min(again))]
            for strategy in ("guided", "random"):
                ratios = []
                for seed in range(args.seeds):
                    db = tmp / f"{strategy}-{len(rows)}-{seed}.db"
                    tune(tool, model, db, strategy, budget, seed, args.runs,
                         env)
                    found = times(db)
                    best = min(found, key=found.get)
                    if best == optimum_schedule:
                        ratios.append(1.0)
                        continue
                    mine, theirs = verify(kiln_run, model, exhaustive_db,
                                          [best, optimum_schedule],
                                          args.rounds, tmp)
                    ratios.append(mine / theirs)
                row = {"problem": name, "space": size, "budget": budget,
                       "strategy": strategy,
                       "median_ratio": statistics.median(ratios),
                       "worst_ratio": max(ratios),
                       "ratios": " ".join(f"{r:.3f}" for r in ratios)}
                rows.append(row)
                print(f"  {strategy:7} found {row['ratios']} x the optimum "
                      f"(median {row['median_ratio']:.3f})", flush=True)
    harness.write_csv(rows, out)


if __name__ == "__main__":
    main()
