// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-cpu-decompose-pads))' | FileCheck %s

// The pad becomes a fill of the padded tensor and an insert of the value
// into its interior.
// CHECK-LABEL: func.func @pad
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x4x4xf32>)
// CHECK-DAG: %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[EMPTY:.+]] = tensor.empty() : tensor<1x2x6x7xf32>
// CHECK: %[[FILLED:.+]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%[[EMPTY]] : tensor<1x2x6x7xf32>)
// CHECK: %[[PADDED:.+]] = tensor.insert_slice %[[X]] into %[[FILLED]][0, 0, 1, 2] [1, 2, 4, 4] [1, 1, 1, 1]
// CHECK-NOT: tensor.pad
// CHECK: return %[[PADDED]]
func.func @pad(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x6x7xf32> {
  %neg_inf = arith.constant 0xFF800000 : f32
  %padded = tensor.pad %x low[0, 0, 1, 2] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %neg_inf : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x7xf32>
  return %padded : tensor<1x2x6x7xf32>
}
