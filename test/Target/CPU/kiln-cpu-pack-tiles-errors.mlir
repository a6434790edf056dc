// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-pack-tiles))' -verify-diagnostics

func.func @bad_operand(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{lowering_config packs operand 2, but the op has 2 inputs}}
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [0, 0, 0], register = [8, 8, 1], pack = [2]>} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
