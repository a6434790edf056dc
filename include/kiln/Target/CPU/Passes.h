//===- Passes.h - Kiln CPU code generation ----------------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_PASSES_H
#define KILN_TARGET_CPU_PASSES_H

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace kiln {

#define GEN_PASS_DECL
#include "kiln/Target/CPU/Passes.h.inc"

struct PipelineOptions;

/// The CPU's stages of buildPipeline. Tiling: lowering configs (tuned or
/// the heuristic's, for the module's target), the two tiling levels,
/// packing, vectorization; on tensors.
void addCPUTilingPasses(mlir::OpPassManager &pm,
                        const PipelineOptions &options);
/// After bufferization: the buffer limit, the outlining of distributed
/// loops and their thread-pool calls, loops, the LLVM dialect; entry points
/// get C interfaces.
void addCPULoweringPasses(mlir::OpPassManager &pm,
                          const PipelineOptions &options);

#define GEN_PASS_REGISTRATION
#include "kiln/Target/CPU/Passes.h.inc"

} // namespace kiln

#endif // KILN_TARGET_CPU_PASSES_H
