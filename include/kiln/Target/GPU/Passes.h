//===- Passes.h - NVIDIA GPU code generation passes -------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_GPU_PASSES_H
#define KILN_TARGET_GPU_PASSES_H

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace kiln {

#define GEN_PASS_DECL
#include "kiln/Target/GPU/Passes.h.inc"

struct PipelineOptions;

/// The GPU's stages of buildPipeline. The ops in the forms the GPU's
/// schedules are chosen (and tuned) for: pads decomposed, matmul and
/// convolution inputs rounded to --precision.
void addGPUTunableFormPasses(mlir::OpPassManager &pm,
                             const PipelineOptions &options);
/// On tensors: every linalg op's GPU schedule
/// (kiln-gpu-select-lowering-config), the tensor-core ones vectorized.
void addGPUTilingPasses(mlir::OpPassManager &pm,
                        const PipelineOptions &options);
/// On buffers: copies as linalg ops, their schedules, every op tiled onto
/// block and thread foralls, no buffer access left to the host, the host's
/// buffers in device memory.
void addGPUDistributionPasses(mlir::OpPassManager &pm,
                              const PipelineOptions &options);
/// --device=cuda: the foralls as kernels, outlined into gpu.modules, NVVM,
/// PTX for each of `options.gpuArchs` in gpu.binary objects, then the host.
void addGPUKernelPasses(mlir::OpPassManager &pm,
                        const PipelineOptions &options);
/// The host code of --device=cuda to the LLVM dialect: launches, copies and
/// allocations become calls of Kiln's CUDA runtime (mgpu*, CUDARuntime.h),
/// the gpu.binary's kernels are loaded when the program starts.
void addGPUHostLoweringPasses(mlir::OpPassManager &pm);
/// --device=emulated-cuda: the foralls as CPU loops, then the CPU's
/// lowering, so that the GPU schedule runs (one thread at a time) here.
void addEmulatedGPULoweringPasses(mlir::OpPassManager &pm,
                                  const PipelineOptions &options);

#define GEN_PASS_REGISTRATION
#include "kiln/Target/GPU/Passes.h.inc"

} // namespace kiln

#endif // KILN_TARGET_GPU_PASSES_H
