//===- LowerDeviceConstants.cpp - device constants as runtime calls -------===//
//
// Part of Kiln. See kiln-gpu-lower-device-constants in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Passes.h"

#include "mlir/Conversion/LLVMCommon/MemRefBuilder.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPULOWERDEVICECONSTANTS
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// void *kiln_cuda_device_constant(const void *host, uint64_t bytes)
/// (include/kiln/Runtime/CUDARuntime.h).
static constexpr llvm::StringLiteral kRuntimeFunction =
    "kiln_cuda_device_constant";

/// The bytes of a buffer of `type` as memref-to-llvm lays it out.
static int64_t bufferBytes(MemRefType type, const DataLayout &layout) {
  int64_t elementBytes =
      static_cast<int64_t>(layout.getTypeSize(type.getElementType()));
  return type.getNumElements() * elementBytes;
}

namespace {
struct KilnGPULowerDeviceConstantsPass
    : public kiln::impl::KilnGPULowerDeviceConstantsBase<
          KilnGPULowerDeviceConstantsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<kiln::codegen::DeviceConstantOp> constants;
    module.walk(
        [&](kiln::codegen::DeviceConstantOp op) { constants.push_back(op); });
    if (constants.empty())
      return;
    MLIRContext *context = &getContext();
    LLVMTypeConverter converter(context);
    DataLayout layout(module);
    auto ptr = LLVM::LLVMPointerType::get(context);
    auto i64 = IntegerType::get(context, 64);
    auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(kRuntimeFunction);
    if (!callee) {
      OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
      callee = LLVM::LLVMFuncOp::create(
          b, module.getLoc(), kRuntimeFunction,
          LLVM::LLVMFunctionType::get(ptr, {ptr, i64}));
    }
    for (kiln::codegen::DeviceConstantOp op : constants) {
      OpBuilder b(op);
      Location loc = op.getLoc();
      MemRefType type = op.getType();
      Value host =
          memref::GetGlobalOp::create(b, loc, type, op.getGlobalAttr());
      Value address =
          memref::ExtractAlignedPointerAsIndexOp::create(b, loc, host);
      Value hostAddress = arith::IndexCastOp::create(b, loc, i64, address);
      Value hostPointer = LLVM::IntToPtrOp::create(b, loc, ptr, hostAddress);
      Value bytes = LLVM::ConstantOp::create(
          b, loc, i64, b.getI64IntegerAttr(bufferBytes(type, layout)));
      Value device =
          LLVM::CallOp::create(b, loc, callee, ValueRange{hostPointer, bytes})
              .getResult();
      Value descriptor =
          MemRefDescriptor::fromStaticShape(b, loc, converter, type, device);
      Value buffer = UnrealizedConversionCastOp::create(b, loc, TypeRange{type},
                                                        ValueRange{descriptor})
                         .getResult(0);
      op.replaceAllUsesWith(buffer);
      op.erase();
    }
  }
};
} // namespace
