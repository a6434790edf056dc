//===- Training.cpp - nn dropout and losses to linalg ---------------------===//
//
// Part of Kiln. Code generation compiles for inference: nn.dropout is the
// identity there.
//
// cross_entropy: the log-softmax over the class dimension 1 is never
// materialized. Per sample, a max reduction and a sum-of-exp reduction (of
// x - max) give max and log(sum); then
//   logsoftmax(x)[c] = (x[c] - max) - log(sum).
// Class-index targets read x[n, target, ...] with tensor.extract inside a
// generic over the samples; probability targets reduce
//   target * (log(sum) - (x - max))
// over the classes. mse squares the difference elementwise. With reduction
// mean or sum the per-sample loss is summed straight into a rank-0
// accumulator (the reduction covers every dimension), and mean divides by
// the number of per-sample losses.
//
//===----------------------------------------------------------------------===//

#include "LoweringSupport.h"
#include "PopulatePatterns.h"
#include "kiln/Dialect/NN/NNOps.h"
#include "kiln/Dialect/NN/ShapeInference.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace kiln::nn;
using namespace kiln::nn_to_linalg;

namespace {
struct DropoutLowering : OpConversionPattern<DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

/// The rank-0 `total` divided by `count` (a float scalar).
Value divideScalar(OpBuilder &b, Location loc, Value total, Value count) {
  auto type = cast<RankedTensorType>(total.getType());
  return buildMapped(b, loc, type, total, b.getMultiDimIdentityMap(0), {},
                     [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                       return arith::DivFOp::create(nb, l, args[0], count);
                     });
}

Value addCombine(OpBuilder &b, Location loc, Value value, Value acc) {
  return arith::AddFOp::create(b, loc, value, acc);
}

struct CrossEntropyLowering : OpConversionPattern<CrossEntropyOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CrossEntropyOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value logits = adaptor.getLogits();
    Value targets = adaptor.getTargets();
    auto logitsType = cast<RankedTensorType>(logits.getType());
    auto targetsType = cast<RankedTensorType>(targets.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = logitsType.getElementType();
    int64_t rank = logitsType.getRank();
    Reduction reduction = op.getReduction().value_or(Reduction::Mean);
    bool classIndices = isa<IntegerType>(targetsType.getElementType());

    // The per-sample dimensions of the logits: all but the class dimension.
    SmallVector<int64_t> sampleDims = {0};
    llvm::append_range(sampleDims, llvm::seq<int64_t>(2, rank));
    SmallVector<int64_t> sampleShape;
    for (int64_t d : sampleDims)
      sampleShape.push_back(logitsType.getDimSize(d));
    if (classIndices)
      sampleShape = meetShapes(sampleShape, targetsType.getShape());
    if (reduction == Reduction::None)
      sampleShape = meetShapes(sampleShape, resultType.getShape());
    auto sampleType = RankedTensorType::get(sampleShape, element);
    int64_t sampleRank = sampleType.getRank();

    Value zero = floatConstant(rewriter, loc, element, 0.0);
    AffineMap classReduced = reducedMap(context, rank, 1);
    // Per sample: the maximum over the classes and log(sum(exp(x - max))).
    Value max = buildReduction(
        rewriter, loc, logits, 1, maxIdentity(rewriter, loc, element),
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::MaximumFOp::create(b, l, args[0], args[1]);
        });
    Value sumExp = buildMappedReduction(
        rewriter, loc, logits, max, classReduced, 1, zero,
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value shifted = arith::SubFOp::create(b, l, args[0], args[1]);
          return addCombine(b, l, math::ExpOp::create(b, l, shifted), args[2]);
        });
    auto statsType = cast<RankedTensorType>(max.getType());
    SmallVector<Value> statsSizes;
    for (int64_t d = 0; d < statsType.getRank(); ++d)
      if (statsType.isDynamicDim(d))
        statsSizes.push_back(tensor::DimOp::create(rewriter, loc, max, d));
    AffineMap statsIdentity = rewriter.getMultiDimIdentityMap(sampleRank);
    Value logSum =
        buildMapped(rewriter, loc, statsType, sumExp, statsIdentity, statsSizes,
                    [](OpBuilder &b, Location l, ValueRange args) -> Value {
                      return math::LogOp::create(b, l, args[0]);
                    });

    Value loss;
    if (classIndices) {
      // loss = -logsoftmax[n, target, d...]
      //      = log(sum) - (x[n, target, d...] - max),
      // in a loop nest over the samples.
      auto perSample = [&](OpBuilder &b, Location l, ValueRange args) -> Value {
        Value target =
            arith::IndexCastOp::create(b, l, b.getIndexType(), args[0]);
        SmallVector<Value> indices;
        for (int64_t d = 0; d < sampleRank; ++d) {
          indices.push_back(linalg::IndexOp::create(b, l, d));
          if (d == 0)
            indices.push_back(target);
        }
        Value x = tensor::ExtractOp::create(b, l, logits, indices);
        Value shifted = arith::SubFOp::create(b, l, x, args[1]);
        return arith::SubFOp::create(b, l, args[2], shifted);
      };
      if (reduction == Reduction::None) {
        SmallVector<Value> sizes;
        for (int64_t d = 0; d < sampleRank; ++d)
          if (sampleType.isDynamicDim(d)) // dynamic in the logits too
            sizes.push_back(
                tensor::DimOp::create(rewriter, loc, logits, sampleDims[d]));
        loss = buildMapped(rewriter, loc, sampleType, {targets, max, logSum},
                           {statsIdentity, statsIdentity, statsIdentity}, sizes,
                           perSample);
      } else {
        loss = buildMappedReduction(
            rewriter, loc, targets, {max, logSum},
            {statsIdentity, statsIdentity},
            llvm::to_vector(llvm::seq<int64_t>(0, sampleRank)), zero,
            [&](OpBuilder &b, Location l, ValueRange args) -> Value {
              return addCombine(b, l, perSample(b, l, args.drop_back()),
                                args.back());
            });
      }
    } else {
      // loss = -sum_c target * logsoftmax
      //      = sum_c target * (log(sum) - (x - max)),
      // reduced over the classes only (none) or over everything (mean, sum).
      SmallVector<int64_t> axes = {1};
      if (reduction != Reduction::None)
        axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
      loss = buildMappedReduction(
          rewriter, loc, logits, {targets, max, logSum},
          {rewriter.getMultiDimIdentityMap(rank), classReduced, classReduced},
          axes, zero, [](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value shifted = arith::SubFOp::create(b, l, args[0], args[2]);
            Value negLogProb = arith::SubFOp::create(b, l, args[3], shifted);
            return addCombine(b, l,
                              arith::MulFOp::create(b, l, args[1], negLogProb),
                              args[4]);
          });
    }
    if (reduction == Reduction::Mean)
      loss = divideScalar(
          rewriter, loc, loss,
          floatElementCount(rewriter, loc, logits, sampleDims, element));
    rewriter.replaceOp(op, castToType(rewriter, loc, loss, resultType));
    return success();
  }
};

struct MseLowering : OpConversionPattern<MseOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value prediction = adaptor.getPrediction();
    Value target = adaptor.getTarget();
    auto predictionType = cast<RankedTensorType>(prediction.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = predictionType.getElementType();
    int64_t rank = predictionType.getRank();
    Reduction reduction = op.getReduction().value_or(Reduction::Mean);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    auto squared = [](OpBuilder &b, Location l, Value p, Value t) -> Value {
      Value diff = arith::SubFOp::create(b, l, p, t);
      return arith::MulFOp::create(b, l, diff, diff);
    };

    Value loss;
    if (reduction == Reduction::None) {
      SmallVector<int64_t> shape = meetShapes(
          meetShapes(predictionType.getShape(),
                     cast<RankedTensorType>(target.getType()).getShape()),
          resultType.getShape());
      auto type = RankedTensorType::get(shape, element);
      SmallVector<Value> sizes;
      for (int64_t d = 0; d < rank; ++d)
        if (type.isDynamicDim(d)) // dynamic in the prediction too
          sizes.push_back(tensor::DimOp::create(rewriter, loc, prediction, d));
      loss = buildMapped(rewriter, loc, type, {prediction, target},
                         {identity, identity}, sizes,
                         [&](OpBuilder &b, Location l, ValueRange args) {
                           return squared(b, l, args[0], args[1]);
                         });
    } else {
      SmallVector<int64_t> all = llvm::to_vector(llvm::seq<int64_t>(0, rank));
      loss = buildMappedReduction(
          rewriter, loc, prediction, target, identity, all,
          floatConstant(rewriter, loc, element, 0.0),
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            return addCombine(b, l, squared(b, l, args[0], args[1]), args[2]);
          });
      if (reduction == Reduction::Mean)
        loss = divideScalar(
            rewriter, loc, loss,
            floatElementCount(rewriter, loc, prediction, all, element));
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, loss, resultType));
    return success();
  }
};
} // namespace

void kiln::nn_to_linalg::populateTrainingPatterns(RewritePatternSet &patterns) {
  patterns.add<DropoutLowering, CrossEntropyLowering, MseLowering>(
      patterns.getContext());
}
