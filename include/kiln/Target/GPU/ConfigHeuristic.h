//===- ConfigHeuristic.h - the GPU's default schedules ----------*- C++ -*-===//
//
// Part of Kiln. The schedule kiln-gpu-select-lowering-config gives an op,
// as a function: kiln-tune measures it as the reference of its GPU
// search, and kiln-apply-tuning-db compares tuned schedules with it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_GPU_CONFIGHEURISTIC_H
#define KILN_TARGET_GPU_CONFIGHEURISTIC_H

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiln::gpu {

struct HeuristicOptions {
  /// sm_90a's warpgroup kernel for f16 matmuls (not on the emulated GPU).
  bool wgmma = true;
  /// f32 matmuls on the tensor cores (--precision=tf32).
  bool tf32 = false;
  /// Libraries ops may call: `cublas`, `cudnn`.
  std::vector<std::string> libraries;
};

/// The schedule of `op` (static loop ranges) on `target`: a library call
/// where `options` allows one that computes it, else the tensor-core
/// schedule of a matmul the tiles divide, else the SIMT one. Null for an op
/// with a dynamic loop range.
codegen::LoweringConfigAttr heuristicConfig(mlir::linalg::LinalgOp op,
                                            codegen::GPUTargetAttr target,
                                            const HeuristicOptions &options);

/// The mma.sync instruction (m, n, k) that computes `op` on `target`'s
/// tensor cores, if Kiln's tensor-core schedules take it: a row-major
/// matmul on tensors of f16 operands into f16 or f32 (m16n8k16), or, with
/// `tf32`, of f32 operands into f32 (m16n8k8). (Not bf16: MLIR 22's
/// vector-to-nvgpu mma.sync conversion rejects it.)
std::optional<std::array<int64_t, 3>>
mmaSyncInstruction(mlir::linalg::LinalgOp op, codegen::GPUTargetAttr target,
                   bool tf32);

/// The cuBLAS config of `op` if cuBLAS can compute it (a row-major matmul,
/// A and B both f32, f16 or bf16, C f32), else null.
codegen::LoweringConfigAttr cublasConfig(mlir::linalg::LinalgOp op);

/// The cuDNN config of `op` if cuDNN can compute it (a 2-D NCHW
/// convolution of f32 tensors), else null.
codegen::LoweringConfigAttr cudnnConfig(mlir::linalg::LinalgOp op);

} // namespace kiln::gpu

#endif // KILN_TARGET_GPU_CONFIGHEURISTIC_H
