//===- FuseElementwise.cpp - elementwise producers into their consumers ---===//
//
// Part of Kiln. See kiln-codegen-fuse-elementwise in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENFUSEELEMENTWISE
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// Whether the producer of `operand` is used once (by that consumer): it
/// then disappears, rather than being computed twice.
static bool producerUsedOnce(OpOperand *operand) {
  Operation *producer = operand->get().getDefiningOp();
  return producer && producer->hasOneUse();
}

/// Whether fusing the producer of `operand` computes each of its elements
/// once: the consumer reads the operand through a permutation of all its
/// loops. (A matmul reads A[m, k] for every n: its fused producer would be
/// computed N times over, inside the innermost loop of the contraction.)
static bool readOncePerElement(OpOperand *operand) {
  auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
  return consumer && consumer.getMatchingIndexingMap(operand).isPermutation();
}

namespace {
struct KilnCodegenFuseElementwisePass
    : public kiln::impl::KilnCodegenFuseElementwiseBase<
          KilnCodegenFuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    // What upstream's linalg-fuse-elementwise-ops does, but for the
    // producers a consumer would recompute.
    linalg::populateElementwiseOpsFusionPatterns(
        patterns, [](OpOperand *operand) {
          return producerUsedOnce(operand) && readOncePerElement(operand);
        });
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns,
                                                      producerUsedOnce);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, producerUsedOnce);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
