//===- NormalizationOps.cpp - ONNX normalizations -------------------------===//
//
// Part of Kiln. BatchNormalization with its running statistics (and in
// training mode, with the batch's), LayerNormalization (with its optional mean
// and inverse standard deviation outputs), InstanceNormalization.
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

/// BatchNormalization in training mode (opset 14+: training_mode = 1;
/// before 7: is_test = 0): normalized with the batch's mean and (population)
/// variance over every dimension but the channels; outputs 1 and 2 are the
/// running statistics updated with `momentum`.
static LogicalResult importTrainingBatchNorm(NodeContext &ctx, Value x,
                                             Value scale, Value bias,
                                             Value runningMean,
                                             Value runningVariance) {
  for (int i = 3; i < ctx.node.output_size(); ++i)
    if (!ctx.node.output(i).empty())
      return ctx.error() << "output " << i
                         << " (saved statistics) is not supported";
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getRank() < 2)
    return ctx.error() << "the input needs a channel dimension";
  std::vector<int64_t> axes = {0};
  for (int64_t d = 2; d < type.getRank(); ++d)
    axes.push_back(d);
  int64_t channels = type.getDimSize(1);
  Value mean = nn::ReduceMeanOp::create(ctx.b, ctx.loc, x, axes, true);
  Value centered = nn::SubOp::create(ctx.b, ctx.loc, x, mean);
  Value variance = nn::ReduceMeanOp::create(
      ctx.b, ctx.loc, nn::MulOp::create(ctx.b, ctx.loc, centered, centered),
      axes, true);
  mean =
      nn::ReshapeOp::create(ctx.b, ctx.loc, mean, ArrayRef<int64_t>{channels});
  variance = nn::ReshapeOp::create(ctx.b, ctx.loc, variance,
                                   ArrayRef<int64_t>{channels});
  ctx.setOutput(0, nn::BatchNormOp::create(
                       ctx.b, ctx.loc, x, scale, bias, mean, variance,
                       llvm::APFloat(double(ctx.floatAttr("epsilon", 1e-5f)))));
  // running = running * momentum + batch * (1 - momentum)
  Type element = ctx.elementOf(x);
  double momentum = ctx.floatAttr("momentum", 0.9f);
  auto update = [&](Value running, Value batch) -> Value {
    return nn::AddOp::create(
        ctx.b, ctx.loc,
        nn::MulOp::create(ctx.b, ctx.loc, running,
                          ctx.scalar(element, momentum)),
        nn::MulOp::create(ctx.b, ctx.loc, batch,
                          ctx.scalar(element, 1.0 - momentum)));
  };
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty())
    ctx.setOutput(1, update(runningMean, mean));
  if (ctx.node.output_size() > 2 && !ctx.node.output(2).empty())
    ctx.setOutput(2, update(runningVariance, variance));
  return success();
}

static LogicalResult importBatchNorm(NodeContext &ctx) {
  if (ctx.opset < 9 && failed(ctx.checkAttrIs("spatial", 1, 1)))
    return failure();
  Value x = ctx.input(0), scale = ctx.input(1), bias = ctx.input(2),
        mean = ctx.input(3), variance = ctx.input(4);
  if (!x || !scale || !bias || !mean || !variance)
    return failure();
  bool training = ctx.opset >= 14 ? ctx.intAttr("training_mode", 0) != 0
                  : ctx.opset < 7 ? ctx.intAttr("is_test", 0) == 0
                                  : ctx.node.output_size() > 1;
  if (training)
    return importTrainingBatchNorm(ctx, x, scale, bias, mean, variance);
  if (failed(onlyFirstOutput(ctx, "training statistics")))
    return failure();
  ctx.setOutput(0, nn::BatchNormOp::create(
                       ctx.b, ctx.loc, x, scale, bias, mean, variance,
                       llvm::APFloat(double(ctx.floatAttr("epsilon", 1e-5f)))));
  return success();
}

/// LayerNormalization's optional outputs: the mean and 1 / sqrt(variance +
/// epsilon) over the normalized dimensions, kept as size 1.
static void layerNormStatistics(NodeContext &ctx, Value x, int64_t axis,
                                double epsilon) {
  bool wantMean = ctx.node.output_size() > 1 && !ctx.node.output(1).empty();
  bool wantInvStd = ctx.node.output_size() > 2 && !ctx.node.output(2).empty();
  if (!wantMean && !wantInvStd)
    return;
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  std::vector<int64_t> axes;
  for (int64_t d = axis; d < rank; ++d)
    axes.push_back(d);
  Value mean = nn::ReduceMeanOp::create(ctx.b, ctx.loc, x, axes, true);
  if (wantMean)
    ctx.setOutput(1, mean);
  if (wantInvStd) {
    Value centered = nn::SubOp::create(ctx.b, ctx.loc, x, mean);
    Value variance = nn::ReduceMeanOp::create(
        ctx.b, ctx.loc, nn::MulOp::create(ctx.b, ctx.loc, centered, centered),
        axes, true);
    Value shifted = nn::AddOp::create(ctx.b, ctx.loc, variance,
                                      ctx.scalar(ctx.elementOf(x), epsilon));
    ctx.setOutput(2, nn::RsqrtOp::create(ctx.b, ctx.loc, shifted));
  }
}

static LogicalResult importLayerNorm(NodeContext &ctx) {
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
  double epsilon = ctx.floatAttr("epsilon", 1e-5f);
  ctx.setOutput(0, nn::LayerNormOp::create(ctx.b, ctx.loc, x, scale, bias,
                                           uint64_t(axis),
                                           llvm::APFloat(epsilon)));
  layerNormStatistics(ctx, x, axis, epsilon);
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
  auto spatialType =
      RankedTensorType::get(type.getShape().drop_front(2), element);
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

/// LRN: x / (bias + alpha / size * (sum of x^2 over `size` neighbouring
/// channels))^beta. The channel window sum is an average pooling of x^2
/// viewed as [N, 1, C, spatial] (count_include_pad) times `size`, so
/// alpha / size * sum = alpha * average.
static LogicalResult importLRN(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  if (type.getRank() < 3)
    return ctx.error() << "the input needs channels and spatial dimensions";
  int64_t size = ctx.intAttr("size", 0);
  if (size < 1)
    return ctx.error() << "size must be positive";
  double alpha = ctx.floatAttr("alpha", 1e-4f),
         beta = ctx.floatAttr("beta", 0.75f),
         bias = ctx.floatAttr("bias", 1.0f);
  Value x = ctx.input(0);
  Type element = type.getElementType();
  int64_t n = type.getDimSize(0), c = type.getDimSize(1), spatial = 1;
  for (int64_t d = 2; d < type.getRank(); ++d)
    spatial *= type.getDimSize(d);
  Value squares = nn::MulOp::create(ctx.b, ctx.loc, x, x);
  squares = nn::ReshapeOp::create(ctx.b, ctx.loc, squares,
                                  ArrayRef<int64_t>{n, 1, c, spatial});
  int64_t before = (size - 1) / 2, after = size - 1 - before;
  Value average = nn::AvgPool2DOp::create(
      ctx.b, ctx.loc, squares, ArrayRef<int64_t>{size, 1},
      ArrayRef<int64_t>{1, 1}, ArrayRef<int64_t>{before, 0, after, 0},
      nn::RoundingModeAttr(), /*count_include_pad=*/true);
  average = nn::ReshapeOp::create(ctx.b, ctx.loc, average, type.getShape());
  Value base = nn::AddOp::create(
      ctx.b, ctx.loc,
      nn::MulOp::create(ctx.b, ctx.loc, average, ctx.scalar(element, alpha)),
      ctx.scalar(element, bias));
  ctx.setOutput(
      0, nn::DivOp::create(ctx.b, ctx.loc, x,
                           nn::PowOp::create(ctx.b, ctx.loc, base,
                                             ctx.scalar(element, beta))));
  return success();
}

/// MeanVarianceNormalization over `axes` (default [0, 2, 3]), as ONNX's
/// function body: (x - E[x]) / (sqrt(E[x^2] - E[x]^2) + 1e-9).
static LogicalResult importMeanVarianceNormalization(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  std::vector<int64_t> axes;
  for (int64_t a : ctx.intsAttr("axes", {0, 2, 3})) {
    int64_t axis = normalizeAxis(a, type.getRank());
    if (axis < 0)
      return ctx.error() << "axis " << a << " is out of range for rank "
                         << type.getRank();
    axes.push_back(axis);
  }
  Value x = ctx.input(0);
  Type element = type.getElementType();
  Value mean = nn::ReduceMeanOp::create(ctx.b, ctx.loc, x, axes, true);
  Value meanOfSquares = nn::ReduceMeanOp::create(
      ctx.b, ctx.loc, nn::MulOp::create(ctx.b, ctx.loc, x, x), axes, true);
  Value variance =
      nn::SubOp::create(ctx.b, ctx.loc, meanOfSquares,
                        nn::MulOp::create(ctx.b, ctx.loc, mean, mean));
  Value deviation = nn::AddOp::create(
      ctx.b, ctx.loc, nn::SqrtOp::create(ctx.b, ctx.loc, variance),
      ctx.scalar(element, 1e-9));
  ctx.setOutput(0, nn::DivOp::create(ctx.b, ctx.loc,
                                     nn::SubOp::create(ctx.b, ctx.loc, x, mean),
                                     deviation));
  return success();
}

void kiln::onnximport::registerNormalizationOps(OpRegistry &r) {
  r.add("LRN", 1, 18, importLRN);
  r.add("MeanVarianceNormalization", 9, 18, importMeanVarianceNormalization);
  r.add("InstanceNormalization", 1, 18, importInstanceNorm);
  r.add("BatchNormalization", 1, 18, importBatchNorm);
  r.add("LayerNormalization", 17, 18, importLayerNorm);
}
