//===- LibraryCalls.cpp - matmuls as calls of cuBLAS through the runtime --===//
//
// Part of Kiln. See kiln-gpu-library-calls in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Passes.h"
#include "kiln/Target/GPU/TileLevels.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPULIBRARYCALLS
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;

/// void kiln_cuda_gemm(int32_t inputType, int32_t tf32, int64_t m,
///                     int64_t n, int64_t k, uint64_t a, int64_t lda,
///                     uint64_t b, int64_t ldb, uint64_t c, int64_t ldc)
/// (include/kiln/Runtime/CUDARuntime.h).
static constexpr llvm::StringLiteral kGemmFunction = "kiln_cuda_gemm";

/// cudaDataType of `element`, if cublasGemmEx reads it as an input.
static std::optional<int32_t> cudaDataType(Type element) {
  if (element.isF32())
    return 0; // CUDA_R_32F
  if (element.isF16())
    return 2; // CUDA_R_16F
  if (element.isBF16())
    return 14; // CUDA_R_16BF
  return std::nullopt;
}

/// The device address of `buffer`'s first element and its row stride, as
/// i64 values; null after an error (not row-major).
static std::pair<Value, Value> addressAndRowStride(OpBuilder &b, Location loc,
                                                   Operation *op, Value buffer,
                                                   StringRef name) {
  auto type = cast<MemRefType>(buffer.getType());
  SmallVector<int64_t> strides;
  int64_t offset = 0;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      strides.size() != 2 || strides[1] != 1) {
    op->emitError() << "calls cuBLAS, whose matrices are row-major here, but "
                    << name << " (" << type
                    << ") does not have a unit inner stride";
    return {};
  }
  Type i64 = b.getI64Type();
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, buffer);
  Value aligned =
      memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  Value byteOffset = arith::MulIOp::create(
      b, loc, metadata.getOffset(),
      arith::ConstantIndexOp::create(b, loc, elementBytes));
  Value address = arith::AddIOp::create(b, loc, aligned, byteOffset);
  return {arith::IndexCastOp::create(b, loc, i64, address),
          arith::IndexCastOp::create(b, loc, i64, metadata.getStrides()[0])};
}

namespace {
struct KilnGPULibraryCallsPass
    : public kiln::impl::KilnGPULibraryCallsBase<KilnGPULibraryCallsPass> {
  using Base::Base;

  /// The declaration of kiln_cuda_gemm, made on first use.
  func::FuncOp gemmFunction() {
    ModuleOp module = getOperation();
    if (auto existing = module.lookupSymbol<func::FuncOp>(kGemmFunction))
      return existing;
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Type i32 = b.getI32Type(), i64 = b.getI64Type();
    auto type = b.getFunctionType(
        {i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64}, {});
    auto function =
        func::FuncOp::create(b, module.getLoc(), kGemmFunction, type);
    function.setPrivate();
    return function;
  }

  /// Replaces `op` by the call; false after an error.
  bool lower(linalg::LinalgOp op) {
    if (!op.hasPureBufferSemantics() || !kiln::gpu::isRowMajorMatmul(op)) {
      op->emitError() << "calls cuBLAS, which computes matmuls (C[m, n] += "
                         "A[m, k] * B[k, n]) on buffers only";
      return false;
    }
    Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1],
          c = op.getDpsInits()[0];
    Type inputType = getElementTypeOrSelf(a.getType());
    std::optional<int32_t> dataType = cudaDataType(inputType);
    if (!dataType || inputType != getElementTypeOrSelf(b.getType()) ||
        !getElementTypeOrSelf(c.getType()).isF32()) {
      op->emitError() << "calls cuBLAS, which Kiln asks for matmuls of f32, "
                         "f16 or bf16 inputs (both the same) into f32";
      return false;
    }
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (llvm::any_of(ranges, ShapedType::isDynamic)) {
      op->emitError() << "calls cuBLAS with sizes unknown at compile time";
      return false;
    }
    OpBuilder builder(op);
    Location loc = op.getLoc();
    auto [aAddress, lda] = addressAndRowStride(builder, loc, op, a, "A");
    auto [bAddress, ldb] = addressAndRowStride(builder, loc, op, b, "B");
    auto [cAddress, ldc] = addressAndRowStride(builder, loc, op, c, "C");
    if (!aAddress || !bAddress || !cAddress)
      return false;
    auto i32 = [&](int64_t v) -> Value {
      return arith::ConstantIntOp::create(builder, loc, v, 32);
    };
    auto i64 = [&](int64_t v) -> Value {
      return arith::ConstantIntOp::create(builder, loc, v, 64);
    };
    func::CallOp::create(builder, loc, gemmFunction(),
                         ValueRange{i32(*dataType), i32(tf32 ? 1 : 0),
                                    i64(ranges[0]), i64(ranges[1]),
                                    i64(ranges[2]), aAddress, lda, bAddress,
                                    ldb, cAddress, ldc});
    op->erase();
    return true;
  }

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (kiln::gpu::isLibraryCall(op))
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops) {
      if (emulate) {
        op->removeAttr(LoweringConfigAttr::kAttrName);
        continue;
      }
      if (!lower(op))
        return signalPassFailure();
    }
  }
};
} // namespace
