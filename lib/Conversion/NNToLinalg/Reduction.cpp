//===- Reduction.cpp - nn reductions to linalg ----------------------------===//
//
// Part of Kiln. reduce_sum/reduce_mean/reduce_max become one reduction
// linalg.generic over the (normalized, sorted) axes; reduce_mean then divides
// by the number of reduced elements (read with tensor.dim where a reduced size
// is dynamic). With keepdims a tensor.expand_shape puts the size-1 dimensions
// back.
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
} // namespace

void kiln::nn_to_linalg::populateReductionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ReductionLowering<ReduceSumOp, ReductionKind::Sum>,
               ReductionLowering<ReduceMeanOp, ReductionKind::Mean>,
               ReductionLowering<ReduceMaxOp, ReductionKind::Max>,
               ReductionLowering<ReduceProdOp, ReductionKind::Prod>>(
      patterns.getContext());
}
