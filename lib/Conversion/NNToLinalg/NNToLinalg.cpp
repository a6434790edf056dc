//===- NNToLinalg.cpp - the convert-nn-to-linalg pass ---------------------===//
//
// Part of Kiln. The pass driver: every nn op is illegal afterwards; the
// patterns live one family per file (see PopulatePatterns.h).
//
//===----------------------------------------------------------------------===//

#include "LoweringSupport.h"
#include "PopulatePatterns.h"
#include "kiln/Conversion/Passes.h"
#include "kiln/Dialect/NN/NNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace kiln {
#define GEN_PASS_DEF_CONVERTNNTOLINALG
#include "kiln/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;

void kiln::populateNNToLinalgConversionPatterns(RewritePatternSet &patterns) {
  nn_to_linalg::populateActivationPatterns(patterns);
  nn_to_linalg::populateConstantPatterns(patterns);
  nn_to_linalg::populateConvolutionPatterns(patterns);
  nn_to_linalg::populateElementwisePatterns(patterns);
  nn_to_linalg::populateLinearPatterns(patterns);
  nn_to_linalg::populateNormalizationPatterns(patterns);
  nn_to_linalg::populatePoolingPatterns(patterns);
  nn_to_linalg::populateReductionPatterns(patterns);
  nn_to_linalg::populateShapePatterns(patterns);
  nn_to_linalg::populateTrainingPatterns(patterns);
}

namespace {
struct ConvertNNToLinalgPass
    : public kiln::impl::ConvertNNToLinalgBase<ConvertNNToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    // Unsigned integers (ui8, ...) become signless: arith and linalg take
    // only those. The nn patterns read signedness from the nn op's types;
    // function signatures, calls and returns are converted here.
    TypeConverter converter;
    converter.addConversion(
        [](Type type) { return kiln::nn_to_linalg::signlessType(type); });
    ConversionTarget target(*context);
    target.addIllegalDialect<kiln::nn::NNDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp function) {
      return converter.isSignatureLegal(function.getFunctionType()) &&
             converter.isLegal(&function.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    RewritePatternSet patterns(context);
    kiln::populateNNToLinalgConversionPatterns(patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    // A failure names the first op left (the driver reports "failed to
    // legalize operation"), with the reason under -debug. Where that op has
    // dynamic shapes, which most lowerings do not take yet, that is the
    // reason: the error says so instead.
    SmallVector<std::pair<Location, std::string>> unlegalized;
    LogicalResult converted = success();
    {
      ScopedDiagnosticHandler handler(context, [&](Diagnostic &d) {
        std::string text = d.str();
        if (d.getSeverity() != DiagnosticSeverity::Error ||
            !StringRef(text).starts_with("failed to legalize operation 'nn."))
          return failure(); // to the next handler
        unlegalized.emplace_back(d.getLocation(), text);
        return success();
      });
      converted = applyPartialConversion(getOperation(), target,
                                         std::move(patterns));
    }
    for (auto &[loc, text] : unlegalized)
      explainUnlegalized(loc, text);
    if (failed(converted))
      signalPassFailure();
  }

  /// Reports the op at `loc` that the conversion left: its dynamic shapes
  /// when it has some, else the driver's `text`.
  void explainUnlegalized(Location loc, StringRef text) {
    StringRef name = text.drop_front(text.find('\'') + 1);
    name = name.take_until([](char c) { return c == '\''; });
    Operation *found = nullptr;
    getOperation()->walk([&](Operation *op) {
      if (!found && op->getLoc() == loc && op->getName().getStringRef() == name)
        found = op;
    });
    auto dynamic = [](Type type) {
      auto shaped = dyn_cast<ShapedType>(type);
      return shaped && !shaped.hasStaticShape();
    };
    Type dynamicType;
    if (found) {
      for (Type type : found->getOperandTypes())
        if (!dynamicType && dynamic(type))
          dynamicType = type;
      for (Type type : found->getResultTypes())
        if (!dynamicType && dynamic(type))
          dynamicType = type;
    }
    if (!dynamicType) {
      emitError(loc) << text;
      return;
    }
    emitError(loc) << name << " with a dynamic shape (" << dynamicType
                   << ") cannot be compiled yet: only static shapes are "
                      "supported (give the function's arguments static "
                      "shapes)";
  }
};
} // namespace
