//===- Pipelines.cpp - Kiln named pass pipelines --------------------------===//
//
// Part of Kiln. Builds and registers the nn-level pipelines; the passes
// themselves live one per file beside this one.
//
//===----------------------------------------------------------------------===//

#include "kiln/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void kiln::buildNNSimplifyPipeline(OpPassManager &pm,
                                   const NNSimplifyPipelineOptions &options) {
  // Dropout goes first so that canonicalization sees through it.
  if (options.inference)
    pm.addPass(createNNStripDropout());
  pm.addPass(createCanonicalizerPass());
  // Folding can make operand types more static (a folded reshape, say);
  // refine after it, then fold once more on the refined types.
  pm.addNestedPass<func::FuncOp>(createNNInferShapes());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void kiln::registerNNSimplifyPipeline() {
  PassPipelineRegistration<NNSimplifyPipelineOptions>(
      "kiln-nn-simplify",
      "Clean up nn IR from a frontend: strip dropout (with inference=true), "
      "fold, refine result types, CSE",
      buildNNSimplifyPipeline);
}
