//===- AlignSharedMemory.cpp - 16-byte aligned shared buffers -------------===//
//
// Part of Kiln. See kiln-gpu-align-shared-memory in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Passes.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUALIGNSHAREDMEMORY
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct KilnGPUAlignSharedMemoryPass
    : public kiln::impl::KilnGPUAlignSharedMemoryBase<
          KilnGPUAlignSharedMemoryPass> {
  void runOnOperation() override {
    Builder builder(&getContext());
    for (auto kernel : getOperation().getOps<mlir::gpu::GPUFuncOp>())
      for (unsigned i = 0, e = kernel.getNumWorkgroupAttributions(); i < e; ++i)
        kernel.setWorkgroupAttributionAttr(i, "llvm.align",
                                           builder.getI64IntegerAttr(16));
  }
};
} // namespace
