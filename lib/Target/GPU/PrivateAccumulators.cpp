//===- PrivateAccumulators.cpp - a thread's sums in registers -------------===//
//
// Part of Kiln. See kiln-gpu-private-accumulators in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Passes.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUPRIVATEACCUMULATORS
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// The largest output tile (elements) a thread keeps in registers.
static constexpr int64_t kMaxPrivateElements = 16;

/// Whether `op` is directly in a thread's loop of the GPU schedule.
static bool isThreadTile(Operation *op) {
  auto forall = dyn_cast_or_null<scf::ForallOp>(op->getParentOp());
  if (!forall)
    return false;
  std::optional<ArrayAttr> mapping = forall.getMapping();
  return mapping && !mapping->empty() &&
         isa<mlir::gpu::GPUThreadMappingAttr>(mapping->getValue().front());
}

namespace {
struct KilnGPUPrivateAccumulatorsPass
    : public kiln::impl::KilnGPUPrivateAccumulatorsBase<
          KilnGPUPrivateAccumulatorsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (!op.hasPureBufferSemantics() || op.getNumReductionLoops() == 0 ||
          op.getNumDpsInits() != 1 || !isThreadTile(op))
        return;
      auto tile = dyn_cast<MemRefType>(op.getDpsInits().front().getType());
      if (!tile || !tile.hasStaticShape() ||
          tile.getNumElements() > kMaxPrivateElements)
        return;
      ops.push_back(op);
    });
    OpBuilder b(&getContext());
    for (linalg::LinalgOp op : ops) {
      Location loc = op.getLoc();
      OpOperand *init = op.getDpsInitOperand(0);
      Value tile = init->get();
      auto type = cast<MemRefType>(tile.getType());
      b.setInsertionPoint(op);
      Value accumulator = memref::AllocaOp::create(
          b, loc, MemRefType::get(type.getShape(), type.getElementType()));
      linalg::CopyOp::create(b, loc, tile, accumulator);
      init->set(accumulator);
      b.setInsertionPointAfter(op);
      linalg::CopyOp::create(b, loc, accumulator, tile);
    }
  }
};
} // namespace
