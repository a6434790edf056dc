//===- DropUnitContractionDims.cpp - contractions without unit loops ------===//
//
// Part of Kiln. See kiln-gpu-drop-unit-contraction-dims in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUDROPUNITCONTRACTIONDIMS
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// The loops of `op` of static range 1.
static SmallVector<unsigned> unitLoops(linalg::LinalgOp op) {
  SmallVector<unsigned> loops;
  for (auto [i, range] : llvm::enumerate(op.getStaticLoopRanges()))
    if (range == 1)
      loops.push_back(i);
  return loops;
}

/// Whether `op` without its loops `dropped` is `C[m, n] += A[m, k] *
/// B[k, n]`: loops (parallel, parallel, reduction), the standard maps.
static bool becomesMatmul(linalg::LinalgOp op, ArrayRef<unsigned> dropped) {
  if (op.getNumLoops() - dropped.size() != 3 || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1)
    return false;
  // The new position of each loop kept.
  SmallVector<int64_t> position(op.getNumLoops(), -1);
  SmallVector<utils::IteratorType> iterators;
  for (auto [i, iterator] : llvm::enumerate(op.getIteratorTypesArray()))
    if (!llvm::is_contained(dropped, i)) {
      position[i] = iterators.size();
      iterators.push_back(iterator);
    }
  if (iterators !=
      SmallVector<utils::IteratorType>{utils::IteratorType::parallel,
                                       utils::IteratorType::parallel,
                                       utils::IteratorType::reduction})
    return false;
  // Each map's results over the loops kept, dropped loops' results gone.
  SmallVector<SmallVector<int64_t>> maps;
  for (AffineMap map : op.getIndexingMapsArray()) {
    SmallVector<int64_t> results;
    for (AffineExpr result : map.getResults()) {
      auto dim = dyn_cast<AffineDimExpr>(result);
      if (!dim)
        return false;
      if (position[dim.getPosition()] >= 0)
        results.push_back(position[dim.getPosition()]);
    }
    maps.push_back(results);
  }
  // m = 0, n = 1, k = 2.
  return maps == SmallVector<SmallVector<int64_t>>{{0, 2}, {2, 1}, {0, 1}};
}

namespace {
struct KilnGPUDropUnitContractionDimsPass
    : public kiln::impl::KilnGPUDropUnitContractionDimsBase<
          KilnGPUDropUnitContractionDimsPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> contractions;
    getOperation().walk([&](linalg::GenericOp op) {
      SmallVector<unsigned> unit = unitLoops(op);
      if (op.hasPureTensorSemantics() &&
          linalg::isaContractionOpInterface(op) && !unit.empty() &&
          becomesMatmul(op, unit))
        contractions.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    linalg::ControlDropUnitDims options;
    // (Reshapes, not slices: a collapsed operand is the same buffer.)
    options.rankReductionStrategy = linalg::ControlDropUnitDims::
        RankReductionStrategy::ReassociativeReshape;
    options.controlFn = [](Operation *op) {
      return unitLoops(cast<linalg::LinalgOp>(op));
    };
    for (linalg::GenericOp op : contractions) {
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::DropUnitDimsResult> result =
          linalg::dropUnitDims(rewriter, op, options);
      // (An operand that cannot be collapsed: the op stays as it is.)
      if (failed(result))
        continue;
      rewriter.replaceOp(op, result->replacements);
      // A plain matmul now, where it is one: the named op the tensor-core
      // schedule vectorizes into one contraction.
      if (auto generic =
              dyn_cast<linalg::GenericOp>(result->resultOp.getOperation())) {
        rewriter.setInsertionPoint(generic);
        (void)linalg::specializeGenericOp(rewriter, generic);
      }
    }
  }
};
} // namespace
