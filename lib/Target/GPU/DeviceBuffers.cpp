//===- DeviceBuffers.cpp - a GPU function's buffers in device memory ------===//
//
// Part of Kiln. See kiln-gpu-device-buffers in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Mapping.h"
#include "kiln/Target/GPU/Passes.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUDEVICEBUFFERS
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::gpu::isInDeviceCode;

namespace {
/// How a function may use a buffer, through all its views.
struct Access {
  bool read = false;
  bool written = false;
};
} // namespace

/// Adds what the users of `buffer` (and of views of it) do to it.
static void collectAccess(Value buffer, Access &access) {
  for (OpOperand &use : buffer.getUses()) {
    Operation *user = use.getOwner();
    if (auto view = dyn_cast<ViewLikeOpInterface>(user);
        view && view.getViewSource() == buffer) {
      for (Value result : user->getResults())
        collectAccess(result, access);
      continue;
    }
    // The base buffer of a view's metadata is the buffer itself.
    if (auto metadata = dyn_cast<memref::ExtractStridedMetadataOp>(user)) {
      collectAccess(metadata.getBaseBuffer(), access);
      continue;
    }
    auto effects = dyn_cast<MemoryEffectOpInterface>(user);
    if (!effects) {
      // A call, an op of an unknown dialect: it may do anything.
      access.read = access.written = true;
      continue;
    }
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &effect : instances) {
      // An effect on no value in particular may be on this one.
      if (effect.getValue() && effect.getValue() != buffer)
        continue;
      if (isa<MemoryEffects::Read>(effect.getEffect()))
        access.read = true;
      if (isa<MemoryEffects::Write>(effect.getEffect()))
        access.written = true;
    }
  }
}

/// Whether `type` is a buffer gpu.alloc can make: the default memory space.
static bool isHostSpaceBuffer(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && !memref.getMemorySpace();
}

namespace {
struct KilnGPUDeviceBuffersPass
    : public kiln::impl::KilnGPUDeviceBuffersBase<KilnGPUDeviceBuffersPass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp function = getOperation();
    if (function.isExternal())
      return;
    if (!argumentsOnDevice && failed(moveArguments(function)))
      return signalPassFailure();
    SmallVector<Operation *> hostOps;
    function.walk([&](Operation *op) {
      if (isa<memref::AllocOp, memref::AllocaOp, memref::DeallocOp,
              memref::GetGlobalOp>(op) &&
          !isInDeviceCode(op))
        hostOps.push_back(op);
    });
    SymbolTableCollection symbols;
    for (Operation *op : hostOps)
      if (failed(moveToDevice(op, symbols)))
        return signalPassFailure();
  }

  /// Gives each memref argument a device buffer, copied in at entry if the
  /// function reads it and back out before each return if it writes it.
  LogicalResult moveArguments(func::FuncOp function) {
    Block &entry = function.getBody().front();
    // The copies in, in argument order, at the top.
    OpBuilder b = OpBuilder::atBlockBegin(&entry);
    OpBuilder exit(function.getContext());
    for (BlockArgument argument : entry.getArguments()) {
      auto type = dyn_cast<MemRefType>(argument.getType());
      if (!type || argument.use_empty())
        continue;
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          type.getMemorySpace())
        return function.emitError()
               << "argument #" << argument.getArgNumber() << " of type " << type
               << " cannot be copied to the GPU: arguments must be dense "
                  "buffers of static shape in host memory";
      Access access;
      collectAccess(argument, access);
      if (!access.read && !access.written)
        continue;
      Location loc = argument.getLoc();
      auto device =
          mlir::gpu::AllocOp::create(b, loc, type, Type(), ValueRange(),
                                     ValueRange(), ValueRange(), false);
      Value buffer = device.getMemref();
      Operation *copyIn = nullptr;
      if (access.read)
        copyIn = mlir::gpu::MemcpyOp::create(b, loc, TypeRange(), ValueRange(),
                                             buffer, argument);
      argument.replaceUsesWithIf(
          buffer, [&](OpOperand &use) { return use.getOwner() != copyIn; });
      for (Block &block : function.getBody())
        if (auto ret = dyn_cast<func::ReturnOp>(block.getTerminator())) {
          exit.setInsertionPoint(ret);
          if (access.written)
            mlir::gpu::MemcpyOp::create(exit, loc, TypeRange(), ValueRange(),
                                        argument, buffer);
          mlir::gpu::DeallocOp::create(exit, loc, TypeRange(), ValueRange(),
                                       buffer);
        }
    }
    return success();
  }

  /// An allocation, deallocation or global read of the host, now of device
  /// memory.
  LogicalResult moveToDevice(Operation *op, SymbolTableCollection &symbols) {
    OpBuilder b(op);
    Location loc = op->getLoc();
    if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      if (!isHostSpaceBuffer(alloc.getType()))
        return success();
      auto device = mlir::gpu::AllocOp::create(
          b, loc, alloc.getType(), Type(), ValueRange(),
          alloc.getDynamicSizes(), alloc.getSymbolOperands(), false);
      alloc.replaceAllUsesWith(device.getMemref());
      alloc.erase();
      return success();
    }
    if (auto alloca = dyn_cast<memref::AllocaOp>(op)) {
      if (!isHostSpaceBuffer(alloca.getType()))
        return success();
      // A stack buffer lives until its block ends: so does its device copy.
      auto device = mlir::gpu::AllocOp::create(
          b, loc, alloca.getType(), Type(), ValueRange(),
          alloca.getDynamicSizes(), alloca.getSymbolOperands(), false);
      alloca.replaceAllUsesWith(device.getMemref());
      b.setInsertionPoint(alloca->getBlock()->getTerminator());
      mlir::gpu::DeallocOp::create(b, loc, TypeRange(), ValueRange(),
                                   device.getMemref());
      alloca.erase();
      return success();
    }
    if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
      if (!isHostSpaceBuffer(dealloc.getMemref().getType()))
        return success();
      mlir::gpu::DeallocOp::create(b, loc, TypeRange(), ValueRange(),
                                   dealloc.getMemref());
      dealloc.erase();
      return success();
    }
    auto read = cast<memref::GetGlobalOp>(op);
    auto global = symbols.lookupNearestSymbolFrom<memref::GlobalOp>(
        read, read.getNameAttr());
    if (!global || !global.getConstant() || !global.getInitialValue())
      return read.emitError() << "the GPU reads only constant globals, not '"
                              << read.getName() << "'";
    auto device = kiln::codegen::DeviceConstantOp::create(
        b, loc, read.getType(), read.getNameAttr());
    read.replaceAllUsesWith(device.getResult());
    read.erase();
    return success();
  }
};
} // namespace
