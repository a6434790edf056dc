//===- ExpandStridedCopies.cpp - strided memref.copy to linalg.copy -------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPUEXPANDSTRIDEDCOPIES
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// True when `type` is laid out densely in row-major order (the LLVM
/// lowering copies those with memcpy).
static bool isContiguous(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && (memref.getLayout().isIdentity() ||
                    memref.areTrailingDimsContiguous(memref.getRank()));
}

namespace {
struct KilnCPUExpandStridedCopiesPass
    : public kiln::impl::KilnCPUExpandStridedCopiesBase<
          KilnCPUExpandStridedCopiesPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    getOperation()->walk([&](memref::CopyOp copy) {
      if (isContiguous(copy.getSource().getType()) &&
          isContiguous(copy.getTarget().getType()))
        return;
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    });
  }
};
} // namespace
