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
// A tile whose innermost dimension is not the one the register tiles read as
// vectors (B^T in x * W^T, nn.dense's form: rows along k, vectors along n)
// is packed transposed, so that those vectors are contiguous; the op then
// reads it through a permuted indexing map (named ops become generics).
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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

/// The config of the transpose that packs a tile into `type`: 8x8 blocks
/// (capped at the tile), which vectorize into 8 row loads, a transpose in
/// registers and 8 row stores.
static LoweringConfigAttr transposeConfig(MLIRContext *context,
                                          RankedTensorType type) {
  SmallVector<int64_t> cache(type.getRank(), 0), reg(type.getRank(), 1);
  for (int64_t d = std::max<int64_t>(0, type.getRank() - 2); d < type.getRank();
       ++d)
    reg[d] = std::min<int64_t>(8, type.getDimSize(d));
  return LoweringConfigAttr::get(context, cache, reg);
}

/// The permutation of `operand`'s dimensions that makes the loop the
/// register tiles vectorize along (the loop of the result's innermost
/// dimension) its innermost one; empty if it already is, or if that loop
/// does not index the operand.
static SmallVector<int64_t> vectorDimLast(linalg::LinalgOp op,
                                          OpOperand &operand) {
  AffineMap resultMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  AffineMap map = op.getMatchingIndexingMap(&operand);
  if (resultMap.getNumResults() == 0 || map.getNumResults() < 2)
    return {};
  auto vectorLoop = dyn_cast<AffineDimExpr>(resultMap.getResults().back());
  if (!vectorLoop)
    return {};
  std::optional<unsigned> position = map.getResultPosition(
      getAffineDimExpr(vectorLoop.getPosition(), op->getContext()));
  if (!position || *position + 1 == map.getNumResults())
    return {};
  SmallVector<int64_t> permutation;
  for (unsigned i = 0; i < map.getNumResults(); ++i)
    if (i != *position)
      permutation.push_back(i);
  permutation.push_back(*position);
  return permutation;
}

/// Moves the packing of a tile (its slice, the buffer and the copy `pack`)
/// out of the loops it does not depend on: B's tile under cache_order = n,
/// k, m is then packed once for every m tile instead of once per m tile.
/// The three move together or not at all: a buffer hoisted without its copy
/// would be one buffer that the iterations of a distributed loop, running
/// at once, write into.
static void hoistPacking(Operation *pack, tensor::ExtractSliceOp slice,
                         tensor::EmptyOp buffer) {
  while (auto loop = pack->getParentOfType<scf::ForOp>()) {
    auto outside = [&](Operation *op) {
      return llvm::all_of(op->getOperands(), [&](Value v) {
        return loop.isDefinedOutsideOfLoop(v);
      });
    };
    if (slice->getParentOp() != pack->getParentOp() || !outside(slice) ||
        !outside(buffer))
      return;
    slice->moveBefore(loop);
    buffer->moveBefore(loop);
    pack->moveBefore(loop);
  }
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
        SmallVector<int64_t> permutation = vectorDimLast(op, operand);
        Value tile = operand.get();
        unsigned number = operand.getOperandNumber();
        // Transposed packing needs an op whose maps can change: a generic.
        auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
        if (!permutation.empty() && !generic) {
          FailureOr<linalg::GenericOp> generalized =
              linalg::generalizeNamedOp(rewriter, op);
          if (succeeded(generalized)) {
            generic = *generalized;
            generic->setAttr(LoweringConfigAttr::kAttrName, config);
            op = generic;
            rewriter.setInsertionPoint(op); // the named op is gone
          } else {
            permutation.clear();
          }
        }
        if (permutation.empty()) {
          Value buffer = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                                 type.getElementType());
          auto copy = linalg::CopyOp::create(rewriter, loc, tile, buffer);
          copy->setAttr(LoweringConfigAttr::kAttrName,
                        copyConfig(&getContext(), type));
          rewriter.modifyOpInPlace(
              op, [&] { op->setOperand(number, copy.getResult(0)); });
          hoistPacking(copy, slice, buffer.getDefiningOp<tensor::EmptyOp>());
          continue;
        }
        SmallVector<int64_t> shape;
        for (int64_t d : permutation)
          shape.push_back(type.getDimSize(d));
        auto packedType = RankedTensorType::get(shape, type.getElementType());
        Value buffer = tensor::EmptyOp::create(rewriter, loc, shape,
                                               type.getElementType());
        auto transpose = linalg::TransposeOp::create(rewriter, loc, tile,
                                                     buffer, permutation);
        transpose->setAttr(LoweringConfigAttr::kAttrName,
                           transposeConfig(&getContext(), packedType));
        SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
        AffineMap map = maps[number];
        SmallVector<AffineExpr> results;
        for (int64_t d : permutation)
          results.push_back(map.getResult(d));
        maps[number] = AffineMap::get(map.getNumDims(), map.getNumSymbols(),
                                      results, &getContext());
        rewriter.modifyOpInPlace(generic, [&] {
          generic.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
          generic->setOperand(number, transpose->getResult(0));
        });
        hoistPacking(transpose, slice, buffer.getDefiningOp<tensor::EmptyOp>());
      }
    }
  }
};
} // namespace
