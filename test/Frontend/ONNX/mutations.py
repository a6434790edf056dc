#!/usr/bin/python3
"""Mutated ONNX models must not crash or hang Kiln: each round takes a model
of Debian's libonnx-testdata (node and PyTorch suites), changes one thing (an integer
attribute to 0, a negative number or a huge one; a float attribute to NaN,
infinity, 0 or a negative number; an input's dimension or element type; a
node input to another graph input or to none; an initializer's
dimension; a node without inputs; an attribute of another type or given
twice; an initializer replaced by a 40 GB constant) and saves it under a
name that may be a C library's or the runtime's symbol (expf.onnx,
memcpy.onnx: the function is named after the file), and
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

import numpy as np
import onnx
import onnx.numpy_helper

DATA = pathlib.Path("/usr/share/libonnx-testdata/data")
SUITES = ["node", "pytorch-converted", "pytorch-operator"]


def mutate(model, rng):
    """Changes one thing in `model` (in place); returns what, for reports."""
    g = model.graph
    kind = rng.randrange(9)
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
    if kind == 6 and g.node:
        # No inputs at all (variadic ops: Concat, Sum, Max, ...).
        node = rng.choice(g.node)
        del node.input[:]
        return f"{node.op_type} without inputs"
    if kind == 7 and g.node:
        # An attribute of another type, or given twice.
        node = rng.choice(g.node)
        if node.attribute:
            a = rng.choice(node.attribute)
            if rng.randrange(4) == 0:
                node.attribute.append(a)
                return f"{node.op_type}.{a.name} twice"
            A = onnx.AttributeProto
            new = A(name=a.name)
            new.type = rng.choice([t for t in (A.FLOAT, A.INT, A.STRING,
                                               A.INTS, A.FLOATS) if t != a.type])
            if new.type == A.FLOAT:
                new.f = 1.5
            elif new.type == A.INT:
                new.i = 2
            elif new.type == A.STRING:
                new.s = b"FLOAT"
            elif new.type == A.INTS:
                new.ints.extend([1, 0])
            else:
                new.floats.extend([0.5])
            a.CopyFrom(new)
            return f"{node.op_type}.{a.name} as type {new.type}"
    if kind == 8 and g.initializer:
        # A huge constant: an initializer becomes ConstantOfShape
        # [100000, 100000] (40 GB of float32).
        init = rng.choice(g.initializer)
        name = init.name
        g.initializer.remove(init)
        shape = onnx.numpy_helper.from_array(
            np.array([100000, 100000], np.int64), name + "_huge_shape")
        g.initializer.append(shape)
        g.node.insert(0, onnx.helper.make_node(
            "ConstantOfShape", [shape.name], [name],
            value=onnx.helper.make_tensor("v", onnx.TensorProto.FLOAT, [1],
                                          [1.0])))
        return f"initializer {name} = 40 GB constant"
    return "unchanged"


# Model files are named after the function they become: these names are
# also what code generation calls (libm, libc, the runtime) or an entry
# point the executable defines.
FILE_NAMES = ["model"] * 4 + ["expf", "erff", "powf", "logf", "memcpy",
                              "main", "_mlir_memref_to_llvm_alloc"]


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
        for i in range(args.count):
            test = rng.choice(tests)
            model = onnx.load(str(test / "model.onnx"))
            what = mutate(model, rng)
            path = pathlib.Path(tmp) / (rng.choice(FILE_NAMES) + ".onnx")
            if path.stem != "model":
                what += f", in {path.name}"
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
