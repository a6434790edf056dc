//===- DecomposePads.cpp - tensor.pad as fill + insert_slice --------------===//
//
// Part of Kiln. A padded operand (a convolution's or a pooling's input) was
// bufferized as a new buffer, filled, and a copy of the whole unpadded
// tensor into its interior: one more pass over every activation, and a
// strided copy (a loop of row memcpy calls). Written as
//
//   %filled = linalg.fill ins(%pad) outs(tensor.empty)
//   %padded = tensor.insert_slice %x into %filled[interior]
//
// the padding is what bufferization's empty-tensor elimination (run next)
// understands: the op that produces %x (the ReLU before it) writes straight
// into the interior of the padded buffer, and the copy is gone.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPUDECOMPOSEPADS
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct KilnCPUDecomposePadsPass
    : public kiln::impl::KilnCPUDecomposePadsBase<KilnCPUDecomposePadsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateDecomposePadPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
