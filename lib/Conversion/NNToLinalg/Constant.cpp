//===- Constant.cpp - nn.constant to arith.constant -----------------------===//
//
// Part of Kiln. Dense and dense_resource elements carry over unchanged
// (unsigned ones retyped as signless); bufferization later turns them into
// read-only globals.
//
//===----------------------------------------------------------------------===//

#include "LoweringSupport.h"
#include "PopulatePatterns.h"
#include "kiln/Dialect/NN/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace {
struct ConstantLowering : OpConversionPattern<kiln::nn::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(kiln::nn::ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TypedAttr value = cast<TypedAttr>(op.getValue());
    // Unsigned elements: the same bytes as signless ones.
    auto type =
        cast<ShapedType>(kiln::nn_to_linalg::signlessType(value.getType()));
    if (type != value.getType()) {
      if (auto dense = dyn_cast<DenseElementsAttr>(value))
        value = dense.bitcast(type.getElementType());
      else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
        value = DenseResourceElementsAttr::get(type, resource.getRawHandle());
      else
        return rewriter.notifyMatchFailure(op, "unsupported unsigned constant");
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};
} // namespace

void kiln::nn_to_linalg::populateConstantPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantLowering>(patterns.getContext());
}
