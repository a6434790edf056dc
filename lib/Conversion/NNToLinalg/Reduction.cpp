//===- Reduction.cpp - nn reductions to linalg ----------------------------===//
//
// Part of Kiln. reduce_sum/reduce_mean/reduce_max become one reduction
// linalg.generic over the (normalized, sorted) axes; reduce_mean then divides
// by the number of reduced elements (read with tensor.dim where a reduced size
// is dynamic). With keepdims a tensor.expand_shape puts the size-1 dimensions
// back. arg_max/arg_min reduce to a (value, index) pair in one generic.
//
//===----------------------------------------------------------------------===//

#include "LoweringSupport.h"
#include "PopulatePatterns.h"
#include "kiln/Dialect/NN/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace kiln::nn;
using namespace kiln::nn_to_linalg;

namespace {
enum class ReductionKind { Sum, Mean, Max, Prod };

/// Puts the reduced dimensions `axes` (sorted) of a rank-`rank` tensor back,
/// with size 1, into `reduced` (the result of buildReduction).
Value expandReducedDims(OpBuilder &b, Location loc, Value reduced, int64_t rank,
                        ArrayRef<int64_t> axes) {
  auto type = cast<RankedTensorType>(reduced.getType());
  SmallVector<int64_t> shape;
  // Each kept dimension forms a group with the size-1 dimensions that follow
  // it; size-1 dimensions before the first kept one join its group.
  SmallVector<ReassociationIndices> groups;
  int64_t next = 0; // next dimension of `reduced`
  for (int64_t d = 0; d < rank; ++d) {
    if (llvm::is_contained(axes, d)) {
      shape.push_back(1);
      if (!groups.empty())
        groups.back().push_back(d);
      continue;
    }
    shape.push_back(type.getDimSize(next++));
    if (groups.empty()) {
      // Leading size-1 dimensions (0 .. d-1) join the first group.
      groups.emplace_back();
      for (int64_t lead = 0; lead <= d; ++lead)
        groups.back().push_back(lead);
    } else {
      groups.push_back({d});
    }
  }
  // Every dimension reduced: rank 0 expands to all ones with no groups.
  auto expanded = RankedTensorType::get(shape, type.getElementType());
  return tensor::ExpandShapeOp::create(b, loc, expanded, reduced, groups);
}

template <typename NNOp, ReductionKind Kind>
struct ReductionLowering : OpConversionPattern<NNOp> {
  using OpConversionPattern<NNOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(NNOp op, typename NNOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type element = inputType.getElementType();
    int64_t rank = inputType.getRank();
    SmallVector<int64_t> axes;
    for (int64_t axis : op.getAxes())
      axes.push_back(normalizedAxis(axis, rank));
    llvm::sort(axes);

    Value result;
    if (Kind == ReductionKind::Max) {
      // maximumf propagates NaN, as torch.amax does.
      result = buildReduction(
          rewriter, loc, input, axes, maxIdentity(rewriter, loc, element),
          [](OpBuilder &b, Location l, ValueRange args) -> Value {
            return arith::MaximumFOp::create(b, l, args[0], args[1]);
          });
    } else if (Kind == ReductionKind::Prod) {
      result = buildReduction(
          rewriter, loc, input, axes,
          floatConstant(rewriter, loc, element, 1.0),
          [](OpBuilder &b, Location l, ValueRange args) -> Value {
            return arith::MulFOp::create(b, l, args[0], args[1]);
          });
    } else {
      result = buildReduction(
          rewriter, loc, input, axes,
          floatConstant(rewriter, loc, element, 0.0),
          [](OpBuilder &b, Location l, ValueRange args) -> Value {
            return arith::AddFOp::create(b, l, args[0], args[1]);
          });
    }
    if (Kind == ReductionKind::Mean) {
      Value count = floatElementCount(rewriter, loc, input, axes, element);
      auto sumType = cast<RankedTensorType>(result.getType());
      SmallVector<Value> sizes;
      for (int64_t d = 0; d < sumType.getRank(); ++d)
        if (sumType.isDynamicDim(d))
          sizes.push_back(tensor::DimOp::create(rewriter, loc, result, d));
      result =
          buildMapped(rewriter, loc, sumType, result,
                      rewriter.getMultiDimIdentityMap(sumType.getRank()), sizes,
                      [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                        return arith::DivFOp::create(b, l, args[0], count);
                      });
    }
    if (op.getKeepdims())
      result = expandReducedDims(rewriter, loc, result, rank, axes);
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};
/// nn.arg_max / nn.arg_min: one linalg.generic reducing `axis` into a
/// running (value, index) pair; the index comes from linalg.index. The
/// update rule is order independent: a better value wins, of equal values
/// the first (or last) index, and a NaN over any number.
template <typename NNOp, bool IsMax>
struct ArgReductionLowering : OpConversionPattern<NNOp> {
  using OpConversionPattern<NNOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(NNOp op, typename NNOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    int64_t axis = normalizedAxis(op.getAxis(), rank);
    Type element = inputType.getElementType();
    bool isFloat = isa<FloatType>(element);
    bool isUnsigned = isUnsignedElement(op.getInput().getType());
    bool selectLast = op.getSelectLastIndex();

    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        sizes.push_back(tensor::getMixedSize(rewriter, loc, input, d));
    // The accumulator's first value is never compared (index -1 means
    // "none yet"), so any value does.
    Value start =
        isFloat ? floatConstant(rewriter, loc, element, 0.0)
                : Value(arith::ConstantOp::create(
                      rewriter, loc, rewriter.getIntegerAttr(element, 0)));
    Value none = arith::ConstantOp::create(rewriter, loc,
                                           rewriter.getI64IntegerAttr(-1));
    Value values = createFilledOfSizes(rewriter, loc, sizes, start);
    Value indices = createFilledOfSizes(rewriter, loc, sizes, none);

    SmallVector<AffineExpr> kept;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        kept.push_back(rewriter.getAffineDimExpr(d));
    AffineMap reducedMap = AffineMap::get(rank, 0, kept, rewriter.getContext());
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank),
                                   reducedMap, reducedMap};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{values.getType(), indices.getType()},
        ValueRange{input}, ValueRange{values, indices}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value value = args[0], best = args[1], bestIndex = args[2];
          Value index = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          auto cmpi = [&](arith::CmpIPredicate p, Value x, Value y) -> Value {
            return arith::CmpIOp::create(b, l, p, x, y);
          };
          Value better, tie;
          if (isFloat) {
            better = arith::CmpFOp::create(b, l,
                                           IsMax ? arith::CmpFPredicate::OGT
                                                 : arith::CmpFPredicate::OLT,
                                           value, best);
            tie = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, value,
                                        best);
            // NaN over numbers: value is NaN and best is not.
            Value nan = arith::AndIOp::create(
                b, l,
                arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, value,
                                      value),
                arith::CmpFOp::create(b, l, arith::CmpFPredicate::ORD, best,
                                      best));
            better = arith::OrIOp::create(b, l, better, nan);
          } else {
            using P = arith::CmpIPredicate;
            P predicate = IsMax ? (isUnsigned ? P::ugt : P::sgt)
                                : (isUnsigned ? P::ult : P::slt);
            better = cmpi(predicate, value, best);
            tie = cmpi(P::eq, value, best);
          }
          Value preferred = cmpi(selectLast ? arith::CmpIPredicate::sgt
                                            : arith::CmpIPredicate::slt,
                                 index, bestIndex);
          Value take = arith::OrIOp::create(
              b, l, cmpi(arith::CmpIPredicate::eq, bestIndex, none),
              arith::OrIOp::create(
                  b, l, better, arith::AndIOp::create(b, l, tie, preferred)));
          linalg::YieldOp::create(
              b, l,
              ValueRange{
                  arith::SelectOp::create(b, l, take, value, best),
                  arith::SelectOp::create(b, l, take, index, bestIndex)});
        });
    Value result = generic.getResult(1);
    if (op.getKeepdims())
      result = expandReducedDims(rewriter, loc, result, rank, {axis});
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};
} // namespace

void kiln::nn_to_linalg::populateReductionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ReductionLowering<ReduceSumOp, ReductionKind::Sum>,
               ReductionLowering<ReduceMeanOp, ReductionKind::Mean>,
               ReductionLowering<ReduceMaxOp, ReductionKind::Max>,
               ReductionLowering<ReduceProdOp, ReductionKind::Prod>,
               ArgReductionLowering<ArgMaxOp, /*IsMax=*/true>,
               ArgReductionLowering<ArgMinOp, /*IsMax=*/false>>(
      patterns.getContext());
}
