"""Which schedule kiln-apply-tuning-db gives an op: the fastest tuned
one only when it measured at least min-gain (default 5%) faster than the
heuristic's own schedule, which kiln-tune measures first as its reference.
The database's times are set here (with sqlite3) after a real kiln-tune
run, so that the outcome does not depend on this machine's timings."""

import os
import re
import sqlite3
import subprocess

import pytest

from kiln_e2e import BUILD

MATMUL = """func.func @mm(%a: tensor<32x64xf32>, %b: tensor<64x48xf32>) -> tensor<32x48xf32> {
  %c = nn.matmul %a, %b : (tensor<32x64xf32>, tensor<64x48xf32>) -> tensor<32x48xf32>
  return %c : tensor<32x48xf32>
}
"""


def tune(db, budget, threads):
    """kiln-tune of MATMUL (written beside `db`) into `db`, exhaustively,
    on `threads` threads; returns the model's path and `db`."""
    model = db.parent / "mm.mlir"
    model.write_text(MATMUL)
    subprocess.run([str(BUILD / "bin" / "kiln-tune"), str(model), "--db",
                    str(db), "--budget", str(budget), "--strategy",
                    "exhaustive", "--runs", "1", "--warmup", "0"], check=True,
                   capture_output=True,
                   env=dict(os.environ, KILN_NUM_THREADS=str(threads)))
    return model, db


@pytest.fixture
def tuned(tmp_path):
    """A model and a database of 3 schedules kiln-tune measured for it on 2
    threads, the heuristic's first."""
    return tune(tmp_path / "t.db", budget=3, threads=2)


def set_times(db, heuristic_us, other_us):
    """The heuristic's measurement (the first) takes `heuristic_us`, the
    next `other_us`, any others far longer; none lost its warm check (which
    depends on this machine's timings)."""
    with sqlite3.connect(db) as connection:
        ids = [row[0] for row in connection.execute(
            "SELECT id FROM measurements WHERE status = 'ok' ORDER BY id")]
        assert len(ids) >= 2
        for i, times in zip(ids, [heuristic_us, other_us]):
            connection.execute("UPDATE measurements SET seconds = ?, "
                               "warm_check = 'not-run' WHERE id = ?",
                               (times * 1e-6, i))
        for i in ids[2:]:
            connection.execute("UPDATE measurements SET seconds = 1, "
                               "warm_check = 'not-run' WHERE id = ?", (i,))


def remark(model, db):
    run = subprocess.run([str(BUILD / "bin" / "kiln-run"), str(model),
                          "--random", "1", "--tuning-db", str(db), "-v",
                          "--threads", "2"], capture_output=True, text=True,
                         check=True)
    return run.stderr


def test_tuned_schedule_4_percent_faster_keeps_the_heuristic(tuned):
    model, db = tuned
    set_times(db, 100.0, 96.0)
    assert ("the heuristic's schedule: the best tuned one in " + str(db) +
            " (96.0 us) is not 5% faster than it (100.0 us)") in remark(model, db)


def test_tuned_schedule_10_percent_faster_replaces_the_heuristic(tuned):
    model, db = tuned
    set_times(db, 100.0, 90.0)
    assert "tuned schedule from " + str(db) + " (90.0 us on" in remark(model, db)


def test_heuristic_fastest(tuned):
    model, db = tuned
    set_times(db, 100.0, 150.0)
    assert ("the heuristic's schedule, the fastest measured in " + str(db) +
            " (100.0 us)") in remark(model, db)


def test_min_gain_option(tuned, tmp_path):
    """The pass's min-gain: 0 takes any faster schedule; outside [0, 1) is
    an error."""
    model, db = tuned
    set_times(db, 100.0, 99.0)
    linalg = tmp_path / "linalg.mlir"
    linalg.write_text(
        "func.func @mm(%a: tensor<32x64xf32>, %b: tensor<64x48xf32>, "
        "%c: tensor<32x48xf32>) -> tensor<32x48xf32> {\n"
        "  %0 = linalg.matmul ins(%a, %b : tensor<32x64xf32>, "
        "tensor<64x48xf32>) outs(%c : tensor<32x48xf32>) -> tensor<32x48xf32>\n"
        "  return %0 : tensor<32x48xf32>\n}\n")

    def apply(min_gain):
        options = f"database={db} report=true min-gain={min_gain}"
        return subprocess.run(
            [str(BUILD / "bin" / "kiln-opt"), str(linalg),
             f"--pass-pipeline=builtin.module("
             f"kiln-cpu-attach-target{{threads=2}},func.func("
             f"kiln-apply-tuning-db{{{options}}}))"],
            capture_output=True, text=True)

    taken = apply(0)
    assert taken.returncode == 0
    assert "tuned schedule from" in taken.stderr and "lowering_config" in taken.stdout
    kept = apply(0.05)
    assert kept.returncode == 0
    assert "not 5% faster" in kept.stderr and "lowering_config" not in kept.stdout
    bad = apply(1.5)
    assert bad.returncode != 0
    assert "min-gain must be at least 0 and below 1, got 1.5" in bad.stderr


def test_lost_warm_check_is_recorded_as_measured(tuned):
    """A schedule faster than the heuristic's with cold inputs that lost
    kiln-tune's warm check keeps the time it measured (not the heuristic's)
    and is never served: kiln-run keeps the heuristic's schedule."""
    model, db = tuned
    set_times(db, 100.0, 50.0)
    with sqlite3.connect(db) as connection:
        ids = [row[0] for row in connection.execute(
            "SELECT id FROM measurements WHERE status = 'ok' ORDER BY id")]
        connection.execute("UPDATE measurements SET warm_check = 'lost' "
                           "WHERE id = ?", (ids[1],))
    assert ("the heuristic's schedule, the fastest measured in " + str(db) +
            " (100.0 us)") in remark(model, db)
    with sqlite3.connect(db) as connection:
        seconds, check = connection.execute(
            "SELECT seconds, warm_check FROM measurements WHERE id = ?",
            (ids[1],)).fetchone()
    assert check == "lost" and seconds == pytest.approx(50e-6)


def test_compiler_key_has_the_codegen_version(tuned):
    _, db = tuned
    with sqlite3.connect(db) as connection:
        keys = {row[0] for row in connection.execute(
            "SELECT DISTINCT compiler_version FROM measurements")}
    assert len(keys) == 1
    assert re.fullmatch(r"kiln [0-9.]+ codegen [0-9]+ llvm [0-9.]+",
                        keys.pop())


def test_warm_checks_are_recorded(tmp_path):
    """kiln-tune records every finalist's warm check as passed or lost, and
    the rest as not run."""
    _, db = tune(tmp_path / "w.db", budget=4, threads=1)
    with sqlite3.connect(db) as connection:
        checks = [row[0] for row in connection.execute(
            "SELECT warm_check FROM measurements WHERE status = 'ok'")]
    assert set(checks) <= {"not-run", "passed", "lost"}
    assert any(c in ("passed", "lost") for c in checks), checks
