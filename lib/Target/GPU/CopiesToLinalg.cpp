//===- CopiesToLinalg.cpp - buffer copies as linalg.copy ------------------===//
//
// Part of Kiln. See kiln-gpu-copies-to-linalg in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUCOPIESTOLINALG
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct KilnGPUCopiesToLinalgPass
    : public kiln::impl::KilnGPUCopiesToLinalgBase<KilnGPUCopiesToLinalgPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      if (!copy->getParentOfType<gpu::LaunchOp>() &&
          !copy->getParentOfType<scf::ForallOp>())
        copies.push_back(copy);
    });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      linalg::CopyOp::create(rewriter, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      rewriter.eraseOp(copy);
    }
  }
};
} // namespace
