//===- GeneralizeBroadcasts.cpp - accumulator initializers as generics ----===//
//
// Part of Kiln. A convolution's or dense layer's accumulator starts as its
// bias broadcast over the output (linalg.broadcast) or as zeros
// (linalg.fill). Named, these get no lowering_config and run on one thread
// (scalar loops, or a memset) while the other threads wait: in ResNet-18
// that is 2.3M elements between the convolutions, and at 2 threads a
// 64x56x56 convolution spent 3% of its time in the memset alone. As the
// equivalent elementwise linalg.generic they get the elementwise config
// (vector stores, shared over the threads for large outputs) from
// kiln-cpu-select-lowering-config.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENGENERALIZEBROADCASTS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct KilnCodegenGeneralizeBroadcastsPass
    : public kiln::impl::KilnCodegenGeneralizeBroadcastsBase<
          KilnCodegenGeneralizeBroadcastsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> initializers;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (isa<linalg::BroadcastOp, linalg::FillOp>(op) &&
          op.hasPureTensorSemantics())
        initializers.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : initializers) {
      rewriter.setInsertionPoint(op);
      (void)linalg::generalizeNamedOp(rewriter, op);
    }
  }
};
} // namespace
