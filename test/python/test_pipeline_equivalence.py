"""One pipeline: what `kiln.compile(...).ir(stage)` shows is what
`kiln-compile --emit=mlir --stage=STAGE` compiles, for the same options
(this machine, the same threads), at every stage; and it is what runs: the
threads the model was compiled for are in its target."""

import pathlib
import re
import subprocess

import pytest

import kiln
from conftest import BUILD

# Weights of at most 64 elements: `ir()` elides larger ones, kiln-compile
# prints them all.
MODEL = """
func.func @main(%x: tensor<1x3x16x16xf32>, %w: tensor<8x3x3x3xf32>,
                %a: tensor<64x96xf32>, %b: tensor<96x80xf32>)
    -> (tensor<1x8x16x16xf32>, tensor<64x80xf32>) {
  %bias = nn.constant dense<0.5> : tensor<8xf32>
  %c = nn.conv2d %x, %w, %bias padding [1, 1, 1, 1] : (tensor<1x3x16x16xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
  %r = nn.relu %c : tensor<1x8x16x16xf32>
  %m = nn.matmul %a, %b : (tensor<64x96xf32>, tensor<96x80xf32>) -> tensor<64x80xf32>
  return %r, %m : tensor<1x8x16x16xf32>, tensor<64x80xf32>
}
"""


def kiln_compile_ir(path, stage, threads):
    proc = subprocess.run(
        [str(BUILD / "bin" / "kiln-compile"), str(path), "--emit=mlir",
         f"--stage={stage}", f"--threads={threads}", "-o", "-"],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("stage", ["linalg", "tiled", "bufferized", "llvm"])
def test_ir_equals_kiln_compile(tmp_path, stage, threads):
    path = tmp_path / "model.mlir"
    path.write_text(MODEL)
    model = kiln.compile(str(path), threads=threads)
    assert model.ir(stage) == kiln_compile_ir(path, stage, threads)


def test_ir_shows_the_threads_the_code_runs_on(tmp_path):
    # Tiles shared by threads are sized for the count the model runs on:
    # the IR says which, for kiln.compile as for the code it runs.
    model = kiln.compile(MODEL, threads=3)
    for stage in ["linalg", "tiled", "bufferized", "llvm"]:
        target = re.search(r"kiln_codegen.target = (#kiln_codegen.cpu_target<[^>]*>)",
                           model.ir(stage))
        assert target, stage
        assert "threads = 3" in target.group(1)
