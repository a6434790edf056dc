//===- ConvToIm2Col.cpp - NCHW convolutions as im2col + matmul ------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPUCONVTOIM2COL
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct KilnCPUConvToIm2ColPass
    : public kiln::impl::KilnCPUConvToIm2ColBase<KilnCPUConvToIm2ColPass> {
  void runOnOperation() override {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation()->walk(
        [&](linalg::Conv2DNchwFchwOp conv) { convs.push_back(conv); });
    IRRewriter rewriter(&getContext());
    for (linalg::Conv2DNchwFchwOp conv : convs) {
      rewriter.setInsertionPoint(conv);
      // Forms the rewrite does not handle (dynamic sizes) stay direct
      // convolutions: slower, still correct.
      (void)linalg::rewriteInIm2Col(rewriter, conv);
    }
  }
};
} // namespace
