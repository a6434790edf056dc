//===- EmulateDeviceMemory.cpp - device memory on the host ----------------===//
//
// Part of Kiln. See kiln-gpu-emulate-device-memory in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Mapping.h"
#include "kiln/Target/GPU/Passes.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUEMULATEDEVICEMEMORY
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct KilnGPUEmulateDeviceMemoryPass
    : public kiln::impl::KilnGPUEmulateDeviceMemoryBase<
          KilnGPUEmulateDeviceMemoryPass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<mlir::gpu::AllocOp, mlir::gpu::DeallocOp, mlir::gpu::MemcpyOp,
              kiln::codegen::DeviceConstantOp>(op))
        ops.push_back(op);
    });
    // A thread's private buffers (kiln-gpu-private-accumulators) are made
    // once, at the top: the emulated threads run one after another, and a
    // stack allocation in their loops would grow the stack each time.
    SmallVector<memref::AllocaOp> privateBuffers;
    getOperation().walk([&](memref::AllocaOp alloca) {
      if (alloca.getType().hasStaticShape() &&
          !alloca.getType().getMemorySpace() && alloca->getNumOperands() == 0 &&
          kiln::gpu::isInDeviceCode(alloca))
        privateBuffers.push_back(alloca);
    });
    Block &entry = getOperation().getBody().front();
    for (memref::AllocaOp alloca : privateBuffers)
      alloca->moveBefore(&entry, entry.begin());
    for (Operation *op : ops) {
      OpBuilder b(op);
      Location loc = op->getLoc();
      if (op->getNumResults() > 0 &&
          isa<mlir::gpu::AsyncTokenType>(op->getResults().back().getType())) {
        op->emitError() << "the emulated GPU runs synchronous copies only";
        return signalPassFailure();
      }
      if (auto alloc = dyn_cast<mlir::gpu::AllocOp>(op)) {
        // The CPU lowering's alignment for heap buffers.
        auto host = memref::AllocOp::create(
            b, loc, alloc.getType(), alloc.getDynamicSizes(),
            alloc.getSymbolOperands(), b.getI64IntegerAttr(64));
        alloc.getMemref().replaceAllUsesWith(host.getResult());
      } else if (auto dealloc = dyn_cast<mlir::gpu::DeallocOp>(op)) {
        memref::DeallocOp::create(b, loc, dealloc.getMemref());
      } else if (auto copy = dyn_cast<mlir::gpu::MemcpyOp>(op)) {
        memref::CopyOp::create(b, loc, copy.getSrc(), copy.getDst());
      } else {
        auto constant = cast<kiln::codegen::DeviceConstantOp>(op);
        auto read = memref::GetGlobalOp::create(b, loc, constant.getType(),
                                                constant.getGlobalAttr());
        constant.replaceAllUsesWith(read.getResult());
      }
      op->erase();
    }
  }
};
} // namespace
