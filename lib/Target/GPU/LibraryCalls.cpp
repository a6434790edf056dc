//===- LibraryCalls.cpp - ops as calls of cuBLAS and cuDNN ----------------===//
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
/// void kiln_cuda_conv2d(int32_t tf32, n, c, h, w, x, x's 4 strides, k, r,
///                       s, filter, 2 strides, 2 dilations, p, q, y, y's 4
///                       strides, 2 paddings): 26 int64_t after tf32.
static constexpr llvm::StringLiteral kConvolutionFunction = "kiln_cuda_conv2d";
static constexpr unsigned kConvolutionSizes = 26;

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

/// The device address of `buffer`'s first element and (with `withStrides`)
/// its strides in elements, as i64 values.
static std::pair<Value, SmallVector<Value>>
addressAndStrides(OpBuilder &b, Location loc, Value buffer,
                  bool withStrides = true) {
  auto type = cast<MemRefType>(buffer.getType());
  Type i64 = b.getI64Type();
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, buffer);
  Value aligned =
      memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  Value byteOffset = arith::MulIOp::create(
      b, loc, metadata.getOffset(),
      arith::ConstantIndexOp::create(b, loc, elementBytes));
  Value address = arith::IndexCastOp::create(
      b, loc, i64, arith::AddIOp::create(b, loc, aligned, byteOffset));
  SmallVector<Value> strides;
  if (withStrides)
    for (Value stride : metadata.getStrides())
      strides.push_back(arith::IndexCastOp::create(b, loc, i64, stride));
  return {address, strides};
}

/// Whether `buffer`'s innermost stride is 1; else an error on `op` naming
/// the operand.
static bool hasUnitInnerStride(Operation *op, Value buffer, StringRef name) {
  auto type = cast<MemRefType>(buffer.getType());
  SmallVector<int64_t> strides;
  int64_t offset = 0;
  if (succeeded(type.getStridesAndOffset(strides, offset)) &&
      !strides.empty() && strides.back() == 1)
    return true;
  op->emitError() << "calls cuBLAS, whose matrices are row-major here, but "
                  << name << " (" << type
                  << ") does not have a unit inner stride";
  return false;
}

/// Whether `type`'s elements are contiguous, row-major (strides of size-1
/// dimensions do not matter).
static bool isPacked(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset = 0;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  int64_t expected = 1;
  for (int64_t d = type.getRank() - 1; d >= 0; --d) {
    if (type.getDimSize(d) != 1 && strides[d] != expected)
      return false;
    expected *= type.getDimSize(d);
  }
  return true;
}

namespace {
struct KilnGPULibraryCallsPass
    : public kiln::impl::KilnGPULibraryCallsBase<KilnGPULibraryCallsPass> {
  using Base::Base;

  /// The declaration of the runtime function `name` taking `flags` i32
  /// then `sizes` i64, made on first use.
  func::FuncOp declaration(StringRef name, unsigned flags, unsigned sizes) {
    ModuleOp module = getOperation();
    if (auto existing = module.lookupSymbol<func::FuncOp>(name))
      return existing;
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    SmallVector<Type> types(flags, b.getI32Type());
    types.append(sizes, b.getI64Type());
    auto function = func::FuncOp::create(b, module.getLoc(), name,
                                         b.getFunctionType(types, {}));
    function.setPrivate();
    return function;
  }

  /// Replaces the matmul `op` by kiln_cuda_gemm; false after an error.
  bool lowerMatmul(linalg::LinalgOp op) {
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
    if (!hasUnitInnerStride(op, a, "A") || !hasUnitInnerStride(op, b, "B") ||
        !hasUnitInnerStride(op, c, "C"))
      return false;
    OpBuilder builder(op);
    Location loc = op.getLoc();
    auto [aAddress, aStrides] = addressAndStrides(builder, loc, a);
    auto [bAddress, bStrides] = addressAndStrides(builder, loc, b);
    auto [cAddress, cStrides] = addressAndStrides(builder, loc, c);
    auto i64 = [&](int64_t v) -> Value {
      return arith::ConstantIntOp::create(builder, loc, v, 64);
    };
    func::CallOp::create(
        builder, loc, declaration(kGemmFunction, 2, 9),
        ValueRange{arith::ConstantIntOp::create(builder, loc, *dataType, 32),
                   arith::ConstantIntOp::create(builder, loc, tf32 ? 1 : 0, 32),
                   i64(ranges[0]), i64(ranges[1]), i64(ranges[2]), aAddress,
                   aStrides[0], bAddress, bStrides[0], cAddress, cStrides[0]});
    op->erase();
    return true;
  }

  /// Replaces the convolution `op` by kiln_cuda_conv2d; false after an
  /// error.
  bool lowerConvolution(linalg::LinalgOp op) {
    auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op.getOperation());
    if (!conv || !op.hasPureBufferSemantics()) {
      op->emitError() << "calls cuDNN, which computes 2-D NCHW convolutions "
                         "(linalg.conv_2d_nchw_fchw) on buffers only";
      return false;
    }
    Value x = op.getDpsInputs()[0], w = op.getDpsInputs()[1],
          y = op.getDpsInits()[0];
    auto xType = cast<MemRefType>(x.getType()),
         wType = cast<MemRefType>(w.getType()),
         yType = cast<MemRefType>(y.getType());
    if (!xType.getElementType().isF32() || !wType.getElementType().isF32() ||
        !yType.getElementType().isF32()) {
      op->emitError() << "calls cuDNN, which Kiln asks for convolutions of "
                         "f32 tensors only";
      return false;
    }
    if (!xType.hasStaticShape() || !wType.hasStaticShape() ||
        !yType.hasStaticShape()) {
      op->emitError() << "calls cuDNN with sizes unknown at compile time";
      return false;
    }
    // cuDNN's filter descriptor has no strides: the filters must be packed.
    if (!isPacked(wType)) {
      op->emitError() << "calls cuDNN, whose filters must be packed, but "
                         "they are "
                      << wType;
      return false;
    }
    OpBuilder builder(op);
    Location loc = op.getLoc();
    auto [xAddress, xStrides] = addressAndStrides(builder, loc, x);
    // (Packed: no strides to pass.)
    Value wAddress =
        addressAndStrides(builder, loc, w, /*withStrides=*/false).first;
    auto [yAddress, yStrides] = addressAndStrides(builder, loc, y);
    auto i64 = [&](int64_t v) -> Value {
      return arith::ConstantIntOp::create(builder, loc, v, 64);
    };
    ArrayRef<int64_t> xShape = xType.getShape(), wShape = wType.getShape(),
                      yShape = yType.getShape();
    SmallVector<int64_t> strides(conv.getStrides().getValues<int64_t>());
    SmallVector<int64_t> dilations(conv.getDilations().getValues<int64_t>());
    SmallVector<Value> arguments = {
        arith::ConstantIntOp::create(builder, loc, tf32 ? 1 : 0, 32)};
    for (int64_t d : xShape)
      arguments.push_back(i64(d));
    arguments.push_back(xAddress);
    arguments.append(xStrides);
    arguments.append({i64(wShape[0]), i64(wShape[2]), i64(wShape[3])});
    arguments.push_back(wAddress);
    arguments.append({i64(strides[0]), i64(strides[1]), i64(dilations[0]),
                      i64(dilations[1]), i64(yShape[2]), i64(yShape[3])});
    arguments.push_back(yAddress);
    arguments.append(yStrides);
    // (Padding is already in x: pads became fills and copies.)
    arguments.append({i64(0), i64(0)});
    func::CallOp::create(
        builder, loc, declaration(kConvolutionFunction, 1, kConvolutionSizes),
        arguments);
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
      StringRef library =
          op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName)
              .getLibrary();
      bool lowered = library == LoweringConfigAttr::kCuDNN
                         ? lowerConvolution(op)
                         : lowerMatmul(op);
      if (!lowered)
        return signalPassFailure();
    }
  }
};
} // namespace
