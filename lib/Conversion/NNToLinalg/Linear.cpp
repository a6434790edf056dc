//===- Linear.cpp - nn.matmul and nn.dense to linalg ----------------------===//
//
// Part of Kiln. Matrix products become linalg.matmul / linalg.batch_matmul on
// an accumulator filled with 0 (or, for nn.dense, with the broadcast bias):
//
//  * nn.matmul rank 2 x rank 2: linalg.matmul;
//  * [B..., M, K] x [K, N]: the batch dimensions collapse into M
//    (linalg.matmul on [B*M, K]) and expand back;
//  * otherwise each operand is broadcast to the result's batch dimensions
//    (tensor.collapse_shape drops its broadcast unit dimensions, then
//    linalg.broadcast), the batch dimensions collapse into one and
//    linalg.batch_matmul computes the product, which expands back;
//  * nn.dense: linalg.matmul with a transposed-B indexing map on the input
//    collapsed to [M, in] (a rank-1 input becomes [1, in]).
//
// Dynamic sizes are read with tensor.dim; a dynamic batch size is never a
// broadcast 1 (the convention of the elementwise lowerings).
//
//===----------------------------------------------------------------------===//

#include "LoweringSupport.h"
#include "PopulatePatterns.h"
#include "kiln/Dialect/NN/NNOps.h"
#include "kiln/Dialect/NN/ShapeInference.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <numeric>

using namespace mlir;
using namespace kiln::nn;
using namespace kiln::nn_to_linalg;

namespace {

/// Size `dim` of `value`: an attribute when static, a tensor.dim otherwise.
OpFoldResult sizeOf(OpBuilder &b, Location loc, Value value, int64_t dim) {
  return tensor::getMixedSize(b, loc, value, dim);
}

/// [[0, ..., count - 1], [count], [count + 1], ...] for rank `rank`: merges
/// the first `count` dimensions (count >= 1).
SmallVector<ReassociationIndices> mergeLeading(int64_t count, int64_t rank) {
  SmallVector<ReassociationIndices> groups(1);
  for (int64_t d = 0; d < count; ++d)
    groups.front().push_back(d);
  for (int64_t d = count; d < rank; ++d)
    groups.push_back({d});
  return groups;
}

/// Broadcasts `operand` ([b..., X, Y], aligned at the trailing dimension)
/// to [batch..., X, Y]; `batchSizes` are the sizes of `batch`.
Value broadcastBatch(OpBuilder &b, Location loc, Value operand,
                     ArrayRef<int64_t> batch,
                     ArrayRef<OpFoldResult> batchSizes) {
  auto type = cast<RankedTensorType>(operand.getType());
  int64_t rank = batch.size() + 2;
  int64_t lead = rank - type.getRank();
  // Result dimensions that the operand does not have, or has as a unit
  // dimension that broadcasts.
  SmallVector<int64_t> added;
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t od = d - lead;
    if (od < 0) {
      added.push_back(d);
      continue;
    }
    pending.push_back(od);
    bool broadcasts = d < rank - 2 && type.getDimSize(od) == 1 && batch[d] != 1;
    if (broadcasts) {
      added.push_back(d);
      continue;
    }
    groups.push_back(pending);
    pending.clear();
  }
  if (added.empty())
    return operand;
  // Unit dimensions go away first: each joins the next kept dimension (the
  // last two dimensions are always kept).
  Value source = operand;
  if (static_cast<int64_t>(groups.size()) != type.getRank())
    source = tensor::CollapseShapeOp::create(b, loc, operand, groups);
  SmallVector<OpFoldResult> sizes(batchSizes);
  sizes.push_back(sizeOf(b, loc, operand, type.getRank() - 2));
  sizes.push_back(sizeOf(b, loc, operand, type.getRank() - 1));
  Value init = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  return linalg::BroadcastOp::create(b, loc, source, init, added)->getResult(0);
}

struct MatmulLowering : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    Type element = lhsType.getElementType();
    int64_t lhsRank = lhsType.getRank(), rhsRank = rhsType.getRank();
    std::optional<SmallVector<int64_t>> batch = broadcastShapes(
        lhsType.getShape().drop_back(2), rhsType.getShape().drop_back(2));
    if (!batch)
      return rewriter.notifyMatchFailure(op, "incompatible batch dimensions");
    Value zero = floatConstant(rewriter, loc, element, 0.0);

    Value result;
    if (rhsRank == 2) {
      // [B..., M, K] x [K, N]: collapse the batch into M.
      Value lhs2d = lhs;
      if (lhsRank > 2)
        lhs2d = tensor::CollapseShapeOp::create(
            rewriter, loc, lhs, mergeLeading(lhsRank - 1, lhsRank));
      SmallVector<OpFoldResult> sizes = {sizeOf(rewriter, loc, lhs2d, 0),
                                         sizeOf(rewriter, loc, rhs, 1)};
      Value acc = createFilledOfSizes(rewriter, loc, sizes, zero);
      result = linalg::MatmulOp::create(rewriter, loc, acc.getType(),
                                        ValueRange{lhs2d, rhs}, acc)
                   ->getResult(0);
      if (lhsRank > 2) {
        SmallVector<OpFoldResult> outSizes;
        for (int64_t d = 0; d < lhsRank - 1; ++d)
          outSizes.push_back(sizeOf(rewriter, loc, lhs, d));
        outSizes.push_back(sizes[1]);
        result = expandToSizes(rewriter, loc, result,
                               mergeLeading(lhsRank - 1, lhsRank), outSizes);
      }
    } else {
      // Broadcast both operands to the batch dimensions of the result.
      int64_t batchRank = batch->size();
      SmallVector<OpFoldResult> batchSizes;
      for (int64_t d = 0; d < batchRank; ++d) {
        if (!ShapedType::isDynamic((*batch)[d])) {
          batchSizes.push_back(rewriter.getIndexAttr((*batch)[d]));
          continue;
        }
        // A dynamic broadcast size comes from an operand that is dynamic
        // there.
        int64_t lhsDim = d - (batchRank + 2 - lhsRank);
        bool fromLhs = lhsDim >= 0 && lhsType.isDynamicDim(lhsDim);
        batchSizes.push_back(fromLhs ? sizeOf(rewriter, loc, lhs, lhsDim)
                                     : sizeOf(rewriter, loc, rhs,
                                              d - (batchRank + 2 - rhsRank)));
      }
      Value lhs3d = broadcastBatch(rewriter, loc, lhs, *batch, batchSizes);
      Value rhs3d = broadcastBatch(rewriter, loc, rhs, *batch, batchSizes);
      int64_t rank = batchRank + 2;
      if (batchRank != 1) {
        lhs3d = tensor::CollapseShapeOp::create(rewriter, loc, lhs3d,
                                                mergeLeading(batchRank, rank));
        rhs3d = tensor::CollapseShapeOp::create(rewriter, loc, rhs3d,
                                                mergeLeading(batchRank, rank));
      }
      SmallVector<OpFoldResult> sizes = {sizeOf(rewriter, loc, lhs3d, 0),
                                         sizeOf(rewriter, loc, lhs3d, 1),
                                         sizeOf(rewriter, loc, rhs3d, 2)};
      Value acc = createFilledOfSizes(rewriter, loc, sizes, zero);
      result = linalg::BatchMatmulOp::create(rewriter, loc, acc.getType(),
                                             ValueRange{lhs3d, rhs3d}, acc)
                   ->getResult(0);
      if (batchRank != 1) {
        SmallVector<OpFoldResult> outSizes(batchSizes);
        outSizes.push_back(sizes[1]);
        outSizes.push_back(sizes[2]);
        result = expandToSizes(rewriter, loc, result,
                               mergeLeading(batchRank, rank), outSizes);
      }
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};

struct DenseLowering : OpConversionPattern<DenseOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DenseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    Value bias = adaptor.getBias();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type element = inputType.getElementType();
    int64_t rank = inputType.getRank();

    // The input as a matrix [M, in].
    Value input2d = input;
    if (rank == 1)
      input2d = expandToSizes(
          rewriter, loc, input, {{0, 1}},
          {rewriter.getIndexAttr(1), sizeOf(rewriter, loc, input, 0)});
    else if (rank > 2)
      input2d = tensor::CollapseShapeOp::create(rewriter, loc, input,
                                                mergeLeading(rank - 1, rank));

    // The accumulator [M, out] starts as the bias (broadcast over M) or 0.
    SmallVector<OpFoldResult> sizes = {sizeOf(rewriter, loc, input2d, 0),
                                       sizeOf(rewriter, loc, weight, 0)};
    Value acc;
    if (bias) {
      Value empty = tensor::EmptyOp::create(rewriter, loc, sizes, element);
      acc = linalg::BroadcastOp::create(rewriter, loc, bias, empty,
                                        ArrayRef<int64_t>{0})
                ->getResult(0);
    } else {
      acc = createFilledOfSizes(rewriter, loc, sizes,
                                floatConstant(rewriter, loc, element, 0.0));
    }
    // input * weight^T: linalg.matmul with a transposed-B indexing map.
    Value result = linalg::MatmulTransposeBOp::create(
                       rewriter, loc, TypeRange{acc.getType()},
                       ValueRange{input2d, weight}, ValueRange{acc})
                       ->getResult(0);

    if (rank == 1) {
      result = tensor::CollapseShapeOp::create(
          rewriter, loc, result, SmallVector<ReassociationIndices>{{0, 1}});
    } else if (rank > 2) {
      SmallVector<OpFoldResult> outSizes;
      for (int64_t d = 0; d < rank - 1; ++d)
        outSizes.push_back(sizeOf(rewriter, loc, input, d));
      outSizes.push_back(sizes[1]);
      result = expandToSizes(rewriter, loc, result,
                             mergeLeading(rank - 1, rank), outSizes);
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};

} // namespace

void kiln::nn_to_linalg::populateLinearPatterns(RewritePatternSet &patterns) {
  patterns.add<MatmulLowering, DenseLowering>(patterns.getContext());
}
