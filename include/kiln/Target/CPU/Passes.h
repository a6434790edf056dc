//===- Passes.h - Kiln CPU code generation ----------------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_PASSES_H
#define KILN_TARGET_CPU_PASSES_H

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
