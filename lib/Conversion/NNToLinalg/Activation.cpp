//===- Activation.cpp - nn activations to linalg --------------------------===//
//
// Part of Kiln. Elementwise activations become one linalg.generic each;
// softmax and log_softmax become max-reduction, exp-sum and normalization
// generics along their axis (the max is subtracted first, so exp never
// overflows).
//
//===----------------------------------------------------------------------===//

#include "LoweringSupport.h"
#include "PopulatePatterns.h"
#include "kiln/Dialect/NN/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace kiln::nn;
using namespace kiln::nn_to_linalg;

namespace {
/// An activation computed elementwise by `scalar(builder, loc, op, x)`.
template <typename NNOp> struct ActivationLowering : OpConversionPattern<NNOp> {
  using ScalarFn = Value (*)(OpBuilder &, Location, NNOp, Value);
  ActivationLowering(MLIRContext *context, ScalarFn scalar)
      : OpConversionPattern<NNOp>(context), scalar(scalar) {}

  LogicalResult
  matchAndRewrite(NNOp op, typename NNOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result =
        buildElementwise(rewriter, op.getLoc(), type, {adaptor.getInput()},
                         [&](OpBuilder &b, Location loc, ValueRange args) {
                           return scalar(b, loc, op, args[0]);
                         });
    rewriter.replaceOp(op, result);
    return success();
  }

  ScalarFn scalar;
};

Value relu(OpBuilder &b, Location loc, ReluOp, Value x) {
  // maximumf keeps NaN, as nn.relu does.
  return arith::MaximumFOp::create(b, loc, x,
                                   floatConstant(b, loc, x.getType(), 0.0));
}

Value leakyRelu(OpBuilder &b, Location loc, LeakyReluOp op, Value x) {
  Value zero = floatConstant(b, loc, x.getType(), 0.0);
  Value alpha =
      floatConstant(b, loc, x.getType(), op.getAlpha().convertToDouble());
  Value positive =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x, zero);
  return arith::SelectOp::create(b, loc, positive, x,
                                 arith::MulFOp::create(b, loc, alpha, x));
}

Value sigmoid(OpBuilder &b, Location loc, SigmoidOp, Value x) {
  // 1 / (1 + exp(-x)): exp overflows to +inf for x << 0, giving 0; it
  // underflows to 0 for x >> 0, giving 1. No NaN either way.
  Value one = floatConstant(b, loc, x.getType(), 1.0);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, e));
}

Value tanhActivation(OpBuilder &b, Location loc, TanhOp, Value x) {
  return math::TanhOp::create(b, loc, x);
}

Value gelu(OpBuilder &b, Location loc, GeluOp op, Value x) {
  Type type = x.getType();
  Value half = floatConstant(b, loc, type, 0.5);
  Value one = floatConstant(b, loc, type, 1.0);
  Value inner;
  if (op.getApproximate().value_or(GeluApproximation::None) ==
      GeluApproximation::Tanh) {
    // tanh(sqrt(2 / pi) * (x + 0.044715 x^3))
    Value x3 =
        arith::MulFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x, x));
    Value poly = arith::AddFOp::create(
        b, loc, x,
        arith::MulFOp::create(b, loc, floatConstant(b, loc, type, 0.044715),
                              x3));
    inner = math::TanhOp::create(
        b, loc,
        arith::MulFOp::create(
            b, loc, floatConstant(b, loc, type, std::sqrt(2.0 / M_PI)), poly));
  } else {
    // erf(x / sqrt(2))
    inner = math::ErfOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, x,
                              floatConstant(b, loc, type, M_SQRT1_2)));
  }
  // 0.5 * x * (1 + inner)
  return arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, half, x),
                               arith::AddFOp::create(b, loc, one, inner));
}

Value clip(OpBuilder &b, Location loc, ClipOp op, Value x) {
  // maximumf/minimumf keep a NaN input NaN, as nn.clip does.
  if (std::optional<APFloat> lo = op.getMin())
    x = arith::MaximumFOp::create(
        b, loc, x, floatConstant(b, loc, x.getType(), lo->convertToDouble()));
  if (std::optional<APFloat> hi = op.getMax())
    x = arith::MinimumFOp::create(
        b, loc, x, floatConstant(b, loc, x.getType(), hi->convertToDouble()));
  return x;
}

/// softmax (or log_softmax, with `log`) of `x` along `axis`.
Value buildSoftmax(OpBuilder &b, Location loc, Value x, int64_t axis,
                   bool log) {
  auto type = cast<RankedTensorType>(x.getType());
  Type element = type.getElementType();
  int64_t rank = type.getRank();
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < rank; ++d)
    if (type.isDynamicDim(d))
      sizes.push_back(tensor::DimOp::create(b, loc, x, d));
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap reduced = reducedMap(b.getContext(), rank, axis);

  Value max = buildReduction(
      b, loc, x, axis, maxIdentity(b, loc, element),
      [](OpBuilder &nb, Location l, ValueRange args) -> Value {
        return arith::MaximumFOp::create(nb, l, args[0], args[1]);
      });
  // shifted = x - max, so that exp(shifted) <= 1.
  Value shifted =
      buildMapped(b, loc, type, {x, max}, {identity, reduced}, sizes,
                  [](OpBuilder &nb, Location l, ValueRange args) -> Value {
                    return arith::SubFOp::create(nb, l, args[0], args[1]);
                  });
  Value sum =
      buildReduction(b, loc, shifted, axis, floatConstant(b, loc, element, 0.0),
                     [](OpBuilder &nb, Location l, ValueRange args) -> Value {
                       return arith::AddFOp::create(
                           nb, l, math::ExpOp::create(nb, l, args[0]), args[1]);
                     });
  return buildMapped(
      b, loc, type, {shifted, sum}, {identity, reduced}, sizes,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        if (log) // shifted - log(sum)
          return arith::SubFOp::create(nb, l, args[0],
                                       math::LogOp::create(nb, l, args[1]));
        return arith::DivFOp::create(nb, l, math::ExpOp::create(nb, l, args[0]),
                                     args[1]);
      });
}

template <typename NNOp, bool Log>
struct SoftmaxLowering : OpConversionPattern<NNOp> {
  using OpConversionPattern<NNOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(NNOp op, typename NNOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    int64_t rank = op.getType().getRank();
    rewriter.replaceOp(op,
                       buildSoftmax(rewriter, op.getLoc(), adaptor.getInput(),
                                    normalizedAxis(op.getAxis(), rank), Log));
    return success();
  }
};
} // namespace

void kiln::nn_to_linalg::populateActivationPatterns(
    RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<ActivationLowering<ReluOp>>(context, relu);
  patterns.add<ActivationLowering<LeakyReluOp>>(context, leakyRelu);
  patterns.add<ActivationLowering<SigmoidOp>>(context, sigmoid);
  patterns.add<ActivationLowering<TanhOp>>(context, tanhActivation);
  patterns.add<ActivationLowering<GeluOp>>(context, gelu);
  patterns.add<ActivationLowering<ClipOp>>(context, clip);
  patterns.add<SoftmaxLowering<SoftmaxOp, false>,
               SoftmaxLowering<LogSoftmaxOp, true>>(context);
}
