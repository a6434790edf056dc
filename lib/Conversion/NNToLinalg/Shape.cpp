//===- Shape.cpp - nn shape ops to linalg ------------------------------===//
//
// Part of Kiln. Data movement only, so every lowering works for any element
// type (floats, integers, i1):
//
//   reshape, flatten  tensor.collapse_shape / tensor.expand_shape when the
//                     reshape regroups contiguous dimensions, else a collapse
//                     to 1-D followed by an expand
//   transpose         linalg.transpose
//   concat            tensor.concat
//   slice             tensor.extract_slice (steps are the strides)
//   pad               tensor.pad (constant); a linalg.generic reading the
//                     mirrored or clamped source index with tensor.extract
//                     (reflect, edge)
//   broadcast_to      linalg.broadcast (new leading dimensions only), else a
//                     linalg.generic with broadcasting indexing maps
//   gather            a linalg.generic over the result that reads the index
//                     and extracts from data (tensor.extract)
//
// The result is computed with the type these ops infer from their operands
// and then tensor.cast to the declared result type, which may know more (or
// fewer) static sizes.
//
//===----------------------------------------------------------------------===//

#include "LoweringSupport.h"
#include "PopulatePatterns.h"
#include "kiln/Dialect/NN/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"

#include "llvm/ADT/APSInt.h"

#include <numeric>

using namespace mlir;
using namespace kiln::nn;
using namespace kiln::nn_to_linalg;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// The size of dimension `d` of `value`: a constant when it is static.
Value dimSize(OpBuilder &b, Location loc, Value value, int64_t d) {
  auto type = cast<RankedTensorType>(value.getType());
  if (!type.isDynamicDim(d))
    return indexConstant(b, loc, type.getDimSize(d));
  return tensor::DimOp::create(b, loc, value, d);
}

/// The `output_shape` of an expand_shape of `source` to `target` with
/// `reassociation`, where each group has at most one dynamic size: the source
/// size divided by the product of the group's static sizes.
SmallVector<OpFoldResult>
expandedSizes(OpBuilder &b, Location loc, Value source, RankedTensorType target,
              ArrayRef<ReassociationIndices> reassociation) {
  SmallVector<OpFoldResult> sizes =
      llvm::map_to_vector(target.getShape(), [&](int64_t size) -> OpFoldResult {
        return b.getIndexAttr(size);
      });
  for (auto [i, group] : llvm::enumerate(reassociation)) {
    int64_t known = 1;
    std::optional<int64_t> dynamic;
    for (int64_t d : group) {
      if (target.isDynamicDim(d))
        dynamic = d;
      else
        known *= target.getDimSize(d);
    }
    if (!dynamic)
      continue;
    Value size = dimSize(b, loc, source, i);
    if (known != 1)
      size = arith::DivUIOp::create(b, loc, size, indexConstant(b, loc, known));
    sizes[*dynamic] = size;
  }
  return sizes;
}

/// `value` collapsed (or, from rank 0, expanded) to one dimension.
Value collapseToVector(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() == 1)
    return value;
  if (type.getRank() == 0)
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({1}, type.getElementType()), value,
        ArrayRef<ReassociationIndices>{}, {b.getIndexAttr(1)});
  ReassociationIndices all(type.getRank());
  std::iota(all.begin(), all.end(), 0);
  return tensor::CollapseShapeOp::create(b, loc, value, {all});
}

/// The 1-D `vector` expanded (or, to rank 0, collapsed) to `target`, which
/// has at most one dynamic size.
Value expandVector(OpBuilder &b, Location loc, Value vector,
                   RankedTensorType target) {
  Type element = target.getElementType();
  // expand_shape wants a dynamic source exactly when a size is dynamic.
  int64_t count =
      target.hasStaticShape() ? target.getNumElements() : ShapedType::kDynamic;
  vector = castToType(b, loc, vector, RankedTensorType::get({count}, element));
  if (target.getRank() == 1)
    return vector;
  if (target.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, target, vector,
                                           ArrayRef<ReassociationIndices>{});
  ReassociationIndices all(target.getRank());
  std::iota(all.begin(), all.end(), 0);
  return tensor::ExpandShapeOp::create(
      b, loc, target, vector, {all},
      expandedSizes(b, loc, vector, target, {all}));
}

/// `value` reshaped (row-major) to `target`, which has at most one dynamic
/// size (determined by the element count), with a single collapse_shape or
/// expand_shape that regroups contiguous dimensions; null when the reshape is
/// no such regrouping, or when the dynamic sizes leave it unproven.
Value reshapeByRegrouping(OpBuilder &b, Location loc, Value value,
                          RankedTensorType target) {
  auto source = cast<RankedTensorType>(value.getType());
  if (source.getShape() == target.getShape())
    return value;
  int64_t sourceRank = source.getRank(), targetRank = target.getRank();
  bool collapse = sourceRank > targetRank;
  std::optional<SmallVector<ReassociationIndices>> reassociation;
  if (sourceRank == targetRank) {
    reassociation.emplace();
    for (int64_t d = 0; d < sourceRank; ++d)
      reassociation->push_back({d});
  } else {
    reassociation = getReassociationIndicesForReshape(source, target);
  }
  if (!reassociation)
    return nullptr;
  ArrayRef<int64_t> expanded = collapse ? source.getShape() : target.getShape();
  ArrayRef<int64_t> collapsed =
      collapse ? target.getShape() : source.getShape();
  if (reassociation->size() != collapsed.size())
    return nullptr;
  // Every group but one must be proven: static sizes with equal products. The
  // element count then fixes the remaining group (all dynamic sizes are in
  // it, and the target has at most one).
  int64_t open = 0;
  SmallVector<int64_t> refinedSource(source.getShape());
  for (auto [i, group] : llvm::enumerate(*reassociation)) {
    int64_t product = 1;
    bool isStatic = !ShapedType::isDynamic(collapsed[i]);
    for (int64_t d : group) {
      isStatic &= !ShapedType::isDynamic(expanded[d]);
      product *= ShapedType::isDynamic(expanded[d]) ? 1 : expanded[d];
    }
    if (isStatic && product == collapsed[i])
      continue;
    if (isStatic || ++open > 1)
      return nullptr;
    // An expand_shape needs a static source size for a static group.
    bool groupStatic = llvm::none_of(
        group, [&](int64_t d) { return ShapedType::isDynamic(expanded[d]); });
    if (!collapse && groupStatic)
      refinedSource[i] = product;
    // ... and a dynamic one for a group with a dynamic size.
    if (!collapse && !groupStatic && !ShapedType::isDynamic(collapsed[i]))
      return nullptr;
  }
  // Groups of a rank-0 side hold nothing: the other side is all ones.
  if (reassociation->empty() &&
      llvm::any_of(expanded, [](int64_t size) { return size != 1; }))
    return nullptr;
  if (sourceRank == targetRank)
    return castToType(b, loc, value, target);
  if (collapse)
    return castToType(
        b, loc, tensor::CollapseShapeOp::create(b, loc, value, *reassociation),
        target);
  value =
      castToType(b, loc, value,
                 RankedTensorType::get(refinedSource, source.getElementType()));
  return tensor::ExpandShapeOp::create(
      b, loc, target, value, *reassociation,
      expandedSizes(b, loc, value, target, *reassociation));
}

/// `value` reshaped (row-major) to `target`, which has at most one dynamic
/// size: one regrouping reshape where possible, else collapse to 1-D and
/// expand.
Value reshapeTo(OpBuilder &b, Location loc, Value value,
                RankedTensorType target) {
  if (Value regrouped = reshapeByRegrouping(b, loc, value, target))
    return regrouped;
  return expandVector(b, loc, collapseToVector(b, loc, value), target);
}

SmallVector<OpFoldResult> indexAttrs(OpBuilder &b, ArrayRef<int64_t> values) {
  return llvm::map_to_vector(
      values, [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); });
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

/// nn.reshape -> collapse_shape / expand_shape (or both, through 1-D).
struct ReshapeLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto resultType = cast<RankedTensorType>(signlessType(op.getType()));
    if (resultType.hasStaticShape() && resultType.getNumElements() == 0) {
      rewriter.replaceOp(op, createEmpty(rewriter, op.getLoc(), resultType));
      return success();
    }
    // The target shape: `shape` with the -1 resolved where the input is
    // static, refined by the declared result type.
    SmallVector<int64_t> shape(op.getShape());
    int64_t known = 1;
    for (int64_t size : shape)
      if (size != -1)
        known *= size;
    // The other sizes are positive (verified; zero sizes were handled above),
    // so the target has at most one
    // dynamic size and the element count determines it.
    for (size_t d = 0; d < shape.size(); ++d) {
      if (shape[d] == -1)
        shape[d] = inputType.hasStaticShape()
                       ? inputType.getNumElements() / known
                       : ShapedType::kDynamic;
      if (ShapedType::isDynamic(shape[d]))
        shape[d] = resultType.getDimSize(d);
    }
    auto target = RankedTensorType::get(shape, resultType.getElementType());
    Value result = reshapeTo(rewriter, op.getLoc(), adaptor.getInput(), target);
    rewriter.replaceOp(op,
                       castToType(rewriter, op.getLoc(), result, resultType));
    return success();
  }
};

/// nn.flatten -> collapse_shape [[0..axis-1], [axis..rank-1]]; a collapse to
/// 1-D and an expand when one side is empty (axis 0 or rank).
struct FlattenLowering : OpConversionPattern<FlattenOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(FlattenOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    Value result;
    if (rank == 2 && axis == 1) {
      result = input;
    } else if (rank == 0) {
      result = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({1, 1}, inputType.getElementType()), input,
          ArrayRef<ReassociationIndices>{},
          {rewriter.getIndexAttr(1), rewriter.getIndexAttr(1)});
    } else if (axis > 0 && axis < rank) {
      ReassociationIndices outer(axis), inner(rank - axis);
      std::iota(outer.begin(), outer.end(), 0);
      std::iota(inner.begin(), inner.end(), axis);
      result =
          tensor::CollapseShapeOp::create(rewriter, loc, input, {outer, inner});
    } else {
      // [n] -> [1, n] (axis 0) or [n, 1] (axis rank).
      Value vector = collapseToVector(rewriter, loc, input);
      auto vectorType = cast<RankedTensorType>(vector.getType());
      SmallVector<int64_t> shape = {1, 1};
      SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(1),
                                         rewriter.getIndexAttr(1)};
      int64_t d = axis == 0 ? 1 : 0;
      shape[d] = vectorType.getDimSize(0);
      sizes[d] = tensor::getMixedSize(rewriter, loc, vector, 0);
      result = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get(shape, vectorType.getElementType()), vector,
          {{0, 1}}, sizes);
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};

/// nn.transpose -> linalg.transpose.
struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    ArrayRef<int64_t> perm = op.getPerm();
    Value result = input;
    if (!llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()))) {
      auto inputType = cast<RankedTensorType>(input.getType());
      SmallVector<OpFoldResult> inputSizes =
          tensor::getMixedSizes(rewriter, loc, input);
      SmallVector<OpFoldResult> sizes;
      for (int64_t d : perm)
        sizes.push_back(inputSizes[d]);
      Value init = tensor::EmptyOp::create(rewriter, loc, sizes,
                                           inputType.getElementType());
      result = linalg::TransposeOp::create(rewriter, loc, input, init, perm)
                   ->getResult(0);
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};

/// nn.concat -> tensor.concat.
struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ValueRange inputs = adaptor.getInputs();
    auto first = cast<RankedTensorType>(inputs.front().getType());
    int64_t axis =
        normalizedAxis(static_cast<int64_t>(op.getAxis()), first.getRank());
    Value result =
        inputs.size() == 1
            ? inputs.front()
            : tensor::ConcatOp::create(rewriter, loc, axis, inputs).getResult();
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};

/// nn.slice -> tensor.extract_slice.
struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ArrayRef<int64_t> starts = op.getStarts(), ends = op.getEnds();
    SmallVector<int64_t> steps(op.getSteps());
    if (steps.empty())
      steps.assign(starts.size(), 1);
    SmallVector<int64_t> sizes;
    for (auto [start, end, step] : llvm::zip_equal(starts, ends, steps))
      sizes.push_back(llvm::divideCeil(end - start, step));
    // An empty slice reads nothing (and its start may be the end, which
    // tensor.extract_slice rejects).
    if (llvm::is_contained(sizes, 0)) {
      rewriter.replaceOp(
          op, createEmpty(rewriter, loc,
                          cast<RankedTensorType>(signlessType(op.getType()))));
      return success();
    }
    Value result = tensor::ExtractSliceOp::create(
        rewriter, loc, adaptor.getInput(), indexAttrs(rewriter, starts),
        indexAttrs(rewriter, sizes), indexAttrs(rewriter, steps));
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};

/// nn.pad -> tensor.pad (constant) or a linalg.generic that reads the
/// reflected or clamped source index (reflect, edge).
struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    ArrayRef<int64_t> low = op.getPads().take_front(rank);
    ArrayRef<int64_t> high = op.getPads().drop_front(rank);
    PadMode mode = op.getMode().value_or(PadMode::Constant);
    Value result;
    if (llvm::all_of(op.getPads(), [](int64_t pad) { return pad == 0; })) {
      result = input;
    } else if (mode == PadMode::Constant) {
      FailureOr<Value> padValue = constantPadValue(rewriter, op, inputType);
      if (failed(padValue))
        return failure();
      auto padType = tensor::PadOp::inferResultType(inputType, low, high);
      result = tensor::PadOp::create(rewriter, loc, padType, input,
                                     indexAttrs(rewriter, low),
                                     indexAttrs(rewriter, high), *padValue);
    } else {
      result = gatherPadded(rewriter, loc, input, low, high,
                            mode == PadMode::Reflect);
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }

  /// `value` as a scalar of the element type: a float constant for floats, an
  /// integer for integers and index (it must be integral and fit, read as
  /// signed or unsigned).
  static FailureOr<Value> constantPadValue(ConversionPatternRewriter &rewriter,
                                           PadOp op,
                                           RankedTensorType inputType) {
    Type element = inputType.getElementType();
    Location loc = op.getLoc();
    double value = op.getValue().convertToDouble();
    if (isa<FloatType>(element))
      return floatConstant(rewriter, loc, element, value);
    if (!element.isSignlessIntOrIndex())
      return rewriter.notifyMatchFailure(
          op, "constant padding needs a float, signless integer or index "
              "element type");
    unsigned width = element.isIndex() ? IndexType::kInternalStorageBitWidth
                                       : element.getIntOrFloatBitWidth();
    for (bool isUnsigned : {false, true}) {
      llvm::APSInt integer(width, isUnsigned);
      bool isExact = false;
      if (llvm::APFloat(value).convertToInteger(
              integer, llvm::APFloat::rmTowardZero, &isExact) ==
          llvm::APFloat::opOK)
        return arith::ConstantOp::create(
                   rewriter, loc, element,
                   rewriter.getIntegerAttr(element, integer))
            .getResult();
    }
    return rewriter.notifyMatchFailure(op, [&](Diagnostic &diag) {
      diag << "the pad value " << value << " is not an integer that fits "
           << element;
    });
  }

  /// A linalg.generic over the padded tensor whose element at `i` is the
  /// input element at the source index `i - low`, mirrored at the edges
  /// without repeating them (`reflect`) or clamped (edge).
  static Value gatherPadded(OpBuilder &b, Location loc, Value input,
                            ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                            bool reflect) {
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    SmallVector<int64_t> shape;
    SmallVector<Value> dynamicSizes;
    // Per dimension: `low` as a value, and the bound of the source index
    // beyond the high end: the last index (edge) or twice it (reflect).
    SmallVector<Value> lowValues(rank), bounds(rank);
    Value zero;
    if (llvm::any_of(low, [](int64_t pad) { return pad != 0; }))
      zero = indexConstant(b, loc, 0);
    for (int64_t d = 0; d < rank; ++d) {
      int64_t size = inputType.getDimSize(d);
      bool isDynamic = ShapedType::isDynamic(size);
      shape.push_back(isDynamic ? size : size + low[d] + high[d]);
      Value dynamicSize;
      if (isDynamic) {
        dynamicSize = tensor::DimOp::create(b, loc, input, d);
        dynamicSizes.push_back(
            low[d] + high[d] == 0
                ? dynamicSize
                : arith::AddIOp::create(b, loc, dynamicSize,
                                        indexConstant(b, loc, low[d] + high[d]))
                      .getResult());
      }
      if (low[d] != 0)
        lowValues[d] = indexConstant(b, loc, low[d]);
      if (high[d] == 0)
        continue;
      if (isDynamic) {
        Value last = arith::SubIOp::create(b, loc, dynamicSize,
                                           indexConstant(b, loc, 1));
        bounds[d] = reflect
                        ? arith::AddIOp::create(b, loc, last, last).getResult()
                        : last;
      } else {
        bounds[d] = indexConstant(b, loc, (reflect ? 2 : 1) * (size - 1));
      }
    }
    auto resultType = RankedTensorType::get(shape, inputType.getElementType());
    return buildMapped(
        b, loc, resultType, {}, {}, dynamicSizes,
        [&](OpBuilder &nb, Location nloc, ValueRange) -> Value {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d) {
            Value i = linalg::IndexOp::create(nb, nloc, d);
            if (low[d] != 0)
              i = arith::SubIOp::create(nb, nloc, i, lowValues[d]);
            if (reflect) {
              // |i|, then reflected at the last index: min(i, 2 last - i).
              if (low[d] != 0)
                i = arith::MaxSIOp::create(
                    nb, nloc, i, arith::SubIOp::create(nb, nloc, zero, i));
              if (high[d] != 0)
                i = arith::MinSIOp::create(
                    nb, nloc, i, arith::SubIOp::create(nb, nloc, bounds[d], i));
            } else {
              if (low[d] != 0)
                i = arith::MaxSIOp::create(nb, nloc, i, zero);
              if (high[d] != 0)
                i = arith::MinSIOp::create(nb, nloc, i, bounds[d]);
            }
            indices.push_back(i);
          }
          return tensor::ExtractOp::create(nb, nloc, input, indices);
        });
  }
};

/// nn.broadcast_to -> linalg.broadcast when it only adds leading dimensions,
/// else a linalg.generic with numpy broadcasting maps. As for elementwise
/// ops, a dynamic input size is taken to equal the target size (it is never
/// a broadcast 1).
struct BroadcastToLowering : OpConversionPattern<BroadcastToOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BroadcastToOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    ArrayRef<int64_t> shape = op.getShape();
    auto targetType = RankedTensorType::get(shape, inputType.getElementType());
    int64_t lead = targetType.getRank() - inputType.getRank();
    bool stretches = false;
    for (int64_t d = 0; d < inputType.getRank(); ++d)
      stretches |= inputType.getDimSize(d) == 1 && shape[lead + d] != 1;
    Value result;
    if (!stretches) {
      // linalg.broadcast wants the input sizes to match the target's.
      input = castToType(rewriter, loc, input,
                         RankedTensorType::get(shape.drop_front(lead),
                                               inputType.getElementType()));
      result = input;
      if (lead > 0) {
        Value init = createEmpty(rewriter, loc, targetType);
        SmallVector<int64_t> dimensions(lead);
        std::iota(dimensions.begin(), dimensions.end(), 0);
        result =
            linalg::BroadcastOp::create(rewriter, loc, input, init, dimensions)
                ->getResult(0);
      }
    } else {
      result = buildMapped(
          rewriter, loc, targetType, input, broadcastMap(inputType, targetType),
          {}, [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};

/// nn.gather -> a linalg.generic over the result that reads the index
/// (counting from the end of the axis when negative) and extracts the data
/// element. An index outside the axis is undefined behavior.
struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t dataRank = dataType.getRank(), indicesRank = indicesType.getRank();
    int64_t axis = normalizedAxis(static_cast<int64_t>(op.getAxis()), dataRank);
    MLIRContext *context = rewriter.getContext();

    // Result dimensions: data[:axis], indices, data[axis+1:].
    SmallVector<int64_t> shape;
    SmallVector<Value> dynamicSizes;
    auto addDim = [&](Value source, int64_t d) {
      auto type = cast<RankedTensorType>(source.getType());
      shape.push_back(type.getDimSize(d));
      if (type.isDynamicDim(d))
        dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, source, d));
    };
    for (int64_t d = 0; d < axis; ++d)
      addDim(data, d);
    for (int64_t d = 0; d < indicesRank; ++d)
      addDim(indices, d);
    for (int64_t d = axis + 1; d < dataRank; ++d)
      addDim(data, d);
    auto resultType = RankedTensorType::get(shape, dataType.getElementType());
    int64_t resultRank = resultType.getRank();

    SmallVector<AffineExpr> indexExprs;
    for (int64_t d = 0; d < indicesRank; ++d)
      indexExprs.push_back(getAffineDimExpr(axis + d, context));
    AffineMap indicesMap = AffineMap::get(resultRank, 0, indexExprs, context);

    // i1 indices are 0 or 1; wider ones are signed.
    bool isBool = indicesType.getElementType().isInteger(1);
    Value axisSize, zero, last;
    if (!isBool) {
      axisSize = dimSize(rewriter, loc, data, axis);
      zero = indexConstant(rewriter, loc, 0);
      last = arith::SubIOp::create(rewriter, loc, axisSize,
                                   indexConstant(rewriter, loc, 1));
    }
    Value result = buildMapped(
        rewriter, loc, resultType, indices, indicesMap, dynamicSizes,
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          Value index = isBool ? arith::IndexCastUIOp::create(
                                     b, nloc, b.getIndexType(), args[0])
                                     .getResult()
                               : arith::IndexCastOp::create(
                                     b, nloc, b.getIndexType(), args[0])
                                     .getResult();
          if (!isBool) {
            Value negative = arith::CmpIOp::create(
                b, nloc, arith::CmpIPredicate::slt, index, zero);
            index = arith::SelectOp::create(
                b, nloc, negative,
                arith::AddIOp::create(b, nloc, index, axisSize), index);
            // Out-of-range indices (undefined in ONNX) read the nearest
            // element instead of memory outside the tensor.
            index = arith::MaxSIOp::create(
                b, nloc, arith::MinSIOp::create(b, nloc, index, last), zero);
          }
          SmallVector<Value> coords;
          for (int64_t d = 0; d < axis; ++d)
            coords.push_back(linalg::IndexOp::create(b, nloc, d));
          coords.push_back(index);
          for (int64_t d = axis + indicesRank; d < resultRank; ++d)
            coords.push_back(linalg::IndexOp::create(b, nloc, d));
          return tensor::ExtractOp::create(b, nloc, data, coords);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};

} // namespace

void kiln::nn_to_linalg::populateShapePatterns(RewritePatternSet &patterns) {
  patterns
      .add<BroadcastToLowering, ConcatLowering, FlattenLowering, GatherLowering,
           PadLowering, ReshapeLowering, SliceLowering, TransposeLowering>(
          patterns.getContext());
}
