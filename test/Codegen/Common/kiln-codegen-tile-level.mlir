// RUN: not kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-codegen-tile))' 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: not kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-codegen-tile{level=warp}))' 2>&1 | FileCheck %s --check-prefix=MISSING
// NONE: error: kiln-codegen-tile: no tile level given (level=NAME)

// A config of another target's levels is tiled by name or not at all.
// MISSING: error: 'linalg.matmul' op has a lowering_config without a 'warp' tile level: #kiln_codegen.lowering_config<cache = [8, 8, 8], register = [4, 4, 1]>
func.func @f(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [8, 8, 8], register = [4, 4, 1]>} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
