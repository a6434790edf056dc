//===- PoolingOps.cpp - ONNX pooling --------------------------------------===//
//
// Part of Kiln. MaxPool and AveragePool (2-D, with pads, auto_pad, strides,
// ceil_mode, MaxPool's dilations and AveragePool's count_include_pad),
// GlobalAveragePool and GlobalMaxPool.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;

/// Kernel, strides, dilations and pads of a 2-D pooling node.
struct Window {
  std::vector<int64_t> kernel, strides, dilations, pads;
  nn::RoundingModeAttr rounding;
};

static FailureOr<Window> readWindow(NodeContext &ctx, RankedTensorType type) {
  if (type.getRank() != 4)
    return ctx.error() << "only 2-D pooling (input of rank 4) is supported, "
                          "got rank "
                       << type.getRank();
  Window w;
  w.kernel = ctx.intsAttr("kernel_shape");
  w.strides = ctx.intsAttr("strides", {1, 1});
  w.dilations = ctx.intsAttr("dilations", {1, 1});
  if (w.kernel.size() != 2 || w.strides.size() != 2 || w.dilations.size() != 2)
    return ctx.error() << "kernel_shape, strides and dilations must have 2 "
                          "values";
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

static LogicalResult importMaxPool(NodeContext &ctx) {
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty())
    return ctx.error() << "the Indices output is not supported";
  if (failed(ctx.checkAttrIs("storage_order", 0, 0)))
    return failure();
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  FailureOr<Window> w = readWindow(ctx, type);
  if (failed(w))
    return failure();
  ctx.setOutput(0, nn::MaxPool2DOp::create(ctx.b, ctx.loc, ctx.input(0),
                                           w->kernel, w->strides, w->pads,
                                           w->dilations, w->rounding));
  return success();
}

static LogicalResult importAveragePool(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  FailureOr<Window> w = readWindow(ctx, type);
  if (failed(w))
    return failure();
  if (w->dilations != std::vector<int64_t>{1, 1})
    return ctx.error() << "dilations are not supported";
  ctx.setOutput(
      0, nn::AvgPool2DOp::create(ctx.b, ctx.loc, ctx.input(0), w->kernel,
                                 w->strides, w->pads, w->rounding,
                                 ctx.intAttr("count_include_pad", 0) != 0));
  return success();
}

static LogicalResult importGlobalAveragePool(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  if (type.getRank() != 4)
    return ctx.error() << "only rank-4 (NCHW) inputs are supported";
  ctx.setOutput(0, nn::GlobalAvgPoolOp::create(ctx.b, ctx.loc, ctx.input(0)));
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
  r.add("AveragePool", 7, 18, importAveragePool);
  r.add("GlobalAveragePool", 1, 18, importGlobalAveragePool);
  r.add("GlobalMaxPool", 1, 18, importGlobalMaxPool);
}
