//===- ReductionOps.cpp - ONNX reductions ---------------------------------===//
//
// Part of Kiln. ReduceSum, ReduceMean, ReduceMax, ReduceProd directly;
// ReduceMin, ReduceSumSquare, ReduceL1, ReduceL2, ReduceLogSum and
// ReduceLogSumExp from nn ops (the last one stable: max + log(sum(exp(x -
// max)))). Axes are an attribute up to opset 12 (ReduceSum) or 17 (the others)
// and a known input from then on; no axes reduce everything, unless
// noop_with_empty_axes. ArgMax, ArgMin and TopK.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;

namespace {
struct Reduction {
  std::vector<int64_t> axes; // sorted, normalized; empty: identity
  bool keepdims;
};
} // namespace

static FailureOr<Reduction> readReduction(NodeContext &ctx,
                                          int64_t axesInputSince) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  int64_t rank = type.getRank();
  Reduction r;
  r.keepdims = ctx.intAttr("keepdims", 1) != 0;
  if (ctx.opset >= axesInputSince) {
    if (ctx.hasInput(1)) {
      const KnownTensor *known = ctx.known(1);
      if (!known)
        return failure();
      r.axes = known->ints;
    }
  } else {
    r.axes = ctx.intsAttr("axes");
  }
  if (r.axes.empty()) {
    if (ctx.intAttr("noop_with_empty_axes", 0))
      return r;
    for (int64_t d = 0; d < rank; ++d)
      r.axes.push_back(d);
  }
  for (int64_t &axis : r.axes) {
    int64_t normalized = normalizeAxis(axis, rank);
    if (normalized < 0)
      return ctx.error() << "axis " << axis << " is out of range for rank "
                         << rank;
    axis = normalized;
  }
  llvm::sort(r.axes);
  return r;
}

/// A reduction whose result is `finish(reduce(prepare(x)))`.
template <typename Op>
static OpImporter
reduction(int64_t axesInputSince,
          std::function<Value(NodeContext &, Value)> prepare = {},
          std::function<Value(NodeContext &, Value)> finish = {}) {
  return [=](NodeContext &ctx) -> LogicalResult {
    FailureOr<Reduction> r = readReduction(ctx, axesInputSince);
    if (failed(r))
      return failure();
    Value x = ctx.input(0);
    if (prepare)
      x = prepare(ctx, x);
    Value y = r->axes.empty()
                  ? x
                  : Value(Op::create(ctx.b, ctx.loc, x, r->axes, r->keepdims));
    if (finish)
      y = finish(ctx, y);
    ctx.setOutput(0, y);
    return success();
  };
}

static Value negate(NodeContext &ctx, Value v) {
  return nn::NegOp::create(ctx.b, ctx.loc, v);
}
static Value square(NodeContext &ctx, Value v) {
  return nn::MulOp::create(ctx.b, ctx.loc, v, v);
}
static Value absolute(NodeContext &ctx, Value v) {
  return nn::AbsOp::create(ctx.b, ctx.loc, v);
}
static Value squareRoot(NodeContext &ctx, Value v) {
  return nn::SqrtOp::create(ctx.b, ctx.loc, v);
}
static Value logarithm(NodeContext &ctx, Value v) {
  return nn::LogOp::create(ctx.b, ctx.loc, v);
}

static LogicalResult importReduceLogSumExp(NodeContext &ctx) {
  FailureOr<Reduction> r = readReduction(ctx, 18);
  if (failed(r))
    return failure();
  Value x = ctx.input(0);
  if (r->axes.empty()) {
    ctx.setOutput(0, x);
    return success();
  }
  Value max = nn::ReduceMaxOp::create(ctx.b, ctx.loc, x, r->axes, true);
  Value shifted = nn::SubOp::create(ctx.b, ctx.loc, x, max);
  Value sum = nn::ReduceSumOp::create(
      ctx.b, ctx.loc, nn::ExpOp::create(ctx.b, ctx.loc, shifted), r->axes,
      true);
  Value y = nn::AddOp::create(ctx.b, ctx.loc,
                              nn::LogOp::create(ctx.b, ctx.loc, sum), max);
  if (!r->keepdims) {
    auto type = cast<RankedTensorType>(y.getType());
    SmallVector<int64_t> shape;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (!llvm::is_contained(r->axes, d))
        shape.push_back(type.getDimSize(d));
    y = nn::ReshapeOp::create(ctx.b, ctx.loc, y, shape);
  }
  ctx.setOutput(0, y);
  return success();
}

/// ArgMax and ArgMin: axis (default 0), keepdims (default 1),
/// select_last_index (opset 12).
template <typename Op>
static LogicalResult importArgReduction(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  int64_t axis = normalizeAxis(ctx.intAttr("axis", 0), type.getRank());
  if (axis < 0)
    return ctx.error() << "axis " << ctx.intAttr("axis", 0)
                       << " is out of range for rank " << type.getRank();
  auto op = Op::create(ctx.b, ctx.loc, ctx.input(0), axis,
                       ctx.intAttr("keepdims", 1) != 0,
                       ctx.intAttr("select_last_index", 0) != 0);
  ctx.setOutput(0, op);
  return success();
}

/// TopK(X, K) along `axis`: K rounds, each taking the largest (smallest)
/// value not taken yet and, of its positions, the first not taken; the
/// values and indices of the rounds are concatenated. Exact with ties and
/// infinities (not NaN); the import grows with K, which is limited.
static LogicalResult importTopK(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  int64_t rank = type.getRank();
  int64_t axis = normalizeAxis(ctx.intAttr("axis", -1), rank);
  if (axis < 0)
    return ctx.error() << "axis " << ctx.intAttr("axis", -1)
                       << " is out of range for rank " << rank;
  int64_t k;
  if (ctx.opset < 10) {
    k = ctx.intAttr("k", 0);
  } else {
    FailureOr<std::vector<int64_t>> values = ctx.knownInts(1);
    if (failed(values))
      return failure();
    if (values->size() != 1)
      return ctx.error() << "K must hold one value";
    k = (*values)[0];
  }
  constexpr int64_t kMaxK = 256;
  int64_t n = type.getDimSize(axis);
  if (k < 1 || k > n || k > kMaxK)
    return ctx.error() << "K = " << k << " is not supported (1 to "
                       << std::min(n, kMaxK) << ")";
  bool largest = ctx.intAttr("largest", 1) != 0;
  Type element = type.getElementType();
  Type compute = isa<FloatType>(element) ? element : ctx.b.getF64Type();
  Value x = ctx.input(0);
  if (compute != element)
    x = nn::CastOp::create(ctx.b, ctx.loc, type.clone(compute), x);
  // The maximum of -x is minus the minimum: one code path for both.
  Value key = largest ? x : Value(nn::NegOp::create(ctx.b, ctx.loc, x));
  SmallVector<int64_t> positionShape(rank, 1);
  positionShape[axis] = n;
  std::vector<int64_t> ids(n);
  for (int64_t i = 0; i < n; ++i)
    ids[i] = i;
  KnownTensor positions = KnownTensor::ofInts(
      ids, std::vector<int64_t>(positionShape.begin(), positionShape.end()));
  positions.name = "positions";
  Value position = buildConstant(ctx.b, ctx.loc, positions);
  Value lowest = ctx.scalar(compute, -INFINITY);
  Value taken; // i1, the input's shape
  SmallVector<Value> values, indices;
  for (int64_t round = 0; round < k; ++round) {
    Value open =
        taken ? Value(nn::SelectOp::create(ctx.b, ctx.loc, taken, lowest, key))
              : key;
    Value best = nn::ReduceMaxOp::create(ctx.b, ctx.loc, open,
                                         ArrayRef<int64_t>{axis}, true);
    Value candidate = nn::EqualOp::create(ctx.b, ctx.loc, key, best);
    if (taken)
      candidate = ctx.logicalAnd(candidate, ctx.logicalNot(taken));
    // The first candidate: arg_max of the mask as numbers.
    Value index = nn::ArgMaxOp::create(
        ctx.b, ctx.loc,
        nn::CastOp::create(ctx.b, ctx.loc, type.clone(ctx.b.getF32Type()),
                           candidate),
        axis, /*keepdims=*/true, /*select_last_index=*/false);
    Value chosen = nn::EqualOp::create(ctx.b, ctx.loc, position, index);
    taken = taken ? ctx.logicalOr(taken, chosen) : chosen;
    values.push_back(best);
    indices.push_back(index);
  }
  Value y = nn::ConcatOp::create(ctx.b, ctx.loc, values, uint64_t(axis));
  if (!largest)
    y = nn::NegOp::create(ctx.b, ctx.loc, y);
  if (compute != element)
    y = nn::CastOp::create(
        ctx.b, ctx.loc, cast<RankedTensorType>(y.getType()).clone(element), y);
  ctx.setOutput(0, y);
  ctx.setOutput(1,
                nn::ConcatOp::create(ctx.b, ctx.loc, indices, uint64_t(axis)));
  return success();
}

void kiln::onnximport::registerReductionOps(OpRegistry &r) {
  r.add("TopK", 1, 18, importTopK);
  r.add("ArgMax", 1, 18, importArgReduction<nn::ArgMaxOp>);
  r.add("ArgMin", 1, 18, importArgReduction<nn::ArgMinOp>);
  r.add("ReduceSum", 1, 18, reduction<nn::ReduceSumOp>(13));
  r.add("ReduceMean", 1, 18, reduction<nn::ReduceMeanOp>(18));
  r.add("ReduceMax", 1, 18, reduction<nn::ReduceMaxOp>(18));
  r.add("ReduceProd", 1, 18, reduction<nn::ReduceProdOp>(18));
  // min(x) = -max(-x).
  r.add("ReduceMin", 1, 18, reduction<nn::ReduceMaxOp>(18, negate, negate));
  r.add("ReduceSumSquare", 1, 18, reduction<nn::ReduceSumOp>(18, square));
  r.add("ReduceL1", 1, 18, reduction<nn::ReduceSumOp>(18, absolute));
  r.add("ReduceL2", 1, 18, reduction<nn::ReduceSumOp>(18, square, squareRoot));
  r.add("ReduceLogSum", 1, 18,
        reduction<nn::ReduceSumOp>(18, nullptr, logarithm));
  r.add("ReduceLogSumExp", 1, 18, importReduceLogSumExp);
}
