//===- NormalizationOps.cpp - ONNX BatchNormalization, LayerNormalization -===//
//
// Part of Kiln. Inference forms only: the running statistics of
// BatchNormalization, and LayerNormalization without its optional mean and
// inverse-deviation outputs.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;

/// Outputs past the first are training outputs Kiln does not produce.
static LogicalResult onlyFirstOutput(NodeContext &ctx, const char *what) {
  for (int i = 1; i < ctx.node.output_size(); ++i)
    if (!ctx.node.output(i).empty())
      return ctx.error() << "output " << i << " (" << what
                         << ") is not supported (inference only)";
  return success();
}

static LogicalResult importBatchNorm(NodeContext &ctx) {
  if (ctx.opset < 9 && failed(ctx.checkAttrIs("spatial", 1, 1)))
    return failure();
  if (ctx.opset >= 14 && failed(ctx.checkAttrIs("training_mode", 0, 0)))
    return failure();
  if (failed(onlyFirstOutput(ctx, "training statistics")))
    return failure();
  Value x = ctx.input(0), scale = ctx.input(1), bias = ctx.input(2),
        mean = ctx.input(3), variance = ctx.input(4);
  if (!x || !scale || !bias || !mean || !variance)
    return failure();
  ctx.setOutput(0, nn::BatchNormOp::create(
                       ctx.b, ctx.loc, x, scale, bias, mean, variance,
                       llvm::APFloat(double(ctx.floatAttr("epsilon", 1e-5f)))));
  return success();
}

static LogicalResult importLayerNorm(NodeContext &ctx) {
  if (failed(onlyFirstOutput(ctx, "mean or inverse standard deviation")))
    return failure();
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  int64_t axis = normalizeAxis(ctx.intAttr("axis", -1), type.getRank());
  if (axis < 0)
    return ctx.error() << "axis " << ctx.intAttr("axis", -1)
                       << " is out of range for rank " << type.getRank();
  Value x = ctx.input(0), scale = ctx.input(1);
  Value bias = ctx.hasInput(2) ? ctx.input(2) : Value();
  if (!x || !scale || (ctx.hasInput(2) && !bias))
    return failure();
  ctx.setOutput(0, nn::LayerNormOp::create(
                       ctx.b, ctx.loc, x, scale, bias, uint64_t(axis),
                       llvm::APFloat(double(ctx.floatAttr("epsilon", 1e-5f)))));
  return success();
}

void kiln::onnximport::registerNormalizationOps(OpRegistry &r) {
  r.add("BatchNormalization", 7, 18, importBatchNorm);
  r.add("LayerNormalization", 17, 18, importLayerNorm);
}
