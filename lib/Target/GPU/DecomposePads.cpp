//===- DecomposePads.cpp - tensor.pad as a fill and a copy ----------------===//
//
// Part of Kiln. See kiln-gpu-decompose-pads in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUDECOMPOSEPADS
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct KilnGPUDecomposePadsPass
    : public kiln::impl::KilnGPUDecomposePadsBase<KilnGPUDecomposePadsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateDecomposePadPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // A pad the patterns could not decompose would become host code.
    WalkResult left = getOperation().walk([](tensor::PadOp pad) {
      pad.emitError() << "could not be decomposed into a fill and a copy "
                         "for the GPU";
      return WalkResult::interrupt();
    });
    if (left.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
