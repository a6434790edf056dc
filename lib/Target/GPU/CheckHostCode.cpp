//===- CheckHostCode.cpp - no buffer access left to the host --------------===//
//
// Part of Kiln. See kiln-gpu-check-host-code in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Mapping.h"
#include "kiln/Target/GPU/Passes.h"
#include "kiln/Target/GPU/TileLevels.h"

#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUCHECKHOSTCODE
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// Whether `op` reads or writes memory (allocating and freeing are host
/// work).
static bool accessesMemory(Operation *op) {
  // A call's callee is a function of the module, checked on its own.
  if (isa<CallOpInterface>(op))
    return false;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    // Unknown effects: calls, ops of other dialects. Those with regions
    // are looked into separately.
    return op->getNumRegions() == 0 &&
           !op->hasTrait<OpTrait::HasRecursiveMemoryEffects>() &&
           !isa<func::ReturnOp>(op) && !op->hasTrait<OpTrait::IsTerminator>();
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  return llvm::any_of(instances, [](const MemoryEffects::EffectInstance &e) {
    return isa<MemoryEffects::Read, MemoryEffects::Write>(e.getEffect());
  });
}

namespace {
struct KilnGPUCheckHostCodePass
    : public kiln::impl::KilnGPUCheckHostCodeBase<KilnGPUCheckHostCodePass> {
  void runOnOperation() override {
    bool failed = false;
    getOperation().walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<mlir::gpu::LaunchOp>(op))
        return WalkResult::skip();
      if (kiln::gpu::isBlockForall(op) || kiln::gpu::isLibraryCall(op))
        return WalkResult::skip();
      if (op == getOperation().getOperation() || !accessesMemory(op))
        return WalkResult::advance();
      op->emitError() << "would run on the host, but the GPU holds the "
                         "buffers it reads or writes: Kiln has no GPU "
                         "kernel for '"
                      << op->getName() << "' here";
      failed = true;
      return WalkResult::skip();
    });
    if (failed)
      signalPassFailure();
  }
};
} // namespace
