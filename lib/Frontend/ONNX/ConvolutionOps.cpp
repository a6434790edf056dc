//===- ConvolutionOps.cpp - ONNX Conv -------------------------------------===//
//
// Part of Kiln. Conv in 1-D (as 2-D with a unit height) and 2-D, with
// strides, dilations, groups (depthwise included), explicit pads and
// auto_pad.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;

/// Padding `[begin..., end...]` for `auto_pad` SAME_UPPER/SAME_LOWER: the
/// output is ceil(input / stride); the odd extra goes at the end (UPPER) or
/// the beginning (LOWER).
static std::vector<int64_t> samePadding(ArrayRef<int64_t> input,
                                        ArrayRef<int64_t> kernel,
                                        ArrayRef<int64_t> strides,
                                        ArrayRef<int64_t> dilations,
                                        bool upper) {
  size_t n = input.size();
  std::vector<int64_t> pads(2 * n, 0);
  for (size_t d = 0; d < n; ++d) {
    int64_t out = (input[d] + strides[d] - 1) / strides[d];
    int64_t extent = dilations[d] * (kernel[d] - 1) + 1;
    int64_t total =
        std::max<int64_t>(0, (out - 1) * strides[d] + extent - input[d]);
    pads[d] = upper ? total / 2 : total - total / 2;
    pads[n + d] = total - pads[d];
  }
  return pads;
}

/// The pads of a Conv or pooling node over `spatial` dimensions, from
/// `pads` or `auto_pad`; failure (reported) for unknown auto_pad values.
FailureOr<std::vector<int64_t>>
kiln::onnximport::resolvePads(NodeContext &ctx, ArrayRef<int64_t> input,
                              ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                              ArrayRef<int64_t> dilations) {
  size_t n = input.size();
  std::string autoPad = ctx.stringAttr("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    std::vector<int64_t> pads = ctx.intsAttr("pads", std::vector<int64_t>(2 * n, 0));
    if (pads.size() != 2 * n)
      return ctx.error() << "pads has " << pads.size() << " values, expected "
                         << 2 * n;
    return pads;
  }
  if (autoPad == "VALID")
    return std::vector<int64_t>(2 * n, 0);
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER")
    return samePadding(input, kernel, strides, dilations,
                       autoPad == "SAME_UPPER");
  return ctx.error() << "auto_pad '" << autoPad
                     << "' is not supported (supported: NOTSET, VALID, "
                        "SAME_UPPER, SAME_LOWER)";
}

/// 2-D pads `[top, left, bottom, right]` from 1-D ones `[begin, end]`.
static std::vector<int64_t> pads2D(ArrayRef<int64_t> pads, bool oneD) {
  if (!oneD)
    return pads.vec();
  return {0, pads[0], 0, pads[1]};
}

static LogicalResult importConv(NodeContext &ctx) {
  RankedTensorType xType = ctx.inputType(0), wType = ctx.inputType(1);
  if (!xType || !wType)
    return failure();
  int64_t rank = xType.getRank();
  if (rank != 3 && rank != 4)
    return ctx.error() << "only 1-D and 2-D convolutions are supported (input "
                          "of rank 3 or 4), got rank "
                       << rank;
  if (wType.getRank() != rank)
    return ctx.error() << "the weight's rank " << wType.getRank()
                       << " differs from the input's " << rank;
  size_t spatial = rank - 2;
  std::vector<int64_t> kernel(wType.getShape().begin() + 2,
                              wType.getShape().end());
  std::vector<int64_t> strides = ctx.intsAttr("strides", std::vector<int64_t>(spatial, 1));
  std::vector<int64_t> dilations =
      ctx.intsAttr("dilations", std::vector<int64_t>(spatial, 1));
  std::vector<int64_t> kernelAttr = ctx.intsAttr("kernel_shape", kernel);
  if (strides.size() != spatial || dilations.size() != spatial ||
      kernelAttr != kernel)
    return ctx.error() << "strides, dilations and kernel_shape must have "
                       << spatial << " values matching the weight";
  FailureOr<std::vector<int64_t>> pads =
      resolvePads(ctx, xType.getShape().drop_front(2), kernel, strides,
                  dilations);
  if (failed(pads))
    return failure();
  int64_t groups = ctx.intAttr("group", 1);
  Value x = ctx.input(0), w = ctx.input(1);
  Value bias = ctx.hasInput(2) ? ctx.input(2) : Value();
  if (ctx.hasInput(2) && !bias)
    return failure();
  bool oneD = rank == 3;
  if (oneD) {
    // [N, C, W] -> [N, C, 1, W]; the weight likewise.
    auto unit = [&](Value v, RankedTensorType t) {
      SmallVector<int64_t> shape(t.getShape());
      shape.insert(shape.begin() + 2, 1);
      return nn::ReshapeOp::create(ctx.b, ctx.loc, v, shape).getResult();
    };
    x = unit(x, xType);
    w = unit(w, wType);
    strides.insert(strides.begin(), 1);
    dilations.insert(dilations.begin(), 1);
  }
  Value y = nn::Conv2DOp::create(ctx.b, ctx.loc, x, w, bias, strides,
                                 pads2D(*pads, oneD), dilations, groups);
  if (oneD) {
    auto yType = cast<RankedTensorType>(y.getType());
    if (!yType.hasStaticShape())
      return ctx.error() << "inconsistent shapes";
    SmallVector<int64_t> shape(yType.getShape());
    shape.erase(shape.begin() + 2);
    y = nn::ReshapeOp::create(ctx.b, ctx.loc, y, shape);
  }
  ctx.setOutput(0, y);
  return success();
}

void kiln::onnximport::registerConvolutionOps(OpRegistry &r) {
  r.add("Conv", 1, 18, importConv);
}
