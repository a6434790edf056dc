#!/usr/bin/env python3
"""Checks that every nn dialect diagnostic has a case in invalid.mlir.

Usage: check_diagnostic_coverage.py <dialect lib dir> <invalid.mlir>

Finds every diagnostic chain in the C++ sources of <dialect lib dir>
(*.cpp and *.h):

    emitError() << "expects " << name << " of rank " << rank;
    return emitOpError() << "expects 'min' (" << lo
                         << ") not to exceed 'max' (" << hi << ")";

and reads its message as the sequence of string literals at the top level of
the chain (adjacent literals concatenated, as the compiler does; operands in
parentheses and other expressions are the message's variable parts). A
diagnostic is covered when some `expected-error {{...}}` text of invalid.mlir
contains its first literal verbatim, followed, in order, by the rest of its
literals. Requiring the later literals too matters for the shared helpers,
whose first literal alone ("expects ") would match almost anything.

Prints `checked N diagnostics: all covered` and exits 0, or lists the
uncovered diagnostics with file:line and exits 1. Python 3 standard library
only.
"""

import re
import sys
from pathlib import Path

# Names of the functions whose `<<` chains are diagnostics.
EMITTERS = ("emitError", "emitOpError")

SIMPLE_ESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "0": "\0", "a": "\a", "b": "\b",
    "f": "\f", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?",
}


def decode_escapes(body):
    """The characters a C++ literal body (between the quotes) stands for."""
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c != "\\" or i + 1 == len(body):
            out.append(c)
            i += 1
            continue
        e = body[i + 1]
        if e in SIMPLE_ESCAPES and not (e == "0" and body[i + 2:i + 3].isdigit()):
            out.append(SIMPLE_ESCAPES[e])
            i += 2
        elif e == "x":
            m = re.match(r"[0-9a-fA-F]+", body[i + 2:])
            out.append(chr(int(m.group(0), 16)) if m else "x")
            i += 2 + (len(m.group(0)) if m else 0)
        elif e in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(chr(int(m.group(0), 8)))
            i += 1 + len(m.group(0))
        else:
            out.append(e)
            i += 2
    return "".join(out)


def tokenize(src):
    """Yields (kind, text, line) for C++ source, dropping comments.

    kind is "str" (text: the decoded value of a string literal), "chr" (a
    character literal, decoded), "ident", "punct" (one character, or "<<",
    "::", "->") or "num". Only as much of C++ as the chains need.
    """
    i, line, n = 0, 1, len(src)
    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += src.count("\n", i, j)
            i = j
        elif c == '"' or (c in "uULR" and re.match(r'(?:u8|[uUL])?R?"', src[i:])):
            m = re.match(r'(?:u8|[uUL])?(R?)"', src[i:])
            start = i
            if m.group(1):  # raw string R"delim( ... )delim"
                j = i + m.end()
                k = src.find("(", j)
                delim = src[j:k]
                end = src.find(")" + delim + '"', k + 1)
                end = n if end < 0 else end
                value = src[k + 1:end]
                i = end + len(delim) + 2
            else:
                j = i + m.end()
                k = j
                while k < n and src[k] != '"':
                    k += 2 if src[k] == "\\" else 1
                value = decode_escapes(src[j:k])
                i = k + 1
            yield ("str", value, line)
            line += src.count("\n", start, i)
        elif c == "'":
            k = i + 1
            while k < n and src[k] != "'":
                k += 2 if src[k] == "\\" else 1
            yield ("chr", decode_escapes(src[i + 1:k]), line)
            i = k + 1
        elif c.isalpha() or c == "_":
            m = re.match(r"[A-Za-z_][A-Za-z_0-9]*", src[i:])
            yield ("ident", m.group(0), line)
            i += m.end()
        elif c.isdigit():
            # Numbers, with digit separators (1'000) and suffixes.
            m = re.match(r"[0-9][0-9A-Za-z_.']*", src[i:])
            yield ("num", m.group(0), line)
            i += m.end()
        else:
            for op in ("<<", "::", "->"):
                if src.startswith(op, i):
                    yield ("punct", op, line)
                    i += len(op)
                    break
            else:
                yield ("punct", c, line)
                i += 1


OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = set(OPENERS.values())


def skip_group(tokens, i):
    """Index after the bracketed group that starts at tokens[i]."""
    depth = 0
    while i < len(tokens):
        text = tokens[i][1] if tokens[i][0] == "punct" else None
        if text in OPENERS:
            depth += 1
        elif text in CLOSERS:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def extract_diagnostics(path):
    """[(line, [literal, ...])] for each diagnostic chain in one file.

    The literal list holds the top-level string (and character) literals of
    the chain, adjacent ones merged, with None between two literals that an
    expression separates. A chain starts at `emitError(...)` or
    `emitOpError(...)` (a string literal among the call's arguments counts as
    the first piece) and runs to the `;`, `,` or closing bracket that ends
    the expression.
    """
    tokens = list(tokenize(path.read_text(encoding="utf-8")))
    found = []
    for i, (kind, text, line) in enumerate(tokens):
        if kind != "ident" or text not in EMITTERS:
            continue
        if i + 1 >= len(tokens) or tokens[i + 1][1] != "(":
            continue  # a parameter or argument named emitError, not a call
        end = skip_group(tokens, i + 1)
        pieces = []

        def add(value):
            if pieces and pieces[-1] is not None:
                pieces[-1] += value
            else:
                pieces.append(value)

        # Literal arguments of the call itself (emitOpError("...")).
        for kind2, text2, _ in tokens[i + 2:end - 1]:
            if kind2 == "str":
                add(text2)
        has_chain = end < len(tokens) and tokens[end][1] == "<<"
        if not has_chain and not pieces:
            continue  # a bare emitter (e.g. `[&] { return emitOpError(); }`)
        j = end
        while j < len(tokens):
            kind2, text2, _ = tokens[j]
            if kind2 == "punct" and (text2 in (";", ",") or text2 in CLOSERS):
                break
            if kind2 == "punct" and text2 in OPENERS:
                # A parenthesized operand, e.g. (a ? "x" : "y"): variable text.
                j = skip_group(tokens, j)
                if pieces and pieces[-1] is not None:
                    pieces.append(None)
                continue
            if kind2 in ("str", "chr"):
                add(text2)
            elif not (kind2 == "punct" and text2 == "<<"):
                if pieces and pieces[-1] is not None:
                    pieces.append(None)
            j += 1
        literals = [p for p in pieces if p is not None]
        found.append((line, literals))
    return found


EXPECTED_ERROR = re.compile(
    r"expected-error(?:-re)? *(?:@(?:[+-][0-9]+|above|below|unknown))? *"
    r"\{\{(.*)\}\}\s*$")


def expected_errors(path):
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = EXPECTED_ERROR.search(line)
        if m:
            texts.append(m.group(1))
    return texts


def covered(literals, text):
    """True when the literals occur in `text` in order, the first verbatim."""
    pos = 0
    for literal in literals:
        k = text.find(literal, pos)
        if k < 0:
            return False
        pos = k + len(literal)
    return True


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    lib, mlir = Path(argv[1]), Path(argv[2])
    sources = sorted(list(lib.glob("*.cpp")) + list(lib.glob("*.h")))
    if not sources:
        print(f"error: no C++ sources in {lib}", file=sys.stderr)
        return 2
    texts = expected_errors(mlir)
    if not texts:
        print(f"error: no expected-error lines in {mlir}", file=sys.stderr)
        return 2

    total, missing, unchecked = 0, [], []
    for source in sources:
        for line, literals in extract_diagnostics(source):
            where = f"{source.name}:{line}"
            if not literals:
                unchecked.append(where)
                continue
            total += 1
            if not any(covered(literals, text) for text in texts):
                missing.append((where, literals))

    if total == 0:
        print(f"error: found no diagnostics in {lib}; is the extraction "
              "still in step with the sources?", file=sys.stderr)
        return 1
    for where in unchecked:
        print(f"warning: {where}: diagnostic without a string literal, "
              "not checked")
    if missing:
        print(f"checked {total} diagnostics: {len(missing)} not covered by "
              f"an expected-error in {mlir.name}:")
        for where, literals in missing:
            shown = " ... ".join(repr(lit)[1:-1] for lit in literals)
            print(f"  {where}: \"{literals[0]}\" (message: {shown})")
        return 1
    print(f"checked {total} diagnostics: all covered")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
