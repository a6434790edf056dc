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

/// The cuBLAS config of `op` if cuBLAS can compute it (a row-major matmul,
/// A and B both f32, f16 or bf16, C f32), else null.
codegen::LoweringConfigAttr cublasConfig(mlir::linalg::LinalgOp op);

/// The cuDNN config of `op` if cuDNN can compute it (a 2-D NCHW
/// convolution of f32 tensors), else null.
codegen::LoweringConfigAttr cudnnConfig(mlir::linalg::LinalgOp op);

} // namespace kiln::gpu

#endif // KILN_TARGET_GPU_CONFIGHEURISTIC_H
