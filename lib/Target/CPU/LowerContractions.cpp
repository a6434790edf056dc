//===- LowerContractions.cpp - vector.contract to FMAs --------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPULOWERCONTRACTIONS
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// Whether `use` comes after `read` in its block with nothing between them
/// that may write memory: a load at `use` then reads what `read` read.
static bool noWritesBetween(Operation *read, Operation *use) {
  if (read->getBlock() != use->getBlock())
    return false;
  for (Operation *op = read->getNextNode(); op; op = op->getNextNode()) {
    if (op == use)
      return true;
    if (isMemoryEffectFree(op))
      continue;
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects || effects.hasEffect<MemoryEffects::Write>() ||
        effects.hasEffect<MemoryEffects::Free>())
      return false;
  }
  return false;
}

namespace {
/// An element of a vector read from memory (through a chain of
/// vector.extract ops, which this pass does not fold) becomes a scalar
/// load of that element. The outer products broadcast each element of the
/// left operand; where that operand was read as one vector (a
/// positions-major convolution's patch tile, whose positions are
/// contiguous), LLVM kept part of it in a register, and a 14 x 32 register
/// tile spilled an accumulator. Scalar loads become broadcasts from memory.
struct ScalarFromTransferRead : OpRewritePattern<vector::ExtractOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::ExtractOp op,
                                PatternRewriter &rewriter) const override {
    if (isa<VectorType>(op.getType()))
      return failure();
    SmallVector<vector::ExtractOp> chain;
    for (auto e = op; e; e = e.getSource().getDefiningOp<vector::ExtractOp>())
      chain.push_back(e);
    SmallVector<int64_t> position;
    for (vector::ExtractOp e : llvm::reverse(chain)) {
      if (e.hasDynamicPosition())
        return failure();
      llvm::append_range(position, e.getStaticPosition());
    }
    auto read =
        chain.back().getSource().getDefiningOp<vector::TransferReadOp>();
    if (!read || read.getMask() || !isa<MemRefType>(read.getBase().getType()) ||
        !read.getPermutationMap().isMinorIdentity() ||
        llvm::is_contained(read.getInBoundsValues(), false) ||
        position.size() != size_t(read.getVectorType().getRank()) ||
        !noWritesBetween(read, op))
      return failure();
    SmallVector<Value> indices(read.getIndices());
    size_t first = indices.size() - position.size();
    for (auto [i, p] : llvm::enumerate(position))
      if (p != 0)
        indices[first + i] = arith::AddIOp::create(
            rewriter, op.getLoc(), indices[first + i],
            arith::ConstantIndexOp::create(rewriter, op.getLoc(), p));
    rewriter.replaceOpWithNewOp<memref::LoadOp>(op, read.getBase(), indices);
    return success();
  }
};

struct KilnCPULowerContractionsPass
    : public kiln::impl::KilnCPULowerContractionsBase<
          KilnCPULowerContractionsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorOuterProductLoweringPatterns(patterns);
    patterns.add<ScalarFromTransferRead>(&getContext());
    // Only these patterns: no folding of the accumulator's row inserts.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};
} // namespace
