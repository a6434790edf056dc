// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-read-padded-interiors))' | FileCheck %s

// A read of %x after its padding reads the padded tensor's interior; the
// read before it and the padding itself keep %x.
// CHECK-LABEL: func.func @read_after_padding
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x4x4xf32>)
// CHECK: %[[BEFORE:.+]] = arith.addf %[[X]], %[[X]]
// CHECK: %[[PADDED:.+]] = tensor.insert_slice %[[X]] into %{{.+}}[0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1]
// CHECK: %[[INTERIOR:.+]] = tensor.extract_slice %[[PADDED]][0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1] : tensor<1x2x6x6xf32> to tensor<1x2x4x4xf32>
// CHECK: %[[AFTER:.+]] = arith.mulf %[[INTERIOR]], %[[BEFORE]]
// CHECK: return %[[PADDED]], %[[AFTER]]
func.func @read_after_padding(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %before = arith.addf %x, %x : tensor<1x2x4x4xf32>
  %empty = tensor.empty() : tensor<1x2x6x6xf32>
  %filled = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x2x6x6xf32>) -> tensor<1x2x6x6xf32>
  %padded = tensor.insert_slice %x into %filled[0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1] : tensor<1x2x4x4xf32> into tensor<1x2x6x6xf32>
  %after = arith.mulf %x, %before : tensor<1x2x4x4xf32>
  return %padded, %after : tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>
}

// -----

// An insert into something that is not a fill is not a padding: unchanged.
// CHECK-LABEL: func.func @not_a_padding
// CHECK-SAME: (%[[X:.+]]: tensor<2x2xf32>, %[[Y:.+]]: tensor<4x4xf32>)
// CHECK-NOT: tensor.extract_slice
// CHECK: arith.mulf %[[X]], %[[X]]
func.func @not_a_padding(%x: tensor<2x2xf32>, %y: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<2x2xf32>) {
  %inserted = tensor.insert_slice %x into %y[1, 1] [2, 2] [1, 1] : tensor<2x2xf32> into tensor<4x4xf32>
  %after = arith.mulf %x, %x : tensor<2x2xf32>
  return %inserted, %after : tensor<4x4xf32>, tensor<2x2xf32>
}
