// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-contiguous-strided-reads))' | FileCheck %s

// A row of a stride-2 view, reached through a tile of it: one contiguous
// read of the 2 * 8 - 1 elements that span it (at the composed position,
// column 1 + 2 * 4 = 9, row 2 * %i), and a shuffle of every other one.
// CHECK-LABEL: func.func @stride_two
// CHECK-SAME: (%[[X:.+]]: tensor<1x16x32xf32>, %[[I:.+]]: index)
// CHECK: %[[ROW:.+]] = affine.apply #{{.+}}()[%[[I]]]
// CHECK: %[[SPAN:.+]] = tensor.extract_slice %[[X]][0, %[[ROW]], 9] [1, 1, 15] [1, 1, 1] : tensor<1x16x32xf32> to tensor<1x1x15xf32>
// CHECK: %[[WHOLE:.+]] = vector.transfer_read %[[SPAN]]{{.+}} {in_bounds = [true]} : tensor<1x1x15xf32>, vector<15xf32>
// CHECK: %[[PICKED:.+]] = vector.shuffle %[[WHOLE]], %[[WHOLE]] [0, 2, 4, 6, 8, 10, 12, 14] : vector<15xf32>, vector<15xf32>
// CHECK: %[[ROW_VECTOR:.+]] = vector.shape_cast %[[PICKED]] : vector<8xf32> to vector<1x1x8xf32>
// CHECK: return %[[ROW_VECTOR]]
func.func @stride_two(%x: tensor<1x16x32xf32>, %i: index) -> vector<1x1x8xf32> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %view = tensor.extract_slice %x[0, 0, 1] [1, 8, 12] [1, 2, 2] : tensor<1x16x32xf32> to tensor<1x8x12xf32>
  %tile = tensor.extract_slice %view[0, %i, 4] [1, 1, 8] [1, 1, 1] : tensor<1x8x12xf32> to tensor<1x1x8xf32>
  %v = vector.transfer_read %tile[%c0, %c0, %c0], %pad {in_bounds = [true, true, true]} : tensor<1x1x8xf32>, vector<1x1x8xf32>
  return %v : vector<1x1x8xf32>
}

// -----

// Reads that stay: a stride of 5 (mostly unwanted elements), a vector of
// more than one row, a read that may be out of bounds, and a unit stride.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: vector.shuffle
// CHECK-COUNT-4: vector.transfer_read
// CHECK-NOT: vector.shuffle
func.func @left_alone(%x: tensor<4x64xf32>, %j: index) -> (vector<8xf32>, vector<2x8xf32>, vector<8xf32>, vector<8xf32>) {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %s5 = tensor.extract_slice %x[0, 0] [1, 8] [1, 5] : tensor<4x64xf32> to tensor<1x8xf32>
  %a = vector.transfer_read %s5[%c0, %c0], %pad {in_bounds = [true]} : tensor<1x8xf32>, vector<8xf32>
  %s2 = tensor.extract_slice %x[0, 0] [2, 8] [1, 2] : tensor<4x64xf32> to tensor<2x8xf32>
  %b = vector.transfer_read %s2[%c0, %c0], %pad {in_bounds = [true, true]} : tensor<2x8xf32>, vector<2x8xf32>
  %c = vector.transfer_read %s2[%c0, %j], %pad {in_bounds = [false]} : tensor<2x8xf32>, vector<8xf32>
  %s1 = tensor.extract_slice %x[0, 0] [1, 8] [1, 1] : tensor<4x64xf32> to tensor<1x8xf32>
  %d = vector.transfer_read %s1[%c0, %c0], %pad {in_bounds = [true]} : tensor<1x8xf32>, vector<8xf32>
  return %a, %b, %c, %d : vector<8xf32>, vector<2x8xf32>, vector<8xf32>, vector<8xf32>
}
