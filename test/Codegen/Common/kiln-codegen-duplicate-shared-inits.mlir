// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-duplicate-shared-inits))' | FileCheck %s

// A broadcast of a constant that two matmuls accumulate into (one through
// a reshape): one keeps it, the other gets a clone, with a tensor.empty of
// its own (and a clone of the reshape). A read of the broadcast (the
// addf) is not a write and keeps the original.
// CHECK-LABEL: func.func @shared_bias
// CHECK: %[[E1:.+]] = tensor.empty() : tensor<8x16xf32>
// CHECK: %[[G1:.+]] = linalg.generic {{.+}} outs(%[[E1]] : tensor<8x16xf32>)
// CHECK: %[[E2:.+]] = tensor.empty() : tensor<8x16xf32>
// CHECK: %[[G2:.+]] = linalg.generic {{.+}} outs(%[[E2]] : tensor<8x16xf32>)
// CHECK: linalg.matmul {{.+}} outs(%[[G2]] : tensor<8x16xf32>)
// CHECK: %[[R:.+]] = tensor.expand_shape %[[G1]]
// CHECK: linalg.batch_matmul {{.+}} outs(%[[R]] : tensor<1x8x16xf32>)
// CHECK: arith.addf %[[G1]], %[[G1]]
#row = affine_map<(d0, d1) -> (d0)>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @shared_bias(%a: tensor<8x4xf32>, %b: tensor<4x16xf32>, %a3: tensor<1x8x4xf32>, %b3: tensor<1x4x16xf32>) -> (tensor<8x16xf32>, tensor<1x8x16xf32>, tensor<8x16xf32>) {
  %bias = arith.constant dense<0.0> : tensor<8xf32>
  %e = tensor.empty() : tensor<8x16xf32>
  %init = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<8xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<8x16xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x16xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  %init3 = tensor.expand_shape %init [[0, 1], [2]] output_shape [1, 8, 16] : tensor<8x16xf32> into tensor<1x8x16xf32>
  %1 = linalg.batch_matmul ins(%a3, %b3 : tensor<1x8x4xf32>, tensor<1x4x16xf32>) outs(%init3 : tensor<1x8x16xf32>) -> tensor<1x8x16xf32>
  %2 = arith.addf %init, %init : tensor<8x16xf32>
  return %0, %1, %2 : tensor<8x16xf32>, tensor<1x8x16xf32>, tensor<8x16xf32>
}

// -----

// A broadcast of a function argument is not computed from constants: the
// writers share it (bufferization copies it for one of them).
// CHECK-LABEL: func.func @argument_bias
// CHECK-COUNT-1: linalg.generic
// CHECK-NOT: linalg.generic
#row = affine_map<(d0, d1) -> (d0)>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @argument_bias(%a: tensor<8x4xf32>, %b: tensor<4x16xf32>, %bias: tensor<8xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>) {
  %e = tensor.empty() : tensor<8x16xf32>
  %init = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<8xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<8x16xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x16xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  %1 = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x16xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %0, %1 : tensor<8x16xf32>, tensor<8x16xf32>
}

// -----

// A broadcast into a reshape of a tensor.empty (a convolution's output
// collapsed to [N, F, OH*OW]): the clone gets a tensor.empty and a reshape
// of its own.
// CHECK-LABEL: func.func @reshaped_empty
// CHECK: %[[E1:.+]] = tensor.empty() : tensor<2x4x16xf32>
// CHECK: %[[C1:.+]] = tensor.collapse_shape %[[E1]]
// CHECK: %[[G1:.+]] = linalg.generic {{.+}} outs(%[[C1]] : tensor<8x16xf32>)
// CHECK: %[[E2:.+]] = tensor.empty() : tensor<2x4x16xf32>
// CHECK: %[[C2:.+]] = tensor.collapse_shape %[[E2]]
// CHECK: %[[G2:.+]] = linalg.generic {{.+}} outs(%[[C2]] : tensor<8x16xf32>)
// CHECK: linalg.matmul {{.+}} outs(%[[G2]] : tensor<8x16xf32>)
// CHECK: linalg.matmul {{.+}} outs(%[[G1]] : tensor<8x16xf32>)
#row = affine_map<(d0, d1) -> (d0)>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @reshaped_empty(%a: tensor<8x4xf32>, %b: tensor<4x16xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>) {
  %bias = arith.constant dense<0.0> : tensor<8xf32>
  %e = tensor.empty() : tensor<2x4x16xf32>
  %c = tensor.collapse_shape %e [[0, 1], [2]] : tensor<2x4x16xf32> into tensor<8x16xf32>
  %init = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<8xf32>) outs(%c : tensor<8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<8x16xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x16xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  %1 = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x16xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %0, %1 : tensor<8x16xf32>, tensor<8x16xf32>
}
