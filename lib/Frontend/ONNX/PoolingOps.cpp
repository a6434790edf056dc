//===- PoolingOps.cpp - ONNX pooling --------------------------------------===//
//
// Part of Kiln. MaxPool and AveragePool (1-D to 3-D, with pads, auto_pad,
// strides, ceil_mode, MaxPool's dilations and AveragePool's
// count_include_pad; MaxPool's Indices in 1-D and 2-D), GlobalAveragePool
// and GlobalMaxPool.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;

/// Kernel, strides, dilations and pads (`[begin..., end...]`) of a pooling
/// node with 1 to 3 spatial dimensions.
struct Window {
  std::vector<int64_t> kernel, strides, dilations, pads;
  nn::RoundingModeAttr rounding;
};

static FailureOr<Window> readWindow(NodeContext &ctx, RankedTensorType type) {
  int64_t rank = type.getRank();
  if (rank < 3 || rank > 5)
    return ctx.error() << "only 1-D, 2-D and 3-D pooling (input of rank 3 to "
                          "5) is supported, got rank "
                       << rank;
  size_t spatial = rank - 2;
  std::vector<int64_t> ones(spatial, 1);
  Window w;
  w.kernel = ctx.intsAttr("kernel_shape");
  w.strides = ctx.intsAttr("strides", ones);
  w.dilations = ctx.intsAttr("dilations", ones);
  if (w.kernel.size() != spatial || w.strides.size() != spatial ||
      w.dilations.size() != spatial)
    return ctx.error() << "kernel_shape, strides and dilations must have "
                       << spatial << " values";
  FailureOr<std::vector<int64_t>> pads = resolvePads(
      ctx, type.getShape().drop_front(2), w.kernel, w.strides, w.dilations);
  if (failed(pads))
    return failure();
  w.pads = *pads;
  if (ctx.intAttr("ceil_mode", 0))
    w.rounding =
        nn::RoundingModeAttr::get(ctx.b.getContext(), nn::RoundingMode::Ceil);
  return w;
}

/// Builds a 2-D pooling op: (input, kernel, strides, pads, dilations).
using Pool2DBuilder =
    llvm::function_ref<Value(Value, ArrayRef<int64_t>, ArrayRef<int64_t>,
                             ArrayRef<int64_t>, ArrayRef<int64_t>)>;

static Value reshaped(NodeContext &ctx, Value v, ArrayRef<int64_t> shape) {
  return nn::ReshapeOp::create(ctx.b, ctx.loc, v, shape);
}

/// Pooling over 1 to 3 spatial dimensions with 2-D pooling ops: 1-D over a
/// unit height; 3-D in two passes, over (H, W) with the depth slices as
/// channels, then over D with H * W flattened. Max and average pooling
/// separate that way: the window, and the set of its elements inside the
/// input, are products of per-dimension ranges.
static Value pool(NodeContext &ctx, Value x, const Window &w,
                  Pool2DBuilder pool2D) {
  ArrayRef<int64_t> xs = cast<RankedTensorType>(x.getType()).getShape();
  auto shapeOf = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  };
  if (xs.size() == 4)
    return pool2D(x, w.kernel, w.strides, w.pads, w.dilations);
  if (xs.size() == 3) {
    Value y = pool2D(reshaped(ctx, x, {xs[0], xs[1], 1, xs[2]}),
                     {1, w.kernel[0]}, {1, w.strides[0]},
                     {0, w.pads[0], 0, w.pads[1]}, {1, w.dilations[0]});
    ArrayRef<int64_t> ys = shapeOf(y);
    return reshaped(ctx, y, {ys[0], ys[1], ys[3]});
  }
  int64_t n = xs[0], c = xs[1], d = xs[2];
  Value planes =
      pool2D(reshaped(ctx, x, {n, c * d, xs[3], xs[4]}),
             {w.kernel[1], w.kernel[2]}, {w.strides[1], w.strides[2]},
             {w.pads[1], w.pads[2], w.pads[4], w.pads[5]},
             {w.dilations[1], w.dilations[2]});
  int64_t h = shapeOf(planes)[2], wd = shapeOf(planes)[3];
  Value y = pool2D(reshaped(ctx, planes, {n, c, d, h * wd}), {w.kernel[0], 1},
                   {w.strides[0], 1}, {w.pads[0], 0, w.pads[3], 0},
                   {w.dilations[0], 1});
  return reshaped(ctx, y, {n, c, shapeOf(y)[2], h, wd});
}

/// MaxPool's Indices output (1-D and 2-D): nn.max_pool2d_indices, whose
/// flat indices over [N, C, 1, L] are those over [N, C, L].
static LogicalResult
importMaxPoolIndices(NodeContext &ctx, RankedTensorType type, const Window &w) {
  if (type.getRank() == 5)
    return ctx.error() << "the Indices output of 3-D pooling is not supported";
  if (!isa<FloatType>(type.getElementType()))
    return ctx.error() << "the Indices output needs a floating-point input";
  int64_t storageOrder = ctx.intAttr("storage_order", 0);
  if (storageOrder != 0 && storageOrder != 1)
    return ctx.error() << "storage_order " << storageOrder
                       << " is not supported (supported: 0, 1)";
  auto indices = [&](Value x, ArrayRef<int64_t> kernel,
                     ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                     ArrayRef<int64_t> dilations) -> Value {
    auto op = nn::MaxPool2DIndicesOp::create(ctx.b, ctx.loc, x, kernel, strides,
                                             pads, dilations, w.rounding);
    if (storageOrder == 1)
      op.setColumnMajor(true);
    return op;
  };
  ctx.setOutput(1, pool(ctx, ctx.input(0), w, indices));
  return success();
}

static LogicalResult importMaxPool(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  FailureOr<Window> w = readWindow(ctx, type);
  if (failed(w))
    return failure();
  // (storage_order only orders the Indices.)
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty() &&
      failed(importMaxPoolIndices(ctx, type, *w)))
    return failure();
  ctx.setOutput(
      0,
      pool(ctx, ctx.input(0), *w,
           [&](Value x, ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
               ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations) -> Value {
             return nn::MaxPool2DOp::create(ctx.b, ctx.loc, x, kernel, strides,
                                            pads, dilations, w->rounding);
           }));
  return success();
}

static LogicalResult importAveragePool(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  FailureOr<Window> w = readWindow(ctx, type);
  if (failed(w))
    return failure();
  if (llvm::any_of(w->dilations, [](int64_t d) { return d != 1; }))
    return ctx.error() << "dilations are not supported";
  // (Before opset 7 there is no count_include_pad: pads are not counted.)
  bool countPads = ctx.intAttr("count_include_pad", 0) != 0;
  ctx.setOutput(
      0, pool(ctx, ctx.input(0), *w,
              [&](Value x, ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                  ArrayRef<int64_t> pads, ArrayRef<int64_t>) -> Value {
                return nn::AvgPool2DOp::create(ctx.b, ctx.loc, x, kernel,
                                               strides, pads, w->rounding,
                                               countPads);
              }));
  return success();
}

static LogicalResult importGlobalAveragePool(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  if (type.getRank() == 4) {
    ctx.setOutput(0, nn::GlobalAvgPoolOp::create(ctx.b, ctx.loc, ctx.input(0)));
    return success();
  }
  if (type.getRank() < 3)
    return ctx.error() << "the input needs spatial dimensions";
  std::vector<int64_t> axes;
  for (int64_t d = 2; d < type.getRank(); ++d)
    axes.push_back(d);
  ctx.setOutput(0, nn::ReduceMeanOp::create(ctx.b, ctx.loc, ctx.input(0), axes,
                                            /*keepdims=*/true));
  return success();
}

static LogicalResult importGlobalMaxPool(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  if (type.getRank() < 3)
    return ctx.error() << "the input needs spatial dimensions";
  std::vector<int64_t> axes;
  for (int64_t d = 2; d < type.getRank(); ++d)
    axes.push_back(d);
  ctx.setOutput(0, nn::ReduceMaxOp::create(ctx.b, ctx.loc, ctx.input(0), axes,
                                           /*keepdims=*/true));
  return success();
}

void kiln::onnximport::registerPoolingOps(OpRegistry &r) {
  r.add("MaxPool", 1, 18, importMaxPool);
  r.add("AveragePool", 1, 18, importAveragePool);
  r.add("GlobalAveragePool", 1, 18, importGlobalAveragePool);
  r.add("GlobalMaxPool", 1, 18, importGlobalMaxPool);
}
