//===- Passes.td - Kiln nn-level transformation passes -----*- tablegen -*-===//
//
// Part of Kiln. Passes that rewrite `nn` IR before code generation.
// Keep the list alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TRANSFORMS_PASSES_TD
#define KILN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnIsolateModelSymbols : Pass<"kiln-isolate-model-symbols", "mlir::ModuleOp"> {
  let summary = "Move the model's functions out of the C namespace";
  let description = [{
    Code generation calls functions by their C names: libm (`expf`, `erff`,
    `powf`), the C library (`memcpy`, `malloc`), Kiln's runtime
    (`kiln_parallel_for`, `_mlir_memref_to_llvm_alloc`). A model function
    with one of those names would take the call: a softmax inside a
    function named `expf` called itself instead of libm. This pass renames
    every function the module defines from `@name` to `@nn.name`
    (kiln::modelSymbolName), a name no C library can have; references are
    updated. Declarations without a body keep their names. Kiln's drivers
    look compiled entry points up by the new names.

    ```mlir
    func.func @expf(%x: tensor<4xf32>) -> tensor<4xf32>
    // becomes
    func.func @nn.expf(%x: tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
}

def NNInferShapes : InterfacePass<"nn-infer-shapes", "mlir::FunctionOpInterface"> {
  let summary = "Refine nn result types from their operands";
  let description = [{
    Re-infers the result type of every `nn` op in program order and fills in
    each `?` of a declared result type that the inferred type knows. Frontends
    that only know the input shapes, and a model specialized to a concrete
    batch size, get static IR this way. Uses of a refined value by ops of
    other dialects, `func.return` included, get a `tensor.cast` back to the
    old type, so function signatures and their callers are left unchanged.

    ```mlir
    %0 = nn.relu %x : tensor<1x8xf32>
    %1 = nn.reshape %0 [2, -1] : tensor<1x8xf32> -> tensor<?x?xf32>
    // becomes
    %1 = nn.reshape %0 [2, -1] : tensor<1x8xf32> -> tensor<2x4xf32>
    ```
  }];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
}

def NNStripDropout : Pass<"nn-strip-dropout"> {
  let summary = "Remove nn.dropout for inference";
  let description = [{
    In inference `nn.dropout` is the identity: every use of its result is
    replaced by its input. Training compilation must not run this pass.
  }];
  let statistics = [
    Statistic<"numRemoved", "removed", "Number of nn.dropout ops removed">
  ];
}

#endif // KILN_TRANSFORMS_PASSES_TD
