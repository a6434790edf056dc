#!/usr/bin/env python3
"""Cross-checks nn-infer-shapes' conv/pool output sizes against PyTorch.

Usage: check_shapes_against_torch.py --kiln-opt <path to kiln-opt>
                                     [--seed N] [--count N] [--keep FILE]

Generates, with a fixed random seed, a few hundred configurations of

  * nn.conv2d      (batch, channels, spatial size, filters, kernel, stride,
                    dilation, asymmetric padding, groups, with/without bias),
  * nn.max_pool2d  (kernel, stride, symmetric padding, dilation, ceil mode),
  * nn.avg_pool2d  (kernel, stride, symmetric padding, ceil mode,
                    count_include_pad),

plus hand-picked edge cases (kernel as large as the padded input, stride
larger than the kernel, 1x1 inputs, a last ceil-mode window that would start
in the trailing padding). It writes one .mlir file with one function per
configuration, whose result is declared `tensor<?x?x?x?xf32>`, runs

  kiln-opt --pass-pipeline='builtin.module(func.func(nn-infer-shapes))'

on it once, reads the refined result types, and compares each with the shape
torch.nn.functional produces on a zero tensor. Asymmetric convolution padding
is applied in PyTorch with F.pad before an unpadded F.conv2d. Pool padding is
symmetric and at most half the kernel, as PyTorch requires; configurations
PyTorch rejects anyway are skipped.

Prints `N configurations match PyTorch` and exits 0, or lists the mismatches
and exits 1.
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile

try:
    import torch
    import torch.nn.functional as F
except ImportError as error:  # pragma: no cover - environment problem
    sys.exit(f"error: cannot import torch ({error}); install python3-torch")

PIPELINE = "builtin.module(func.func(nn-infer-shapes))"


# --------------------------------------------------------------------------
# Configurations
# --------------------------------------------------------------------------


class Conv:
    kind = "conv2d"

    def __init__(self, n, c, h, w, f, kernel, stride, dilation, padding,
                 groups, bias):
        self.n, self.c, self.h, self.w, self.f = n, c, h, w, f
        self.kernel = kernel        # (kh, kw)
        self.stride = stride        # (sh, sw)
        self.dilation = dilation    # (dh, dw)
        self.padding = padding      # (top, left, bottom, right), as nn.conv2d
        self.groups = groups
        self.bias = bias

    def describe(self):
        return (f"conv2d input {self.n}x{self.c}x{self.h}x{self.w} "
                f"filter {self.f}x{self.c // self.groups}x{self.kernel[0]}x"
                f"{self.kernel[1]} strides {list(self.stride)} padding "
                f"{list(self.padding)} dilations {list(self.dilation)} "
                f"groups {self.groups}{' bias' if self.bias else ''}")

    def mlir(self, name):
        kh, kw = self.kernel
        x = f"tensor<{self.n}x{self.c}x{self.h}x{self.w}xf32>"
        w = f"tensor<{self.f}x{self.c // self.groups}x{kh}x{kw}xf32>"
        b = f"tensor<{self.f}xf32>"
        args = [f"%x: {x}", f"%w: {w}"] + ([f"%b: {b}"] if self.bias else [])
        operands = "%x, %w" + (", %b" if self.bias else "")
        types = f"{x}, {w}" + (f", {b}" if self.bias else "")
        attrs = []
        # Leave default-valued attributes out half of the time.
        if self.stride != (1, 1) or random_flag(name, 0):
            attrs.append(f"strides {list(self.stride)}")
        if any(self.padding) or random_flag(name, 1):
            attrs.append(f"padding {list(self.padding)}")
        if self.dilation != (1, 1) or random_flag(name, 2):
            attrs.append(f"dilations {list(self.dilation)}")
        if self.groups != 1 or random_flag(name, 3):
            attrs.append(f"groups {self.groups}")
        return (f"func.func @{name}({', '.join(args)}) -> tensor<?x?x?x?xf32> {{\n"
                f"  %0 = nn.conv2d {operands} {' '.join(attrs)} : ({types}) "
                f"-> tensor<?x?x?x?xf32>\n"
                f"  return %0 : tensor<?x?x?x?xf32>\n}}\n")

    def torch_shape(self):
        kh, kw = self.kernel
        x = torch.zeros(self.n, self.c, self.h, self.w)
        w = torch.zeros(self.f, self.c // self.groups, kh, kw)
        b = torch.zeros(self.f) if self.bias else None
        top, left, bottom, right = self.padding
        x = F.pad(x, (left, right, top, bottom))
        y = F.conv2d(x, w, b, stride=self.stride, padding=0,
                     dilation=self.dilation, groups=self.groups)
        return tuple(y.shape)


class Pool:
    def __init__(self, kind, n, c, h, w, kernel, stride, padding, dilation,
                 ceil, count_include_pad):
        self.kind = kind            # "max_pool2d" or "avg_pool2d"
        self.n, self.c, self.h, self.w = n, c, h, w
        self.kernel = kernel        # (kh, kw)
        self.stride = stride        # (sh, sw)
        self.padding = padding      # (ph, pw), symmetric
        self.dilation = dilation    # (dh, dw); (1, 1) for avg_pool2d
        self.ceil = ceil
        # Only average pooling has the attribute.
        self.count_include_pad = count_include_pad and kind == "avg_pool2d"

    def kiln_padding(self):
        ph, pw = self.padding
        return [ph, pw, ph, pw]

    def describe(self):
        text = (f"{self.kind} input {self.n}x{self.c}x{self.h}x{self.w} kernel "
                f"{list(self.kernel)} strides {list(self.stride)} padding "
                f"{self.kiln_padding()}")
        if self.kind == "max_pool2d":
            text += f" dilations {list(self.dilation)}"
        text += " rounding " + ("ceil" if self.ceil else "floor")
        if self.count_include_pad:
            text += " count_include_pad"
        return text

    def mlir(self, name):
        x = f"tensor<{self.n}x{self.c}x{self.h}x{self.w}xf32>"
        # nn's default stride is 1 (PyTorch's is the kernel), so the stride is
        # always spelled out unless it is 1.
        attrs = [f"kernel {list(self.kernel)}"]
        if self.stride != (1, 1) or random_flag(name, 0):
            attrs.append(f"strides {list(self.stride)}")
        if any(self.padding) or random_flag(name, 1):
            attrs.append(f"padding {self.kiln_padding()}")
        if self.kind == "max_pool2d" and (self.dilation != (1, 1) or
                                          random_flag(name, 2)):
            attrs.append(f"dilations {list(self.dilation)}")
        if self.ceil:
            attrs.append("rounding ceil")
        elif random_flag(name, 3):
            attrs.append("rounding floor")
        if self.count_include_pad:
            attrs.append("count_include_pad")
        return (f"func.func @{name}(%x: {x}) -> tensor<?x?x?x?xf32> {{\n"
                f"  %0 = nn.{self.kind} %x {' '.join(attrs)} : {x} "
                f"-> tensor<?x?x?x?xf32>\n"
                f"  return %0 : tensor<?x?x?x?xf32>\n}}\n")

    def torch_shape(self):
        x = torch.zeros(self.n, self.c, self.h, self.w)
        if self.kind == "max_pool2d":
            y = F.max_pool2d(x, self.kernel, stride=self.stride,
                             padding=self.padding, dilation=self.dilation,
                             ceil_mode=self.ceil)
        else:
            y = F.avg_pool2d(x, self.kernel, stride=self.stride,
                             padding=self.padding, ceil_mode=self.ceil,
                             count_include_pad=self.count_include_pad)
        return tuple(y.shape)


def random_flag(name, salt):
    """A deterministic coin flip per configuration (for optional spellings)."""
    return (sum(map(ord, name)) * 31 + salt * 7) % 2 == 0


def effective(kernel, dilation):
    return dilation * (kernel - 1) + 1


def random_conv(rng):
    groups = rng.choice([1, 1, 1, 2, 3, 4])
    c = groups * rng.randint(1, 3)
    depthwise = groups > 1 and rng.random() < 0.3
    if depthwise:
        c = groups
    f = groups * rng.randint(1, 3)
    kernel = (rng.randint(1, 5), rng.randint(1, 5))
    stride = (rng.randint(1, 4), rng.randint(1, 4))
    dilation = tuple(rng.choice([1, 1, 2, 3]) for _ in range(2))
    padding = tuple(rng.randint(0, 3) for _ in range(4))
    sizes = []
    for i in range(2):
        minimum = max(1, effective(kernel[i], dilation[i]) - padding[i] -
                      padding[i + 2])
        # Now and then exactly the smallest input that fits the window.
        sizes.append(minimum if rng.random() < 0.15
                     else rng.randint(minimum, minimum + 20))
    return Conv(rng.randint(1, 3), c, sizes[0], sizes[1], f, kernel, stride,
                dilation, padding, groups, rng.random() < 0.5)


def random_pool(rng, kind):
    kernel = (rng.randint(1, 6), rng.randint(1, 6))
    # Strides up to one above the kernel, so some exceed it.
    stride = tuple(rng.randint(1, k + 1) for k in kernel)
    padding = tuple(rng.randint(0, k // 2) for k in kernel)
    dilation = ((rng.choice([1, 1, 2, 3]), rng.choice([1, 1, 2, 3]))
                if kind == "max_pool2d" else (1, 1))
    sizes = []
    for i in range(2):
        minimum = max(1, effective(kernel[i], dilation[i]) - 2 * padding[i])
        sizes.append(minimum if rng.random() < 0.15
                     else rng.randint(minimum, minimum + 20))
    return Pool(kind, rng.randint(1, 2), rng.randint(1, 4), sizes[0], sizes[1],
                kernel, stride, padding, dilation, rng.random() < 0.5,
                kind == "avg_pool2d" and rng.random() < 0.5)


def edge_cases():
    cases = []
    for ceil in (False, True):
        for kind in ("max_pool2d", "avg_pool2d"):
            # 1x1 input, 1x1 window.
            cases.append(Pool(kind, 1, 1, 1, 1, (1, 1), (1, 1), (0, 0), (1, 1),
                              ceil, False))
            # 1x1 input, 3x3 window that fits only with the padding.
            cases.append(Pool(kind, 1, 2, 1, 1, (3, 3), (2, 2), (1, 1), (1, 1),
                              ceil, True))
            # Window exactly as large as the input, and as the padded input.
            cases.append(Pool(kind, 1, 1, 5, 7, (5, 7), (1, 3), (0, 0), (1, 1),
                              ceil, False))
            cases.append(Pool(kind, 1, 1, 3, 4, (5, 6), (2, 2), (1, 1), (1, 1),
                              ceil, True))
            # Stride larger than the kernel.
            cases.append(Pool(kind, 2, 3, 11, 12, (2, 3), (5, 4), (1, 1),
                              (1, 1), ceil, False))
            # The last ceil window would start in the trailing padding (5 with
            # kernel 2, stride 2, padding 1) or on the last element (6 with
            # kernel 3, stride 2, padding 1).
            cases.append(Pool(kind, 1, 1, 5, 6, (2, 3), (2, 2), (1, 1), (1, 1),
                              ceil, False))
            cases.append(Pool(kind, 1, 1, 7, 7, (2, 2), (3, 3), (1, 1), (1, 1),
                              ceil, True))
        # Dilated window as large as the padded input.
        cases.append(Pool("max_pool2d", 1, 1, 2, 3, (2, 3), (1, 1), (1, 1),
                          (3, 2), ceil, False))
        cases.append(Pool("max_pool2d", 1, 1, 10, 10, (3, 3), (2, 2), (0, 0),
                          (2, 2), ceil, False))
    # Convolutions: 1x1 input with a 1x1 and a padded 3x3 kernel.
    cases.append(Conv(1, 1, 1, 1, 1, (1, 1), (1, 1), (1, 1), (0, 0, 0, 0), 1,
                      False))
    cases.append(Conv(1, 2, 1, 1, 4, (3, 3), (2, 2), (1, 1), (1, 1, 1, 1), 2,
                      True))
    # Kernel as large as the (asymmetrically) padded input.
    cases.append(Conv(2, 3, 4, 5, 2, (7, 7), (1, 1), (1, 1), (1, 0, 2, 2), 1,
                      True))
    cases.append(Conv(1, 1, 3, 3, 1, (3, 3), (1, 1), (2, 2), (1, 2, 1, 0), 1,
                      False))
    # Stride larger than the kernel and not dividing the input.
    cases.append(Conv(1, 4, 17, 23, 8, (2, 3), (5, 7), (1, 1), (0, 1, 2, 3), 4,
                      False))
    # Depthwise with a channel multiplier.
    cases.append(Conv(1, 6, 15, 14, 12, (3, 3), (2, 2), (1, 1), (1, 1, 1, 1),
                      6, True))
    return cases


def configurations(seed, count):
    rng = random.Random(seed)
    configs = edge_cases()
    kinds = ["conv2d", "max_pool2d", "avg_pool2d"]
    while len(configs) < count:
        kind = kinds[len(configs) % 3]
        configs.append(random_conv(rng) if kind == "conv2d"
                       else random_pool(rng, kind))
    return configs


# --------------------------------------------------------------------------
# Running kiln-opt and comparing
# --------------------------------------------------------------------------

RESULT_RE = re.compile(r"nn\.(conv2d|max_pool2d|avg_pool2d)\b.*->\s*"
                       r"tensor<([^>]*)>\s*$")
FUNC_RE = re.compile(r"func\.func @(\w+)\(")
DIAG_RE = re.compile(r":(\d+):\d+: error: (.*)")


def parse_shape(text):
    dims = text.split("x")[:-1]  # drop the element type
    return tuple(None if d == "?" else int(d) for d in dims)


def format_shape(shape):
    return "x".join("?" if d is None else str(d) for d in shape)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kiln-opt", required=True)
    parser.add_argument("--seed", type=int, default=20240517)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--keep", help="also write the generated .mlir here")
    args = parser.parse_args()

    torch.set_num_threads(1)
    expected = {}
    lines = {}
    chunks = []
    skipped = []
    line = 1
    for index, config in enumerate(configurations(args.seed, args.count)):
        name = f"{config.kind}_{index}"
        try:
            shape = config.torch_shape()
        except RuntimeError as error:
            skipped.append(f"{name}: {config.describe()}: "
                           f"{str(error).splitlines()[0]}")
            continue
        text = config.mlir(name)
        expected[name] = (config, shape)
        lines[name] = (line, line + text.count("\n"))
        line += text.count("\n")
        chunks.append(text)
    source = "".join(chunks)
    if args.keep:
        with open(args.keep, "w") as f:
            f.write(source)

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "torch-shapes.mlir")
        with open(path, "w") as f:
            f.write(source)
        run = subprocess.run([args.kiln_opt, path, "--pass-pipeline=" + PIPELINE],
                             capture_output=True, text=True)

    mismatches = []
    if run.returncode != 0:
        # Name the configurations whose lines the diagnostics point at.
        for diag in DIAG_RE.finditer(run.stderr):
            at = int(diag.group(1))
            name = next((n for n, (lo, hi) in lines.items() if lo <= at < hi),
                        None)
            if name:
                config, shape = expected[name]
                mismatches.append(f"{name}: {config.describe()}: kiln-opt "
                                  f"rejects it ({diag.group(2)}); PyTorch "
                                  f"gives {format_shape(shape)}")
        if not mismatches:
            sys.stderr.write(run.stderr)
            sys.exit(f"error: kiln-opt failed (exit code {run.returncode})")
    else:
        refined = {}
        current = None
        for text in run.stdout.splitlines():
            func = FUNC_RE.search(text)
            if func:
                current = func.group(1)
                continue
            result = RESULT_RE.search(text)
            if result and current:
                refined[current] = parse_shape(result.group(2))
        for name, (config, shape) in expected.items():
            got = refined.get(name)
            if got is None:
                mismatches.append(f"{name}: {config.describe()}: no nn op "
                                  f"found in kiln-opt's output")
            elif got != shape:
                mismatches.append(f"{name}: {config.describe()}: nn-infer-shapes "
                                  f"gives {format_shape(got)}, PyTorch gives "
                                  f"{format_shape(shape)}")

    if skipped:
        print(f"skipped {len(skipped)} configurations PyTorch rejects:")
        for text in skipped:
            print("  " + text)
    if mismatches:
        print(f"{len(mismatches)} of {len(expected)} configurations differ "
              f"from PyTorch:")
        for text in mismatches:
            print("  " + text)
        sys.exit(1)
    kinds = {}
    for config, _ in expected.values():
        kinds[config.kind] = kinds.get(config.kind, 0) + 1
    detail = ", ".join(f"{kinds[k]} {k}" for k in sorted(kinds))
    print(f"{len(expected)} configurations match PyTorch ({detail})")


if __name__ == "__main__":
    main()
