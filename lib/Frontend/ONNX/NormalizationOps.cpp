//===- NormalizationOps.cpp - ONNX normalizations -------------------------===//
//
// Part of Kiln. Inference forms only: BatchNormalization with its running
// statistics, LayerNormalization without its optional mean and
// inverse-deviation outputs, InstanceNormalization.
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

/// Per sample and channel over the spatial dimensions: a layer norm from
/// axis 2 with unit scale, then the per-channel scale and bias.
static LogicalResult importInstanceNorm(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  if (type.getRank() < 3)
    return ctx.error() << "the input needs spatial dimensions (rank 3 or more)";
  Value x = ctx.input(0), scale = ctx.input(1), bias = ctx.input(2);
  if (!x || !scale || !bias)
    return failure();
  Type element = type.getElementType();
  auto spatialType = RankedTensorType::get(type.getShape().drop_front(2), element);
  Value ones = nn::ConstantOp::create(
      ctx.b, ctx.loc,
      DenseElementsAttr::get(spatialType, ctx.b.getFloatAttr(element, 1.0)));
  Value normalized = nn::LayerNormOp::create(
      ctx.b, ctx.loc, x, ones, Value(), uint64_t(2),
      llvm::APFloat(double(ctx.floatAttr("epsilon", 1e-5f))));
  // [C] -> [C, 1, ...] to broadcast over the spatial dimensions.
  SmallVector<int64_t> perChannel = {type.getDimSize(1)};
  perChannel.append(type.getRank() - 2, 1);
  Value s = nn::ReshapeOp::create(ctx.b, ctx.loc, scale, perChannel);
  Value b = nn::ReshapeOp::create(ctx.b, ctx.loc, bias, perChannel);
  ctx.setOutput(0, nn::AddOp::create(
                       ctx.b, ctx.loc,
                       nn::MulOp::create(ctx.b, ctx.loc, normalized, s), b));
  return success();
}

void kiln::onnximport::registerNormalizationOps(OpRegistry &r) {
  r.add("InstanceNormalization", 6, 18, importInstanceNorm);
  r.add("BatchNormalization", 7, 18, importBatchNorm);
  r.add("LayerNormalization", 17, 18, importLayerNorm);
}
