// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-codegen-copy-repeated-results))' | FileCheck %s

// The second and third occurrences of %0 get copies; other results stay.
// CHECK-LABEL: func.func @repeated
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf32>)
// CHECK:         %[[R:.+]] = math.exp %[[X]]
// CHECK:         %[[C1:.+]] = bufferization.alloc_tensor() copy(%[[R]]) : tensor<4xf32>
// CHECK:         %[[C2:.+]] = bufferization.alloc_tensor() copy(%[[R]]) : tensor<4xf32>
// CHECK:         return %[[R]], %[[X]], %[[C1]], %[[C2]]
func.func @repeated(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = math.exp %x : tensor<4xf32>
  return %0, %x, %0, %0 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// Dynamic sizes come with the copied value.
// CHECK-LABEL: func.func @dynamic
// CHECK:         bufferization.alloc_tensor() copy(%{{.+}}) : tensor<?x3xf32>
func.func @dynamic(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>) {
  %0 = math.exp %x : tensor<?x3xf32>
  return %0, %0 : tensor<?x3xf32>, tensor<?x3xf32>
}
