//===- ConvolutionOps.cpp - ONNX Conv -------------------------------------===//
//
// Part of Kiln. Conv in 1-D (as 2-D with a unit height) and 2-D, with
// strides, dilations, groups (depthwise included), explicit pads and
// auto_pad; ConvTranspose in 2-D, as a convolution (below).
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include <cstring>

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
FailureOr<std::vector<int64_t>> kiln::onnximport::resolvePads(
    NodeContext &ctx, ArrayRef<int64_t> input, ArrayRef<int64_t> kernel,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  size_t n = input.size();
  std::string autoPad = ctx.stringAttr("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    std::vector<int64_t> pads =
        ctx.intsAttr("pads", std::vector<int64_t>(2 * n, 0));
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
  std::vector<int64_t> strides =
      ctx.intsAttr("strides", std::vector<int64_t>(spatial, 1));
  std::vector<int64_t> dilations =
      ctx.intsAttr("dilations", std::vector<int64_t>(spatial, 1));
  std::vector<int64_t> kernelAttr = ctx.intsAttr("kernel_shape", kernel);
  if (strides.size() != spatial || dilations.size() != spatial ||
      kernelAttr != kernel)
    return ctx.error() << "strides, dilations and kernel_shape must have "
                       << spatial << " values matching the weight";
  FailureOr<std::vector<int64_t>> pads = resolvePads(
      ctx, xType.getShape().drop_front(2), kernel, strides, dilations);
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

/// ConvTranspose's weight [C, M/g, kH, kW] as the equivalent convolution's:
/// [M, C/g, kH, kW], each kernel flipped in both directions. Done on the
/// host, so the weight must be known.
static KnownTensor convTransposeWeight(const KnownTensor &w, int64_t groups) {
  int64_t c = w.dims[0], mg = w.dims[1], kh = w.dims[2], kw = w.dims[3];
  int64_t cg = c / groups;
  size_t bytes = elementBytes(w.dataType);
  KnownTensor r;
  r.dataType = w.dataType;
  r.name = w.name + "_transposed";
  r.dims = {mg * groups, cg, kh, kw};
  r.raw.resize(w.raw.size());
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t ci = 0; ci < cg; ++ci)
      for (int64_t mi = 0; mi < mg; ++mi)
        for (int64_t y = 0; y < kh; ++y)
          for (int64_t x = 0; x < kw; ++x) {
            int64_t from = (((g * cg + ci) * mg + mi) * kh + y) * kw + x;
            int64_t to = (((g * mg + mi) * cg + ci) * kh + (kh - 1 - y)) * kw +
                         (kw - 1 - x);
            std::memcpy(&r.raw[to * bytes], &w.raw[from * bytes], bytes);
          }
  return r;
}

/// ConvTranspose (2-D) as a convolution with stride 1 over the input with
/// (stride - 1) zeros inserted between its elements and padded by
/// (dilated kernel - 1 - pads) on each side (negative amounts crop), with
/// the flipped, transposed weight.
static LogicalResult importConvTranspose(NodeContext &ctx) {
  RankedTensorType xType = ctx.inputType(0);
  if (!xType)
    return failure();
  if (xType.getRank() != 4)
    return ctx.error() << "only 2-D transposed convolutions (input of rank 4) "
                          "are supported, got rank "
                       << xType.getRank();
  const KnownTensor *w = ctx.known(1);
  if (!w)
    return failure();
  if (w->dims.size() != 4)
    return ctx.error() << "the weight must have rank 4";
  int64_t groups = ctx.intAttr("group", 1);
  if (groups <= 0 || w->dims[0] != xType.getDimSize(1) ||
      w->dims[0] % groups != 0)
    return ctx.error() << "the weight's first dimension must be the input's "
                          "channels, divisible by group";
  std::vector<int64_t> strides = ctx.intsAttr("strides", {1, 1});
  std::vector<int64_t> dilations = ctx.intsAttr("dilations", {1, 1});
  std::vector<int64_t> outputPadding = ctx.intsAttr("output_padding", {0, 0});
  if (strides.size() != 2 || dilations.size() != 2 || outputPadding.size() != 2)
    return ctx.error() << "strides, dilations and output_padding need 2 values";
  int64_t in[2] = {xType.getDimSize(2), xType.getDimSize(3)};
  int64_t kernel[2] = {w->dims[2], w->dims[3]};
  std::vector<int64_t> pads = ctx.intsAttr("pads", {0, 0, 0, 0});
  std::string autoPad = ctx.stringAttr("auto_pad", "NOTSET");
  std::vector<int64_t> outputShape = ctx.intsAttr("output_shape");
  if (!outputShape.empty() || autoPad == "SAME_UPPER" ||
      autoPad == "SAME_LOWER") {
    // Pads from the requested output size (default: input * stride).
    if (!outputShape.empty() && outputShape.size() != 2)
      return ctx.error() << "output_shape needs 2 values";
    for (int d = 0; d < 2; ++d) {
      int64_t out = outputShape.empty() ? in[d] * strides[d] : outputShape[d];
      int64_t total = strides[d] * (in[d] - 1) + outputPadding[d] +
                      (kernel[d] - 1) * dilations[d] + 1 - out;
      if (total < 0)
        return ctx.error() << "output_shape is larger than the input allows";
      bool lower = autoPad == "SAME_LOWER";
      pads[d] = lower ? total - total / 2 : total / 2;
      pads[d + 2] = total - pads[d];
    }
  } else if (autoPad != "NOTSET" && autoPad != "VALID") {
    return ctx.error() << "auto_pad '" << autoPad
                       << "' is not supported (supported: NOTSET, VALID, "
                          "SAME_UPPER, SAME_LOWER)";
  } else if (autoPad == "VALID") {
    pads = {0, 0, 0, 0};
  }
  if (pads.size() != 4)
    return ctx.error() << "pads needs 4 values";

  Value x = ctx.input(0);
  int64_t n = xType.getDimSize(0), c = xType.getDimSize(1);
  // Zeros between the elements: [N,C,H,1,W,1] padded to [N,C,H,s,W,s],
  // flattened, the trailing (s - 1) zeros cut.
  if (strides[0] > 1 || strides[1] > 1) {
    x = nn::ReshapeOp::create(ctx.b, ctx.loc, x,
                              ArrayRef<int64_t>{n, c, in[0], 1, in[1], 1});
    std::vector<int64_t> upPads(12, 0);
    upPads[6 + 3] = strides[0] - 1;
    upPads[6 + 5] = strides[1] - 1;
    x = nn::PadOp::create(ctx.b, ctx.loc, x, ctx.b.getDenseI64ArrayAttr(upPads),
                          nn::PadModeAttr(), FloatAttr());
    x = nn::ReshapeOp::create(
        ctx.b, ctx.loc, x,
        ArrayRef<int64_t>{n, c, in[0] * strides[0], in[1] * strides[1]});
    x = nn::SliceOp::create(ctx.b, ctx.loc, x, ArrayRef<int64_t>{0, 0, 0, 0},
                            ArrayRef<int64_t>{n, c,
                                              (in[0] - 1) * strides[0] + 1,
                                              (in[1] - 1) * strides[1] + 1});
  }
  // Padding for the full convolution; negative amounts crop.
  int64_t size[2] = {(in[0] - 1) * strides[0] + 1,
                     (in[1] - 1) * strides[1] + 1};
  std::vector<int64_t> grow(8, 0), starts(4, 0), ends = {n, c, 0, 0};
  bool crop = false;
  for (int d = 0; d < 2; ++d) {
    int64_t extent = (kernel[d] - 1) * dilations[d];
    int64_t begin = extent - pads[d];
    int64_t end = extent - pads[d + 2] + outputPadding[d];
    grow[2 + d] = std::max<int64_t>(begin, 0);
    grow[6 + d] = std::max<int64_t>(end, 0);
    starts[2 + d] = std::max<int64_t>(-begin, 0);
    ends[2 + d] =
        size[d] + grow[2 + d] + grow[6 + d] - std::max<int64_t>(-end, 0);
    crop |= begin < 0 || end < 0;
    if (ends[2 + d] <= starts[2 + d])
      return ctx.error() << "the pads leave no output";
  }
  if (llvm::any_of(grow, [](int64_t p) { return p > 0; }))
    x = nn::PadOp::create(ctx.b, ctx.loc, x, ctx.b.getDenseI64ArrayAttr(grow),
                          nn::PadModeAttr(), FloatAttr());
  if (crop)
    x = nn::SliceOp::create(ctx.b, ctx.loc, x, starts, ends);

  KnownTensor flipped = convTransposeWeight(*w, groups);
  Value weight = buildConstant(ctx.b, ctx.loc, flipped);
  if (!weight)
    return ctx.error() << "unsupported weight type "
                       << dataTypeName(w->dataType);
  Value bias = ctx.hasInput(2) ? ctx.input(2) : Value();
  if (ctx.hasInput(2) && !bias)
    return failure();
  ctx.setOutput(0, nn::Conv2DOp::create(
                       ctx.b, ctx.loc, x, weight, bias, ArrayRef<int64_t>{1, 1},
                       ArrayRef<int64_t>{0, 0, 0, 0}, dilations, groups));
  return success();
}

void kiln::onnximport::registerConvolutionOps(OpRegistry &r) {
  r.add("Conv", 1, 18, importConv);
  r.add("ConvTranspose", 1, 18, importConvTranspose);
}
