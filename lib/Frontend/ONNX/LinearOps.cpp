//===- LinearOps.cpp - ONNX Gemm and MatMul -------------------------------===//
//
// Part of Kiln. Gemm with transposes, alpha and beta (PyTorch's Linear is
// Gemm with transB = 1: nn.dense, whose weight is [out, in]); MatMul with
// numpy semantics, 1-D operands included.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;

static LogicalResult importGemm(NodeContext &ctx) {
  RankedTensorType aType = ctx.inputType(0), bType = ctx.inputType(1);
  if (!aType || !bType)
    return failure();
  if (aType.getRank() != 2 || bType.getRank() != 2)
    return ctx.error() << "A and B must be matrices";
  Value a = ctx.input(0), b = ctx.input(1);
  float alpha = ctx.floatAttr("alpha", 1.0f),
        beta = ctx.floatAttr("beta", 1.0f);
  bool transA = ctx.intAttr("transA", 0), transB = ctx.intAttr("transB", 0);
  if (transA)
    a = nn::TransposeOp::create(ctx.b, ctx.loc, a, ArrayRef<int64_t>{1, 0});
  Value c;
  RankedTensorType cType;
  if (ctx.hasInput(2)) {
    cType = ctx.inputType(2);
    if (!cType)
      return failure();
    c = ctx.input(2);
  }
  int64_t n = transB ? bType.getDimSize(0) : bType.getDimSize(1);
  // x * W^T + bias in one op when it is PyTorch's Linear.
  bool denseBias = c && beta == 1.0f && cType.getRank() == 1 &&
                   cType.getDimSize(0) == n && alpha == 1.0f;
  Value y;
  if (transB)
    y = nn::DenseOp::create(ctx.b, ctx.loc, a, b, denseBias ? c : Value());
  else
    y = nn::MatmulOp::create(ctx.b, ctx.loc, a, b);
  if (alpha != 1.0f)
    y = nn::MulOp::create(ctx.b, ctx.loc, y,
                          ctx.scalar(ctx.elementOf(y), alpha));
  if (c && !(transB && denseBias)) {
    if (beta != 1.0f)
      c = nn::MulOp::create(ctx.b, ctx.loc, c,
                            ctx.scalar(ctx.elementOf(c), beta));
    y = nn::AddOp::create(ctx.b, ctx.loc, y, c);
  }
  ctx.setOutput(0, y);
  return success();
}

static LogicalResult importMatMul(NodeContext &ctx) {
  RankedTensorType aType = ctx.inputType(0), bType = ctx.inputType(1);
  if (!aType || !bType)
    return failure();
  Value a = ctx.input(0), b = ctx.input(1);
  // numpy: a 1-D lhs is a row, a 1-D rhs a column, removed afterwards.
  bool rowVector = aType.getRank() == 1, columnVector = bType.getRank() == 1;
  if (rowVector)
    a = nn::ReshapeOp::create(ctx.b, ctx.loc, a,
                              ArrayRef<int64_t>{1, aType.getDimSize(0)});
  if (columnVector)
    b = nn::ReshapeOp::create(ctx.b, ctx.loc, b,
                              ArrayRef<int64_t>{bType.getDimSize(0), 1});
  Value y = nn::MatmulOp::create(ctx.b, ctx.loc, a, b);
  if (rowVector || columnVector) {
    auto yType = cast<RankedTensorType>(y.getType());
    if (!yType.hasStaticShape())
      return ctx.error() << "the operands' shapes do not match";
    SmallVector<int64_t> shape(yType.getShape());
    if (columnVector)
      shape.pop_back();
    if (rowVector)
      shape.erase(shape.end() - (columnVector ? 1 : 2));
    y = nn::ReshapeOp::create(ctx.b, ctx.loc, y, shape);
  }
  ctx.setOutput(0, y);
  return success();
}

void kiln::onnximport::registerLinearOps(OpRegistry &r) {
  // Before opset 7, C broadcasts only with broadcast=1 (the same rule as
  // later when it does; exporters set it).
  r.add("Gemm", 1, 18, importGemm);
  r.add("MatMul", 1, 18, importMatMul);
}
