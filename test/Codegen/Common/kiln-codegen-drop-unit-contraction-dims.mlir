// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-drop-unit-contraction-dims))' | FileCheck %s

// A dense layer over a [1, 16, 32] activation: the 16 x 8 x 32 matmul
// (f16 operands, f32 sums) on views of the same memory.
// CHECK-LABEL: func.func @dense(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x16x32xf16>, %[[W:[^:]*]]: tensor<32x8xf16>, %[[C:[^:]*]]: tensor<1x16x8xf32>)
// CHECK-DAG: %[[A:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<1x16x32xf16> into tensor<16x32xf16>
// CHECK-DAG: %[[ACC:.*]] = tensor.collapse_shape %[[C]] {{\[}}[0, 1], [2]] : tensor<1x16x8xf32> into tensor<16x8xf32>
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[A]], %[[W]] : tensor<16x32xf16>, tensor<32x8xf16>) outs(%[[ACC]] : tensor<16x8xf32>) -> tensor<16x8xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2]] output_shape [1, 16, 8] : tensor<16x8xf32> into tensor<1x16x8xf32>
// CHECK: return %[[R]]
func.func @dense(%x: tensor<1x16x32xf16>, %w: tensor<32x8xf16>, %c: tensor<1x16x8xf32>) -> tensor<1x16x8xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>, affine_map<(d0, d1, d2, d3) -> (d3, d2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w : tensor<1x16x32xf16>, tensor<32x8xf16>) outs(%c : tensor<1x16x8xf32>) {
  ^bb0(%a: f16, %b: f16, %acc: f32):
    %ae = arith.extf %a : f16 to f32
    %be = arith.extf %b : f16 to f32
    %p = arith.mulf %ae, %be : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x16x8xf32>
  return %r : tensor<1x16x8xf32>
}

// -----

// A contraction that is no matmul without its unit loop (three reduction
// loops, B transposed) and one without a unit loop stay as they are.
// CHECK-LABEL: func.func @not_matmuls(
// CHECK-NOT: collapse_shape
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-NOT: linalg.matmul
func.func @not_matmuls(%x: tensor<1x4x3x3xf32>, %w: tensor<10x4x3x3xf32>, %c: tensor<1x10xf32>, %a: tensor<8x4xf32>, %b: tensor<4x8xf32>, %d: tensor<8x8xf32>) -> (tensor<1x10xf32>, tensor<8x8xf32>) {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x4x3x3xf32>, tensor<10x4x3x3xf32>) outs(%c : tensor<1x10xf32>) {
  ^bb0(%in: f32, %in2: f32, %acc: f32):
    %p = arith.mulf %in, %in2 : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x10xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<8x4xf32>, tensor<4x8xf32>) outs(%d : tensor<8x8xf32>) {
  ^bb0(%in: f32, %in2: f32, %acc: f32):
    %p = arith.mulf %in, %in2 : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x8xf32>
  return %r, %m : tensor<1x10xf32>, tensor<8x8xf32>
}

// -----

// An attention's output projection at batch 1: A[s, h, d] x W[n, h, d]
// (B transposed, two reduction loops adjacent in both) loses its unit loop
// and its two reductions become one: C[s, n] += A[s, k] * W[n, k], which
// stays a generic (MLIR 22 would make it a matmul reading W as [k, n]).
// CHECK-LABEL: func.func @projection(
// CHECK-SAME: %[[A:[^:]*]]: tensor<10x4x16xf32>, %[[W:[^:]*]]: tensor<1x32x4x16xf32>, %[[C:[^:]*]]: tensor<10x1x32xf32>)
// CHECK-DAG: %[[A2:.*]] = tensor.collapse_shape %[[A]] {{\[}}[0], [1, 2]] : tensor<10x4x16xf32> into tensor<10x64xf32>
// CHECK-DAG: %[[W2:.*]] = tensor.collapse_shape {{.*}} : tensor<32x4x16xf32> into tensor<32x64xf32>
// CHECK: linalg.generic {indexing_maps = [#[[MA:.*]], #[[MB:.*]], #[[MC:.*]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[A2]], %[[W2]] : tensor<10x64xf32>, tensor<32x64xf32>)
// CHECK-NOT: linalg.matmul
func.func @projection(%a: tensor<10x4x16xf32>, %w: tensor<1x32x4x16xf32>, %c: tensor<10x1x32xf32>) -> tensor<10x1x32xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%a, %w : tensor<10x4x16xf32>, tensor<1x32x4x16xf32>) outs(%c : tensor<10x1x32xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<10x1x32xf32>
  return %r : tensor<10x1x32xf32>
}
