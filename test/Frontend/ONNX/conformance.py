#!/usr/bin/python3
"""The ONNX backend conformance tests shipped by Debian's libonnx-testdata,
through Kiln: each test's model.onnx is imported, compiled for this CPU and
run (kiln-run) on every test_data_set_*, and the outputs compared with the
expected ones at the ONNX backend runner's tolerances (rtol 1e-3, atol
1e-7; some suites use looser ones, below).

Each test ends as
  passed       every output of every data set matches (kiln-run compiles
               for the values of inputs that shapes depend on, e.g. a
               Reshape's shape fed as a graph input; the detail names them);
  unsupported  Kiln says clearly that it cannot (an op, opset, data type or
               attribute it does not support; the message is recorded);
  failed       anything else: wrong values, a compile error, a crash or a
               timeout (crash/timeout are named).

usage: conformance.py [--kiln-run PATH] [--data DIR] [--jobs N]
                      [--expected FILE] [--markdown FILE] [--filter REGEX]

With --expected FILE (one test name per line, `#` comments), the script
fails when a listed test does not pass or when anything crashes or hangs:
the list is the supported set that must not regress. --markdown writes the
table for docs/.
"""

import argparse
import collections
import concurrent.futures
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

ROOT = pathlib.Path(__file__).resolve().parents[3]
DATA = pathlib.Path("/usr/share/libonnx-testdata/data")
SUITES = ["node", "pytorch-converted", "pytorch-operator", "simple"]

# Looser tolerances the ONNX backend runner uses for these suites.
TOLERANCE = {"pytorch-converted": (1e-3, 1e-5), "pytorch-operator": (1e-3, 1e-5)}
DTYPES = {np.float32, np.float64, np.float16, np.int8, np.int16, np.int32,
          np.int64, np.bool_, np.uint8, np.uint16, np.uint32, np.uint64}


def read_tensor(path):
    tensor = onnx.TensorProto()
    tensor.ParseFromString(path.read_bytes())
    return numpy_helper.to_array(tensor)


def run_test(kiln_run, suite, test_dir, timeout):
    """(status, detail) for one test directory."""
    model = test_dir / "model.onnx"
    sets = sorted(test_dir.glob("test_data_set_*"))
    if not model.exists() or not sets:
        return "unsupported", "no model or data"
    rtol, atol = TOLERANCE.get(suite, (1e-3, 1e-7))
    specialized = set()
    with tempfile.TemporaryDirectory(prefix="kiln-conf-") as tmp:
        tmp = pathlib.Path(tmp)
        for data_set in sets:
            try:
                inputs = [read_tensor(p) for p in sorted(
                    data_set.glob("input_*.pb"), key=lambda p: int(p.stem[6:]))]
                outputs = [read_tensor(p) for p in sorted(
                    data_set.glob("output_*.pb"), key=lambda p: int(p.stem[7:]))]
            except Exception:  # sequences, optionals, maps
                return "unsupported", "test data that are not tensors"
            for a in inputs + outputs:
                if a.dtype.type not in DTYPES:
                    return "unsupported", f"{a.dtype} tensors"
            cmd = [str(kiln_run), str(model)]
            for i, a in enumerate(inputs):
                np.save(tmp / f"in{i}.npy", a)
                cmd += ["--input", str(tmp / f"in{i}.npy")]
            for i in range(len(outputs)):
                cmd += ["--output", str(tmp / f"out{i}.npy")]
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True,
                                      timeout=timeout,
                                      env={**os.environ, "KILN_NUM_THREADS": "1"})
            except subprocess.TimeoutExpired:
                return "failed", f"timeout after {timeout} s"
            if proc.returncode not in (0, 1):
                return "failed", f"crash (exit code {proc.returncode})"
            if proc.returncode == 1:
                message = first_error(proc.stderr)
                if "cannot import" in proc.stderr or "unsupported element type" in proc.stderr:
                    return "unsupported", message
                return "failed", message
            # Inputs that shapes depend on (Reshape's shape, ...) are graph
            # inputs in many tests: kiln-run compiles for their values.
            specialized.update(re.findall(
                r"compiled for the value of input '([^']*)'", proc.stderr))
            for i, expected in enumerate(outputs):
                actual = np.load(tmp / f"out{i}.npy")
                if actual.shape != expected.shape:
                    return "failed", f"output {i}: shape {actual.shape}, expected {expected.shape}"
                if actual.dtype != expected.dtype:
                    return "failed", f"output {i}: {actual.dtype}, expected {expected.dtype}"
                if not np.allclose(actual, expected, rtol=rtol, atol=atol,
                                   equal_nan=True):
                    err = np.abs(actual.astype(np.float64) - expected).max()
                    return "failed", f"output {i}: max abs error {err:.3g}"
    if specialized:
        names = ", ".join(f"'{n}'" for n in sorted(specialized))
        return "passed", f"compiled for the values of inputs {names}"
    return "passed", ""


def first_error(stderr):
    """The most specific line of a kiln-run error report."""
    lines = [l for l in stderr.splitlines() if "error:" in l]
    # The importer's own line names the node; prefer it to an op verifier's.
    lines = [l for l in lines if "error: ONNX " in l] or lines
    if not lines:
        return stderr.strip().splitlines()[-1] if stderr.strip() else "error"
    line = lines[0]
    return line.split("error: ", 1)[1][:300]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kiln-run", default=str(ROOT / "build" / "bin" / "kiln-run"))
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("--expected")
    parser.add_argument("--markdown")
    parser.add_argument("--filter", default="")
    args = parser.parse_args()

    data = pathlib.Path(args.data)
    if not data.is_dir():
        sys.exit(f"{data} is missing: install libonnx-testdata (scripts/setup.sh does)")
    tests = []
    for suite in SUITES:
        for d in sorted((data / suite).iterdir()) if (data / suite).is_dir() else []:
            name = f"{suite}/{d.name}"
            if d.is_dir() and re.search(args.filter, name):
                tests.append((suite, d, name))

    results = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(run_test, args.kiln_run, s, d, args.timeout): n
                   for s, d, n in tests}
        for future in concurrent.futures.as_completed(futures):
            results[futures[future]] = future.result()

    counts = collections.Counter(status for status, _ in results.values())
    for name in sorted(results):
        status, detail = results[name]
        print(f"{status:12} {name}" + (f"  ({detail})" if detail else ""))
    print(f"\nconformance: {counts['passed']} passed, {counts['failed']} failed, "
          f"{counts['unsupported']} unsupported, {len(results)} in all")

    if args.markdown:
        write_markdown(pathlib.Path(args.markdown), results, counts)

    status = 0
    crashes = [n for n, (s, d) in results.items()
               if s == "failed" and (d.startswith("crash") or d.startswith("timeout"))]
    if crashes:
        print("crashed or hung: " + ", ".join(sorted(crashes)))
        status = 1
    if args.expected:
        expected = [l.split("#")[0].strip() for l in
                    pathlib.Path(args.expected).read_text().splitlines()]
        expected = [e for e in expected if e and re.search(args.filter, e)]
        regressed = [e for e in expected if results.get(e, ("missing",))[0] != "passed"]
        if regressed:
            print("expected to pass but did not: " + ", ".join(regressed))
            status = 1
        else:
            print(f"all {len(expected)} expected tests passed")
    return status


def write_markdown(path, results, counts):
    by_suite = collections.defaultdict(collections.Counter)
    for name, (status, _) in results.items():
        by_suite[name.split("/")[0]][status] += 1
    lines = ["# ONNX conformance: every test, as Kiln runs it", "",
             "Generated by `test/Frontend/ONNX/conformance.py --markdown "
             "docs/onnx-conformance.md` from Debian's libonnx-testdata "
             "(`/usr/share/libonnx-testdata/data/`); see "
             "[onnx.md](onnx.md) for what the results mean.", "",
             "| suite | passed | failed | unsupported | total |",
             "| --- | --- | --- | --- | --- |"]
    for suite in SUITES:
        c = by_suite[suite]
        lines.append(f"| {suite} | {c['passed']} | {c['failed']} | "
                     f"{c['unsupported']} | {sum(c.values())} |")
    lines.append(f"| **all** | {counts['passed']} | {counts['failed']} | "
                 f"{counts['unsupported']} | {len(results)} |")
    lines += ["", "| test | result | detail |", "| --- | --- | --- |"]
    for name in sorted(results):
        status, detail = results[name]
        detail = re.sub(r"; supported ops: .*", "", detail).replace("|", "/")
        lines.append(f"| {name} | {status} | {detail} |")
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
