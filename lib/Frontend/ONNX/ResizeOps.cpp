//===- ResizeOps.cpp - ONNX Resize and Upsample ---------------------------===//
//
// Part of Kiln. Resize (opsets 10-18: nearest, linear and cubic modes, every
// coordinate_transformation_mode, nearest_mode, cubic_coeff_a,
// exclude_outside, extrapolation_value, axes) and Upsample (7-9). The sizes,
// scales and roi are known at import, so every output position's source
// coordinate, neighbours and interpolation weights are computed there, in
// double precision, exactly as ONNX's reference does. Resizing is separable:
// each resized axis becomes, per neighbour ("tap"), an nn.gather of the
// input at constant indices times a constant weight vector, summed
// (nearest: one gather, no weights). Axes left unchanged cost nothing.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include <cmath>

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;

namespace {
enum class Mode { Nearest, Linear, Cubic };

struct ResizeAttributes {
  Mode mode = Mode::Nearest;
  std::string transform = "half_pixel";
  std::string nearest = "round_prefer_floor";
  double cubicA = -0.75;
  bool excludeOutside = false;
  double extrapolation = 0;
};

/// One neighbour of every output position along an axis: which input
/// position it reads, and with which weight.
struct Tap {
  std::vector<int64_t> index;
  std::vector<double> weight;
};

/// How one axis is resized.
struct AxisPlan {
  std::vector<Tap> taps;
  /// Positions outside the input (tf_crop_and_resize): extrapolated.
  std::vector<bool> outside;
};
} // namespace

/// The interpolation coefficients for the neighbours at offsets
/// -n/2 + 1 .. n/2 from floor(x), `ratio` being x - floor(x) in (0, 1].
static std::vector<double> coefficients(const ResizeAttributes &a,
                                        double ratio) {
  switch (a.mode) {
  case Mode::Nearest: {
    if (ratio == 1)
      return {0, 1};
    bool up;
    if (a.nearest == "round_prefer_ceil")
      up = ratio >= 0.5;
    else if (a.nearest == "floor")
      up = false;
    else if (a.nearest == "ceil")
      up = true;
    else // round_prefer_floor
      up = ratio > 0.5;
    return {up ? 0.0 : 1.0, up ? 1.0 : 0.0};
  }
  case Mode::Linear:
    return {1 - ratio, ratio};
  case Mode::Cubic: {
    double A = a.cubicA, r = ratio, s = 1 - ratio;
    return {((A * (r + 1) - 5 * A) * (r + 1) + 8 * A) * (r + 1) - 4 * A,
            ((A + 2) * r - (A + 3)) * r * r + 1,
            ((A + 2) * s - (A + 3)) * s * s + 1,
            ((A * (s + 1) - 5 * A) * (s + 1) + 8 * A) * (s + 1) - 4 * A};
  }
  }
  return {};
}

/// The source coordinate of output position `x` (ONNX's
/// coordinate_transformation_mode), nullopt where tf_crop_and_resize falls
/// outside the input.
static std::optional<double> sourceCoordinate(const ResizeAttributes &a,
                                              int64_t x, int64_t in,
                                              double scale, double roiStart,
                                              double roiEnd) {
  // As the reference: the output width in these formulas is scale * in.
  double width = scale * double(in);
  const std::string &t = a.transform;
  if (t == "align_corners")
    return width == 1 ? 0.0 : double(x) * double(in - 1) / (width - 1);
  if (t == "asymmetric")
    return double(x) / scale;
  if (t == "tf_half_pixel_for_nearest" || t == "tf_half_pixel_for_nn")
    return (double(x) + 0.5) / scale;
  if (t == "pytorch_half_pixel")
    return width == 1 ? -0.5 : (double(x) + 0.5) / scale - 0.5;
  if (t == "tf_crop_and_resize") {
    double source = width == 1 ? (roiEnd - roiStart) * double(in - 1) / 2
                               : double(x) * (roiEnd - roiStart) *
                                     double(in - 1) / (width - 1);
    source += roiStart * double(in - 1);
    if (source < 0 || source > double(in - 1))
      return std::nullopt;
    return source;
  }
  if (t == "half_pixel_symmetric") {
    double adjustment = double(int64_t(width)) / width;
    double center = double(in) / 2;
    double offset = center * (1 - adjustment);
    return offset + (double(x) + 0.5) / scale - 0.5;
  }
  return (double(x) + 0.5) / scale - 0.5; // half_pixel
}

static AxisPlan planAxis(const ResizeAttributes &a, int64_t in, int64_t out,
                         double scale, double roiStart, double roiEnd) {
  AxisPlan plan;
  size_t taps = a.mode == Mode::Cubic ? 4 : 2;
  plan.taps.resize(taps);
  for (Tap &tap : plan.taps) {
    tap.index.assign(out, 0);
    tap.weight.assign(out, 0);
  }
  plan.outside.assign(out, false);
  for (int64_t x = 0; x < out; ++x) {
    std::optional<double> source =
        sourceCoordinate(a, x, in, scale, roiStart, roiEnd);
    if (!source) {
      plan.outside[x] = true;
      continue;
    }
    // The reference prefers the neighbour on the left: ratio in (0, 1].
    double floorValue = std::floor(*source);
    double ratio = *source - floorValue;
    // (Clamped far from int64's ends, so that the taps' positions around it
    // cannot overflow; such a coordinate is outside the input anyway.)
    int64_t left = saturatingInt64(std::clamp(floorValue, -4e18, 4e18));
    if (ratio == 0) {
      left -= 1;
      ratio = 1;
    }
    std::vector<double> c = coefficients(a, ratio);
    int64_t first = left - int64_t(taps) / 2 + 1;
    double sum = 0;
    for (size_t j = 0; j < taps; ++j) {
      int64_t position = first + int64_t(j);
      // Neighbours past the edges read the edge (as the reference's edge
      // padding), or count for nothing with exclude_outside.
      if (a.excludeOutside && (position < 0 || position >= in))
        c[j] = 0;
      plan.taps[j].index[x] = std::clamp<int64_t>(position, 0, in - 1);
      sum += c[j];
    }
    for (size_t j = 0; j < taps; ++j)
      plan.taps[j].weight[x] = a.excludeOutside && sum != 0 ? c[j] / sum : c[j];
  }
  return plan;
}

/// Whether `plan` maps every output position to the same input position
/// with weight 1 (a resize by 1 that needs no work).
static bool isIdentity(const AxisPlan &plan, int64_t in) {
  int64_t out = plan.outside.size();
  if (out != in)
    return false;
  for (int64_t x = 0; x < out; ++x) {
    if (plan.outside[x])
      return false;
    for (const Tap &tap : plan.taps)
      if (tap.weight[x] != 0 && (tap.weight[x] != 1 || tap.index[x] != x))
        return false;
  }
  return true;
}

/// A rank-`rank` constant holding `values` along `axis` (size 1 elsewhere).
static Value alongAxis(NodeContext &ctx, ArrayRef<double> values, Type element,
                       int64_t axis, int64_t rank) {
  std::vector<int64_t> dims(rank, 1);
  dims[axis] = values.size();
  KnownTensor t = KnownTensor::ofFloats(
      values.vec(), dims,
      element.isF64() ? onnx::TensorProto::DOUBLE : onnx::TensorProto::FLOAT);
  t.name = "resize_weights";
  Value v = buildConstant(ctx.b, ctx.loc, t);
  if (!element.isF64() && !element.isF32())
    v = nn::CastOp::create(
        ctx.b, ctx.loc, cast<RankedTensorType>(v.getType()).clone(element), v);
  return v;
}

static Value gatherAt(NodeContext &ctx, Value x, ArrayRef<int64_t> index,
                      int64_t axis) {
  KnownTensor indices = KnownTensor::ofInts(index.vec());
  indices.name = "resize_indices";
  return nn::GatherOp::create(ctx.b, ctx.loc, x,
                              buildConstant(ctx.b, ctx.loc, indices),
                              uint64_t(axis));
}

/// Resizes `x` to `sizes` with per-axis `scales` (and roi [starts...,
/// ends...] for tf_crop_and_resize).
static LogicalResult resize(NodeContext &ctx, const ResizeAttributes &a,
                            ArrayRef<int64_t> sizes, ArrayRef<double> scales,
                            ArrayRef<double> roi) {
  Value x = ctx.input(0);
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  Type element = type.getElementType();
  if (a.mode != Mode::Nearest && !isa<FloatType>(element))
    return ctx.error() << "linear and cubic modes need floating-point inputs";
  // Positions outside the input in any axis take extrapolation_value.
  Value inside;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t in = type.getDimSize(d), out = sizes[d];
    // (The plan of an axis holds a few numbers per output position.)
    constexpr int64_t kMaxSize = int64_t(1) << 24;
    if (out < 1 || in < 1 || out > kMaxSize)
      return ctx.error() << "dimension " << d << " would resize " << in
                         << " to " << out << " elements (1 to " << kMaxSize
                         << " are supported)";
    double roiStart = roi.empty() ? 0 : roi[d];
    double roiEnd = roi.empty() ? 1 : roi[rank + d];
    AxisPlan plan = planAxis(a, in, out, scales[d], roiStart, roiEnd);
    if (isIdentity(plan, in))
      continue;
    Value y;
    if (a.mode == Mode::Nearest) {
      // One gather: the neighbour with weight 1 (outside: any).
      std::vector<int64_t> index(out, 0);
      for (int64_t p = 0; p < out; ++p)
        for (const Tap &tap : plan.taps)
          if (tap.weight[p] == 1)
            index[p] = tap.index[p];
      y = gatherAt(ctx, x, index, d);
    } else {
      for (const Tap &tap : plan.taps) {
        if (llvm::all_of(tap.weight, [](double w) { return w == 0; }))
          continue;
        Value term =
            nn::MulOp::create(ctx.b, ctx.loc, gatherAt(ctx, x, tap.index, d),
                              alongAxis(ctx, tap.weight, element, d, rank));
        y = y ? Value(nn::AddOp::create(ctx.b, ctx.loc, y, term)) : term;
      }
      if (!y) // every weight 0: only extrapolated positions
        y = nn::MulOp::create(ctx.b, ctx.loc,
                              gatherAt(ctx, x, plan.taps[0].index, d),
                              ctx.scalar(element, 0));
    }
    x = y;
    if (llvm::is_contained(plan.outside, true)) {
      std::vector<int64_t> flags(out);
      for (int64_t p = 0; p < out; ++p)
        flags[p] = !plan.outside[p];
      std::vector<int64_t> dims(rank, 1);
      dims[d] = out;
      KnownTensor mask = KnownTensor::ofInts(flags, dims);
      mask.dataType = onnx::TensorProto::BOOL;
      mask.encode();
      mask.name = "resize_inside";
      Value axisInside = buildConstant(ctx.b, ctx.loc, mask);
      inside = inside ? ctx.logicalAnd(inside, axisInside) : axisInside;
    }
  }
  if (inside)
    x = nn::SelectOp::create(ctx.b, ctx.loc, inside, x,
                             ctx.scalar(element, a.extrapolation));
  ctx.setOutput(0, x);
  return success();
}

static FailureOr<Mode> readMode(NodeContext &ctx) {
  std::string mode = ctx.stringAttr("mode", "nearest");
  if (mode == "nearest")
    return Mode::Nearest;
  if (mode == "linear" || mode == "bilinear")
    return Mode::Linear;
  if (mode == "cubic")
    return Mode::Cubic;
  return ctx.error() << "mode '" << mode
                     << "' is not supported (supported: nearest, linear, "
                        "cubic)";
}

/// Known floating-point values of input `i` (scales, roi); empty when the
/// input is absent or empty.
static FailureOr<std::vector<double>> knownDoubles(NodeContext &ctx, int i) {
  if (!ctx.hasInput(i))
    return std::vector<double>{};
  const KnownTensor *t = ctx.known(i);
  if (!t)
    return failure();
  if (t->numElements() == 0)
    return std::vector<double>{};
  if (t->isInteger() || int64_t(t->floats.size()) != t->numElements())
    return ctx.error() << "input " << i << " must hold floating-point values";
  return t->floats;
}

static LogicalResult importResize(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  int64_t rank = type.getRank();
  FailureOr<Mode> mode = readMode(ctx);
  if (failed(mode))
    return failure();
  ResizeAttributes a;
  a.mode = *mode;
  if (ctx.opset < 11) {
    // Resize-10 is Upsample-9 with downsampling allowed: asymmetric
    // coordinates, the nearest neighbour below.
    a.transform = "asymmetric";
    a.nearest = "floor";
  } else {
    a.transform =
        ctx.stringAttr("coordinate_transformation_mode", "half_pixel");
    a.nearest = ctx.stringAttr("nearest_mode", "round_prefer_floor");
    a.cubicA = ctx.floatAttr("cubic_coeff_a", -0.75f);
    a.excludeOutside = ctx.intAttr("exclude_outside", 0) != 0;
    a.extrapolation = ctx.floatAttr("extrapolation_value", 0);
  }
  static const char *transforms[] = {
      "half_pixel",           "half_pixel_symmetric",
      "pytorch_half_pixel",   "align_corners",
      "asymmetric",           "tf_half_pixel_for_nearest",
      "tf_half_pixel_for_nn", "tf_crop_and_resize"};
  if (!llvm::is_contained(transforms, a.transform))
    return ctx.error() << "coordinate_transformation_mode '" << a.transform
                       << "' is not supported";
  static const char *nearestModes[] = {"round_prefer_floor",
                                       "round_prefer_ceil", "floor", "ceil"};
  if (!llvm::is_contained(nearestModes, a.nearest))
    return ctx.error() << "nearest_mode '" << a.nearest << "' is not supported";
  if (ctx.intAttr("antialias", 0) != 0)
    return ctx.error() << "antialias = 1 is not supported";
  if (ctx.stringAttr("keep_aspect_ratio_policy", "stretch") != "stretch")
    return ctx.error() << "keep_aspect_ratio_policy '"
                       << ctx.stringAttr("keep_aspect_ratio_policy", "")
                       << "' is not supported (supported: stretch)";
  // Opset 18: scales and sizes may name only some axes.
  std::vector<int64_t> axes;
  for (int64_t axis : ctx.intsAttr("axes")) {
    int64_t d = normalizeAxis(axis, rank);
    if (d < 0)
      return ctx.error() << "axis " << axis << " is out of range";
    axes.push_back(d);
  }
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  int scalesInput = ctx.opset < 11 ? 1 : 2;
  FailureOr<std::vector<double>> roi =
      ctx.opset < 11 ? FailureOr<std::vector<double>>(std::vector<double>{})
                     : knownDoubles(ctx, 1);
  FailureOr<std::vector<double>> scaleValues = knownDoubles(ctx, scalesInput);
  if (failed(roi) || failed(scaleValues))
    return failure();
  std::vector<int64_t> sizeValues;
  if (ctx.opset >= 11 && ctx.hasInput(3)) {
    FailureOr<std::vector<int64_t>> s = ctx.knownInts(3);
    if (failed(s))
      return failure();
    sizeValues = *s;
  }
  size_t n = axes.size();
  std::vector<double> scales(rank, 1.0);
  std::vector<int64_t> sizes(type.getShape().begin(), type.getShape().end());
  if (!sizeValues.empty()) {
    if (!scaleValues->empty() || sizeValues.size() != n)
      return ctx.error() << "give either scales or sizes, one value per axis";
    for (size_t i = 0; i < n; ++i) {
      sizes[axes[i]] = sizeValues[i];
      scales[axes[i]] =
          double(sizeValues[i]) / double(type.getDimSize(axes[i]));
    }
  } else {
    if (scaleValues->size() != n)
      return ctx.error() << "scales has " << scaleValues->size()
                         << " values, expected " << n;
    for (size_t i = 0; i < n; ++i) {
      int64_t d = axes[i];
      if (!((*scaleValues)[i] > 0) || !std::isfinite((*scaleValues)[i]))
        return ctx.error() << "scales must be positive and finite";
      scales[d] = (*scaleValues)[i];
      double extent = type.getDimSize(d) * scales[d];
      if (a.transform == "tf_crop_and_resize" && roi->size() == 2 * n)
        extent *= (*roi)[n + i] - (*roi)[i];
      sizes[d] = extent < 1e18 ? int64_t(std::floor(extent)) : -1;
    }
  }
  std::vector<double> fullRoi;
  if (a.transform == "tf_crop_and_resize") {
    if (roi->size() != 2 * n)
      return ctx.error() << "tf_crop_and_resize needs a roi of " << 2 * n
                         << " values";
    fullRoi.assign(2 * rank, 0);
    for (int64_t d = 0; d < rank; ++d)
      fullRoi[rank + d] = 1;
    for (size_t i = 0; i < n; ++i) {
      fullRoi[axes[i]] = (*roi)[i];
      fullRoi[rank + axes[i]] = (*roi)[n + i];
    }
  }
  return resize(ctx, a, sizes, scales, fullRoi);
}

/// Upsample (opsets 7-9): scales as an attribute (7) or input (9); nearest
/// (the neighbour below) or linear, asymmetric coordinates.
static LogicalResult importUpsample(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  FailureOr<Mode> mode = readMode(ctx);
  if (failed(mode))
    return failure();
  if (*mode == Mode::Cubic)
    return ctx.error() << "mode 'cubic' is not supported by Upsample";
  std::vector<double> scales;
  if (ctx.opset < 9) {
    for (float s : ctx.floatsAttr("scales"))
      scales.push_back(s);
  } else {
    FailureOr<std::vector<double>> s = knownDoubles(ctx, 1);
    if (failed(s))
      return failure();
    scales = *s;
  }
  if (int64_t(scales.size()) != type.getRank())
    return ctx.error() << "scales needs one value per dimension";
  ResizeAttributes a;
  a.mode = *mode;
  a.transform = "asymmetric";
  a.nearest = "floor";
  std::vector<int64_t> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    double extent = type.getDimSize(d) * scales[d];
    if (!(extent >= 0) || extent > 1e18)
      return ctx.error() << "scales must be positive and finite";
    sizes.push_back(int64_t(std::floor(extent)));
  }
  return resize(ctx, a, sizes, scales, {});
}

void kiln::onnximport::registerResizeOps(OpRegistry &r) {
  r.add("Resize", 10, 18, importResize);
  r.add("Upsample", 7, 9, importUpsample);
}
