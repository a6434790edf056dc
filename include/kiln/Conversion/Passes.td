//===- Passes.td - Kiln dialect conversion passes ----------*- tablegen -*-===//
//
// Part of Kiln. Keep the list alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CONVERSION_PASSES_TD
#define KILN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertNNToLinalg : Pass<"convert-nn-to-linalg"> {
  let summary = "Lower nn ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Every `nn` op becomes named linalg ops where they exist
    (`linalg.matmul`, `linalg.batch_matmul`, `linalg.conv_2d_nchw_fchw`,
    depthwise convolutions, pooling ops) and `linalg.generic` otherwise
    (broadcasting elementwise ops, normalizations, reductions, softmax), on
    tensors, ready for tiling, fusion and bufferization.

    Numerics: softmax and log_softmax subtract the row maximum; sigmoid is
    `1 / (1 + exp(-x))`, which saturates correctly at both ends in IEEE
    arithmetic; gelu uses `erf` (or the tanh formula with
    `approximate tanh`). `nn.dropout` lowers to its inference form, the
    identity. Results keep the element type of the op; accumulations happen in
    that element type.

    Shapes: static shapes are fully supported; a dynamic size is read with
    `tensor.dim` where an op needs it. An op whose form is not supported (it
    says why with `-debug`) stays, and the pass fails with a diagnostic naming
    the op.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect",
    "mlir::tensor::TensorDialect",
  ];
}

#endif // KILN_CONVERSION_PASSES_TD
