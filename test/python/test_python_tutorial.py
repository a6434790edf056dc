"""docs/python.md, run top to bottom: every ```python block, in order, in
one namespace, in a scratch directory. A block that raises fails the test,
and the tutorial's own asserts check its numbers against PyTorch."""

import contextlib
import io
import os
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "python.md"


def python_blocks(text):
    return re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)


def test_tutorial_runs_and_matches(tmp_path):
    blocks = python_blocks(TUTORIAL.read_text())
    assert len(blocks) >= 7
    namespace = {"__name__": "tutorial"}
    output = io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for number, block in enumerate(blocks, 1):
            code = compile(block, f"{TUTORIAL}:block{number}", "exec")
            with contextlib.redirect_stdout(output):
                exec(code, namespace)  # noqa: S102
    finally:
        os.chdir(cwd)
    printed = output.getvalue()
    # What the tutorial says the reader will see.
    assert "predicted class:" in printed
    assert "must be float32, got float64" in printed
    assert "must have shape (1, 3, 32, 32), got (1, 3, 16, 32)" in printed
    assert "<string>:3:8: error:" in printed
    assert "the executable agrees" in printed
    assert "kiln.nn model agrees with PyTorch" in printed
    assert "'nn.dense' op" in printed
    assert (tmp_path / "classifier").exists()
