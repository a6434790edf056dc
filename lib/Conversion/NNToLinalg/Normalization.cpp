//===- Normalization.cpp - nn batch_norm and layer_norm to linalg ---------===//
//
// Part of Kiln.
//
// batch_norm (inference): a [C] generic computes scale / sqrt(var + eps) once,
// then one elementwise generic over the input computes
// (x - mean) * factor + bias along dimension 1.
//
// layer_norm: two passes over the normalized dimensions [axis, rank): a sum
// reduction (divided into the mean), then a reduction of the squared
// deviation from that mean (divided into the variance, turned into
// rsqrt(var + eps)); a final elementwise generic computes
// (x - mean) * rstd * scale (+ bias). The variance is never E[x^2] - E[x]^2,
// which cancels catastrophically.
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
/// tensor.dim of `source` for every dynamic size of `type` (same rank).
SmallVector<Value> dynamicSizesOf(OpBuilder &b, Location loc,
                                  RankedTensorType type, Value source) {
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      sizes.push_back(tensor::DimOp::create(b, loc, source, d));
  return sizes;
}

struct BatchNormLowering : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type element = inputType.getElementType();
    int64_t rank = inputType.getRank();
    Value params[] = {adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
                      adaptor.getVariance()};

    // The channel count, as static as any operand (or the result) knows it.
    auto resultType = cast<RankedTensorType>(op.getType());
    SmallVector<int64_t> shape =
        meetShapes(inputType.getShape(), resultType.getShape());
    for (Value param : params)
      shape[1] = meetShapes(
          shape[1], cast<RankedTensorType>(param.getType()).getShape())[0];
    auto type = RankedTensorType::get(shape, element);
    // A size still dynamic here is dynamic in the input.
    SmallVector<Value> sizes = dynamicSizesOf(rewriter, loc, type, input);

    // factor = scale / sqrt(variance + epsilon), once per channel.
    auto channelType = RankedTensorType::get({shape[1]}, element);
    SmallVector<Value> channelSizes;
    if (channelType.isDynamicDim(0))
      channelSizes.push_back(tensor::DimOp::create(rewriter, loc, input, 1));
    AffineMap vectorMap = rewriter.getMultiDimIdentityMap(1);
    Value epsilon = floatConstant(rewriter, loc, element,
                                  op.getEpsilon().convertToDouble());
    Value factor = buildMapped(
        rewriter, loc, channelType, {adaptor.getScale(), adaptor.getVariance()},
        {vectorMap, vectorMap}, channelSizes,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value std = math::SqrtOp::create(
              b, l, arith::AddFOp::create(b, l, args[1], epsilon));
          return arith::DivFOp::create(b, l, args[0], std);
        });

    // y = (x - mean) * factor + bias.
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel = AffineMap::get(rank, 0, {rewriter.getAffineDimExpr(1)},
                                       rewriter.getContext());
    Value result = buildMapped(
        rewriter, loc, type,
        {input, adaptor.getMean(), factor, adaptor.getBias()},
        {identity, channel, channel, channel}, sizes,
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value centered = arith::SubFOp::create(b, l, args[0], args[1]);
          return arith::AddFOp::create(
              b, l, arith::MulFOp::create(b, l, centered, args[2]), args[3]);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

struct LayerNormLowering : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type element = inputType.getElementType();
    int64_t rank = inputType.getRank();
    int64_t axis = normalizedAxis(op.getAxis(), rank);
    SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(axis, rank));

    auto resultType = cast<RankedTensorType>(op.getType());
    SmallVector<int64_t> shape =
        meetShapes(inputType.getShape(), resultType.getShape());
    for (Value param : {adaptor.getScale(), adaptor.getBias()}) {
      if (!param)
        continue;
      SmallVector<int64_t> known =
          meetShapes(ArrayRef(shape).drop_front(axis),
                     cast<RankedTensorType>(param.getType()).getShape());
      llvm::copy(known, shape.begin() + axis);
    }
    auto type = RankedTensorType::get(shape, element);
    SmallVector<Value> sizes = dynamicSizesOf(rewriter, loc, type, input);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reduced = reducedMap(context, rank, axes);
    // scale and bias cover the normalized (trailing) dimensions.
    AffineMap trailing = AffineMap::get(
        rank, 0,
        llvm::to_vector(llvm::map_range(
            axes, [&](int64_t d) { return rewriter.getAffineDimExpr(d); })),
        context);

    Value zero = floatConstant(rewriter, loc, element, 0.0);
    Value count = floatElementCount(rewriter, loc, input, axes, element);
    Value epsilon = floatConstant(rewriter, loc, element,
                                  op.getEpsilon().convertToDouble());

    // mean = sum(x) / count.
    Value sum =
        buildReduction(rewriter, loc, input, axes, zero,
                       [](OpBuilder &b, Location l, ValueRange args) -> Value {
                         return arith::AddFOp::create(b, l, args[0], args[1]);
                       });
    auto statsType = cast<RankedTensorType>(sum.getType());
    SmallVector<Value> statsSizes =
        dynamicSizesOf(rewriter, loc, statsType, sum);
    AffineMap statsIdentity =
        rewriter.getMultiDimIdentityMap(statsType.getRank());
    Value mean =
        buildMapped(rewriter, loc, statsType, sum, statsIdentity, statsSizes,
                    [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                      return arith::DivFOp::create(b, l, args[0], count);
                    });

    // rstd = rsqrt(sum((x - mean)^2) / count + epsilon).
    Value deviation = buildMappedReduction(
        rewriter, loc, input, mean, reduced, axes, zero,
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value centered = arith::SubFOp::create(b, l, args[0], args[1]);
          return arith::AddFOp::create(
              b, l, arith::MulFOp::create(b, l, centered, centered), args[2]);
        });
    Value rstd = buildMapped(
        rewriter, loc, statsType, deviation, statsIdentity, statsSizes,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value variance = arith::DivFOp::create(b, l, args[0], count);
          return math::RsqrtOp::create(
              b, l, arith::AddFOp::create(b, l, variance, epsilon));
        });

    // y = (x - mean) * rstd * scale (+ bias).
    SmallVector<Value> inputs = {input, mean, rstd, adaptor.getScale()};
    SmallVector<AffineMap> maps = {identity, reduced, reduced, trailing};
    Value bias = adaptor.getBias();
    if (bias) {
      inputs.push_back(bias);
      maps.push_back(trailing);
    }
    Value result = buildMapped(
        rewriter, loc, type, inputs, maps, sizes,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value centered = arith::SubFOp::create(b, l, args[0], args[1]);
          Value normalized = arith::MulFOp::create(b, l, centered, args[2]);
          Value scaled = arith::MulFOp::create(b, l, normalized, args[3]);
          if (!bias)
            return scaled;
          return arith::AddFOp::create(b, l, scaled, args[4]);
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};
} // namespace

void kiln::nn_to_linalg::populateNormalizationPatterns(
    RewritePatternSet &patterns) {
  patterns.add<BatchNormLowering, LayerNormLowering>(patterns.getContext());
}
