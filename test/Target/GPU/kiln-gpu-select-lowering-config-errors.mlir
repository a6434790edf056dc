// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-select-lowering-config))' -verify-diagnostics

// expected-error @+1 {{kiln-gpu-select-lowering-config needs the module's kiln_codegen.gpu_target (kiln-gpu-attach-target)}}
func.func @no_target(%x: memref<8xf32>) {
  %cst = arith.constant 0.0 : f32
  linalg.fill ins(%cst : f32) outs(%x : memref<8xf32>)
  return
}

// A library Kiln does not call (kiln-opt users; the drivers check
// --gpu-libraries themselves).
// RUN: not kiln-opt %s --pass-pipeline='builtin.module(kiln-gpu-attach-target{arch=sm_80},func.func(kiln-gpu-select-lowering-config{libraries=miopen}))' 2>&1 | FileCheck %s --check-prefix=LIBRARY
// LIBRARY: error: kiln-gpu-select-lowering-config: libraries are cublas and cudnn, got 'miopen'
