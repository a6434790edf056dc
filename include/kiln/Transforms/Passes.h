//===- Passes.h - Kiln nn-level transformation passes -----------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TRANSFORMS_PASSES_H
#define KILN_TRANSFORMS_PASSES_H

#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace kiln {

/// The symbol a model function `name` gets for code generation (see
/// kiln-isolate-model-symbols): "nn." + name, outside every C namespace.
std::string modelSymbolName(llvm::StringRef name);

#define GEN_PASS_DECL
#include "kiln/Transforms/Passes.h.inc"

/// Options of the `kiln-nn-simplify` pipeline.
struct NNSimplifyPipelineOptions
    : public mlir::PassPipelineOptions<NNSimplifyPipelineOptions> {
  Option<bool> inference{*this, "inference",
                         llvm::cl::desc("Compile for inference: remove dropout"),
                         llvm::cl::init(true)};
};

/// Cleans up `nn` IR as produced by a frontend: drops training-only ops
/// (for inference), folds constants and identities, refines result types.
void buildNNSimplifyPipeline(mlir::OpPassManager &pm,
                             const NNSimplifyPipelineOptions &options);

#define GEN_PASS_REGISTRATION
#include "kiln/Transforms/Passes.h.inc"

/// Registers the `kiln-nn-simplify` pipeline.
void registerNNSimplifyPipeline();

} // namespace kiln

#endif // KILN_TRANSFORMS_PASSES_H
