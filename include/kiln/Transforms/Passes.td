//===- Passes.td - Kiln nn-level transformation passes -----*- tablegen -*-===//
//
// Part of Kiln. Passes that rewrite `nn` IR before code generation.
// Keep the list alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TRANSFORMS_PASSES_TD
#define KILN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnInstrumentProfile : Pass<"kiln-instrument-profile", "mlir::ModuleOp"> {
  let summary = "Time the code of each nn op (kiln-run --profile)";
  let description = [{
    On buffers, after bufferization, in each function that
    kiln-tag-profiled-ops numbered: the top-level ops of the body are
    grouped into regions, each a stretch of consecutive ops that compute the
    same nn ops (found in the locations of the ops and of everything nested
    in them: a tiled loop nest, a fused producer's body); ops that compute
    none (allocations, views) join the region around them or none. Each
    region gets `func.call @kiln_profile_begin(%table, %region)` before it
    and `@kiln_profile_end` after it, and the function a constant
    description (a `memref.global` of text: every nn op with its name,
    source location and FLOPs; every region with its nn ops) whose address
    is `%table`. The runtime (Profiler.h) times the regions while a profile
    is taken and prints a table per op; otherwise the calls return at once.
    An nn op that no region computes (a reshape, a view, an op folded away)
    has no code of its own.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::func::FuncDialect",
                           "mlir::memref::MemRefDialect"];
}

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

def KilnTagProfiledOps : Pass<"kiln-tag-profiled-ops", "mlir::ModuleOp"> {
  let summary = "Number the nn ops so that kiln-instrument-profile finds them";
  let description = [{
    Gives every nn op but constants of each function a number, kept in its
    location (`loc(fused<{kiln.profile_op = N}>[...])`, which the ops it is
    lowered to inherit), and records the ops in the function's
    `kiln.profile_ops` attribute: each one's name, source location (the ONNX
    node's name) and FLOPs. The first half of profiling
    (kiln-instrument-profile): run on nn IR.
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
