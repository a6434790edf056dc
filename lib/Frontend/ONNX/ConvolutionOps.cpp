//===- ConvolutionOps.cpp - ONNX Conv -------------------------------------===//
//
// Part of Kiln. Conv in 1-D (as 2-D with a unit height), 2-D and 3-D (as
// 2-D over the depth taps, below), with strides, dilations, groups
// (depthwise included), explicit pads and auto_pad; ConvTranspose in 1-D to
// 3-D, as a convolution (below), with a known or computed weight.
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
  if (llvm::any_of(strides, [](int64_t v) { return v <= 0; }) ||
      llvm::any_of(dilations, [](int64_t v) { return v <= 0; }) ||
      llvm::any_of(kernel, [](int64_t v) { return v <= 0; }))
    return ctx.error() << "kernel sizes, strides and dilations must be "
                          "positive";
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

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

/// 1-D convolution as 2-D over a unit height.
static Value convolution1D(NodeContext &ctx, Value x, Value w, Value bias,
                           ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                           ArrayRef<int64_t> dilations, int64_t groups) {
  auto unit = [&](Value v) {
    SmallVector<int64_t> shape(shapeOf(v));
    shape.insert(shape.begin() + 2, 1);
    return nn::ReshapeOp::create(ctx.b, ctx.loc, v, shape).getResult();
  };
  Value y = nn::Conv2DOp::create(ctx.b, ctx.loc, unit(x), unit(w), bias,
                                 ArrayRef<int64_t>{1, strides[0]},
                                 ArrayRef<int64_t>{0, pads[0], 0, pads[1]},
                                 ArrayRef<int64_t>{1, dilations[0]}, groups);
  SmallVector<int64_t> shape(shapeOf(y));
  shape.erase(shape.begin() + 2);
  return nn::ReshapeOp::create(ctx.b, ctx.loc, y, shape);
}

/// 3-D convolution as 2-D: the KD depth taps that each output depth reads
/// are gathered into channels, x' = [N * Do, C * KD, H, W] (channel c * KD +
/// kd, so that groups stay contiguous), against the weight viewed as
/// [F, C/g * KD, KH, KW]. That costs KD copies of the input and runs at the
/// speed of the 2-D convolution.
static Value convolution3D(NodeContext &ctx, Value x, Value w, Value bias,
                           ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                           ArrayRef<int64_t> dilations, int64_t groups) {
  ArrayRef<int64_t> xs = shapeOf(x), ws = shapeOf(w);
  int64_t n = xs[0], c = xs[1], h = xs[3], wd = xs[4];
  int64_t f = ws[0], cg = ws[1], kd = ws[2];
  int64_t depth = xs[2] + pads[0] + pads[3];
  int64_t outDepth = (depth - dilations[0] * (kd - 1) - 1) / strides[0] + 1;
  if (pads[0] || pads[3]) {
    std::vector<int64_t> depthPads(10, 0);
    depthPads[2] = pads[0];
    depthPads[7] = pads[3];
    x = nn::PadOp::create(ctx.b, ctx.loc, x,
                          ctx.b.getDenseI64ArrayAttr(depthPads),
                          nn::PadModeAttr(), FloatAttr());
  }
  SmallVector<Value> taps;
  for (int64_t k = 0; k < kd; ++k) {
    int64_t first = k * dilations[0];
    Value tap = nn::SliceOp::create(
        ctx.b, ctx.loc, x, ArrayRef<int64_t>{0, 0, first, 0, 0},
        ArrayRef<int64_t>{n, c, first + (outDepth - 1) * strides[0] + 1, h, wd},
        ArrayRef<int64_t>{1, 1, strides[0], 1, 1});
    taps.push_back(nn::ReshapeOp::create(
        ctx.b, ctx.loc, tap, ArrayRef<int64_t>{n, c, 1, outDepth, h, wd}));
  }
  Value stacked =
      taps.size() == 1
          ? taps[0]
          : Value(nn::ConcatOp::create(ctx.b, ctx.loc, taps, uint64_t(2)));
  Value columns = nn::TransposeOp::create(ctx.b, ctx.loc, stacked,
                                          ArrayRef<int64_t>{0, 3, 1, 2, 4, 5});
  columns = nn::ReshapeOp::create(
      ctx.b, ctx.loc, columns, ArrayRef<int64_t>{n * outDepth, c * kd, h, wd});
  Value weight = nn::ReshapeOp::create(
      ctx.b, ctx.loc, w, ArrayRef<int64_t>{f, cg * kd, ws[3], ws[4]});
  Value y = nn::Conv2DOp::create(
      ctx.b, ctx.loc, columns, weight, bias,
      ArrayRef<int64_t>{strides[1], strides[2]},
      ArrayRef<int64_t>{pads[1], pads[2], pads[4], pads[5]},
      ArrayRef<int64_t>{dilations[1], dilations[2]}, groups);
  ArrayRef<int64_t> ys = shapeOf(y);
  y = nn::ReshapeOp::create(ctx.b, ctx.loc, y,
                            ArrayRef<int64_t>{n, outDepth, f, ys[2], ys[3]});
  return nn::TransposeOp::create(ctx.b, ctx.loc, y,
                                 ArrayRef<int64_t>{0, 2, 1, 3, 4});
}

/// A convolution over 1, 2 or 3 spatial dimensions (x: [N, C, spatial...],
/// w: [F, C/groups, kernel...], pads [begin..., end...]) built from
/// nn.conv2d; failure (reported) when the shapes leave no output.
static FailureOr<Value> convolution(NodeContext &ctx, Value x, Value w,
                                    Value bias, ArrayRef<int64_t> strides,
                                    ArrayRef<int64_t> pads,
                                    ArrayRef<int64_t> dilations,
                                    int64_t groups) {
  ArrayRef<int64_t> xs = shapeOf(x), ws = shapeOf(w);
  size_t spatial = xs.size() - 2;
  for (size_t d = 0; d < spatial; ++d) {
    int64_t extent = dilations[d] * (ws[2 + d] - 1) + 1;
    if (strides[d] <= 0 || dilations[d] <= 0 ||
        xs[2 + d] + pads[d] + pads[spatial + d] < extent)
      return ctx.error() << "the kernel (extent " << extent
                         << ") does not fit the padded input in spatial "
                            "dimension "
                         << d << ", or a stride or dilation is not positive";
  }
  if (ws[0] <= 0 || groups <= 0 || xs[1] != ws[1] * groups ||
      ws[0] % groups != 0)
    return ctx.error() << "the weight " << w.getType()
                       << " does not match the input's " << xs[1]
                       << " channels in " << groups << " group(s)";
  if (spatial == 1)
    return convolution1D(ctx, x, w, bias, strides, pads, dilations, groups);
  if (spatial == 3)
    return convolution3D(ctx, x, w, bias, strides, pads, dilations, groups);
  return Value(nn::Conv2DOp::create(ctx.b, ctx.loc, x, w, bias, strides, pads,
                                    dilations, groups));
}

FailureOr<Value> kiln::onnximport::convolveLikeConv(NodeContext &ctx, Value x,
                                                    Value w, Value bias) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  int64_t rank = xType.getRank();
  if (rank < 3 || rank > 5)
    return ctx.error() << "only 1-D, 2-D and 3-D convolutions are supported "
                          "(input of rank 3 to 5), got rank "
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
  return convolution(ctx, x, w, bias, strides, *pads, dilations,
                     ctx.intAttr("group", 1));
}

static LogicalResult importConv(NodeContext &ctx) {
  if (!ctx.inputType(0) || !ctx.inputType(1))
    return failure();
  Value bias = ctx.hasInput(2) ? ctx.input(2) : Value();
  if (ctx.hasInput(2) && !bias)
    return failure();
  FailureOr<Value> y = convolveLikeConv(ctx, ctx.input(0), ctx.input(1), bias);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

/// ConvTranspose's weight [C, M/g, kernel...] as the equivalent
/// convolution's: [M, C/g, kernel...], each kernel flipped in every spatial
/// direction. On the host when the weight is known.
static KnownTensor convTransposeWeight(const KnownTensor &w, int64_t groups) {
  int64_t c = w.dims[0], mg = w.dims[1], cg = c / groups;
  std::vector<int64_t> kernel(w.dims.begin() + 2, w.dims.end());
  int64_t taps = 1;
  for (int64_t k : kernel)
    taps *= k;
  size_t bytes = elementBytes(w.dataType);
  KnownTensor r;
  r.dataType = w.dataType;
  r.name = w.name + "_transposed";
  r.dims = w.dims;
  r.dims[0] = mg * groups;
  r.dims[1] = cg;
  r.raw.resize(w.raw.size());
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t ci = 0; ci < cg; ++ci)
      for (int64_t mi = 0; mi < mg; ++mi)
        for (int64_t t = 0; t < taps; ++t) {
          // The flipped tap: every coordinate k becomes kernel - 1 - k,
          // which in row-major order is taps - 1 - t.
          int64_t from = ((g * cg + ci) * mg + mi) * taps + t;
          int64_t to = ((g * mg + mi) * cg + ci) * taps + (taps - 1 - t);
          std::memcpy(&r.raw[to * bytes], &w.raw[from * bytes], bytes);
        }
  return r;
}

/// The same transformation of a weight computed at run time, with nn ops.
static Value convTransposeWeight(NodeContext &ctx, Value w, int64_t groups) {
  ArrayRef<int64_t> ws = shapeOf(w);
  int64_t c = ws[0], mg = ws[1], cg = c / groups;
  SmallVector<int64_t> split = {groups, cg, mg};
  split.append(ws.begin() + 2, ws.end());
  w = nn::ReshapeOp::create(ctx.b, ctx.loc, w, split);
  SmallVector<int64_t> perm = {0, 2, 1};
  for (size_t d = 3; d < split.size(); ++d)
    perm.push_back(d);
  w = nn::TransposeOp::create(ctx.b, ctx.loc, w, perm);
  SmallVector<int64_t> merged = {groups * mg, cg};
  merged.append(ws.begin() + 2, ws.end());
  w = nn::ReshapeOp::create(ctx.b, ctx.loc, w, merged);
  for (size_t d = 2; d < ws.size(); ++d) {
    std::vector<int64_t> reversed(ws[d]);
    for (int64_t k = 0; k < ws[d]; ++k)
      reversed[k] = ws[d] - 1 - k;
    KnownTensor indices = KnownTensor::ofInts(reversed);
    indices.name = "reversed";
    w = nn::GatherOp::create(
        ctx.b, ctx.loc, w, buildConstant(ctx.b, ctx.loc, indices), uint64_t(d));
  }
  return w;
}

/// ConvTranspose (1-D to 3-D) as a convolution with stride 1 over the input
/// with (stride - 1) zeros inserted between its elements and padded by
/// (dilated kernel - 1 - pads) on each side (negative amounts crop), with
/// the flipped, transposed weight.
static LogicalResult importConvTranspose(NodeContext &ctx) {
  RankedTensorType xType = ctx.inputType(0), wType = ctx.inputType(1);
  if (!xType || !wType)
    return failure();
  int64_t rank = xType.getRank();
  if (rank < 3 || rank > 5)
    return ctx.error() << "only 1-D, 2-D and 3-D transposed convolutions "
                          "(input of rank 3 to 5) are supported, got rank "
                       << rank;
  if (wType.getRank() != rank)
    return ctx.error() << "the weight must have rank " << rank;
  size_t spatial = rank - 2;
  int64_t groups = ctx.intAttr("group", 1);
  if (groups <= 0 || wType.getDimSize(0) != xType.getDimSize(1) ||
      wType.getDimSize(0) % groups != 0)
    return ctx.error() << "the weight's first dimension must be the input's "
                          "channels, divisible by group";
  std::vector<int64_t> ones(spatial, 1), zeros(spatial, 0);
  std::vector<int64_t> strides = ctx.intsAttr("strides", ones);
  std::vector<int64_t> dilations = ctx.intsAttr("dilations", ones);
  std::vector<int64_t> outputPadding = ctx.intsAttr("output_padding", zeros);
  if (strides.size() != spatial || dilations.size() != spatial ||
      outputPadding.size() != spatial)
    return ctx.error() << "strides, dilations and output_padding need "
                       << spatial << " values";
  if (llvm::any_of(strides, [](int64_t s) { return s <= 0; }) ||
      llvm::any_of(dilations, [](int64_t d) { return d <= 0; }))
    return ctx.error() << "strides and dilations must be positive";
  ArrayRef<int64_t> in = xType.getShape().drop_front(2);
  ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);
  std::vector<int64_t> pads =
      ctx.intsAttr("pads", std::vector<int64_t>(2 * spatial, 0));
  std::string autoPad = ctx.stringAttr("auto_pad", "NOTSET");
  std::vector<int64_t> outputShape = ctx.intsAttr("output_shape");
  if (!outputShape.empty() || autoPad == "SAME_UPPER" ||
      autoPad == "SAME_LOWER") {
    // Pads from the requested output size (default: input * stride).
    if (!outputShape.empty() && outputShape.size() != spatial)
      return ctx.error() << "output_shape needs " << spatial << " values";
    pads.assign(2 * spatial, 0);
    for (size_t d = 0; d < spatial; ++d) {
      int64_t out = outputShape.empty() ? in[d] * strides[d] : outputShape[d];
      // ONNX: SAME_UPPER puts the odd pad at the end, otherwise at the
      // beginning. A negative total (output_shape beyond the full output)
      // adds zeros; the halves round down, as in ONNX's reference.
      int64_t total = strides[d] * (in[d] - 1) + outputPadding[d] +
                      (kernel[d] - 1) * dilations[d] + 1 - out;
      int64_t half = total >= 0 ? total / 2 : -((1 - total) / 2);
      pads[d] = autoPad == "SAME_UPPER" ? half : total - half;
      pads[d + spatial] = total - pads[d];
    }
  } else if (autoPad != "NOTSET" && autoPad != "VALID") {
    return ctx.error() << "auto_pad '" << autoPad
                       << "' is not supported (supported: NOTSET, VALID, "
                          "SAME_UPPER, SAME_LOWER)";
  } else if (autoPad == "VALID") {
    pads.assign(2 * spatial, 0);
  }
  if (pads.size() != 2 * spatial)
    return ctx.error() << "pads needs " << 2 * spatial << " values";

  Value x = ctx.input(0);
  int64_t n = xType.getDimSize(0), c = xType.getDimSize(1);
  // Zeros between the elements: [N, C, S0, 1, S1, 1, ...] padded to
  // [N, C, S0, s0, S1, s1, ...], flattened, the trailing (s - 1) zeros cut.
  std::vector<int64_t> size(spatial);
  for (size_t d = 0; d < spatial; ++d)
    size[d] = (in[d] - 1) * strides[d] + 1;
  if (llvm::any_of(strides, [](int64_t s) { return s > 1; })) {
    SmallVector<int64_t> interleaved = {n, c}, flat = {n, c};
    std::vector<int64_t> upPads(2 * (2 + 2 * spatial), 0);
    for (size_t d = 0; d < spatial; ++d) {
      interleaved.append({in[d], 1});
      upPads[(2 + 2 * spatial) + 2 + 2 * d + 1] = strides[d] - 1;
      flat.push_back(in[d] * strides[d]);
    }
    x = nn::ReshapeOp::create(ctx.b, ctx.loc, x, interleaved);
    x = nn::PadOp::create(ctx.b, ctx.loc, x, ctx.b.getDenseI64ArrayAttr(upPads),
                          nn::PadModeAttr(), FloatAttr());
    x = nn::ReshapeOp::create(ctx.b, ctx.loc, x, flat);
    SmallVector<int64_t> starts(rank, 0), ends = {n, c};
    ends.append(size.begin(), size.end());
    x = nn::SliceOp::create(ctx.b, ctx.loc, x, starts, ends);
  }
  // Padding for the full convolution; negative amounts crop.
  std::vector<int64_t> grow(2 * rank, 0), starts(rank, 0), ends(rank, 0);
  ends[0] = n;
  ends[1] = c;
  bool crop = false;
  for (size_t d = 0; d < spatial; ++d) {
    int64_t extent = (kernel[d] - 1) * dilations[d];
    int64_t begin = extent - pads[d];
    int64_t end = extent - pads[d + spatial] + outputPadding[d];
    grow[2 + d] = std::max<int64_t>(begin, 0);
    grow[rank + 2 + d] = std::max<int64_t>(end, 0);
    starts[2 + d] = std::max<int64_t>(-begin, 0);
    ends[2 + d] =
        size[d] + grow[2 + d] + grow[rank + 2 + d] - std::max<int64_t>(-end, 0);
    crop |= begin < 0 || end < 0;
    if (ends[2 + d] - starts[2 + d] < extent + 1)
      return ctx.error() << "the pads leave no output";
  }
  if (llvm::any_of(grow, [](int64_t p) { return p > 0; }))
    x = nn::PadOp::create(ctx.b, ctx.loc, x, ctx.b.getDenseI64ArrayAttr(grow),
                          nn::PadModeAttr(), FloatAttr());
  if (crop)
    x = nn::SliceOp::create(ctx.b, ctx.loc, x, starts, ends);

  Value weight;
  if (const KnownTensor *w = ctx.known(1, /*required=*/false)) {
    weight = buildConstant(ctx.b, ctx.loc, convTransposeWeight(*w, groups));
    if (!weight)
      return ctx.error() << "unsupported weight type "
                         << dataTypeName(w->dataType);
  } else {
    Value computed = ctx.input(1);
    if (!computed)
      return failure();
    weight = convTransposeWeight(ctx, computed, groups);
  }
  Value bias = ctx.hasInput(2) ? ctx.input(2) : Value();
  if (ctx.hasInput(2) && !bias)
    return failure();
  FailureOr<Value> y =
      convolution(ctx, x, weight, bias, ones,
                  std::vector<int64_t>(2 * spatial, 0), dilations, groups);
  if (failed(y))
    return failure();
  ctx.setOutput(0, *y);
  return success();
}

void kiln::onnximport::registerConvolutionOps(OpRegistry &r) {
  r.add("Conv", 1, 18, importConv);
  r.add("ConvTranspose", 1, 18, importConvTranspose);
}
