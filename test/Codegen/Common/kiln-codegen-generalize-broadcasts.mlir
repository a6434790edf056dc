// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-codegen-generalize-broadcasts))' | FileCheck %s

// A bias broadcast and a zero fill (accumulator initializers) become
// elementwise generics; other named ops stay.
// CHECK-LABEL: func.func @initializers
// CHECK-NOT: linalg.broadcast
// CHECK-NOT: linalg.fill
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%{{.+}} : tensor<8xf32>) outs(%{{.+}} : tensor<1x8x4x4xf32>)
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}], iterator_types = ["parallel", "parallel"]} ins(%{{.+}} : f32) outs(%{{.+}} : tensor<4x4xf32>)
// CHECK: linalg.matmul
func.func @initializers(%b: tensor<8xf32>, %x: tensor<4x4xf32>) -> (tensor<1x8x4x4xf32>, tensor<4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %0 = linalg.broadcast ins(%b : tensor<8xf32>) outs(%e : tensor<1x8x4x4xf32>) dimensions = [0, 2, 3]
  %e2 = tensor.empty() : tensor<4x4xf32>
  %1 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %2 = linalg.matmul ins(%x, %x : tensor<4x4xf32>, tensor<4x4xf32>) outs(%1 : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0, %2 : tensor<1x8x4x4xf32>, tensor<4x4xf32>
}
