//===- IndexingOps.cpp - ONNX ops that compute or use positions -----------===//
//
// Part of Kiln. GatherElements, GatherND and ReverseSequence (as nn.gather
// over the data flattened, at flat indices computed from the index
// tensors), Compress (a known condition), ScatterElements, Scatter and
// ScatterND (dense one-hot products), OneHot,
// Hardmax, Trilu (masks built at import), EyeLike and Range (constants), and
// CumSum (a product with a triangular matrix of ones: exact for integers
// below 2^53, O(n^2) in the scanned dimension's size).
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;
using onnx::TensorProto;

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

static int64_t product(ArrayRef<int64_t> sizes) {
  int64_t n = 1;
  for (int64_t s : sizes)
    n *= s;
  return n;
}

/// `v` as i64 (integer index tensors may be i32; OneHot's may be floats).
static Value toI64(NodeContext &ctx, Value v) {
  if (ctx.elementOf(v).isInteger(64) && ctx.elementOf(v).isSignlessInteger())
    return v;
  auto type = cast<RankedTensorType>(v.getType());
  return nn::CastOp::create(ctx.b, ctx.loc, type.clone(ctx.b.getI64Type()), v);
}

/// Negative indices counted from the end of a dimension of `size`.
static Value wrapNegative(NodeContext &ctx, Value index, int64_t size) {
  Type i64 = ctx.b.getI64Type();
  Value negative =
      nn::LessOp::create(ctx.b, ctx.loc, index, ctx.scalar(i64, 0));
  return nn::SelectOp::create(
      ctx.b, ctx.loc, negative,
      nn::AddOp::create(ctx.b, ctx.loc, index, ctx.scalar(i64, size)), index);
}

/// An i64 constant of `shape` whose elements are f(coordinates).
static Value indexConstant(NodeContext &ctx, ArrayRef<int64_t> shape,
                           llvm::function_ref<int64_t(ArrayRef<int64_t>)> f) {
  std::vector<int64_t> values(product(shape));
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t &v : values) {
    v = f(index);
    for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  KnownTensor t = KnownTensor::ofInts(std::move(values), shape.vec());
  t.name = "indices";
  return buildConstant(ctx.b, ctx.loc, t);
}

/// data[i.. with index[i..] at `axis`] for every position i of `index`
/// (i64, the data's rank, no larger than the data off the axis, already
/// wrapped): nn.gather of the flattened data at (the other coordinates'
/// offset, a constant) + index * stride(axis).
static Value gatherAlongAxis(NodeContext &ctx, Value data, Value index,
                             int64_t axis) {
  ArrayRef<int64_t> dims = shapeOf(data);
  int64_t rank = dims.size();
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * dims[d + 1];
  Value base = indexConstant(ctx, shapeOf(index), [&](ArrayRef<int64_t> at) {
    int64_t offset = 0;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        offset += at[d] * strides[d];
    return offset;
  });
  Value flat = nn::AddOp::create(
      ctx.b, ctx.loc, base,
      nn::MulOp::create(ctx.b, ctx.loc, index,
                        ctx.scalar(ctx.b.getI64Type(), strides[axis])));
  Value flatData = nn::ReshapeOp::create(ctx.b, ctx.loc, data,
                                         ArrayRef<int64_t>{product(dims)});
  return nn::GatherOp::create(ctx.b, ctx.loc, flatData, flat, 0);
}

/// GatherElements(data, indices, axis): out[i..] = data[i.. with
/// indices[i..] at `axis`].
static LogicalResult importGatherElements(NodeContext &ctx) {
  RankedTensorType dataType = ctx.inputType(0), indicesType = ctx.inputType(1);
  if (!dataType || !indicesType)
    return failure();
  int64_t rank = dataType.getRank();
  int64_t axis = normalizeAxis(ctx.intAttr("axis", 0), rank);
  if (axis < 0 || indicesType.getRank() != rank)
    return ctx.error() << "indices must have the data's rank, and axis "
                       << ctx.intAttr("axis", 0) << " be within it";
  ArrayRef<int64_t> dims = dataType.getShape();
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis && indicesType.getDimSize(d) > dims[d])
      return ctx.error() << "indices dimension " << d << " ("
                         << indicesType.getDimSize(d)
                         << ") exceeds the data's (" << dims[d] << ")";
  Value index = wrapNegative(ctx, toI64(ctx, ctx.input(1)), dims[axis]);
  ctx.setOutput(0, gatherAlongAxis(ctx, ctx.input(0), index, axis));
  return success();
}

/// ReverseSequence(input, sequence_lens): along time_axis, the first
/// sequence_lens[b] elements of every batch b reversed, the rest kept:
/// a gather at t < len ? len - 1 - t : t.
static LogicalResult importReverseSequence(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0), lensType = ctx.inputType(1);
  if (!type || !lensType)
    return failure();
  int64_t rank = type.getRank();
  int64_t batchAxis = ctx.intAttr("batch_axis", 1),
          timeAxis = ctx.intAttr("time_axis", 0);
  if (rank < 2 || std::min(batchAxis, timeAxis) < 0 ||
      std::max(batchAxis, timeAxis) > 1 || batchAxis == timeAxis ||
      lensType.getRank() != 1 ||
      lensType.getDimSize(0) != type.getDimSize(batchAxis))
    return ctx.error() << "batch_axis and time_axis must be 0 and 1, and "
                          "sequence_lens hold one length per batch";
  Type i64 = ctx.b.getI64Type();
  int64_t steps = type.getDimSize(timeAxis);
  SmallVector<int64_t> lensShape(rank, 1);
  lensShape[batchAxis] = type.getDimSize(batchAxis);
  Value lens = nn::ReshapeOp::create(ctx.b, ctx.loc, toI64(ctx, ctx.input(1)),
                                     lensShape);
  SmallVector<int64_t> timeShape(rank, 1);
  timeShape[timeAxis] = steps;
  Value time = indexConstant(
      ctx, timeShape, [&](ArrayRef<int64_t> at) { return at[timeAxis]; });
  Value reversed = nn::SubOp::create(
      ctx.b, ctx.loc,
      nn::SubOp::create(ctx.b, ctx.loc, lens, ctx.scalar(i64, 1)), time);
  Value index = nn::SelectOp::create(
      ctx.b, ctx.loc, nn::LessOp::create(ctx.b, ctx.loc, time, lens), reversed,
      time);
  index = nn::BroadcastToOp::create(ctx.b, ctx.loc, index, type.getShape());
  ctx.setOutput(0, gatherAlongAxis(ctx, ctx.input(0), index, timeAxis));
  return success();
}

/// Compress(input, condition, axis): the slices (or, without an axis, the
/// flattened elements) where the known condition is true.
static LogicalResult importCompress(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  FailureOr<std::vector<int64_t>> condition = ctx.knownInts(1);
  if (!type || failed(condition))
    return failure();
  Value x = ctx.input(0);
  int64_t axis = 0;
  if (ctx.hasAttr("axis")) {
    axis = normalizeAxis(ctx.intAttr("axis", 0), type.getRank());
    if (axis < 0)
      return ctx.error() << "axis " << ctx.intAttr("axis", 0)
                         << " is out of range for rank " << type.getRank();
  } else {
    x = nn::ReshapeOp::create(ctx.b, ctx.loc, x,
                              ArrayRef<int64_t>{type.getNumElements()});
  }
  int64_t size = shapeOf(x)[axis];
  if (int64_t(condition->size()) > size)
    return ctx.error() << "the condition has " << condition->size()
                       << " values for " << size << " slices";
  std::vector<int64_t> kept;
  for (auto [i, flag] : llvm::enumerate(*condition))
    if (flag)
      kept.push_back(i);
  if (kept.empty()) {
    SmallVector<int64_t> starts(shapeOf(x).size(), 0), ends(shapeOf(x));
    ends[axis] = 0;
    ctx.setOutput(0, nn::SliceOp::create(ctx.b, ctx.loc, x, starts, ends));
    return success();
  }
  KnownTensor indices = KnownTensor::ofInts(kept);
  indices.name = "kept";
  ctx.setOutput(0, nn::GatherOp::create(ctx.b, ctx.loc, x,
                                        buildConstant(ctx.b, ctx.loc, indices),
                                        uint64_t(axis)));
  return success();
}

/// The row-major flat index of the index vectors in the last dimension of
/// `indices` (i64 [..., k]) into dimensions of `sizes` (k of them), negative
/// components wrapped: an i64 tensor of indices' shape without the last
/// dimension.
static Value flatIndexND(NodeContext &ctx, Value indices,
                         ArrayRef<int64_t> sizes) {
  ArrayRef<int64_t> shape = shapeOf(indices);
  int64_t q = shape.size(), k = sizes.size();
  SmallVector<int64_t> vectorShape(shape.drop_back());
  Type i64 = ctx.b.getI64Type();
  Value flat;
  for (int64_t j = 0; j < k; ++j) {
    int64_t stride = product(sizes.drop_front(j + 1));
    SmallVector<int64_t> starts(q, 0), ends(shape);
    starts[q - 1] = j;
    ends[q - 1] = j + 1;
    Value component =
        nn::SliceOp::create(ctx.b, ctx.loc, indices, starts, ends);
    component = nn::ReshapeOp::create(ctx.b, ctx.loc, component, vectorShape);
    component = wrapNegative(ctx, component, sizes[j]);
    Value term =
        nn::MulOp::create(ctx.b, ctx.loc, component, ctx.scalar(i64, stride));
    flat = flat ? Value(nn::AddOp::create(ctx.b, ctx.loc, flat, term)) : term;
  }
  return flat;
}

/// GatherND(data, indices, batch_dims): indices [B..., M..., k] pick
/// data[b..., i1..ik, ...]. The batch and the k picked dimensions of the
/// data are flattened into one; the flat index is b * prod(D1..Dk) +
/// sum(ij * stride_j).
static LogicalResult importGatherND(NodeContext &ctx) {
  RankedTensorType dataType = ctx.inputType(0), indicesType = ctx.inputType(1);
  if (!dataType || !indicesType)
    return failure();
  int64_t batch = ctx.intAttr("batch_dims", 0);
  int64_t q = indicesType.getRank(), r = dataType.getRank();
  int64_t k = q ? indicesType.getDimSize(q - 1) : 0;
  if (q < 1 || batch < 0 || batch >= std::min(q, r) || k < 1 || batch + k > r ||
      indicesType.getShape().take_front(batch) !=
          dataType.getShape().take_front(batch))
    return ctx.error() << "indices " << indicesType << " and batch_dims "
                       << batch << " do not fit the data " << dataType;
  ArrayRef<int64_t> dims = dataType.getShape();
  int64_t pickedCount = product(dims.slice(batch, k));
  SmallVector<int64_t> vectorShape(indicesType.getShape().drop_back());
  Value flat = flatIndexND(ctx, toI64(ctx, ctx.input(1)), dims.slice(batch, k));
  if (batch > 0) {
    SmallVector<int64_t> batchSizes(dims.take_front(batch));
    Value offsets = indexConstant(ctx, vectorShape, [&](ArrayRef<int64_t> at) {
      int64_t b = 0;
      for (int64_t d = 0; d < batch; ++d)
        b = b * batchSizes[d] + at[d];
      return b * pickedCount;
    });
    flat = nn::AddOp::create(ctx.b, ctx.loc, flat, offsets);
  }
  SmallVector<int64_t> flatData = {product(dims.take_front(batch)) *
                                   pickedCount};
  flatData.append(dims.begin() + batch + k, dims.end());
  Value data = nn::ReshapeOp::create(ctx.b, ctx.loc, ctx.input(0), flatData);
  ctx.setOutput(0, nn::GatherOp::create(ctx.b, ctx.loc, data, flat, 0));
  return success();
}

/// An i64 arange(size) shaped to broadcast along dimension `axis` of a
/// rank-`rank` tensor.
static Value arangeAlong(NodeContext &ctx, int64_t size, int64_t axis,
                         int64_t rank) {
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = size;
  return indexConstant(ctx, shape,
                       [&](ArrayRef<int64_t> at) { return at[axis]; });
}

//===----------------------------------------------------------------------===//
// Scatters
//===----------------------------------------------------------------------===//
//
// Written as dense one-hot products, without a scatter op: `hot[.., j, p]`
// says that update j goes to position p. Every position takes the combined
// updates aimed at it (sum, product, max, min), or keeps its data where
// none is. With reduction "none", duplicate indices (undefined in ONNX) add
// up. Memory: updates x positions per row.

namespace {
enum class Combine { None, Add, Mul, Max, Min };
} // namespace

static FailureOr<Combine> readCombine(NodeContext &ctx) {
  std::string reduction = ctx.stringAttr("reduction", "none");
  if (reduction == "none")
    return Combine::None;
  if (reduction == "add")
    return Combine::Add;
  if (reduction == "mul")
    return Combine::Mul;
  if (reduction == "max")
    return Combine::Max;
  if (reduction == "min")
    return Combine::Min;
  return ctx.error() << "reduction '" << reduction
                     << "' is not supported (supported: none, add, mul, max, "
                        "min)";
}

/// The scattered result: `data` [..., n] updated at the positions `hot`
/// ([..., m, n], i1) marks for each of the `updates` [..., m] (the "..."
/// broadcasting), combined as `combine` says. Floats (integers through
/// double precision).
static Value scatterDense(NodeContext &ctx, Value data, Value hot,
                          Value updates, Combine combine) {
  auto dataType = cast<RankedTensorType>(data.getType());
  Type element = dataType.getElementType();
  Type compute = isa<FloatType>(element) ? element : ctx.b.getF64Type();
  auto toCompute = [&](Value v) -> Value {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getElementType() == compute)
      return v;
    return nn::CastOp::create(ctx.b, ctx.loc, type.clone(compute), v);
  };
  int64_t rank = dataType.getRank();
  SmallVector<int64_t> column(shapeOf(updates));
  column.push_back(1);
  Value u = nn::ReshapeOp::create(ctx.b, ctx.loc, toCompute(updates), column);
  Value d = toCompute(data);
  SmallVector<int64_t> along = {rank - 1}; // the updates' dimension of `hot`
  Value covered = nn::GreaterOp::create(
      ctx.b, ctx.loc,
      nn::ReduceMaxOp::create(ctx.b, ctx.loc, toCompute(hot), along, false),
      ctx.scalar(compute, 0.5));
  auto gathered = [&](double otherwise) -> Value {
    return nn::SelectOp::create(ctx.b, ctx.loc, hot, u,
                                ctx.scalar(compute, otherwise));
  };
  Value y;
  switch (combine) {
  case Combine::None:
  case Combine::Add: {
    Value sum =
        nn::ReduceSumOp::create(ctx.b, ctx.loc, gathered(0), along, false);
    y = combine == Combine::Add
            ? Value(nn::AddOp::create(ctx.b, ctx.loc, d, sum))
            : Value(nn::SelectOp::create(ctx.b, ctx.loc, covered, sum, d));
    break;
  }
  case Combine::Mul:
    y = nn::MulOp::create(
        ctx.b, ctx.loc, d,
        nn::ReduceProdOp::create(ctx.b, ctx.loc, gathered(1), along, false));
    break;
  case Combine::Max:
  case Combine::Min: {
    bool max = combine == Combine::Max;
    Value key = gathered(max ? -INFINITY : INFINITY);
    if (!max)
      key = nn::NegOp::create(ctx.b, ctx.loc, key);
    Value best = nn::ReduceMaxOp::create(ctx.b, ctx.loc, key, along, false);
    if (!max)
      best = nn::NegOp::create(ctx.b, ctx.loc, best);
    Value combined =
        max ? Value(nn::MaximumOp::create(ctx.b, ctx.loc, d, best))
            : Value(nn::MinimumOp::create(ctx.b, ctx.loc, d, best));
    y = nn::SelectOp::create(ctx.b, ctx.loc, covered, combined, d);
    break;
  }
  }
  if (compute != element)
    y = nn::CastOp::create(ctx.b, ctx.loc, dataType, y);
  return y;
}

/// ScatterElements (and Scatter, its older name): data with updates written
/// at indices along `axis`, the other coordinates those of the update.
static LogicalResult importScatterElements(NodeContext &ctx) {
  RankedTensorType dataType = ctx.inputType(0), indicesType = ctx.inputType(1),
                   updatesType = ctx.inputType(2);
  if (!dataType || !indicesType || !updatesType)
    return failure();
  FailureOr<Combine> combine = readCombine(ctx);
  if (failed(combine))
    return failure();
  int64_t rank = dataType.getRank();
  int64_t axis = normalizeAxis(ctx.intAttr("axis", 0), rank);
  ArrayRef<int64_t> dims = dataType.getShape();
  bool fits = axis >= 0 && indicesType.getShape() == updatesType.getShape() &&
              indicesType.getRank() == rank;
  for (int64_t d = 0; fits && d < rank; ++d)
    fits = d == axis || indicesType.getDimSize(d) <= dims[d];
  if (!fits)
    return ctx.error() << "indices " << indicesType << " and updates "
                       << updatesType << " do not fit the data " << dataType
                       << " at axis " << ctx.intAttr("axis", 0);
  int64_t n = dims[axis];
  // Updates cover a box at the start of the other dimensions: padded to the
  // data's, with an index no position has (n).
  std::vector<int64_t> pads(2 * rank, 0);
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis)
      pads[rank + d] = dims[d] - indicesType.getDimSize(d);
  Value index = wrapNegative(ctx, toI64(ctx, ctx.input(1)), n);
  Value updates = ctx.input(2);
  if (llvm::any_of(pads, [](int64_t p) { return p > 0; })) {
    index = nn::PadOp::create(ctx.b, ctx.loc, index,
                              ctx.b.getDenseI64ArrayAttr(pads),
                              nn::PadModeAttr(), ctx.b.getF64FloatAttr(n));
    updates = nn::PadOp::create(ctx.b, ctx.loc, updates,
                                ctx.b.getDenseI64ArrayAttr(pads),
                                nn::PadModeAttr(), FloatAttr());
  }
  // The axis moved last: [rest..., m] updates for [rest..., n] positions.
  SmallVector<int64_t> perm, back(rank);
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis)
      perm.push_back(d);
  perm.push_back(axis);
  for (int64_t d = 0; d < rank; ++d)
    back[perm[d]] = d;
  auto moved = [&](Value v) -> Value {
    return nn::TransposeOp::create(ctx.b, ctx.loc, v, perm);
  };
  Value data = moved(ctx.input(0));
  index = moved(index);
  updates = moved(updates);
  SmallVector<int64_t> indexColumn(shapeOf(index));
  indexColumn.push_back(1);
  Value hot = nn::EqualOp::create(
      ctx.b, ctx.loc, nn::ReshapeOp::create(ctx.b, ctx.loc, index, indexColumn),
      arangeAlong(ctx, n, rank, rank + 1));
  Value y = scatterDense(ctx, data, hot, updates, *combine);
  ctx.setOutput(0, nn::TransposeOp::create(ctx.b, ctx.loc, y, back));
  return success();
}

/// ScatterND: data with the updates' slices written at the index vectors
/// (the last dimension of indices) into its leading dimensions; the data
/// flattened to [positions, rest...].
static LogicalResult importScatterND(NodeContext &ctx) {
  RankedTensorType dataType = ctx.inputType(0), indicesType = ctx.inputType(1),
                   updatesType = ctx.inputType(2);
  if (!dataType || !indicesType || !updatesType)
    return failure();
  FailureOr<Combine> combine = readCombine(ctx);
  if (failed(combine))
    return failure();
  int64_t q = indicesType.getRank(), r = dataType.getRank();
  int64_t k = q ? indicesType.getDimSize(q - 1) : 0;
  ArrayRef<int64_t> dims = dataType.getShape();
  SmallVector<int64_t> expected(indicesType.getShape().drop_back());
  expected.append(dims.begin() + std::min(k, r), dims.end());
  if (q < 1 || k < 1 || k > r || updatesType.getShape() != ArrayRef(expected))
    return ctx.error() << "indices " << indicesType << " and updates "
                       << updatesType << " do not fit the data " << dataType;
  int64_t positions = product(dims.take_front(k));
  int64_t rest = product(dims.drop_front(k));
  int64_t count = product(indicesType.getShape().drop_back());
  Value flat = flatIndexND(ctx, toI64(ctx, ctx.input(1)), dims.take_front(k));
  flat = nn::ReshapeOp::create(ctx.b, ctx.loc, flat,
                               ArrayRef<int64_t>{1, count, 1});
  // [rest, count] updates for [rest, positions] positions.
  auto restFirst = [&](Value v, int64_t leading) -> Value {
    v = nn::ReshapeOp::create(ctx.b, ctx.loc, v,
                              ArrayRef<int64_t>{leading, rest});
    return nn::TransposeOp::create(ctx.b, ctx.loc, v, ArrayRef<int64_t>{1, 0});
  };
  Value data = restFirst(ctx.input(0), positions);
  Value updates = restFirst(ctx.input(2), count);
  Value hot = nn::EqualOp::create(ctx.b, ctx.loc, flat,
                                  arangeAlong(ctx, positions, 2, 3));
  Value y = scatterDense(ctx, data, hot, updates, *combine);
  y = nn::TransposeOp::create(ctx.b, ctx.loc, y, ArrayRef<int64_t>{1, 0});
  ctx.setOutput(0, nn::ReshapeOp::create(ctx.b, ctx.loc, y, dims));
  return success();
}

/// OneHot(indices, depth, values = [off, on]): a new dimension of size
/// depth at `axis`, `on` where it equals the (wrapped) index.
static LogicalResult importOneHot(NodeContext &ctx) {
  RankedTensorType indicesType = ctx.inputType(0),
                   valuesType = ctx.inputType(2);
  FailureOr<double> depthValue = ctx.knownScalar(1);
  if (!indicesType || !valuesType || failed(depthValue))
    return failure();
  int64_t depth = saturatingInt64(*depthValue);
  constexpr int64_t kMaxDepth = int64_t(1) << 24;
  if (depth < 1 || depth > kMaxDepth || valuesType.getNumElements() != 2)
    return ctx.error() << "depth must be 1 to " << kMaxDepth
                       << " and values hold 2 elements";
  int64_t rank = indicesType.getRank() + 1;
  int64_t axis = normalizeAxis(ctx.intAttr("axis", -1), rank);
  if (axis < 0)
    return ctx.error() << "axis " << ctx.intAttr("axis", -1)
                       << " is out of range for rank " << rank;
  // Floating-point indices are truncated first, as ONNX casts them.
  Value indices = wrapNegative(ctx, toI64(ctx, ctx.input(0)), depth);
  SmallVector<int64_t> expanded(indicesType.getShape());
  expanded.insert(expanded.begin() + axis, 1);
  indices = nn::ReshapeOp::create(ctx.b, ctx.loc, indices, expanded);
  Value hot = nn::EqualOp::create(ctx.b, ctx.loc, indices,
                                  arangeAlong(ctx, depth, axis, rank));
  Value values =
      nn::ReshapeOp::create(ctx.b, ctx.loc, ctx.input(2), ArrayRef<int64_t>{2});
  auto element = [&](int64_t i) -> Value {
    Value one = nn::SliceOp::create(
        ctx.b, ctx.loc, values, ArrayRef<int64_t>{i}, ArrayRef<int64_t>{i + 1});
    return nn::ReshapeOp::create(ctx.b, ctx.loc, one, ArrayRef<int64_t>{});
  };
  ctx.setOutput(
      0, nn::SelectOp::create(ctx.b, ctx.loc, hot, element(1), element(0)));
  return success();
}

/// Hardmax: 1 at the (first) maximum along the axis, 0 elsewhere. Before
/// opset 13, over the input flattened to 2-D at `axis` (default 1).
static LogicalResult importHardmax(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  int64_t rank = type.getRank();
  int64_t axis =
      normalizeAxis(ctx.intAttr("axis", ctx.opset >= 13 ? -1 : 1), rank);
  if (axis < 0)
    return ctx.error() << "axis " << ctx.intAttr("axis", 0)
                       << " is out of range for rank " << rank;
  Value x = ctx.input(0);
  if (ctx.opset < 13) {
    int64_t outer = product(type.getShape().take_front(axis));
    x = nn::ReshapeOp::create(
        ctx.b, ctx.loc, x,
        ArrayRef<int64_t>{outer, product(type.getShape().drop_front(axis))});
    axis = 1;
  }
  auto flatType = cast<RankedTensorType>(x.getType());
  Value best = nn::ArgMaxOp::create(ctx.b, ctx.loc, x, axis, /*keepdims=*/true,
                                    /*select_last_index=*/false);
  Value hot = nn::EqualOp::create(
      ctx.b, ctx.loc, best,
      arangeAlong(ctx, flatType.getDimSize(axis), axis, flatType.getRank()));
  Value y = nn::CastOp::create(ctx.b, ctx.loc, flatType, hot);
  if (ctx.opset < 13)
    y = nn::ReshapeOp::create(ctx.b, ctx.loc, y, type.getShape());
  ctx.setOutput(0, y);
  return success();
}

/// j - i over a [rows, cols] grid (i64, broadcast from a column and a row
/// of positions): the diagonal a position is on.
static Value diagonalOffsets(NodeContext &ctx, int64_t rows, int64_t cols) {
  Value row =
      indexConstant(ctx, {rows, 1}, [](ArrayRef<int64_t> at) { return at[0]; });
  Value col =
      indexConstant(ctx, {1, cols}, [](ArrayRef<int64_t> at) { return at[1]; });
  return nn::SubOp::create(ctx.b, ctx.loc, col, row);
}

/// Trilu(x, k): the upper (j - i >= k) or lower (j - i <= k) triangle of the
/// last two dimensions; zeros elsewhere.
static LogicalResult importTrilu(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  if (type.getRank() < 2)
    return ctx.error() << "the input needs 2 dimensions or more";
  int64_t k = 0;
  if (ctx.hasInput(1)) {
    FailureOr<double> value = ctx.knownScalar(1);
    if (failed(value))
      return failure();
    k = saturatingInt64(*value);
  }
  bool upper = ctx.intAttr("upper", 1) != 0;
  Value offsets = diagonalOffsets(ctx, type.getDimSize(type.getRank() - 2),
                                  type.getDimSize(type.getRank() - 1));
  Value bound = ctx.scalar(ctx.b.getI64Type(), double(k));
  Value kept =
      upper ? Value(nn::GreaterEqualOp::create(ctx.b, ctx.loc, offsets, bound))
            : Value(nn::LessEqualOp::create(ctx.b, ctx.loc, offsets, bound));
  ctx.setOutput(0, nn::SelectOp::create(ctx.b, ctx.loc, kept, ctx.input(0),
                                        ctx.scalar(type.getElementType(), 0)));
  return success();
}

/// EyeLike(x, dtype, k): ones where j - i == k, of x's 2-D shape.
static LogicalResult importEyeLike(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  if (type.getRank() != 2)
    return ctx.error() << "the input must be 2-D";
  Type element = type.getElementType();
  if (ctx.hasAttr("dtype")) {
    int32_t dataType = int32_t(ctx.intAttr("dtype", 0));
    element = elementType(ctx.b.getContext(), dataType);
    if (!element)
      return ctx.error() << "dtype " << dataTypeName(dataType)
                         << " is not supported (supported: "
                         << supportedDataTypes() << ")";
  }
  Value diagonal = nn::EqualOp::create(
      ctx.b, ctx.loc,
      diagonalOffsets(ctx, type.getDimSize(0), type.getDimSize(1)),
      ctx.scalar(ctx.b.getI64Type(), double(ctx.intAttr("k", 0))));
  ctx.setOutput(
      0, nn::CastOp::create(ctx.b, ctx.loc, type.clone(element), diagonal));
  return success();
}

/// Range(start, limit, delta), all known: a constant of their type.
static LogicalResult importRange(NodeContext &ctx) {
  FailureOr<double> start = ctx.knownScalar(0), limit = ctx.knownScalar(1),
                    delta = ctx.knownScalar(2);
  if (failed(start) || failed(limit) || failed(delta))
    return failure();
  if (*delta == 0)
    return ctx.error() << "delta must not be 0";
  double elements = std::ceil((*limit - *start) / *delta);
  if (!(elements <= double(int64_t(1) << 28)))
    return ctx.error() << "the range has " << elements
                       << " elements, more than Kiln builds at import";
  int64_t count = std::max<int64_t>(saturatingInt64(elements), 0);
  KnownTensor r;
  r.dataType = ctx.known(0)->dataType;
  r.dims = {count};
  // Integer values step from start toward limit, so they stay in int64's
  // range; the check guards the rounding of start and delta through double.
  int64_t value = saturatingInt64(*start), step = saturatingInt64(*delta);
  for (int64_t i = 0; i < count; ++i) {
    if (r.isInteger()) {
      r.ints.push_back(value);
      std::optional<int64_t> next = llvm::checkedAdd(value, step);
      if (!next && i + 1 < count)
        return ctx.error() << "the range's values overflow 64-bit integers";
      value = next.value_or(value);
    } else {
      r.floats.push_back(*start + double(i) * *delta);
    }
  }
  if (!r.encode())
    return ctx.error() << "unsupported type " << dataTypeName(r.dataType);
  r.name = "range";
  ctx.setKnown(0, std::move(r));
  return success();
}

/// CumSum(x, axis): x (the axis moved last, flattened to [M, n]) times the
/// n x n matrix T with T[j][i] = 1 when j is summed into i: j <= i, j < i
/// (exclusive), j >= i (reverse). Integers go through double precision.
static LogicalResult importCumSum(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  FailureOr<double> axisValue = ctx.knownScalar(1);
  if (!type || failed(axisValue))
    return failure();
  int64_t rank = type.getRank();
  int64_t axis = normalizeAxis(saturatingInt64(*axisValue), rank);
  if (axis < 0)
    return ctx.error() << "axis " << *axisValue
                       << " is out of range for rank " << rank;
  bool exclusive = ctx.intAttr("exclusive", 0) != 0;
  bool reverse = ctx.intAttr("reverse", 0) != 0;
  int64_t n = type.getDimSize(axis);
  // (The triangle has n^2 entries.)
  constexpr int64_t kMaxLength = 8192;
  if (n > kMaxLength)
    return ctx.error() << "a cumulative sum over " << n
                       << " elements is not supported (at most " << kMaxLength
                       << ")";
  Type element = type.getElementType();
  Type compute = isa<FloatType>(element) ? element : ctx.b.getF64Type();
  Value x = ctx.input(0);
  if (compute != element)
    x = nn::CastOp::create(ctx.b, ctx.loc, type.clone(compute), x);
  SmallVector<int64_t> perm;
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis)
      perm.push_back(d);
  perm.push_back(axis);
  x = nn::TransposeOp::create(ctx.b, ctx.loc, x, perm);
  SmallVector<int64_t> moved(shapeOf(x));
  x = nn::ReshapeOp::create(
      ctx.b, ctx.loc, x,
      ArrayRef<int64_t>{product(moved) / std::max<int64_t>(n, 1), n});
  std::vector<double> triangle(n * n);
  for (int64_t j = 0; j < n; ++j)
    for (int64_t i = 0; i < n; ++i) {
      bool summed =
          reverse ? (exclusive ? j > i : j >= i) : (exclusive ? j < i : j <= i);
      triangle[j * n + i] = summed;
    }
  KnownTensor t = KnownTensor::ofFloats(std::move(triangle), {n, n},
                                        compute.isF64() ? TensorProto::DOUBLE
                                                        : TensorProto::FLOAT);
  t.name = "cumsum";
  if (!compute.isF64() && !compute.isF32())
    return ctx.error() << "only float, double and integer inputs are supported";
  Value y =
      nn::MatmulOp::create(ctx.b, ctx.loc, x, buildConstant(ctx.b, ctx.loc, t));
  y = nn::ReshapeOp::create(ctx.b, ctx.loc, y, moved);
  SmallVector<int64_t> back(rank);
  for (int64_t d = 0; d < rank; ++d)
    back[perm[d]] = d;
  y = nn::TransposeOp::create(ctx.b, ctx.loc, y, back);
  if (compute != element)
    y = nn::CastOp::create(ctx.b, ctx.loc, type, y);
  ctx.setOutput(0, y);
  return success();
}

void kiln::onnximport::registerIndexingOps(OpRegistry &r) {
  r.add("GatherElements", 11, 18, importGatherElements);
  r.add("GatherND", 11, 18, importGatherND);
  r.add("ReverseSequence", 10, 18, importReverseSequence);
  r.add("Compress", 9, 18, importCompress);
  r.add("ScatterElements", 11, 18, importScatterElements);
  r.add("Scatter", 9, 10, importScatterElements);
  r.add("ScatterND", 11, 18, importScatterND);
  r.add("OneHot", 9, 18, importOneHot);
  r.add("Hardmax", 1, 18, importHardmax);
  r.add("Trilu", 14, 18, importTrilu);
  r.add("EyeLike", 9, 18, importEyeLike);
  r.add("Range", 11, 18, importRange);
  r.add("CumSum", 11, 18, importCumSum);
}
