//===- Vectorize.cpp - register tiles to FMA sequences --------------------===//
//
// Part of Kiln. The recipe is the one measured in
// ../shared/notes/cpu-matmul-findings.md: vectorize the register tile,
// rewrite the broadcast-multiply-reduce form into vector.contract, and keep
// the accumulator in iter_args (registers) across the reduction loop. All of
// it on tensors: after bufferization the accumulator could no longer be
// hoisted (function arguments may alias). The contraction itself becomes
// FMAs late, in kiln-cpu-lower-contractions.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Target/CPU/Passes.h"
#include "kiln/Target/CPU/TileLevels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPUVECTORIZE
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;

namespace {
struct KilnCPUVectorizePass
    : public kiln::impl::KilnCPUVectorizeBase<KilnCPUVectorizePass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    Operation *root = getOperation();

    // 1. Vectorize each configured op with its (static) register tile as
    // the vector shape.
    SmallVector<linalg::LinalgOp> targets;
    root->walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(LoweringConfigAttr::kAttrName))
        targets.push_back(op);
    });
    IRRewriter rewriter(context);
    for (linalg::LinalgOp op : targets) {
      auto config =
          op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
      if (!config || config.getTiles(kiln::kRegisterLevel).size() != op.getNumLoops())
        continue;
      // Peeling (kiln-codegen-tile) leaves static tiles; a tile that is still
      // dynamic stays scalar rather than being masked (masked transfers with
      // permutation maps do not lower reliably).
      if (op.hasDynamicShape())
        continue;
      // Vectors of i1 are bit-packed in memory while i1 buffers hold a
      // byte per element: ops that read or write bools stay scalar.
      if (llvm::any_of(op->getOperands(), [](Value v) {
            return getElementTypeOrSelf(v.getType()).isInteger(1);
          }))
        continue;
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> result =
          linalg::vectorize(rewriter, op);
      if (failed(result))
        continue; // stays scalar: correct, only slower
      rewriter.replaceOp(op, result->replacements);
    }

    // 2. broadcast + mul + multi_reduction -> vector.contract, with the
    // transfers' permutations folded in.
    {
      RewritePatternSet patterns(context);
      vector::populateVectorReductionToContractPatterns(patterns);
      vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
      vector::populateSinkVectorOpsPatterns(patterns);
      if (failed(applyPatternsGreedily(root, std::move(patterns))))
        return signalPassFailure();
    }
    // 3. Keep the accumulator tile in registers across the reduction loop:
    // its read and write are loop-invariant subsets of the loop's iter_arg.
    SmallVector<LoopLikeOpInterface> loops;
    root->walk([&](LoopLikeOpInterface loop) { loops.push_back(loop); });
    for (LoopLikeOpInterface loop : loops)
      hoistLoopInvariantSubsets(rewriter, loop);
  }
};
} // namespace
