//===- Passes.td - Kiln CPU code generation passes ---------*- tablegen -*-===//
//
// Part of Kiln. Keep the list alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_PASSES_TD
#define KILN_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnEmitCInterface : Pass<"kiln-emit-c-interface", "mlir::ModuleOp"> {
  let summary = "Give every public function a C-callable wrapper";
  let description = [{
    Sets `llvm.emit_c_interface` on each public `func.func`, so that the LLVM
    lowering adds `_mlir_ciface_<name>`, which takes one pointer to a memref
    descriptor per argument. The JIT (`kiln-run`) and the AOT runtime call
    models through it.
  }];
}

#endif // KILN_TARGET_CPU_PASSES_TD
