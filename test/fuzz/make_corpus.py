#!/usr/bin/python3
"""Writes the seed corpora of Kiln's fuzz harnesses (test/fuzz/corpus/<name>)
and their dictionaries (test/fuzz/<name>.dict). The committed corpora were
made with this script; rerun it after changing it:

    /usr/bin/python3 test/fuzz/make_corpus.py

Seeds are small valid inputs that reach deep into each component: ONNX
models using common op families, .npy files of every supported dtype and
header version, and nn IR functions whose ops lower through every part of
the CPU code generator (some written here, most the nn IR of ONNX
conformance models, through build/bin/kiln-translate: build Kiln first)."""

import pathlib
import shutil
import subprocess

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def fresh(name):
    """The corpus folder `name`, emptied of seeds. Inputs the fuzzers found
    crashing Kiln (found-*, copied from build-sanitize/fuzz/<name>/ with
    their fix) stay: every run starts by replaying them."""
    path = HERE / "corpus" / name
    path.mkdir(parents=True, exist_ok=True)
    for entry in path.iterdir():
        if not entry.name.startswith("found-"):
            entry.unlink()
    return path


def onnx_seeds():
    out = fresh("onnx")

    def save(name, nodes, inputs, outputs, inits=(), opset=13):
        graph = helper.make_graph(nodes, name, inputs, outputs, list(inits))
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", opset)])
        model.ir_version = 8
        onnx.checker.check_model(model)
        (out / f"{name}.onnx").write_bytes(model.SerializeToString())

    t = helper.make_tensor_value_info
    F = TensorProto.FLOAT
    w = numpy_helper.from_array(
        np.arange(54, dtype=np.float32).reshape(6, 1, 3, 3) / 50, "w")
    b = numpy_helper.from_array(np.ones(6, np.float32), "b")
    save("conv_relu_pool", [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("MaxPool", ["r"], ["y"], kernel_shape=[2, 2],
                         strides=[2, 2])],
        [t("x", F, [1, 1, 8, 8])], [t("y", F, [1, 6, 4, 4])], [w, b])
    g = numpy_helper.from_array(np.ones((4, 3), np.float32), "g")
    save("gemm_softmax", [
        helper.make_node("Gemm", ["x", "g"], ["m"], transB=1, alpha=0.5),
        helper.make_node("Softmax", ["m"], ["y"], axis=-1)],
        [t("x", F, [2, 3])], [t("y", F, [2, 4])], [g])
    shape = numpy_helper.from_array(np.array([3, 2], np.int64), "shape")
    save("reshape_concat_reduce", [
        helper.make_node("Reshape", ["x", "shape"], ["r"]),
        helper.make_node("Concat", ["r", "r"], ["c"], axis=0),
        helper.make_node("ReduceMean", ["c"], ["y"], axes=[1], keepdims=0)],
        [t("x", F, [2, 3])], [t("y", F, [6])], [shape])
    save("split_sum_cast", [
        helper.make_node("Split", ["x"], ["a", "b"], axis=1),
        helper.make_node("Sum", ["a", "b", "a"], ["s"]),
        helper.make_node("Cast", ["s"], ["y"], to=TensorProto.INT32)],
        [t("x", F, [2, 4])], [t("y", TensorProto.INT32, [2, 2])])
    scale = numpy_helper.from_array(np.ones(4, np.float32), "scale")
    bias = numpy_helper.from_array(np.zeros(4, np.float32), "bias")
    save("layernorm_gelu_like", [
        helper.make_node("LayerNormalization", ["x", "scale", "bias"], ["n"],
                         axis=-1, epsilon=1e-5),
        helper.make_node("Tanh", ["n"], ["h"]),
        helper.make_node("Mul", ["n", "h"], ["y"])],
        [t("x", F, [3, 4])], [t("y", F, [3, 4])], [scale, bias], opset=17)
    value = helper.make_tensor("v", F, [1], [2.0])
    save("constant_of_shape_where", [
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("ConstantOfShape", ["s"], ["c"], value=value),
        helper.make_node("Greater", ["x", "c"], ["m"]),
        helper.make_node("Where", ["m", "x", "c"], ["y"])],
        [t("x", F, [2, 3])], [t("y", F, [2, 3])])


def npy_seeds():
    out = fresh("npy")
    np.save(out / "f32.npy", np.arange(6, dtype=np.float32).reshape(2, 3))
    np.save(out / "f16.npy", np.ones((4,), np.float16))
    np.save(out / "f64_scalar.npy", np.float64(1.5))
    np.save(out / "i64.npy", np.arange(3, dtype=np.int64))
    np.save(out / "u8.npy", np.arange(5, dtype=np.uint8))
    np.save(out / "bool.npy", np.array([True, False]))
    np.save(out / "empty.npy", np.zeros((0, 3), np.float32))
    # Format version 2 (a 4-byte header length).
    with open(out / "v2.npy", "wb") as f:
        np.lib.format.write_array(f, np.ones((2, 2), np.int32), version=(2, 0))


# Conformance models (libonnx-testdata) whose nn IR seeds the IR fuzzer:
# one or two per op family the code generator lowers.
IR_FROM_ONNX = [
    "test_conv_with_strides_padding", "test_convtranspose", "test_maxpool_2d_pads",
    "test_averagepool_2d_pads", "test_globalaveragepool", "test_lrn",
    "test_batchnorm_example", "test_instancenorm_example",
    "test_layer_normalization_2d_axis0", "test_gemm_default_matrix_bias",
    "test_matmul_3d", "test_einsum_batch_matmul", "test_softmax_axis_1",
    "test_logsoftmax_axis_1", "test_hardmax_axis_1",
    "test_reduce_mean_keepdims_example",
    "test_reduce_log_sum_exp_default_axes_keepdims_example",
    "test_argmax_default_axis_example", "test_top_k", "test_cumsum_1d",
    "test_gather_0", "test_gathernd_example_float32",
    "test_scatter_elements_with_axis", "test_concat_2d_axis_1", "test_slice",
    "test_transpose_default", "test_constant_pad", "test_tile",
    "test_expand_dim_changed", "test_depthtospace_example",
    "test_resize_upsample_scales_nearest", "test_clip", "test_where_example",
    "test_cast_FLOAT_to_FLOAT16", "test_mod_mixed_sign_int32",
    "test_bitshift_right_uint8", "test_quantizelinear",
]


def ir_seeds():
    out = fresh("ir")
    translate = ROOT / "build" / "bin" / "kiln-translate"
    data = pathlib.Path("/usr/share/libonnx-testdata/data/node")
    for test in IR_FROM_ONNX:
        # Models whose shapes depend on an input's value (TopK's k, Tile's
        # repeats, ...) do not import without it: those are left out.
        subprocess.run([str(translate), "--import-onnx",
                        str(data / test / "model.onnx"), "-o",
                        str(out / f"{test[len('test_'):]}.mlir")],
                       stderr=subprocess.DEVNULL)
    shutil.copy(ROOT / "docs" / "examples" / "tiny_cnn.mlir",
                out / "tiny_cnn.mlir")
    seeds = {
        "softmax_erf_pow": """
func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %s = nn.softmax %x axis 1 : tensor<4x8xf32>
  %e = nn.erf %s : tensor<4x8xf32>
  %p = nn.pow %e, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %p : tensor<4x8xf32>
}
""",
        "matmul_bias_relu": """
func.func @f(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %c: tensor<8xf32>) -> tensor<16x8xf32> {
  %m = nn.matmul %a, %b : (tensor<16x32xf32>, tensor<32x8xf32>) -> tensor<16x8xf32>
  %s = nn.add %m, %c : (tensor<16x8xf32>, tensor<8xf32>) -> tensor<16x8xf32>
  %r = nn.relu %s : tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}
""",
        "reduce_long": """
func.func @f(%x: tensor<4x1000xf32>) -> (tensor<4xf32>, tensor<1000xf32>) {
  %s = nn.reduce_mean %x axes [1] : tensor<4x1000xf32> -> tensor<4xf32>
  %m = nn.reduce_max %x axes [0] : tensor<4x1000xf32> -> tensor<1000xf32>
  return %s, %m : tensor<4xf32>, tensor<1000xf32>
}
""",
        "constant_reshape": """
func.func @f(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %c = nn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %s = nn.sub %x, %c : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = nn.reshape %s [3, 2] : tensor<2x3xf32> -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}
""",
        # Decisions written by hand (a tuned .mlir file): a contraction
        # computed transposed, configs of copies, named levels and orders.
        "lowering_configs": """
#w = affine_map<(n, f, p, k) -> (f, k)>
#p = affine_map<(n, f, p, k) -> (n, k, p)>
#o = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @f(%x: tensor<1x8x6x6xf32>, %a: tensor<8x16xf32>, %b: tensor<16x8xf32>) -> (tensor<1x16x36xf32>, tensor<8x8xf32>) {
  %z = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } {lowering_config = #kiln_codegen.lowering_config<distribute = [1]>} : tensor<1x8x6x6xf32> to tensor<1x8x8x8xf32>
  %patches = kiln_codegen.im2col %padded kernel [3, 3] strides [1, 1] dilations [1, 1] {lowering_config = #kiln_codegen.lowering_config<distribute = [1]>} : tensor<1x8x8x8xf32> -> tensor<1x72x36xf32>
  %filter = arith.constant dense<0.5> : tensor<16x72xf32>
  %e = tensor.empty() : tensor<1x16x36xf32>
  %acc = linalg.fill ins(%z : f32) outs(%e : tensor<1x16x36xf32>) -> tensor<1x16x36xf32>
  %conv = linalg.generic {indexing_maps = [#w, #p, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%filter, %patches : tensor<16x72xf32>, tensor<1x72x36xf32>) outs(%acc : tensor<1x16x36xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [1, 12, 16, 72], register = [1, 6, 8, 1], pack = [0, 1], distribute = [1], shared_packing = 64, transposed>} {
  ^bb0(%u: f32, %v: f32, %c: f32):
    %m = arith.mulf %u, %v : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x16x36xf32>
  %e2 = tensor.empty() : tensor<8x8xf32>
  %acc2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<8x8xf32>) -> tensor<8x8xf32>
  %mm = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [8, 8, 8], register = [2, 8, 1], pack = [1], cache_order = [1, 2, 0], register_order = [1, 0, 2]>} ins(%a, %b : tensor<8x16xf32>, tensor<16x8xf32>) outs(%acc2 : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %conv, %mm : tensor<1x16x36xf32>, tensor<8x8xf32>
}
""",
    }
    for name, text in seeds.items():
        (out / f"{name}.mlir").write_text(text.lstrip())


def dictionaries():
    """Tokens the mutators cannot easily guess: op type and attribute names
    (ONNX), op names and keywords (nn IR)."""
    onnx_ops = ["Conv", "Relu", "MaxPool", "Gemm", "Softmax", "Reshape",
                "Concat", "ReduceMean", "Split", "Sum", "Cast", "Where",
                "LayerNormalization", "ConstantOfShape", "Shape", "Gather",
                "Slice", "Transpose", "Pad", "Resize", "BatchNormalization",
                "MatMul", "Add", "Mul", "Constant", "Expand", "Unsqueeze"]
    onnx_attrs = ["axis", "axes", "keepdims", "kernel_shape", "strides",
                  "pads", "dilations", "group", "auto_pad", "transA",
                  "transB", "alpha", "beta", "epsilon", "to", "split",
                  "value", "perm", "mode", "num_outputs"]
    with open(HERE / "onnx.dict", "w") as f:
        for token in onnx_ops + onnx_attrs:
            f.write(f'"{token}"\n')
    ir_tokens = ["nn.conv2d", "nn.matmul", "nn.relu", "nn.softmax",
                 "nn.reduce_sum", "nn.reduce_mean", "nn.reshape",
                 "nn.transpose", "nn.concat", "nn.slice", "nn.pad",
                 "nn.constant", "nn.add", "nn.mul", "nn.max_pool2d",
                 "nn.batch_norm", "nn.layer_norm", "nn.gather", "axes",
                 "axis", "keepdims", "tensor<", "xf32>", "xf16>", "xi64>",
                 "dense<", "dense_resource<", "func.func @", "return ",
                 "{-#", "#-}", "dialect_resources", "builtin",
                 "#kiln_codegen.lowering_config<", "lowering_config",
                 "cache = [", "register = [", "pack = [", "distribute = [",
                 "_order = [", "shared_packing = ", "transposed",
                 "kiln_codegen.im2col", "linalg.generic", "linalg.matmul"]
    with open(HERE / "ir.dict", "w") as f:
        for token in ir_tokens:
            f.write('"' + token.replace('"', '\\"') + '"\n')


onnx_seeds()
npy_seeds()
ir_seeds()
dictionaries()
