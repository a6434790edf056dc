// RUN: kiln-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(kiln-codegen-tile{level=cache}))'

// A config whose size does not match the op's loops is an error.
func.func @wrong_arity(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{has 3 loops but its lowering_config has 2 tile sizes}}
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [4, 4], register = [2, 2]>} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

// lowering_config must be the typed attribute.
func.func @wrong_kind(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{expects 'lowering_config' to be a #kiln_codegen.lowering_config}}
  %0 = linalg.matmul {lowering_config = [4, 4, 4]} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

func.func @distributed_reduction(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{lowering_config distributes loop 2, which is a reduction: only parallel loops can be spread over threads}}
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [4, 4, 4], register = [2, 2, 1], distribute = [2]>} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
