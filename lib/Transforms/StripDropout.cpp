//===- StripDropout.cpp - remove nn.dropout for inference -----------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/NNOps.h"
#include "kiln/Transforms/Passes.h"

namespace kiln {
#define GEN_PASS_DEF_NNSTRIPDROPOUT
#include "kiln/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct NNStripDropoutPass
    : public kiln::impl::NNStripDropoutBase<NNStripDropoutPass> {
  void runOnOperation() override {
    // Dropout has the same type in and out, so no use needs a cast.
    getOperation()->walk([&](kiln::nn::DropoutOp op) {
      op.replaceAllUsesWith(op.getInput());
      op.erase();
      ++numRemoved;
    });
  }
};
} // namespace
