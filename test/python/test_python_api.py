"""kiln.compile and CompiledModel: every way in, running, inspecting."""

import pathlib
import re
import threading

import numpy as np
import onnx
import pytest

import kiln
import python_models as pm

ROOT = pathlib.Path(__file__).resolve().parents[2]
TINY_CNN = ROOT / "docs" / "examples" / "tiny_cnn.mlir"
SGEMM = ROOT / "test" / "tools" / "kiln-compile" / "Inputs" / "sgemm.mlir"


@pytest.fixture(scope="module")
def cnn():
    net = pm.small_cnn()
    data = pm.onnx_bytes(net, pm.torch_example())
    return net, data


@pytest.fixture(scope="module")
def cnn_model(cnn):
    return kiln.compile(cnn[1])


def test_onnx_bytes_match_pytorch(cnn, cnn_model):
    net, _ = cnn
    x = pm.image()
    np.testing.assert_allclose(cnn_model(x), pm.reference(net, x), rtol=1e-4,
                               atol=1e-5)


def test_onnx_file_path_and_modelproto(cnn, tmp_path):
    net, data = cnn
    path = tmp_path / "small_cnn.onnx"
    path.write_bytes(data)
    x = pm.image(seed=2)
    expected = pm.reference(net, x)
    by_path = kiln.compile(path)  # a pathlib.Path
    by_str = kiln.compile(str(path))
    by_proto = kiln.compile(onnx.load_from_string(data))
    assert by_path.entry == "small_cnn"  # named after the file
    for model in (by_path, by_str, by_proto):
        np.testing.assert_allclose(model(x), expected, rtol=1e-4, atol=1e-5)


def test_mlir_file_and_text_agree():
    from_file = kiln.compile(TINY_CNN)
    from_text = kiln.compile(TINY_CNN.read_text())
    x = from_file.random_inputs(seed=3)
    np.testing.assert_array_equal(from_file(*x), from_text(*x))


def test_inputs_and_outputs_describe_the_signature(cnn_model):
    (image,) = cnn_model.inputs
    (logits,) = cnn_model.outputs
    assert image == kiln.TensorInfo("image", (1, 3, 16, 16),
                                    np.dtype("float32"))
    assert logits.name == "logits" and logits.shape == (1, 10)
    assert logits.dtype == np.float32
    assert cnn_model.flops > 0
    assert "image" in repr(cnn_model)


def test_several_outputs_by_position_and_by_name():
    model = kiln.compile(pm.TWO_OUTPUT_IR)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    y = np.full((2, 3), 2, np.float32)
    total, product = model(x, y)
    np.testing.assert_array_equal(total, x + y)
    np.testing.assert_array_equal(product, x * y)
    named = model.run({"y": y, "x": x})
    assert list(named) == ["sum", "product"]
    np.testing.assert_array_equal(named["product"], x * y)


def test_non_contiguous_and_array_like_inputs_are_converted():
    model = kiln.compile(pm.TWO_OUTPUT_IR)
    x = np.arange(6, dtype=np.float32).reshape(3, 2).T  # a strided view
    assert not x.flags.c_contiguous
    y = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]  # a list: float32 is implied
    total, _ = model(x, y)
    np.testing.assert_array_equal(total, x + np.asarray(y, np.float32))
    # The caller's arrays are not modified, outputs are fresh arrays.
    again, _ = model(x, y)
    assert again is not total and not np.shares_memory(again, total)


def test_benchmark_statistics(cnn_model):
    result = cnn_model.benchmark(runs=7, warmup=1)
    assert result.runs == 7 and len(result.times) == 7
    assert 0 < result.min <= result.median <= result.max
    assert result.gflops > 0
    assert "median" in str(result) and "7 runs" in str(result)
    given = cnn_model.benchmark(runs=2, inputs=[pm.image()])
    assert given.runs == 2
    with pytest.raises(ValueError, match="runs must be at least 1"):
        cnn_model.benchmark(runs=0)


@pytest.mark.parametrize("stage,marker", [
    ("nn", "nn.conv2d"),
    ("linalg", "linalg."),
    ("tiled", "vector."),
    ("bufferized", "memref."),
    ("llvm", "llvm.func"),
])
def test_ir_at_each_stage(cnn_model, stage, marker):
    text = cnn_model.ir(stage)
    assert marker in text
    if stage != "nn":
        assert "nn.conv2d" not in text
    assert kiln.stages() == ["nn", "linalg", "tiled", "bufferized", "llvm"]


def test_ir_elides_large_weights():
    net = pm.small_cnn()
    model = kiln.compile(pm.onnx_bytes(net, pm.torch_example()))
    # The 16x8x3x3 filter (4.6 KB) is not printed.
    assert len(model.ir("nn")) < 8000


def test_ir_unknown_stage(cnn_model):
    with pytest.raises(ValueError, match="unknown stage 'ptx'.*'llvm'"):
        cnn_model.ir("ptx")


def test_threads_setting():
    model = kiln.compile(TINY_CNN, threads=1)
    assert model.threads == 1
    kiln.set_num_threads(2)
    model(*model.random_inputs())
    assert kiln.get_num_threads() == 1  # the model's setting applied
    kiln.set_num_threads(None)
    assert kiln.compile(TINY_CNN).threads is None


def test_opt_level_zero_gives_the_same_results():
    fast = kiln.compile(TINY_CNN)
    plain = kiln.compile(TINY_CNN, opt_level=0)
    x = fast.random_inputs(seed=5)
    np.testing.assert_allclose(plain(*x), fast(*x), rtol=1e-5, atol=1e-6)


def test_bind_makes_a_shape_input_a_constant():
    model = kiln.compile(pm.reshape_model(),
                         bind={"shape": np.array([3, 4], np.int64)})
    assert [i.name for i in model.inputs] == ["data"]
    data = np.arange(12, dtype=np.float32).reshape(2, 6)
    np.testing.assert_array_equal(model(data), data.reshape(3, 4))


def test_compile_releases_the_gil():
    source = TINY_CNN.read_text()
    counter = 0
    worker = threading.Thread(target=kiln.compile, args=(source,))
    worker.start()
    while worker.is_alive():
        counter += 1
    worker.join()
    # Holding the GIL, the compile would have stopped this loop.
    assert counter > 1000


def test_runs_from_several_threads(cnn, cnn_model):
    net, _ = cnn
    images = [pm.image(seed=s) for s in range(4)]
    results = [None] * 4

    def work(i):
        for _ in range(5):
            results[i] = cnn_model(images[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for image, result in zip(images, results):
        np.testing.assert_allclose(result, pm.reference(net, image),
                                   rtol=1e-4, atol=1e-5)


def test_rank0_inputs():
    model = kiln.compile("func.func @square(%x: tensor<f32>) -> tensor<f32> {\n"
                         "  %y = nn.mul %x, %x : (tensor<f32>, tensor<f32>)"
                         " -> tensor<f32>\n  return %y : tensor<f32>\n}\n")
    (x,) = model.random_inputs(seed=1)
    assert x.shape == () and x.dtype == np.float32
    assert model(x) == x * x
    assert model(np.float32(3.0)) == 9.0  # a numpy scalar is converted
    assert model.benchmark(runs=3).runs == 3


def test_tuning_db_from_kiln_tune(tmp_path):
    import subprocess
    from conftest import BUILD
    mm = tmp_path / "mm.mlir"
    mm.write_text(
        "func.func @mm(%a: tensor<32x64xf32>, %b: tensor<64x48xf32>)"
        " -> tensor<32x48xf32> {\n"
        "  %c = nn.matmul %a, %b : (tensor<32x64xf32>, tensor<64x48xf32>)"
        " -> tensor<32x48xf32>\n  return %c : tensor<32x48xf32>\n}\n")
    db = tmp_path / "tuning.db"
    subprocess.run([str(BUILD / "bin" / "kiln-tune"), str(mm), "--db", str(db),
                    "--budget", "3", "--runs", "2"], check=True,
                   capture_output=True)
    tuned = kiln.compile(mm, tuning_db=db)
    plain = kiln.compile(mm)
    a, b = tuned.random_inputs(seed=2)
    np.testing.assert_allclose(tuned(a, b), a @ b, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(tuned(a, b), plain(a, b), rtol=1e-5, atol=1e-5)
    # save() hands the database on to kiln-compile.
    assert tuned.save(tmp_path / "mm", emit="obj", verbose=False).exists()


def test_emulated_gpu_device():
    """device="emulated-cuda" runs the GPU schedule (sm_80's, or another
    gpu_arch's) on this CPU: the same outputs as the CPU's, to float
    rounding; its IR has the block and thread loops."""
    x = np.random.default_rng(3).standard_normal((1, 1, 8, 8)).astype(
        np.float32)
    expected = kiln.compile(TINY_CNN)(x)
    for arch in [None, "sm_90a", ["sm_86"]]:
        model = kiln.compile(TINY_CNN, device="emulated-cuda", gpu_arch=arch)
        np.testing.assert_allclose(model(x), expected, rtol=1e-5, atol=1e-7)
    assert "#gpu.block<linear_dim_0>" in kiln.compile(
        TINY_CNN, device="emulated-cuda").ir("bufferized")


@pytest.mark.parametrize("kwargs,message", [
    ({"device": "tpu"},
     "device must be 'cpu', 'cuda', 'cuda:N' or 'emulated-cuda', got 'tpu'"),
    ({"device": "cuda:x"},
     "device must be 'cpu', 'cuda', 'cuda:N' or 'emulated-cuda', got 'cuda:x'"),
    ({"device": "emulated-cuda", "gpu_arch": "sm_99"},
     "unknown GPU architecture 'sm_99'"),
    ({"gpu_arch": "sm_80"}, "--gpu-arch needs a GPU device"),
])
def test_gpu_device_errors(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        kiln.compile(TINY_CNN, **kwargs)


CUDA_SCRIPT = """
import sys, numpy as np, kiln
x = np.zeros((1, 1, 8, 8), np.float32)
try:
    model = kiln.compile(sys.argv[1], device=sys.argv[2])
    y = model(x)
    print("ran", y.shape, float(abs(y).max()))
except RuntimeError as e:
    print("RuntimeError:", e)
"""


@pytest.mark.parametrize("driver,device,expected", [
    # No driver: the compile call says so.
    ("none", "cuda", "RuntimeError: device 'cuda': cannot load the CUDA "
                     "driver"),
    # The fake driver's one device: no device 1.
    ("fake", "cuda:1", "RuntimeError: device 'cuda:1': no CUDA device 1: the "
                       "driver sees 1 (0 to 0)"),
    # It compiles for the fake device, which cannot load PTX: the call
    # fails with the driver's reason.
    ("fake", "cuda", "RuntimeError: running on the GPU failed: "
                     "cuModuleLoadDataEx: device kernel image is invalid"),
    # With kernels that do nothing, the host code runs: an output of the
    # right shape comes back (its values are whatever the buffer held).
    ("any", "cuda:0", "ran (1, 10)"),
])
def test_cuda_device(tmp_path, driver, device, expected):
    """device="cuda": without a usable GPU, a RuntimeError saying why; over
    test/Runtime's fake driver, the compiled host code runs."""
    import os
    import subprocess
    import sys
    from conftest import BUILD
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    fake = BUILD / "lib" / "libkiln-fake-cuda.so"
    env["KILN_CUDA_DRIVER"] = str(tmp_path / "none.so") if driver == "none" \
        else str(fake)
    if driver == "any":
        env["KILN_FAKE_CUDA_KERNELS"] = "any"
    result = subprocess.run(
        [sys.executable, "-c", CUDA_SCRIPT, str(TINY_CNN), device], env=env,
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout, result.stdout + result.stderr


def test_save_for_a_device(tmp_path):
    """save() compiles for the model's device (or device=): an emulated-GPU
    executable gives the CPU's numbers; a CUDA executable says, here, that
    there is no driver."""
    import subprocess
    x = np.random.default_rng(5).standard_normal((1, 1, 8, 8)).astype(
        np.float32)
    np.save(tmp_path / "x.npy", x)
    expected = kiln.compile(TINY_CNN)(x)
    emulated = kiln.compile(TINY_CNN, device="emulated-cuda").save(
        tmp_path / "emulated")
    subprocess.run([str(emulated), "--input", str(tmp_path / "x.npy"),
                    "--output", str(tmp_path / "y.npy")], check=True,
                   capture_output=True)
    np.testing.assert_allclose(np.load(tmp_path / "y.npy"), expected,
                               rtol=1e-5, atol=1e-7)
    gpu = kiln.compile(TINY_CNN).save(tmp_path / "gpu", device="cuda",
                                      gpu_arch=["sm_80", "sm_90a"])
    import os
    env = dict(os.environ, KILN_CUDA_DRIVER=str(tmp_path / "none.so"))
    run = subprocess.run([str(gpu), "--random", "1"], env=env,
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "the model runs on an NVIDIA GPU (CUDA device 0): cannot load " \
        "the CUDA driver" in run.stderr
    with pytest.raises(ValueError, match="device must be 'cpu', 'cuda' or "
                                         "'emulated-cuda', got 'tpu'"):
        kiln.compile(TINY_CNN).save(tmp_path / "x", device="tpu")


def _to_bf16(x):
    """x rounded to bfloat16 (to nearest, ties to even), as float32."""
    bits = x.astype(np.float32).view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return bits.astype(np.uint32).view(np.float32)


def _to_tf32(x):
    """x rounded to tf32 (a 10-bit mantissa; to nearest, ties to even), as
    float32."""
    bits = x.astype(np.float32).view(np.uint32).astype(np.uint64)
    bits = (bits + 0xFFF + ((bits >> 13) & 1)) & 0xFFFFE000
    return bits.astype(np.uint32).view(np.float32)


@pytest.mark.parametrize("precision", ["tf32", "fp16", "bf16"])
def test_reduced_precision(precision):
    """precision="tf32"/"fp16"/"bf16" on the emulated GPU: the matmul of the
    inputs rounded to tf32 or 16 bits, summed in f32 (numpy's f64 product
    of the rounded inputs, to f32 rounding), measurably off the f32
    product. (tf32 and fp16 run the tensor-core schedule.)"""
    a = np.random.default_rng(7).standard_normal((128, 64)).astype(
        np.float32)
    b = np.full((64, 256), 0.5, np.float32)  # sgemm.mlir's constant
    rounded = {"bf16": _to_bf16, "tf32": _to_tf32,
               "fp16": lambda x: x.astype(np.float16).astype(np.float32)
               }[precision]
    expected = rounded(a).astype(np.float64) @ rounded(b).astype(np.float64)
    out = kiln.compile(SGEMM, device="emulated-cuda", precision=precision)(a)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    exact = a.astype(np.float64) @ b.astype(np.float64)
    assert np.abs(out - exact).max() > 1e-4
    # The default keeps f32.
    out32 = kiln.compile(SGEMM, device="emulated-cuda")(a)
    np.testing.assert_allclose(out32, exact, rtol=1e-5, atol=1e-5)


def test_precision_errors():
    with pytest.raises(ValueError, match="--precision needs a GPU device"):
        kiln.compile(SGEMM, precision="fp16")
    with pytest.raises(ValueError, match="precision must be 'fp32', 'tf32', "
                                         "'fp16' or 'bf16', got 'half'"):
        kiln.compile(SGEMM, device="emulated-cuda", precision="half")
    with pytest.raises(ValueError, match="--precision needs a GPU device"):
        kiln.compile(SGEMM, precision="tf32")
    with pytest.raises(TypeError, match="precision must be a str"):
        kiln.compile(SGEMM, device="emulated-cuda", precision=16)


def test_gpu_libraries():
    """gpu_libraries=["cublas"]: the emulated GPU has no cuBLAS, so the CPU
    computes the matmul cuBLAS would (test/e2e/test_gpu_libraries.py runs
    the calls over a fake cuBLAS); mistakes are errors."""
    a = np.random.default_rng(3).standard_normal((128, 64)).astype(
        np.float32)
    out = kiln.compile(SGEMM, device="emulated-cuda",
                       gpu_libraries=["cublas"])(a)
    np.testing.assert_allclose(out, a.astype(np.float64) @ np.full(
        (64, 256), 0.5), rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match=r"--gpu-libraries: Kiln calls "
                       r"'cublas' \(matmuls\) and 'cudnn' "
                       r"\(convolutions\), got 'miopen'"):
        kiln.compile(SGEMM, device="emulated-cuda", gpu_libraries=["miopen"])
    # Both libraries on the emulated GPU: the CPU's numbers.
    x = np.random.default_rng(4).standard_normal((1, 1, 8, 8)).astype(
        np.float32)
    np.testing.assert_allclose(
        kiln.compile(TINY_CNN, device="emulated-cuda",
                     gpu_libraries=["cublas", "cudnn"])(x),
        kiln.compile(TINY_CNN)(x), rtol=1e-5, atol=1e-7)
    with pytest.raises(ValueError, match="--gpu-libraries needs a GPU device"):
        kiln.compile(SGEMM, gpu_libraries=["cublas"])
    with pytest.raises(TypeError, match="gpu_libraries must be a sequence "
                                        "of str"):
        kiln.compile(SGEMM, device="emulated-cuda", gpu_libraries="cublas")


def test_gpu_arch_type():
    with pytest.raises(TypeError, match="gpu_arch must be a str"):
        kiln.compile(TINY_CNN, device="emulated-cuda", gpu_arch=80)
