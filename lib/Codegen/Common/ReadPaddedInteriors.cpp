//===- ReadPaddedInteriors.cpp - read padded values from their padding ----===//
//
// Part of Kiln. After kiln-codegen-decompose-pads, a padding is
//
//   %border = <the border filled: a loop, or a linalg.fill of the whole>
//   %padded = tensor.insert_slice %x into %border[interior]
//
// and empty-tensor elimination makes %x's producer write into the interior
// of %padded's buffer. If %x is read again after the insert_slice (a
// residual connection reads a block's input, which the block's first
// convolution reads padded), one-shot bufferization sees the insert_slice
// as a write over %x's buffer before that read, keeps %x in a buffer of its
// own, and copies it into the interior and back: 7 MB of copies per
// ResNet-18 call. Reading the interior of %padded instead is the same value
// and no conflict.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENREADPADDEDINTERIORS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// Whether `dest` is a tensor kiln-codegen-decompose-pads built for a padding:
/// its border loop or a fill.
static bool isPaddingBorder(Value dest) {
  if (dest.getDefiningOp<linalg::FillOp>())
    return true;
  auto loop = dest.getDefiningOp<scf::ForOp>();
  return loop && loop->hasAttr(kiln::codegen::kPaddingBorderAttrName);
}

namespace {
struct KilnCodegenReadPaddedInteriorsPass
    : public kiln::impl::KilnCodegenReadPaddedInteriorsBase<
          KilnCodegenReadPaddedInteriorsPass> {
  void runOnOperation() override {
    SmallVector<tensor::InsertSliceOp> paddings;
    getOperation()->walk([&](tensor::InsertSliceOp insert) {
      if (isPaddingBorder(insert.getDest()) && insert.hasUnitStride() &&
          !insert.getSource().hasOneUse())
        paddings.push_back(insert);
    });
    DominanceInfo dominance(getOperation());
    IRRewriter rewriter(&getContext());
    for (tensor::InsertSliceOp insert : paddings) {
      Value source = insert.getSource();
      auto later = [&](OpOperand &use) {
        return dominance.properlyDominates(insert.getOperation(),
                                           use.getOwner());
      };
      if (llvm::none_of(source.getUses(), later))
        continue;
      // (Built without folding: the folder would give back %x.)
      rewriter.setInsertionPointAfter(insert);
      Value interior = tensor::ExtractSliceOp::create(
          rewriter, insert.getLoc(), cast<RankedTensorType>(source.getType()),
          insert.getResult(), insert.getMixedOffsets(), insert.getMixedSizes(),
          insert.getMixedStrides());
      rewriter.replaceUsesWithIf(source, interior, later);
    }
  }
};
} // namespace
