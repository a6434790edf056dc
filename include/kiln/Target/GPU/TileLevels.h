//===- TileLevels.h - the tile levels of a GPU lowering_config --*- C++ -*-===//
//
// Part of Kiln. A GPU schedule tiles an op for the thread blocks
// (`workgroup`), then for each thread of a block (`thread`). These are the
// names of those levels in a #kiln_codegen.lowering_config.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_GPU_TILELEVELS_H
#define KILN_TARGET_GPU_TILELEVELS_H

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringRef.h"

#include <array>
#include <cstdint>
#include <optional>

namespace kiln::gpu {
inline constexpr llvm::StringLiteral kWorkgroupLevel = "workgroup";
inline constexpr llvm::StringLiteral kThreadLevel = "thread";
/// The tensor-core schedule's: a warp's tile, the K step, and the shape of
/// one tensor-core instruction (m, n, k).
inline constexpr llvm::StringLiteral kWarpLevel = "warp";
inline constexpr llvm::StringLiteral kReductionLevel = "reduction";
inline constexpr llvm::StringLiteral kMmaLevel = "mma";

/// Threads in a warp.
inline constexpr int64_t kWarpSize = 32;

/// The shapes (m, n, k) of the mma.sync instructions Kiln's tensor-core
/// schedules unroll to: m16n8k16 for f16 operands, m16n8k8 (tf32) for f32
/// ones.
inline constexpr std::array<int64_t, 3> kMmaSyncF16Shape = {16, 8, 16};
inline constexpr std::array<int64_t, 3> kMmaSyncTF32Shape = {16, 8, 8};

/// The instruction shape for contractions of `operand` elements, if any.
inline std::optional<std::array<int64_t, 3>> mmaSyncShape(mlir::Type operand) {
  if (operand.isF16())
    return kMmaSyncF16Shape;
  if (operand.isF32())
    return kMmaSyncTF32Shape;
  return std::nullopt;
}

/// Whether `op` carries a lowering_config with a `workgroup` level and a
/// `thread` level (SIMT) or a `warp` level (tensor cores), or one that
/// names a library: a GPU schedule.
bool hasGPUSchedule(mlir::Operation *op);

/// Whether `op`'s lowering_config names a library that computes it (the
/// op gets no kernel of Kiln's: kiln-gpu-library-calls).
bool isLibraryCall(mlir::Operation *op);

/// Whether `op` is `C[m, n] += A[m, k] * B[k, n]` (loops m, n, k; the
/// standard matmul maps), whatever its element types.
bool isRowMajorMatmul(mlir::linalg::LinalgOp op);

/// Whether `config` is sm_90a's wgmma schedule: `workgroup` and `mma`
/// levels, no `warp` or `thread` level.
bool isWgmmaSchedule(codegen::LoweringConfigAttr config);
} // namespace kiln::gpu

#endif // KILN_TARGET_GPU_TILELEVELS_H
