//===- DropUnitContractionDims.cpp - contractions without unit loops ------===//
//
// Part of Kiln. See kiln-codegen-drop-unit-contraction-dims in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENDROPUNITCONTRACTIONDIMS
#include "kiln/Codegen/Passes.h.inc"
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

/// Whether `op` without its loops `dropped` is `C[m, n] += A[m, k...] *
/// B[k..., n]` or `B[n, k...]`: loops (parallel, parallel, reduction...),
/// the reductions in the same order in A and B. Returns the positions of
/// the reduction loops after the drop (to be collapsed when several).
static std::optional<ReassociationIndices>
matrixProductReductions(linalg::LinalgOp op, ArrayRef<unsigned> dropped) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1)
    return std::nullopt;
  // The new position of each loop kept.
  SmallVector<int64_t> position(op.getNumLoops(), -1);
  SmallVector<utils::IteratorType> iterators;
  for (auto [i, iterator] : llvm::enumerate(op.getIteratorTypesArray()))
    if (!llvm::is_contained(dropped, i)) {
      position[i] = iterators.size();
      iterators.push_back(iterator);
    }
  // m = 0, n = 1, then the reductions.
  int64_t numLoops = iterators.size();
  if (numLoops < 3 || iterators[0] != utils::IteratorType::parallel ||
      iterators[1] != utils::IteratorType::parallel ||
      llvm::any_of(llvm::drop_begin(iterators, 2), [](auto iterator) {
        return iterator != utils::IteratorType::reduction;
      }))
    return std::nullopt;
  // Each map's results over the loops kept, dropped loops' results gone.
  SmallVector<SmallVector<int64_t>> maps;
  for (AffineMap map : op.getIndexingMapsArray()) {
    SmallVector<int64_t> results;
    for (AffineExpr result : map.getResults()) {
      auto dim = dyn_cast<AffineDimExpr>(result);
      if (!dim)
        return std::nullopt;
      if (position[dim.getPosition()] >= 0)
        results.push_back(position[dim.getPosition()]);
    }
    maps.push_back(results);
  }
  ReassociationIndices reductions =
      llvm::to_vector(llvm::seq<int64_t>(2, numLoops));
  SmallVector<int64_t> a{0}, b(reductions.begin(), reductions.end()),
      bTransposed{1};
  a.append(reductions);
  b.push_back(1);
  bTransposed.append(reductions);
  if (maps[0] != a || (maps[1] != b && maps[1] != bTransposed) ||
      maps[2] != SmallVector<int64_t>{0, 1})
    return std::nullopt;
  return reductions;
}

namespace {
struct KilnCodegenDropUnitContractionDimsPass
    : public kiln::impl::KilnCodegenDropUnitContractionDimsBase<
          KilnCodegenDropUnitContractionDimsPass> {
  void runOnOperation() override {
    SmallVector<std::pair<linalg::GenericOp, ReassociationIndices>> products;
    getOperation().walk([&](linalg::GenericOp op) {
      SmallVector<unsigned> unit = unitLoops(op);
      if (!op.hasPureTensorSemantics() ||
          !linalg::isaContractionOpInterface(op) || unit.empty())
        return;
      if (std::optional<ReassociationIndices> reductions =
              matrixProductReductions(op, unit))
        products.emplace_back(op, *reductions);
    });
    IRRewriter rewriter(&getContext());
    linalg::ControlDropUnitDims options;
    // (Reshapes, not slices: a collapsed operand is the same buffer.)
    options.rankReductionStrategy = linalg::ControlDropUnitDims::
        RankReductionStrategy::ReassociativeReshape;
    options.controlFn = [](Operation *op) {
      return unitLoops(cast<linalg::LinalgOp>(op));
    };
    for (auto &[op, reductions] : products) {
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::DropUnitDimsResult> result =
          linalg::dropUnitDims(rewriter, op, options);
      // (An operand that cannot be collapsed: the op stays as it is.)
      if (failed(result))
        continue;
      rewriter.replaceOp(op, result->replacements);
      auto generic =
          dyn_cast<linalg::GenericOp>(result->resultOp.getOperation());
      if (!generic)
        continue;
      // Several reduction loops, adjacent in both operands: one.
      if (reductions.size() > 1) {
        rewriter.setInsertionPoint(generic);
        FailureOr<linalg::CollapseResult> collapsed =
            linalg::collapseOpIterationDims(generic, {reductions}, rewriter);
        if (succeeded(collapsed)) {
          rewriter.replaceOp(generic, collapsed->results);
          generic = dyn_cast<linalg::GenericOp>(
              collapsed->collapsedOp.getOperation());
          if (!generic)
            continue;
        }
      }
      // A plain matmul now, where it is one: the named op the targets'
      // contraction schedules take. (Only with B[k, n]: MLIR 22's
      // specialization turns a B[n, k] product into a matmul that reads B
      // as [k, n]. Transposed, it stays a generic, which the schedules
      // take too.)
      AffineMap b = generic.getIndexingMapsArray()[1];
      if (b.getNumDims() != 3 || b.getNumResults() != 2 ||
          b.getResult(0) != rewriter.getAffineDimExpr(2) ||
          b.getResult(1) != rewriter.getAffineDimExpr(1))
        continue;
      rewriter.setInsertionPoint(generic);
      (void)linalg::specializeGenericOp(rewriter, generic);
    }
  }
};
} // namespace
