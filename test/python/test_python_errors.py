"""Every misuse and every bad model raises the right exception, with a
message that says what to do; none aborts the interpreter."""

import pathlib

import numpy as np
import pytest

import kiln
import python_models as pm

ROOT = pathlib.Path(__file__).resolve().parents[2]
TINY_CNN = ROOT / "docs" / "examples" / "tiny_cnn.mlir"


@pytest.fixture(scope="module")
def model():
    return kiln.compile(pm.TWO_OUTPUT_IR)


def ones(shape=(2, 3), dtype=np.float32):
    return np.ones(shape, dtype)


def test_wrong_dtype(model):
    with pytest.raises(TypeError, match=r"input 'x' \(#0\) of two must be "
                       r"float32, got float64 \(convert it with "
                       r"\.astype\(numpy\.float32\)\)"):
        model(ones(dtype=np.float64), ones())


def test_wrong_shape(model):
    with pytest.raises(ValueError, match=r"input 'y' \(#1\) of two must have "
                       r"shape \(2, 3\), got \(3, 2\)"):
        model(ones(), ones((3, 2)))
    with pytest.raises(ValueError, match=r"got \(6,\)"):
        model(ones(), ones((6,)))


def test_wrong_argument_count(model):
    with pytest.raises(TypeError, match="two takes 2 inputs, got 1"):
        model(ones())
    with pytest.raises(TypeError, match="two takes 2 inputs, got 3"):
        model(ones(), ones(), ones())


def test_run_with_wrong_names(model):
    with pytest.raises(TypeError, match=r"missing \['y'\].*unexpected "
                       r"\['z'\]"):
        model.run({"x": ones(), "z": ones()})
    with pytest.raises(TypeError, match="dict of inputs"):
        model.run([ones(), ones()])


def test_unconvertible_input(model):
    with pytest.raises(ValueError):
        model("not a number", ones())


def test_invalid_ir_reports_located_diagnostics():
    text = ("func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
            "  %y = nn.softmax %x axis 3 : tensor<2xf32>\n"
            "  return %y : tensor<2xf32>\n}\n")
    with pytest.raises(kiln.CompileError) as info:
        kiln.compile(text)
    error = info.value
    assert error.diagnostics[0].severity == "error"
    assert error.diagnostics[0].location == "<string>:2:8"
    assert "axis" in error.diagnostics[0].message
    assert "<string>:2:8: error:" in str(error)


def test_unparsable_ir():
    with pytest.raises(kiln.CompileError, match="cannot parse") as info:
        kiln.compile("func.func @f(\n")
    assert info.value.diagnostics


def test_model_kiln_cannot_compile():
    # Parses and verifies, but the CPU pipeline needs static shapes.
    text = ("func.func @f(%x: tensor<?xf32>) -> tensor<?xf32> {\n"
            "  %y = nn.relu %x : tensor<?xf32>\n"
            "  return %y : tensor<?xf32>\n}\n")
    with pytest.raises(kiln.CompileError, match="static"):
        kiln.compile(text)


def test_corrupt_onnx_bytes():
    """Bytes have no file name: the error says what they are, not a
    "model.onnx" the caller never gave."""
    data = pm.onnx_bytes(pm.small_cnn(), pm.torch_example())
    with pytest.raises(kiln.CompileError) as info:
        kiln.compile(data[: len(data) // 3])
    assert "<ONNX bytes>" in str(info.value)
    assert "model.onnx" not in str(info.value)


def test_error_summary_does_not_point_above():
    """The summary comes before the diagnostics in CompileError: it must not
    say "see the diagnostics above"."""
    with pytest.raises(kiln.CompileError) as info:
        kiln.compile(pm.unsupported_op_model())
    text = str(info.value)
    assert "above" not in text
    assert text.splitlines()[0].startswith("cannot import")
    assert info.value.diagnostics


def test_hostile_ir_is_a_compile_error():
    """IR MLIR's parser could not survive (issue 20) raises CompileError in
    the calling process, which goes on working."""
    deep = ("func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> attributes "
            "{a = " + "[" * 10000 + "]" * 10000 + "} {\n"
            "  return %x : tensor<2xf32>\n}\n")
    with pytest.raises(kiln.CompileError, match="nested more than 1000"):
        kiln.compile(deep)
    blob = ("func.func @f() -> tensor<2xf32> {\n"
            "  %c = nn.constant dense_resource<w> : tensor<2xf32>\n"
            "  return %c : tensor<2xf32>\n}\n"
            "{-#\n  dialect_resources: {\n    builtin: {\n"
            "      w: \"0x000000000000803F00000040\"\n    }\n  }\n#-}\n")
    with pytest.raises(kiln.CompileError) as info:
        kiln.compile(blob)
    assert "alignment 0" in str(info.value)
    ok = kiln.compile(blob.replace("0x00000000", "0x04000000"))
    assert ok().tolist() == [1.0, 2.0]


def test_onnx_concat_without_inputs():
    """A Concat node without inputs crashed the importer, and the Python
    process with it."""
    import onnx
    from onnx import TensorProto, helper
    node = helper.make_node("Concat", [], ["y"], name="cat", axis=0)
    graph = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    with pytest.raises(kiln.CompileError,
                       match=r"node 'cat'\): needs at least 1 input, got 0"):
        kiln.compile(model)


def test_model_named_like_libm():
    """A function named like a C library function the compiled code calls
    (expf for softmax) computes the same as under any other name."""
    text = ("func.func @NAME(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {\n"
            "  %y = nn.softmax %x : tensor<2x4xf32>\n"
            "  return %y : tensor<2x4xf32>\n}\n")
    x = np.arange(8, dtype=np.float32).reshape(2, 4)
    expected = kiln.compile(text.replace("NAME", "f"))(x)
    for name in ("expf", "memcpy", "_mlir_memref_to_llvm_alloc"):
        np.testing.assert_array_equal(
            kiln.compile(text.replace("NAME", name))(x), expected)


def test_invalid_num_threads_environment(monkeypatch):
    monkeypatch.setenv("KILN_NUM_THREADS", "zero")
    text = ("func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
            "  %y = nn.relu %x : tensor<2xf32>\n"
            "  return %y : tensor<2xf32>\n}\n")
    with pytest.raises(ValueError, match="KILN_NUM_THREADS='zero'"):
        kiln.compile(text)
    assert kiln.compile(text, threads=1) is not None


def test_unsupported_onnx_op_names_the_node():
    with pytest.raises(kiln.CompileError, match="NonZero") as info:
        kiln.compile(pm.unsupported_op_model())
    assert any("find_nonzero" in d.location or "find_nonzero" in d.message
               for d in info.value.diagnostics)


def test_missing_file():
    with pytest.raises(FileNotFoundError, match="no model file"):
        kiln.compile("no/such/model.onnx")
    with pytest.raises(IsADirectoryError):
        kiln.compile(ROOT)


def test_wrong_model_type():
    with pytest.raises(TypeError, match="kiln.compile takes"):
        kiln.compile(42)


def test_wrong_options():
    with pytest.raises(ValueError, match="target must be 'cpu'"):
        kiln.compile(TINY_CNN, target="gpu")
    with pytest.raises(ValueError, match="opt_level must be 0 to 3"):
        kiln.compile(TINY_CNN, opt_level=4)
    with pytest.raises(TypeError, match="opt_level must be an int"):
        kiln.compile(TINY_CNN, opt_level="3")
    with pytest.raises(ValueError, match="threads must be 1 to 1024"):
        kiln.compile(TINY_CNN, threads=0)
    with pytest.raises(TypeError, match="threads must be an int"):
        kiln.compile(TINY_CNN, threads=2.0)
    with pytest.raises(FileNotFoundError, match="no tuning database"):
        kiln.compile(TINY_CNN, tuning_db="no-such-tuning.db")
    with pytest.raises(ValueError, match="ONNX models only"):
        kiln.compile(TINY_CNN, bind={"x": np.zeros(2)})
    with pytest.raises(kiln.CompileError,
                       match="no function named 'no_such_function'"):
        kiln.compile(TINY_CNN, entry="no_such_function")


def test_bind_errors():
    with pytest.raises(kiln.CompileError, match="nosuch"):
        kiln.compile(pm.reshape_model(), bind={"nosuch": np.array([3, 4])})
    with pytest.raises(kiln.CompileError, match="shape"):
        # Without the binding the Reshape has no static shape.
        kiln.compile(pm.reshape_model())


def test_save_errors(tmp_path):
    model = kiln.compile(TINY_CNN)
    with pytest.raises(ValueError, match="emit must be one of"):
        model.save(tmp_path / "m", emit="wasm")
    with pytest.raises(kiln.CompileError, match="unsupported target 'sparc'"):
        model.save(tmp_path / "m", target="sparc")


def test_names_that_are_not_utf8():
    # A corrupt model's op type: the message keeps it (as U+FFFD) instead of
    # failing to decode.
    data = pm.onnx_bytes(pm.small_cnn(), pm.torch_example())
    assert data.count(b"Relu") >= 1
    with pytest.raises(kiln.CompileError) as info:
        kiln.compile(data.replace(b"Relu", b"R\xfflu"))
    assert "R\ufffdlu" in str(info.value)


def test_tuning_db_that_is_not_one(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("not a database")
    with pytest.raises(kiln.CompileError, match="not a Kiln tuning database"):
        kiln.compile(TINY_CNN, tuning_db=notes)
