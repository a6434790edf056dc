"""One pipeline: what `kiln.compile(...).ir(stage)` shows is what
`kiln-compile --emit=mlir --stage=STAGE` compiles, for the same options
(this machine, the same threads), at every stage; and it is what runs: the
threads the model was compiled for are in its target."""

import platform
import re
import subprocess

import numpy as np
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


# A CPU every machine of this architecture can run: code for it runs here.
BASELINE_CPU = {"x86_64": "x86-64", "aarch64": "generic"}.get(
    platform.machine())


@pytest.mark.skipif(BASELINE_CPU is None,
                    reason=f"no baseline CPU known for {platform.machine()}")
def test_compile_for_a_cpu_of_this_architecture(tmp_path):
    """kiln.compile(cpu=...) compiles for that CPU (its vector width in the
    IR's target), as kiln-compile --cpu does, and the code runs here."""
    path = tmp_path / "model.mlir"
    path.write_text(MODEL)
    model = kiln.compile(str(path), threads=2, cpu=BASELINE_CPU)
    text = model.ir("tiled")
    assert f'cpu = "{BASELINE_CPU}"' in text and "vector_bits = 128" in text
    proc = subprocess.run(
        [str(BUILD / "bin" / "kiln-compile"), str(path), "--emit=mlir",
         "--stage=tiled", "--threads=2", f"--cpu={BASELINE_CPU}", "-o", "-"],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert text == proc.stdout
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 3, 16, 16)).astype(np.float32)
    w = rng.standard_normal((8, 3, 3, 3)).astype(np.float32)
    a = rng.standard_normal((64, 96)).astype(np.float32)
    b = rng.standard_normal((96, 80)).astype(np.float32)
    _, m = model(x, w, a, b)
    np.testing.assert_allclose(m, a @ b, rtol=1e-4, atol=1e-4)


def test_target_arguments_are_checked():
    with pytest.raises(ValueError, match="unknown CPU 'no-such-cpu'"):
        kiln.compile(MODEL, cpu="no-such-cpu")
    with pytest.raises(ValueError, match="must start with '\\+' or '-'"):
        kiln.compile(MODEL, features="avx2")
    with pytest.raises(ValueError,
                       match="cannot read the target description missing.json"):
        kiln.compile(MODEL, target_desc="missing.json")
    with pytest.raises(TypeError, match="cpu must be a str"):
        kiln.compile(MODEL, cpu=3)


def test_target_description_facts_reach_the_ir(tmp_path):
    desc = tmp_path / "board.json"
    desc.write_text('{"l2_bytes": 262144, "memory_bytes": 1000000000}')
    text = kiln.compile(MODEL, target_desc=desc).ir("linalg")
    assert "l2_bytes = 262144" in text and "memory_bytes = 1000000000" in text
