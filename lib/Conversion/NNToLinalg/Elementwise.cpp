//===- Elementwise.cpp - nn binary and unary math to linalg.generic -------===//
//
// Part of Kiln. Binary ops become one linalg.generic whose indexing maps
// implement numpy broadcasting; unary math ops one generic each. Producer and
// consumer generics are fused later by the CPU pipeline.
//
//===----------------------------------------------------------------------===//

#include "LoweringSupport.h"
#include "PopulatePatterns.h"
#include "kiln/Dialect/NN/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace kiln::nn;
using namespace kiln::nn_to_linalg;

namespace {
/// nn binary op -> linalg.generic computing ScalarOp on broadcast operands.
template <typename NNOp, typename ScalarOp>
struct BinaryLowering : OpConversionPattern<NNOp> {
  using OpConversionPattern<NNOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(NNOp op, typename NNOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, {adaptor.getLhs(), adaptor.getRhs()},
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return ScalarOp::create(b, loc, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// nn unary op -> linalg.generic computing ScalarOp.
template <typename NNOp, typename ScalarOp>
struct UnaryLowering : OpConversionPattern<NNOp> {
  using OpConversionPattern<NNOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(NNOp op, typename NNOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, {adaptor.getInput()},
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return ScalarOp::create(b, loc, args[0]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::nn_to_linalg::populateElementwisePatterns(
    RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<BinaryLowering<AddOp, arith::AddFOp>,
               BinaryLowering<SubOp, arith::SubFOp>,
               BinaryLowering<MulOp, arith::MulFOp>,
               BinaryLowering<DivOp, arith::DivFOp>,
               BinaryLowering<PowOp, math::PowFOp>,
               // maximumf/minimumf propagate NaN, as nn.maximum/minimum do.
               BinaryLowering<MaximumOp, arith::MaximumFOp>,
               BinaryLowering<MinimumOp, arith::MinimumFOp>,
               UnaryLowering<ExpOp, math::ExpOp>,
               UnaryLowering<LogOp, math::LogOp>,
               UnaryLowering<SqrtOp, math::SqrtOp>,
               UnaryLowering<RsqrtOp, math::RsqrtOp>,
               UnaryLowering<NegOp, arith::NegFOp>,
               UnaryLowering<AbsOp, math::AbsFOp>,
               UnaryLowering<ErfOp, math::ErfOp>,
               UnaryLowering<FloorOp, math::FloorOp>,
               UnaryLowering<CeilOp, math::CeilOp>,
               UnaryLowering<RoundOp, math::RoundEvenOp>>(context);
}
