// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-decompose-pads))' | FileCheck %s

// A pad: a fill of the whole padded tensor with the padding value, and the
// source inserted into its interior.
// CHECK-LABEL: func @pad
// CHECK: %[[CST:.*]] = arith.constant -1.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x3x10x10xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[CST]] : f32) outs(%[[E]] : tensor<1x3x10x10xf32>)
// CHECK: tensor.insert_slice %{{.*}} into %[[F]][0, 0, 1, 1] [1, 3, 8, 8] [1, 1, 1, 1]
// CHECK-NOT: tensor.pad
func.func @pad(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x10x10xf32> {
  %cst = arith.constant -1.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %cst : f32
  } : tensor<1x3x8x8xf32> to tensor<1x3x10x10xf32>
  return %p : tensor<1x3x10x10xf32>
}
