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
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace kiln {

#define GEN_PASS_DECL
#include "kiln/Target/CPU/Passes.h.inc"

/// Options of the `kiln-cpu-codegen` pipeline.
struct CPUCodegenPipelineOptions
    : public mlir::PassPipelineOptions<CPUCodegenPipelineOptions> {
  Option<bool> inference{*this, "inference",
                         llvm::cl::desc("Compile for inference: remove dropout"),
                         llvm::cl::init(true)};
};

/// nn on tensors -> the LLVM dialect for the host CPU: nn cleanup, nn to
/// linalg, elementwise fusion, bufferization with caller-allocated results,
/// buffer deallocation, loops, LLVM. Entry points get C interfaces.
void buildCPUCodegenPipeline(mlir::OpPassManager &pm,
                             const CPUCodegenPipelineOptions &options);

/// Registers `kiln-cpu-codegen`.
void registerCPUCodegenPipeline();

#define GEN_PASS_REGISTRATION
#include "kiln/Target/CPU/Passes.h.inc"

} // namespace kiln

#endif // KILN_TARGET_CPU_PASSES_H
