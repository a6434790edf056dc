//===- TileAndDistribute.cpp - linalg ops onto blocks and threads ---------===//
//
// Part of Kiln. See kiln-gpu-tile-and-distribute in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Mapping.h"
#include "kiln/Target/GPU/Passes.h"
#include "kiln/Target/GPU/TileLevels.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUTILEANDDISTRIBUTE
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;

/// A one-iteration forall with `mapping` around `op`.
static void wrapInForall(RewriterBase &rewriter, Operation *op,
                         Attribute mapping) {
  rewriter.setInsertionPoint(op);
  auto forall = scf::ForallOp::create(
      rewriter, op->getLoc(), ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)},
      ValueRange{}, rewriter.getArrayAttr({mapping}));
  rewriter.moveOpBefore(op, forall.getBody()->getTerminator());
}

/// Tiles `op` at `sizes` into an scf.forall mapped with `MappingAttr`;
/// returns the tiled op, or null after an error.
template <typename MappingAttr>
static Operation *tileOnto(RewriterBase &rewriter, linalg::LinalgOp op,
                           ArrayRef<int64_t> sizes) {
  int64_t tiled = llvm::count_if(sizes, [](int64_t s) { return s != 0; });
  if (tiled == 0) {
    wrapInForall(
        rewriter, op,
        MappingAttr::get(op->getContext(), mlir::gpu::MappingId::LinearDim0));
    return op;
  }
  if (tiled > 10) {
    op->emitError() << "has " << tiled
                    << " tiled loops: a GPU schedule maps at most 10";
    return nullptr;
  }
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), sizes));
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  options.setMapping(
      kiln::gpu::linearMapping<MappingAttr>(op->getContext(), tiled));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(result) || result->tiledOps.size() != 1) {
    op->emitError() << "could not be tiled for the GPU";
    return nullptr;
  }
  Operation *tiledOp = result->tiledOps.front();
  rewriter.eraseOp(op);
  return tiledOp;
}

namespace {
struct KilnGPUTileAndDistributePass
    : public kiln::impl::KilnGPUTileAndDistributeBase<
          KilnGPUTileAndDistributePass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      // (A library computes its ops: kiln-gpu-library-calls.)
      if (!op->getParentOfType<scf::ForallOp>() &&
          !op->getParentOfType<mlir::gpu::LaunchOp>() &&
          !kiln::gpu::isLibraryCall(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      if (!op.hasPureBufferSemantics()) {
        op->emitError() << "is on tensors: the GPU schedule tiles ops on "
                           "buffers (after bufferization)";
        return signalPassFailure();
      }
      if (!kiln::gpu::hasGPUSchedule(op)) {
        op->emitError() << "has no GPU schedule (a lowering_config with "
                           "`workgroup` and `thread` levels; "
                           "kiln-gpu-select-lowering-config writes one)";
        return signalPassFailure();
      }
      auto config =
          op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
      if (!config.getLevel(kiln::gpu::kThreadLevel)) {
        op->emitError() << "has a tensor-core schedule (a `warp` level), "
                           "which kiln-gpu-vectorize-contractions tiles on "
                           "tensors, before bufferization";
        return signalPassFailure();
      }
      if (config.getNumLoops() != op.getNumLoops()) {
        op->emitError() << "has " << op.getNumLoops()
                        << " loops but its lowering_config tiles "
                        << config.getNumLoops();
        return signalPassFailure();
      }
      for (auto [d, iterator] : llvm::enumerate(op.getIteratorTypesArray()))
        if (iterator != utils::IteratorType::parallel &&
            (config.getTiles(kiln::gpu::kWorkgroupLevel)[d] != 0 ||
             config.getTiles(kiln::gpu::kThreadLevel)[d] != 0)) {
          op->emitError()
              << "lowering_config tiles loop " << d
              << ", a reduction, over blocks or threads: only parallel "
                 "loops can be distributed";
          return signalPassFailure();
        }
      SmallVector<int64_t> thread(config.getTiles(kiln::gpu::kThreadLevel));
      Operation *blockTile = tileOnto<mlir::gpu::GPUBlockMappingAttr>(
          rewriter, op, config.getTiles(kiln::gpu::kWorkgroupLevel));
      if (!blockTile)
        return signalPassFailure();
      Operation *threadTile = tileOnto<mlir::gpu::GPUThreadMappingAttr>(
          rewriter, cast<linalg::LinalgOp>(blockTile), thread);
      if (!threadTile)
        return signalPassFailure();
      threadTile->removeAttr(LoweringConfigAttr::kAttrName);
    }
  }
};
} // namespace
