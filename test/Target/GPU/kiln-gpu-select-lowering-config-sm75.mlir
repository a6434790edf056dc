// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-gpu-attach-target{arch=sm_75},func.func(kiln-gpu-select-lowering-config))' | FileCheck %s

// A GPU without the tensor-core instructions Kiln uses (sm_75): an f16
// matmul gets the SIMT schedule.
// CHECK: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [1, 256, 0], thread = [1, 1, 0]>}
func.func @simt(%a: tensor<128x64xf16>, %b: tensor<64x256xf16>, %c: tensor<128x256xf32>) -> tensor<128x256xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<128x64xf16>, tensor<64x256xf16>) outs(%c : tensor<128x256xf32>) -> tensor<128x256xf32>
  return %r : tensor<128x256xf32>
}
