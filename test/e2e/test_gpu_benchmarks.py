"""The GPU benchmark scripts (benchmarks/gpu_kernels.py, gpu_models.py)
still work without a GPU: they say why they do not run, and
gpu_kernels.py's --fake mode goes through the whole flow (kiln-tune
--device=cuda over the fake driver and fake cuBLAS/cuDNN, its output
parsed into the table and the CSV). Its times mean nothing and are not
checked; the fake runs none of Kiln's kernels, so the library's output,
compared with Kiln's, is reported wrong."""

import csv
import os
import subprocess
import sys

from kiln_e2e import BUILD, ROOT

SCRIPTS = ROOT / "benchmarks"


def run(script, *args, env=None):
    return subprocess.run([sys.executable, str(SCRIPTS / script),
                           "--build-dir", str(BUILD), *args],
                          capture_output=True, text=True, env=env,
                          timeout=600)


def test_without_a_device_the_scripts_say_why(tmp_path):
    env = {**os.environ, "KILN_CUDA_DRIVER": str(tmp_path / "none.so")}
    for script in ["gpu_kernels.py", "gpu_models.py"]:
        out = run(script, "--out", str(tmp_path / "x.csv"), env=env)
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith(
            f"{script[:-3]}: skipped: no usable CUDA device 0 (cannot load "
            "the CUDA driver"), out.stdout
        assert not (tmp_path / "x.csv").exists()


def test_gpu_kernels_fake_flow(tmp_path):
    out_csv = tmp_path / "k.csv"
    out = run("gpu_kernels.py", "--fake", "--rounds", "1", "--runs", "1",
              "--warmup", "0", "--only", "sgemm 64", "conv 8x16x16>8 3x3/1",
              "--out", str(out_csv))
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(out_csv.open()))
    assert [r["case"] for r in rows] == ["sgemm 64", "conv 8x16x16>8 3x3/1"]
    for row in rows:
        assert float(row["kiln_ms"]) >= 0, row
        assert row["library_ms"] == "failed" and row["ratio"] == "-", row
        assert row["problems"] == "library wrong", row
        assert row["fake"] == "True"
    assert "sgemm 64" in out.stdout and "(library wrong)" in out.stdout
