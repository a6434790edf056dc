//===- ShapeOps.cpp - ONNX shape and data movement ops --------------------===//
//
// Part of Kiln. Constant, ConstantOfShape, Shape, Size, Cast, CastLike,
// Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Concat, Split, Slice,
// Gather, Expand, Tile, Pad, DepthToSpace and SpaceToDepth. Each folds when its
// data is known at import (so the Shape -> Gather
// -> Unsqueeze -> Concat -> Reshape chains exporters emit become a static
// nn.reshape) and otherwise builds the nn op. Shape-like inputs (Reshape's
// shape, Slice's starts, Pad's pads, ...) must be known.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;
using onnx::TensorProto;

/// A known tensor with other dims and the same data.
static KnownTensor reshaped(const KnownTensor &t, std::vector<int64_t> dims) {
  KnownTensor r = t;
  r.dims = std::move(dims);
  r.name.clear();
  return r;
}

/// Whether a known tensor's integer values are all decoded (small enough).
static bool hasInts(const KnownTensor *t) {
  return t && t->isInteger() && int64_t(t->ints.size()) == t->numElements();
}

static LogicalResult importConstant(NodeContext &ctx) {
  if (const onnx::TensorProto *value = ctx.tensorAttr("value")) {
    llvm::Expected<KnownTensor> t = readTensor(*value, "");
    if (!t)
      return ctx.error() << llvm::toString(t.takeError());
    t->name = ctx.node.output(0);
    ctx.setKnown(0, std::move(*t));
    return success();
  }
  KnownTensor t;
  if (ctx.hasAttr("value_int")) {
    t = KnownTensor::ofInts({ctx.intAttr("value_int", 0)},
                            std::vector<int64_t>{});
  } else if (ctx.hasAttr("value_ints")) {
    t = KnownTensor::ofInts(ctx.intsAttr("value_ints"));
  } else if (ctx.hasAttr("value_float") || ctx.hasAttr("value_floats")) {
    t.dataType = TensorProto::FLOAT;
    if (ctx.hasAttr("value_float")) {
      t.floats = {ctx.floatAttr("value_float", 0)};
    } else {
      std::vector<float> values = ctx.floatsAttr("value_floats");
      t.floats.assign(values.begin(), values.end());
      t.dims = {int64_t(values.size())};
    }
    t.encode();
  } else {
    return ctx.error() << "only the value, value_int(s) and value_float(s) "
                          "attributes are supported";
  }
  ctx.setKnown(0, std::move(t));
  return success();
}

static LogicalResult importConstantOfShape(NodeContext &ctx) {
  FailureOr<std::vector<int64_t>> dims = ctx.knownInts(0);
  if (failed(dims))
    return failure();
  KnownTensor fill;
  fill.dataType = TensorProto::FLOAT;
  fill.floats = {0.0};
  if (const onnx::TensorProto *value = ctx.tensorAttr("value")) {
    llvm::Expected<KnownTensor> t = readTensor(*value, "");
    if (!t)
      return ctx.error() << llvm::toString(t.takeError());
    if (t->numElements() != 1)
      return ctx.error() << "value must have one element";
    fill = std::move(*t);
  }
  KnownTensor result;
  result.dataType = fill.dataType;
  result.dims = *dims;
  int64_t n = 1;
  for (int64_t d : *dims) {
    if (d < 0)
      return ctx.error() << "the shape has a negative dimension " << d;
    n = d == 0 || n <= (int64_t(1) << 62) / d ? n * d : int64_t(1) << 62;
  }
  if (n > 4096) {
    // Data, not a shape: a splat constant, never expanded here (the code
    // generator rejects one larger than the machine's memory).
    Type element = elementType(ctx.b.getContext(), fill.dataType);
    if (fill.raw.empty())
      fill.encode();
    if (!element || fill.raw.size() != elementBytes(fill.dataType))
      return ctx.error() << "value of " << dataTypeName(fill.dataType)
                         << " is not supported";
    auto type = RankedTensorType::get(*dims, element);
    DenseElementsAttr splat =
        element.isInteger(1)
            ? DenseElementsAttr::get(type, fill.raw[0] != 0)
            : DenseElementsAttr::getFromRawBuffer(
                  type, llvm::ArrayRef<char>(fill.raw.data(), fill.raw.size()));
    ctx.setOutput(0, nn::ConstantOp::create(ctx.b, ctx.loc, splat));
    return success();
  }
  if (fill.isInteger())
    result.ints.assign(n, fill.ints.empty() ? 0 : fill.ints[0]);
  else
    result.floats.assign(n, fill.floats.empty() ? 0.0 : fill.floats[0]);
  if (!result.encode())
    return ctx.error() << "value of " << dataTypeName(fill.dataType)
                       << " is not supported";
  ctx.setKnown(0, std::move(result));
  return success();
}

static LogicalResult importShape(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  int64_t rank = type.getRank();
  // Opset 15's start and end, clamped like slice bounds.
  auto clampBound = [&](int64_t v) {
    if (v < 0)
      v += rank;
    return std::clamp<int64_t>(v, 0, rank);
  };
  int64_t start = clampBound(ctx.intAttr("start", 0));
  int64_t end =
      ctx.hasAttr("end") ? clampBound(ctx.intAttr("end", rank)) : rank;
  std::vector<int64_t> dims;
  for (int64_t d = start; d < end; ++d)
    dims.push_back(type.getDimSize(d));
  ctx.setKnown(0, KnownTensor::ofInts(dims));
  return success();
}

/// Output 0 = input 0 converted to ONNX data type `to`.
static LogicalResult castTo(NodeContext &ctx, int64_t to) {
  if (const KnownTensor *t = ctx.known(0, false)) {
    KnownTensor r = *t;
    r.name.clear();
    r.dataType = int32_t(to);
    bool fromInts = hasInts(t);
    bool fromFloats =
        !t->isInteger() && int64_t(t->floats.size()) == t->numElements();
    if (r.isInteger()) {
      if (fromFloats)
        r.ints.assign(t->floats.begin(), t->floats.end());
      r.floats.clear();
    } else {
      if (fromInts)
        r.floats.assign(t->ints.begin(), t->ints.end());
      r.ints.clear();
    }
    if ((fromInts || fromFloats) && r.encode()) {
      ctx.setKnown(0, std::move(r));
      return success();
    }
  }
  Value x = ctx.input(0);
  if (!x)
    return failure();
  Type target = elementType(ctx.b.getContext(), int32_t(to));
  if (!target)
    return ctx.error() << "casting to " << dataTypeName(int32_t(to))
                       << " is not supported (supported: "
                       << supportedDataTypes() << ")";
  if (target == ctx.elementOf(x)) {
    ctx.setOutput(0, x);
    return success();
  }
  auto type = cast<RankedTensorType>(x.getType());
  ctx.setOutput(0, nn::CastOp::create(ctx.b, ctx.loc, type.clone(target), x));
  return success();
}

static LogicalResult importCast(NodeContext &ctx) {
  return castTo(ctx, ctx.intAttr("to", 0));
}

/// Static shape of a value (its type is ranked and static: checked by
/// inputType).
static SmallVector<int64_t> shapeOf(Value v) {
  return SmallVector<int64_t>(cast<RankedTensorType>(v.getType()).getShape());
}

/// Sets output 0 to `x` reshaped to `dims` (folded when x is known).
static LogicalResult reshapeTo(NodeContext &ctx, ArrayRef<int64_t> dims) {
  if (const KnownTensor *t = ctx.known(0, false)) {
    ctx.setKnown(0, reshaped(*t, dims.vec()));
    return success();
  }
  Value x = ctx.input(0);
  if (!x)
    return failure();
  if (shapeOf(x) == SmallVector<int64_t>(dims))
    ctx.setOutput(0, x);
  else
    ctx.setOutput(0, nn::ReshapeOp::create(ctx.b, ctx.loc, x, dims));
  return success();
}

/// The static shape of input 0, known or computed.
static FailureOr<SmallVector<int64_t>> inputShape(NodeContext &ctx) {
  if (const KnownTensor *t = ctx.known(0, false))
    return SmallVector<int64_t>(t->dims.begin(), t->dims.end());
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  return SmallVector<int64_t>(type.getShape());
}

static LogicalResult importReshape(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> in = inputShape(ctx);
  if (failed(in))
    return failure();
  std::vector<int64_t> target;
  if (ctx.opset < 5) {
    target = ctx.intsAttr("shape");
  } else {
    FailureOr<std::vector<int64_t>> known = ctx.knownInts(1);
    if (failed(known))
      return failure();
    target = *known;
  }
  bool allowZero = ctx.intAttr("allowzero", 0) != 0;
  int64_t total = 1, product = 1, inferred = -1;
  for (int64_t d : *in)
    total *= d; // bounded: nn tensors have at most 2^40 elements
  for (size_t i = 0; i < target.size(); ++i) {
    if (target[i] == 0 && !allowZero) {
      if (i >= in->size())
        return ctx.error() << "shape entry " << i
                           << " is 0 (copy) past the input's rank";
      target[i] = (*in)[i];
    }
    if (target[i] == -1) {
      if (inferred >= 0)
        return ctx.error() << "the shape has more than one -1";
      inferred = i;
      continue;
    }
    if (target[i] < 0)
      return ctx.error() << "invalid shape entry " << target[i];
    if (target[i] > 0 && product > nn::kMaxTensorElements / target[i])
      return ctx.error() << "the shape has more elements than Kiln supports "
                            "(at most 2^40)";
    product *= target[i];
  }
  if (inferred >= 0) {
    if (product == 0 || total % product != 0)
      return ctx.error() << "cannot infer the -1 entry: " << total
                         << " elements do not divide by " << product;
    target[inferred] = total / product;
    product *= target[inferred];
  }
  if (product != total)
    return ctx.error() << "cannot reshape " << total << " elements into "
                       << product;
  return reshapeTo(ctx, target);
}

static LogicalResult importFlatten(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> in = inputShape(ctx);
  if (failed(in))
    return failure();
  int64_t rank = in->size();
  int64_t axis = ctx.intAttr("axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    return ctx.error() << "axis " << ctx.intAttr("axis", 1)
                       << " is out of range for rank " << rank;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < axis ? outer : inner) *= (*in)[d];
  return reshapeTo(ctx, {outer, inner});
}

static LogicalResult importTranspose(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  int64_t rank = type.getRank();
  std::vector<int64_t> perm;
  for (int64_t d = rank - 1; d >= 0; --d)
    perm.push_back(d);
  perm = ctx.intsAttr("perm", perm);
  ctx.setOutput(0, nn::TransposeOp::create(ctx.b, ctx.loc, ctx.input(0), perm));
  return success();
}

/// Squeeze/Unsqueeze axes: an attribute before opset 13, an input after.
static FailureOr<std::vector<int64_t>> readAxes(NodeContext &ctx,
                                                bool required) {
  if (ctx.opset < 13)
    return ctx.intsAttr("axes");
  if (!ctx.hasInput(1)) {
    if (required)
      return ctx.error() << "axes are required";
    return std::vector<int64_t>{};
  }
  return ctx.knownInts(1);
}

static LogicalResult importSqueeze(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> in = inputShape(ctx);
  FailureOr<std::vector<int64_t>> axes = readAxes(ctx, false);
  if (failed(in) || failed(axes))
    return failure();
  int64_t rank = in->size();
  std::vector<bool> drop(rank, false);
  for (int64_t axis : *axes) {
    int64_t a = normalizeAxis(axis, rank);
    if (a < 0 || (*in)[a] != 1)
      return ctx.error() << "axis " << axis
                         << " is out of range or not of size 1";
    drop[a] = true;
  }
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < rank; ++d)
    if (!(axes->empty() ? (*in)[d] == 1 : drop[d]))
      dims.push_back((*in)[d]);
  return reshapeTo(ctx, dims);
}

static LogicalResult importUnsqueeze(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> in = inputShape(ctx);
  FailureOr<std::vector<int64_t>> axes = readAxes(ctx, true);
  if (failed(in) || failed(axes))
    return failure();
  int64_t rank = in->size() + axes->size();
  std::vector<bool> inserted(rank, false);
  for (int64_t axis : *axes) {
    int64_t a = normalizeAxis(axis, rank);
    if (a < 0 || inserted[a])
      return ctx.error() << "axis " << axis << " is out of range or repeated";
    inserted[a] = true;
  }
  std::vector<int64_t> dims;
  size_t next = 0;
  for (int64_t d = 0; d < rank; ++d)
    dims.push_back(inserted[d] ? 1 : (*in)[next++]);
  return reshapeTo(ctx, dims);
}

static LogicalResult importConcat(NodeContext &ctx) {
  // (Opsets 1-3 default the axis to 1.)
  if (!ctx.hasAttr("axis") && ctx.opset >= 4)
    return ctx.error() << "the axis attribute is required";
  int64_t axis = ctx.intAttr("axis", 1);
  if (ctx.numInputs() == 0)
    return ctx.error() << "needs at least one input";
  // Known 1-D integer lists (shapes) concatenate at import.
  bool allKnown = ctx.numInputs() > 0;
  for (int i = 0; i < ctx.numInputs(); ++i) {
    const KnownTensor *t = ctx.known(i, false);
    allKnown &= hasInts(t) && t->dims.size() == 1;
  }
  if (allKnown) {
    std::vector<int64_t> values;
    for (int i = 0; i < ctx.numInputs(); ++i) {
      const KnownTensor *t = ctx.known(i);
      values.insert(values.end(), t->ints.begin(), t->ints.end());
    }
    KnownTensor r = KnownTensor::ofInts(values);
    r.dataType = ctx.known(0)->dataType;
    r.encode();
    ctx.setKnown(0, std::move(r));
    return success();
  }
  SmallVector<Value> inputs;
  for (int i = 0; i < ctx.numInputs(); ++i) {
    Value v = ctx.input(i);
    if (!v)
      return failure();
    inputs.push_back(v);
  }
  int64_t rank = cast<RankedTensorType>(inputs[0].getType()).getRank();
  int64_t a = normalizeAxis(axis, rank);
  if (a < 0)
    return ctx.error() << "axis " << axis << " is out of range for rank "
                       << rank;
  ctx.setOutput(0, nn::ConcatOp::create(ctx.b, ctx.loc, inputs, uint64_t(a)));
  return success();
}

/// ONNX Slice bounds for one axis of size `size`, normalized for nn.slice:
/// 0 <= start <= end <= size and a positive step. A negative step selects
/// start, start + step, ... down to above `end`: the same elements as a
/// positive step from the last of them, in reverse (`reverse` is set).
static LogicalResult clampSlice(NodeContext &ctx, int64_t size, int64_t &start,
                                int64_t &end, int64_t &step, bool &reverse) {
  if (step == 0)
    return ctx.error() << "a step of 0 is not allowed";
  if (start < 0)
    start += size;
  if (end < 0)
    end += size;
  reverse = step < 0;
  if (!reverse) {
    start = std::clamp<int64_t>(start, 0, size);
    end = std::clamp<int64_t>(end, start, size);
    return success();
  }
  step = -step;
  if (size == 0) {
    start = end = 0;
    return success();
  }
  start = std::clamp<int64_t>(start, 0, size - 1);
  end = std::clamp<int64_t>(end, -1, size - 1);
  int64_t count = start > end ? (start - end + step - 1) / step : 0;
  int64_t last = start - (count - 1) * step;
  end = count ? start + 1 : 0;
  start = count ? last : 0;
  return success();
}

static LogicalResult importSlice(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> in = inputShape(ctx);
  if (failed(in))
    return failure();
  int64_t rank = in->size();
  std::vector<int64_t> starts, ends, axes, steps;
  if (ctx.opset < 10) {
    starts = ctx.intsAttr("starts");
    ends = ctx.intsAttr("ends");
    axes = ctx.intsAttr("axes");
  } else {
    FailureOr<std::vector<int64_t>> s = ctx.knownInts(1), e = ctx.knownInts(2);
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (ctx.hasInput(3)) {
      FailureOr<std::vector<int64_t>> a = ctx.knownInts(3);
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (ctx.hasInput(4)) {
      FailureOr<std::vector<int64_t>> st = ctx.knownInts(4);
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return ctx.error() << "starts, ends, axes and steps differ in length";
  std::vector<int64_t> allStarts(rank, 0), allEnds(in->begin(), in->end()),
      allSteps(rank, 1);
  std::vector<bool> reversed(rank, false);
  for (size_t i = 0; i < starts.size(); ++i) {
    int64_t a = normalizeAxis(axes[i], rank);
    if (a < 0)
      return ctx.error() << "axis " << axes[i] << " is out of range";
    int64_t s = starts[i], e = ends[i], step = steps[i];
    bool reverse = false;
    if (failed(clampSlice(ctx, (*in)[a], s, e, step, reverse)))
      return failure();
    allStarts[a] = s;
    allEnds[a] = e;
    allSteps[a] = step;
    reversed[a] = reverse;
  }
  // Known 1-D integer lists (shapes) slice at import.
  if (const KnownTensor *t = ctx.known(0, false); hasInts(t) && rank == 1) {
    std::vector<int64_t> values;
    for (int64_t i = allStarts[0]; i < allEnds[0]; i += allSteps[0])
      values.push_back(t->ints[i]);
    if (reversed[0])
      std::reverse(values.begin(), values.end());
    KnownTensor r = KnownTensor::ofInts(values);
    r.dataType = t->dataType;
    r.encode();
    ctx.setKnown(0, std::move(r));
    return success();
  }
  Value x = ctx.input(0);
  if (!x)
    return failure();
  Value y =
      nn::SliceOp::create(ctx.b, ctx.loc, x, allStarts, allEnds, allSteps);
  // Negative steps: the slice's elements reversed, a gather along the axis.
  for (int64_t a = 0; a < rank; ++a) {
    int64_t count = llvm::divideCeil(allEnds[a] - allStarts[a], allSteps[a]);
    if (!reversed[a] || count < 2)
      continue;
    std::vector<int64_t> indices(count);
    for (int64_t i = 0; i < count; ++i)
      indices[i] = count - 1 - i;
    KnownTensor order = KnownTensor::ofInts(indices);
    order.name = "reversed";
    y = nn::GatherOp::create(ctx.b, ctx.loc, y,
                             buildConstant(ctx.b, ctx.loc, order), uint64_t(a));
  }
  ctx.setOutput(0, y);
  return success();
}

static LogicalResult importSplit(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  int64_t rank = type.getRank();
  int64_t axis = normalizeAxis(ctx.intAttr("axis", 0), rank);
  if (axis < 0)
    return ctx.error() << "axis " << ctx.intAttr("axis", 0)
                       << " is out of range for rank " << rank;
  int64_t size = type.getDimSize(axis);
  int outputs = ctx.node.output_size();
  std::vector<int64_t> split;
  if (ctx.opset < 13) {
    split = ctx.intsAttr("split");
  } else if (ctx.hasInput(1)) {
    FailureOr<std::vector<int64_t>> known = ctx.knownInts(1);
    if (failed(known))
      return failure();
    split = *known;
  }
  if (ctx.hasAttr("num_outputs") && ctx.intAttr("num_outputs", 0) != outputs)
    return ctx.error() << "num_outputs = " << ctx.intAttr("num_outputs", 0)
                       << " but the node has " << outputs << " outputs";
  if (split.empty()) {
    // Equal parts: before opset 18 the axis must divide evenly; opset 18's
    // num_outputs lets the last part be smaller, but not empty (ONNX
    // Runtime rejects more outputs than rows too).
    if (ctx.opset < 18 && size % outputs != 0)
      return ctx.error() << "the axis size " << size
                         << " does not split evenly into " << outputs
                         << " outputs (give the split sizes)";
    if (outputs > size)
      return ctx.error() << "cannot split an axis of size " << size
                         << " into " << outputs << " non-empty outputs";
    int64_t part = (size + outputs - 1) / outputs;
    for (int i = 0; i < outputs; ++i)
      split.push_back(std::max<int64_t>(0, std::min(part, size - i * part)));
  }
  int64_t total = 0;
  for (int64_t s : split)
    total += s;
  if (int(split.size()) != outputs || total != size)
    return ctx.error() << "split sizes do not add up to the axis size " << size
                       << " over " << outputs << " outputs";
  Value x = ctx.input(0);
  int64_t offset = 0;
  for (int i = 0; i < outputs; ++i) {
    std::vector<int64_t> starts(rank, 0),
        ends(type.getShape().begin(), type.getShape().end());
    starts[axis] = offset;
    ends[axis] = offset + split[i];
    offset += split[i];
    ctx.setOutput(i, nn::SliceOp::create(ctx.b, ctx.loc, x, starts, ends));
  }
  return success();
}

static LogicalResult importGather(NodeContext &ctx) {
  int64_t axisAttr = ctx.intAttr("axis", 0);
  const KnownTensor *data = ctx.known(0, false), *indices = ctx.known(1, false);
  // Picking entries of a known shape list.
  if (hasInts(data) && hasInts(indices) && data->dims.size() == 1 &&
      indices->dims.size() <= 1 && normalizeAxis(axisAttr, 1) == 0) {
    std::vector<int64_t> values;
    int64_t n = data->dims[0];
    for (int64_t i : indices->ints) {
      if (i < -n || i >= n)
        return ctx.error() << "index " << i << " is out of range";
      values.push_back(data->ints[i < 0 ? i + n : i]);
    }
    KnownTensor r = KnownTensor::ofInts(values, indices->dims);
    r.dataType = data->dataType;
    r.encode();
    ctx.setKnown(0, std::move(r));
    return success();
  }
  RankedTensorType type = ctx.inputType(0);
  Value idx = ctx.input(1);
  if (!type || !idx)
    return failure();
  int64_t axis = normalizeAxis(axisAttr, type.getRank());
  if (axis < 0)
    return ctx.error() << "axis " << axisAttr << " is out of range for rank "
                       << type.getRank();
  ctx.setOutput(0, nn::GatherOp::create(ctx.b, ctx.loc, ctx.input(0), idx,
                                        uint64_t(axis)));
  return success();
}

static LogicalResult importExpand(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  FailureOr<std::vector<int64_t>> shape = ctx.knownInts(1);
  if (!type || failed(shape))
    return failure();
  // numpy broadcasting of the input's shape with `shape`.
  size_t rank = std::max<size_t>(type.getRank(), shape->size());
  std::vector<int64_t> in(rank, 1), want(rank, 1), out(rank);
  std::copy(type.getShape().begin(), type.getShape().end(),
            in.end() - type.getRank());
  std::copy(shape->begin(), shape->end(), want.end() - shape->size());
  for (size_t d = 0; d < rank; ++d) {
    if (in[d] != want[d] && in[d] != 1 && want[d] != 1)
      return ctx.error() << "cannot broadcast the input to the shape";
    out[d] = std::max(in[d], want[d]);
  }
  Value x = ctx.input(0);
  if (SmallVector<int64_t>(out.begin(), out.end()) == shapeOf(x))
    ctx.setOutput(0, x);
  else
    ctx.setOutput(0, nn::BroadcastToOp::create(ctx.b, ctx.loc, x, out));
  return success();
}

static LogicalResult importPad(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  int64_t rank = type.getRank();
  std::vector<int64_t> pads;
  double value = 0;
  if (ctx.opset < 11) {
    pads = ctx.intsAttr("pads");
    value = ctx.floatAttr("value", 0);
  } else {
    FailureOr<std::vector<int64_t>> known = ctx.knownInts(1);
    if (failed(known))
      return failure();
    pads = *known;
    if (ctx.hasInput(2)) {
      const KnownTensor *v = ctx.known(2);
      if (!v)
        return failure();
      std::optional<double> scalar = v->scalar();
      if (!scalar)
        return ctx.error() << "constant_value must be a scalar";
      value = *scalar;
    }
    if (ctx.hasInput(3)) {
      // Opset 18: pads for the listed axes only.
      FailureOr<std::vector<int64_t>> axes = ctx.knownInts(3);
      if (failed(axes))
        return failure();
      if (pads.size() != 2 * axes->size())
        return ctx.error() << "pads must have two values per axis";
      std::vector<int64_t> full(2 * rank, 0);
      for (size_t i = 0; i < axes->size(); ++i) {
        int64_t a = normalizeAxis((*axes)[i], rank);
        if (a < 0)
          return ctx.error() << "axis " << (*axes)[i] << " is out of range";
        full[a] = pads[i];
        full[rank + a] = pads[axes->size() + i];
      }
      pads = full;
    }
  }
  if (int64_t(pads.size()) != 2 * rank)
    return ctx.error() << "pads has " << pads.size() << " values, expected "
                       << 2 * rank;
  for (int64_t p : pads)
    if (p < 0)
      return ctx.error() << "negative pads (cropping) are not supported";
  std::string mode = ctx.stringAttr("mode", "constant");
  std::optional<nn::PadMode> padMode =
      mode == "constant"  ? std::optional(nn::PadMode::Constant)
      : mode == "reflect" ? std::optional(nn::PadMode::Reflect)
      : mode == "edge"    ? std::optional(nn::PadMode::Edge)
                          : std::nullopt;
  if (!padMode)
    return ctx.error() << "mode '" << mode
                       << "' is not supported (supported: constant, reflect, "
                          "edge)";
  // (Only constant padding has a value.)
  FloatAttr valueAttr = *padMode == nn::PadMode::Constant
                            ? ctx.b.getF64FloatAttr(value)
                            : FloatAttr();
  ctx.setOutput(
      0, nn::PadOp::create(
             ctx.b, ctx.loc, ctx.input(0), ctx.b.getDenseI64ArrayAttr(pads),
             nn::PadModeAttr::get(ctx.b.getContext(), *padMode), valueAttr));
  return success();
}

static LogicalResult importSize(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> in = inputShape(ctx);
  if (failed(in))
    return failure();
  int64_t n = 1;
  for (int64_t d : *in)
    n *= d;
  ctx.setKnown(0, KnownTensor::ofInts({n}, std::vector<int64_t>{}));
  return success();
}

/// Tile: [d0, d1, ...] -> [1, d0, 1, d1, ...] -> broadcast to
/// [r0, d0, r1, d1, ...] -> [r0 * d0, r1 * d1, ...].
static LogicalResult importTile(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  FailureOr<std::vector<int64_t>> repeats = ctx.knownInts(1);
  if (!type || failed(repeats))
    return failure();
  if (int64_t(repeats->size()) != type.getRank())
    return ctx.error() << "repeats has " << repeats->size()
                       << " values for an input of rank " << type.getRank();
  SmallVector<int64_t> interleaved, broadcast, result;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if ((*repeats)[d] < 0)
      return ctx.error() << "repeats must not be negative";
    interleaved.append({1, type.getDimSize(d)});
    broadcast.append({(*repeats)[d], type.getDimSize(d)});
    result.push_back((*repeats)[d] * type.getDimSize(d));
  }
  Value x = nn::ReshapeOp::create(ctx.b, ctx.loc, ctx.input(0), interleaved);
  x = nn::BroadcastToOp::create(ctx.b, ctx.loc, x, broadcast);
  ctx.setOutput(0, nn::ReshapeOp::create(ctx.b, ctx.loc, x, result));
  return success();
}

/// DepthToSpace (DCR and CRD) and SpaceToDepth as reshape, transpose,
/// reshape.
static LogicalResult importDepthSpace(NodeContext &ctx, bool toSpace) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  if (type.getRank() != 4)
    return ctx.error() << "the input must be NCHW (rank 4)";
  int64_t b = ctx.intAttr("blocksize", 0);
  int64_t n = type.getDimSize(0), c = type.getDimSize(1),
          h = type.getDimSize(2), w = type.getDimSize(3);
  // (A block larger than the dimensions divides nothing; checking that
  // first keeps b * b from overflowing.)
  if (b <= 0 || b > std::max({c, h, w, int64_t(1)}) ||
      (toSpace ? c % (b * b) : h % b + w % b) != 0)
    return ctx.error() << "blocksize " << b << " does not divide the "
                       << (toSpace ? "channels" : "height and width");
  SmallVector<int64_t> split, perm, result;
  if (toSpace) {
    bool crd = ctx.stringAttr("mode", "DCR") == "CRD";
    split = crd ? SmallVector<int64_t>{n, c / (b * b), b, b, h, w}
                : SmallVector<int64_t>{n, b, b, c / (b * b), h, w};
    perm = crd ? SmallVector<int64_t>{0, 1, 4, 2, 5, 3}
               : SmallVector<int64_t>{0, 3, 4, 1, 5, 2};
    result = {n, c / (b * b), h * b, w * b};
  } else {
    split = {n, c, h / b, b, w / b, b};
    perm = {0, 3, 5, 1, 2, 4};
    result = {n, c * b * b, h / b, w / b};
  }
  Value x = nn::ReshapeOp::create(ctx.b, ctx.loc, ctx.input(0), split);
  x = nn::TransposeOp::create(ctx.b, ctx.loc, x, perm);
  ctx.setOutput(0, nn::ReshapeOp::create(ctx.b, ctx.loc, x, result));
  return success();
}

/// CastLike: Cast to the second input's element type.
static LogicalResult importCastLike(NodeContext &ctx) {
  GraphImporter::ValueInfo *like =
      ctx.hasInput(1) ? ctx.graph.find(ctx.node.input(1)) : nullptr;
  if (!like)
    return ctx.error() << "input 1 is required";
  if (like->known)
    return castTo(ctx, like->known->dataType);
  Type element = ctx.elementOf(like->value);
  for (int32_t t : {onnx::TensorProto::FLOAT, onnx::TensorProto::DOUBLE,
                    onnx::TensorProto::FLOAT16, onnx::TensorProto::BOOL,
                    onnx::TensorProto::INT8, onnx::TensorProto::INT16,
                    onnx::TensorProto::INT32, onnx::TensorProto::INT64})
    if (elementType(ctx.b.getContext(), t) == element)
      return castTo(ctx, t);
  return ctx.error() << "unsupported target type " << element;
}

void kiln::onnximport::registerShapeOps(OpRegistry &r) {
  r.add("Size", 1, 18, importSize);
  r.add("Tile", 6, 18, importTile);
  r.add("DepthToSpace", 1, 18,
        [](NodeContext &ctx) { return importDepthSpace(ctx, true); });
  r.add("SpaceToDepth", 1, 18,
        [](NodeContext &ctx) { return importDepthSpace(ctx, false); });
  r.add("CastLike", 15, 18, importCastLike);
  r.add("Constant", 1, 18, importConstant);
  r.add("ConstantOfShape", 9, 18, importConstantOfShape);
  r.add("Shape", 1, 18, importShape);
  r.add("Cast", 6, 18, importCast);
  r.add("Reshape", 1, 18, importReshape);
  r.add("Flatten", 1, 18, importFlatten);
  r.add("Transpose", 1, 18, importTranspose);
  r.add("Squeeze", 1, 18, importSqueeze);
  r.add("Unsqueeze", 1, 18, importUnsqueeze);
  r.add("Concat", 1, 18, importConcat);
  r.add("Slice", 1, 18, importSlice);
  r.add("Split", 2, 18, importSplit);
  r.add("Gather", 1, 18, importGather);
  r.add("Expand", 8, 18, importExpand);
  r.add("Pad", 2, 18, importPad);
}
