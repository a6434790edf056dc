#!/usr/bin/python3
"""Mutated ONNX models must not crash or hang Kiln: each round takes a model
of Debian's libonnx-testdata (node and PyTorch suites), changes one thing (an integer
attribute to 0, a negative number or a huge one; a float attribute to NaN,
infinity, 0 or a negative number; an input's dimension or element type; a
node input to another graph input or to none; an initializer's
dimension), and
imports it with kiln-translate; with --run also compiles and runs it with
kiln-run on random inputs. Any outcome but success or a clean error (exit
code 0 or 1) is a failure: a signal, an abort, a timeout.

usage: mutations.py [--seed N] [--count N] [--run N] [--kiln-obj DIR]

Deterministic for a given seed. Prints one line per failure and a summary;
exits 1 when anything failed.
"""

import argparse
import pathlib
import random
import subprocess
import sys
import tempfile

import onnx

DATA = pathlib.Path("/usr/share/libonnx-testdata/data")
SUITES = ["node", "pytorch-converted", "pytorch-operator"]


def mutate(model, rng):
    """Changes one thing in `model` (in place); returns what, for reports."""
    g = model.graph
    kind = rng.randrange(6)
    if kind == 0 and g.node:
        node = rng.choice(g.node)
        ints = [a for a in node.attribute
                if a.type in (onnx.AttributeProto.INT, onnx.AttributeProto.INTS)]
        if ints:
            a = rng.choice(ints)
            value = rng.choice([0, -1, -7, 1 << 40, 3, 1])
            if a.type == onnx.AttributeProto.INT:
                a.i = value
            elif a.ints:
                a.ints[rng.randrange(len(a.ints))] = value
            else:
                a.ints.append(value)
            return f"{node.op_type}.{a.name} = {value}"
    if kind == 1 and g.input:
        i = rng.choice(g.input)
        dims = i.type.tensor_type.shape.dim
        if dims:
            d = rng.randrange(len(dims))
            dims[d].dim_value = rng.choice([0, 1, 2, 7, 1 << 20])
            return f"input {i.name} dim {d} = {dims[d].dim_value}"
    if kind == 2 and g.node:
        node = rng.choice(g.node)
        if node.input:
            k = rng.randrange(len(node.input))
            node.input[k] = rng.choice([x.name for x in g.input] + [""])
            return f"{node.op_type} input {k} = '{node.input[k]}'"
    if kind == 3 and g.initializer:
        init = rng.choice(g.initializer)
        if init.dims:
            d = rng.randrange(len(init.dims))
            init.dims[d] = rng.choice([0, 1, 5])
            return f"initializer {init.name} dim {d} = {init.dims[d]}"
    if kind == 4 and g.input:
        i = rng.choice(g.input)
        elem = rng.choice([1, 2, 3, 6, 7, 9, 10, 11, 12, 16])
        i.type.tensor_type.elem_type = elem
        return f"input {i.name} type = {elem}"
    if kind == 5 and g.node:
        node = rng.choice(g.node)
        floats = [a for a in node.attribute
                  if a.type == onnx.AttributeProto.FLOAT]
        if floats:
            a = rng.choice(floats)
            a.f = rng.choice([float("nan"), float("inf"), -1e30, 0.0, -1.0])
            return f"{node.op_type}.{a.name} = {a.f}"
    return "unchanged"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--run", type=int, default=0,
                        help="how many of the mutations to compile and run too")
    parser.add_argument("--kiln-obj", default=str(
        pathlib.Path(__file__).resolve().parents[3] / "build"))
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"{DATA} is missing: install libonnx-testdata")
    rng = random.Random(args.seed)
    tests = sorted(p for suite in SUITES for p in (DATA / suite).iterdir()
                   if (p / "model.onnx").exists())
    bin_dir = pathlib.Path(args.kiln_obj) / "bin"
    failures = 0
    with tempfile.TemporaryDirectory(prefix="kiln-mutations-") as tmp:
        path = pathlib.Path(tmp) / "model.onnx"
        for i in range(args.count):
            test = rng.choice(tests)
            model = onnx.load(str(test / "model.onnx"))
            what = mutate(model, rng)
            path.write_bytes(model.SerializeToString())
            commands = [[str(bin_dir / "kiln-translate"), "--import-onnx",
                         str(path), "-o", str(pathlib.Path(tmp) / "out.mlir")]]
            if i < args.run:
                commands.append([str(bin_dir / "kiln-run"), str(path),
                                 "--random", "1"])
            for cmd in commands:
                try:
                    proc = subprocess.run(cmd, capture_output=True, text=True,
                                          timeout=300)
                    outcome = proc.returncode
                except subprocess.TimeoutExpired:
                    outcome = "timeout"
                if outcome not in (0, 1):
                    failures += 1
                    print(f"FAILED ({outcome}): {test.name} with {what}: "
                          f"{' '.join(pathlib.Path(c).name for c in cmd[:1])}")
                    break
                if outcome == 1:
                    break   # a clean error: nothing to run
    print(f"mutations: {args.count} imported, {min(args.run, args.count)} "
          f"also run, {failures} crashed or hung")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
