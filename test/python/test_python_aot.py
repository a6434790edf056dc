"""CompiledModel.save: ahead-of-time compilation, in-process through the
compiler library kiln-compile is a main of."""

import subprocess

import numpy as np
import pytest

import kiln
import python_models as pm
from kiln import nn


@pytest.fixture(scope="module")
def cnn():
    net = pm.small_cnn()
    return net, kiln.compile(pm.onnx_bytes(net, pm.torch_example()))


def run_executable(command, x, tmp_path):
    np.save(tmp_path / "x.npy", x)
    done = subprocess.run(command + ["--input", str(tmp_path / "x.npy"),
                                     "--output", str(tmp_path / "y.npy")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return np.load(tmp_path / "y.npy")


def test_executable_gives_the_jit_results(cnn, tmp_path):
    net, model = cnn
    exe = model.save(tmp_path / "cnn")
    assert exe == (tmp_path / "cnn").resolve() and exe.exists()
    x = pm.image(seed=4)
    out = run_executable([str(exe)], x, tmp_path)
    np.testing.assert_allclose(out, model(x), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, pm.reference(net, x), rtol=1e-4,
                               atol=1e-5)


def test_static_and_shared_libraries_with_headers(cnn, tmp_path):
    _, model = cnn
    model.save(tmp_path / "libcnn.a", emit="lib", name="cnn")
    model.save(tmp_path / "libcnn_shared.so", emit="shared", name="cnn2")
    assert (tmp_path / "libcnn.a").exists()
    assert "cnn_create" in (tmp_path / "cnn.h").read_text()
    assert "cnn2_create" in (tmp_path / "cnn_shared.h").read_text()


def test_graph_built_in_python_saves_with_its_weights(tmp_path):
    w = np.random.default_rng(0).standard_normal((32, 64)).astype(np.float32)
    x = nn.input((1, 64), name="x")
    model = kiln.compile({"y": nn.relu(nn.dense(x, w))})
    exe = model.save(tmp_path / "dense", threads=1)
    xv = np.random.default_rng(1).standard_normal((1, 64)).astype(np.float32)
    out = run_executable([str(exe)], xv, tmp_path)
    np.testing.assert_allclose(out, np.maximum(xv @ w.T, 0), rtol=1e-5,
                               atol=1e-5)


def test_cross_compiled_executable_under_qemu(cnn, tmp_path):
    _, model = cnn
    exe = model.save(tmp_path / "cnn-arm64", target="aarch64-linux-gnu")
    x = pm.image(seed=5)
    out = run_executable(["qemu-aarch64", str(exe)], x, tmp_path)
    np.testing.assert_allclose(out, model(x), rtol=1e-5, atol=1e-5)


def test_text_emits(cnn, tmp_path):
    _, model = cnn
    asm = model.save(tmp_path / "cnn.s", emit="asm")
    assert "model_create:" in asm.read_text()  # ONNX bytes: @model
    header = model.save(tmp_path / "cnn_only.h", emit="header")
    assert "model_create" in header.read_text()


def test_save_compiles_in_process(tmp_path, monkeypatch):
    """save() calls the compiler library, not the kiln-compile program: it
    works with no process to start, and its errors come back as
    CompileError with the reason."""

    def no_process(*args, **kwargs):
        raise AssertionError("save() started a process")

    monkeypatch.setattr(subprocess, "run", no_process)
    monkeypatch.setattr(subprocess, "Popen", no_process)
    model = kiln.compile(pm.onnx_bytes(pm.small_cnn(), pm.torch_example()))
    header = model.save(tmp_path / "cnn.h", emit="header", name="cnn")
    assert "cnn_create" in header.read_text()
    asm = model.save(tmp_path / "cnn-n1.s", emit="asm",
                     target="aarch64-linux-gnu", cpu="neoverse-n1")
    assert "fmla" in asm.read_text()
    with pytest.raises(kiln.CompileError, match="unknown CPU 'no-such-cpu'"):
        model.save(tmp_path / "x.o", emit="obj", cpu="no-such-cpu")
    desc = tmp_path / "board.json"
    desc.write_text('{"memory_bytes": 1000}')
    with pytest.raises(kiln.CompileError,
                       match="more than the 1.0 kB the target has") as caught:
        model.save(tmp_path / "x.o", emit="obj", target="aarch64-linux-gnu",
                   target_desc=desc)
    assert any(d.severity == "error" and "needs a" in d.message
               for d in caught.value.diagnostics)
