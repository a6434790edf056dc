//===- Constant.cpp - nn.constant to arith.constant -----------------------===//
//
// Part of Kiln. Dense and dense_resource elements carry over unchanged;
// bufferization later turns them into read-only globals.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"
#include "kiln/Dialect/NN/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace {
struct ConstantLowering : OpConversionPattern<kiln::nn::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(kiln::nn::ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, cast<TypedAttr>(op.getValue()));
    return success();
  }
};
} // namespace

void kiln::nn_to_linalg::populateConstantPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantLowering>(patterns.getContext());
}
