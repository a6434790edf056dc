// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-select-lowering-config))' -verify-diagnostics

// expected-error @+1 {{kiln-gpu-select-lowering-config needs the module's kiln_codegen.gpu_target (kiln-gpu-attach-target)}}
func.func @no_target(%x: memref<8xf32>) {
  %cst = arith.constant 0.0 : f32
  linalg.fill ins(%cst : f32) outs(%x : memref<8xf32>)
  return
}
