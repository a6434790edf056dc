"""The profiler (kiln-run --profile/--profile-json, executables from
kiln-compile --profile): LeNet-5 exported from PyTorch to ONNX, timed per
op. The table lists every nn op of the imported model once (in a row, or
among the ops with no code of their own), each row called once per timed
run; the trace is Chrome's trace event format with one complete event per
timed stretch of code. CPU only: the emulated GPU run skips this file
(scripts/device-e2e-tests.sh)."""

import json
import pathlib
import re
import subprocess

import pytest
import torch

import model_zoo
from kiln_e2e import BUILD, KILN_RUN

KILN_COMPILE = BUILD / "bin" / "kiln-compile"
KILN_TRANSLATE = BUILD / "bin" / "kiln-translate"

ROW = re.compile(r"^\s*(\d+)\s+([0-9.]+)\s+([0-9.]+)%\s+(\d+)\s+([0-9.]+)\s+"
                 r"([0-9.]+|-)\s+(nn\.\S+(?: \+ nn\.\S+)*)(?:\s+\[(.*)\])?$")
SUMMARY = re.compile(r"^(\d+) nn ops: (\d+) in the rows above, (\d+) with no "
                     r"code of their own(?: \((.*)\))?$")


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("profile")
    torch.manual_seed(0)
    path = tmp / "lenet5.onnx"
    cls, _, shape = model_zoo.MODELS["lenet5"]
    torch.onnx.export(cls().eval(), torch.randn(1, *shape), str(path),
                      opset_version=17, input_names=["x"],
                      output_names=["y"])
    return path


def nn_ops(model):
    """The imported model's nn ops but constants, by name."""
    text = subprocess.run([str(KILN_TRANSLATE), "--import-onnx", str(model)],
                          capture_output=True, text=True, check=True).stdout
    return [op for op in re.findall(r"= (nn\.[a-z_0-9]+)\b", text)
            if op != "nn.constant"]


def parse_table(stdout):
    rows = [m for m in map(ROW.match, stdout.splitlines()) if m]
    summaries = [m for m in map(SUMMARY.match, stdout.splitlines()) if m]
    assert len(summaries) == 1, stdout
    return rows, summaries[0]


def check_table(stdout, model, calls):
    rows, summary = parse_table(stdout)
    ops = nn_ops(model)
    total, in_rows, without_code = map(int, summary.group(1, 2, 3))
    # Every op of the model once: in a row or without code.
    assert total == len(ops) and in_rows + without_code == total, stdout
    listed = [op for row in rows for op in row.group(7).split(" + ")]
    if summary.group(4):
        for entry in summary.group(4).split(", "):
            count, name = entry.split(" ")
            listed += [name] * int(count)
    assert set(listed) == set(ops), stdout
    assert len(rows) >= 4, stdout
    for row in rows:
        assert int(row.group(4)) == calls, row.group(0)
        assert float(row.group(2)) >= 0
    # Sorted by time; shares of one run's time.
    times = [float(row.group(2)) for row in rows]
    assert times == sorted(times, reverse=True), stdout
    assert sum(float(row.group(3)) for row in rows) <= 101, stdout
    # The convolutions carry their FLOPs and ONNX node names.
    conv = [row for row in rows if "nn.conv2d" in row.group(7)]
    assert conv and all(row.group(6) != "-" and float(row.group(6)) > 0
                        for row in conv), stdout
    assert any("Conv" in (row.group(8) or "") for row in conv), stdout
    return rows


def test_kiln_run_profile_and_trace(model, tmp_path):
    trace = tmp_path / "trace.json"
    out = subprocess.run([str(KILN_RUN), str(model), "--random", "1",
                          "--bench", "3", "--threads", "1", "--profile",
                          "--profile-json", str(trace)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert re.search(r"profile of 'lenet5': 3 runs, [0-9.]+ ms per run",
                     out.stdout), out.stdout
    assert "peak memory" in out.stdout
    rows = check_table(out.stdout, model, calls=3)
    assert f"trace written to {trace}" in out.stdout

    events = json.loads(trace.read_text())["traceEvents"]
    complete = [e for e in events if e["ph"] == "X"]
    names = {row.group(7) for row in rows}
    assert complete and {e["name"] for e in complete} == names
    for name in names:
        assert sum(e["name"] == name for e in complete) % 3 == 0
    assert all(e["dur"] >= 0 and e["ts"] >= 0 for e in complete)
    starts = [e["ts"] for e in complete]
    assert starts == sorted(starts)
    assert any("Conv" in e["args"]["nodes"] for e in complete)


def test_executable_profile(model, tmp_path):
    exe = tmp_path / "lenet5"
    subprocess.run([str(KILN_COMPILE), str(model), "--profile", "-o",
                    str(exe)], check=True)
    out = subprocess.run([str(exe), "--random", "1", "--profile"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    check_table(out.stdout, model, calls=1)
    trace = tmp_path / "exe.json"
    out = subprocess.run([str(exe), "--random", "1", "--bench", "2",
                          "--profile-json", str(trace)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    check_table(out.stdout, model, calls=2)
    assert json.loads(trace.read_text())["traceEvents"]


def test_profile_needs_profiled_code(model, tmp_path):
    exe = tmp_path / "plain"
    subprocess.run([str(KILN_COMPILE), str(model), "-o", str(exe)],
                   check=True)
    out = subprocess.run([str(exe), "--random", "1", "--profile"],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert ("plain: error: --profile: this code times nothing: it was "
            "compiled without profiling (kiln-compile --profile)") in out.stderr


def test_profile_is_for_the_cpu(model):
    out = subprocess.run([str(KILN_RUN), str(model), "--random", "1",
                          "--profile", "--device=emulated-cuda"],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert ("kiln-run: error: profiling times the ops of CPU code: --profile "
            "needs --device=cpu") in out.stderr


def test_unwritable_trace(model, tmp_path):
    out = subprocess.run([str(KILN_RUN), str(model), "--random", "1",
                          "--profile-json", str(tmp_path / "no" / "t.json")],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert "cannot write the profile trace" in out.stderr
