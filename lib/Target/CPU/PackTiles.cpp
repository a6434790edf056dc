//===- PackTiles.cpp - copy cache tiles of operands into dense buffers ----===//
//
// Part of Kiln. Runs between the cache and the register tiling. A cache tile
// of B in a row-major matmul is kc rows of nc elements, one row per matrix
// row apart: at 1024 columns that is 4 KiB, so every row of the tile maps to
// the same L1 set (and a few L2 sets), and the register tiles that stream
// the tile from top to bottom miss on every row. Copying the tile into a
// dense kc x nc buffer once per cache tile (the "packing" of GotoBLAS/BLIS)
// costs one read of it and makes every later read a hit.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPUPACKTILES
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;

/// The config of the copy that packs a tile of `type`: no cache tiles, and
/// register tiles of one whole row, so that the copy becomes a loop over
/// rows of vector loads and stores.
static LoweringConfigAttr copyConfig(MLIRContext *context,
                                     RankedTensorType type) {
  SmallVector<int64_t> cache(type.getRank(), 0), reg(type.getRank(), 1);
  reg.back() = type.getShape().back();
  return LoweringConfigAttr::get(context, cache, reg);
}

namespace {
struct KilnCPUPackTilesPass
    : public kiln::impl::KilnCPUPackTilesBase<KilnCPUPackTilesPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> targets;
    getOperation()->walk([&](linalg::LinalgOp op) {
      auto config =
          op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
      if (config && !config.getPackedOperands().empty())
        targets.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : targets) {
      auto config =
          op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
      for (int64_t index : config.getPackedOperands()) {
        if (index >= op.getNumDpsInputs()) {
          op->emitError() << "lowering_config packs operand " << index
                          << ", but the op has " << op.getNumDpsInputs()
                          << " inputs";
          return signalPassFailure();
        }
        OpOperand &operand = *op.getDpsInputOperand(index);
        // Only tiles are packed: a whole operand (an op too small to be
        // tiled) is read once anyway. Dynamic tiles (which stay scalar) are
        // not worth a copy either.
        auto slice = operand.get().getDefiningOp<tensor::ExtractSliceOp>();
        auto type = dyn_cast<RankedTensorType>(operand.get().getType());
        if (!slice || !type || !type.hasStaticShape() || type.getRank() == 0)
          continue;
        rewriter.setInsertionPoint(op);
        Location loc = op.getLoc();
        Value buffer = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                               type.getElementType());
        auto copy = linalg::CopyOp::create(rewriter, loc, operand.get(), buffer);
        copy->setAttr(LoweringConfigAttr::kAttrName,
                      copyConfig(&getContext(), type));
        rewriter.modifyOpInPlace(
            op, [&] { operand.set(copy.getResult(0)); });
      }
    }
  }
};
} // namespace
