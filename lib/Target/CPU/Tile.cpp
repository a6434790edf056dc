//===- Tile.cpp - tile linalg ops to their lowering_config ----------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Target/CPU/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPUTILE
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;

/// Marks the loop of the config's distributed loop, if any, with
/// `kiln_codegen.distributed`, which kiln-cpu-outline-parallel-loops reads
/// after bufferization. Peeling keeps the mark on the main loop.
static LogicalResult markDistributedLoop(linalg::LinalgOp op,
                                         LoweringConfigAttr config,
                                         ArrayRef<int64_t> sizes,
                                         ArrayRef<LoopLikeOpInterface> loops) {
  // The loops' dims, outermost first (the cache order, or the op's).
  SmallVector<int64_t> order(config.getCacheOrder());
  if (order.empty())
    order = llvm::to_vector(llvm::seq<int64_t>(0, sizes.size()));
  for (int64_t dim : config.getDistributedLoops()) {
    if (op.getIteratorTypesArray()[dim] != utils::IteratorType::parallel)
      return op->emitError()
             << "lowering_config distributes loop " << dim
             << ", which is a reduction: only parallel loops can be spread "
                "over threads";
    // tileUsingSCF makes one loop per non-zero tile size, in that order.
    int64_t index = 0;
    for (int64_t d : order) {
      if (d == dim)
        break;
      index += sizes[d] != 0;
    }
    if (index < static_cast<int64_t>(loops.size()))
      loops[index]->setAttr(kiln::codegen::kDistributedLoopAttrName,
                            UnitAttr::get(op->getContext()));
  }
  return success();
}

namespace {
struct KilnCPUTilePass : public kiln::impl::KilnCPUTileBase<KilnCPUTilePass> {
  using Base::Base;

  void runOnOperation() override {
    if (tilingLevel > 1) {
      getOperation()->emitError()
          << "kiln-cpu-tile: tiling-level must be 0 (cache) or 1 (register), "
             "got "
          << static_cast<unsigned>(tilingLevel);
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> targets;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(LoweringConfigAttr::kAttrName))
        targets.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : targets) {
      auto config =
          op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
      if (!config) {
        op->emitError() << "expects '" << LoweringConfigAttr::kAttrName
                        << "' to be a #kiln_codegen.lowering_config";
        return signalPassFailure();
      }
      ArrayRef<int64_t> sizes =
          tilingLevel == 0 ? config.getCacheTiles() : config.getRegisterTiles();
      if (sizes.size() != op.getNumLoops()) {
        op->emitError() << "has " << op.getNumLoops()
                        << " loops but its lowering_config has " << sizes.size()
                        << " tile sizes";
        return signalPassFailure();
      }
      if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
        continue;
      scf::SCFTilingOptions options;
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
      ArrayRef<int64_t> order =
          tilingLevel == 0 ? config.getCacheOrder() : config.getRegisterOrder();
      // (The attribute's verifier makes an order a permutation of as many
      // loops as it has tiles, which the op has, as checked above.)
      if (!order.empty())
        options.setInterchange(order);
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled)) {
        op->emitError() << "could not be tiled to " << config;
        return signalPassFailure();
      }
      rewriter.replaceOp(op, tiled->replacements);
      if (tilingLevel == 0 &&
          failed(markDistributedLoop(op, config, sizes, tiled->loops)))
        return signalPassFailure();
      // Peel the last, partial iteration off each loop: the main loops then
      // have tiles of static size, which vectorize without masks; the
      // partial tiles have smaller static sizes (or dynamic ones, which stay
      // scalar). A peeled iteration holds copies of the inner loops, which
      // need peeling too: repeat until no loop has a partial iteration left.
      if (tiled->loops.empty())
        continue;
      Operation *nest = tiled->loops.front().getOperation();
      Block *block = nest->getBlock();
      // Every loop is tried once; partial iterations are never peeled again.
      DenseSet<Operation *> tried;
      bool peeled = true;
      while (peeled) {
        peeled = false;
        SmallVector<scf::ForOp> loops;
        // The nest and the partial iterations peeled off it (which land right
        // after it in the same block).
        for (Operation *op = nest; op && op->getBlock() == block;
             op = op->getNextNode()) {
          if (!isa<scf::ForOp>(op))
            break;
          op->walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
            if (!tried.contains(loop))
              loops.push_back(loop);
          });
        }
        for (scf::ForOp loop : loops) {
          tried.insert(loop);
          scf::ForOp partial;
          rewriter.setInsertionPoint(loop);
          if (succeeded(
                  scf::peelForLoopAndSimplifyBounds(rewriter, loop, partial))) {
            tried.insert(partial);
            peeled = true;
          }
        }
      }
    }
  }
};
} // namespace
