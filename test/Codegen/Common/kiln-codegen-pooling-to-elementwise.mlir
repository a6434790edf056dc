// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-pooling-to-elementwise))' | FileCheck %s

// A 2x2 max pool with stride 2: four strided views of the input (one per
// window position) combined with the accumulator by the pooling body.
// CHECK-LABEL: func.func @max
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x2x8x8xf32>, %[[ACC:[^:]+]]: tensor<1x2x4x4xf32>
// CHECK-NOT: linalg.pooling
// CHECK-DAG: %[[V0:.+]] = tensor.extract_slice %[[X]][0, 0, 0, 0] [1, 2, 4, 4] [1, 1, 2, 2]
// CHECK-DAG: %[[V1:.+]] = tensor.extract_slice %[[X]][0, 0, 0, 1] [1, 2, 4, 4] [1, 1, 2, 2]
// CHECK-DAG: %[[V2:.+]] = tensor.extract_slice %[[X]][0, 0, 1, 0] [1, 2, 4, 4] [1, 1, 2, 2]
// CHECK-DAG: %[[V3:.+]] = tensor.extract_slice %[[X]][0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 2, 2]
// CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[V0]], %[[V1]], %[[V2]], %[[V3]] : {{.+}}) outs(%[[ACC]] :
// CHECK: ^bb0(%[[A:[^:]+]]: f32, %[[B:[^:]+]]: f32, %[[C:[^:]+]]: f32, %[[D:[^:]+]]: f32, %[[O:[^:]+]]: f32):
// CHECK: %[[M0:.+]] = arith.maximumf %[[O]], %[[A]]
// CHECK: %[[M1:.+]] = arith.maximumf %[[M0]], %[[B]]
// CHECK: %[[M2:.+]] = arith.maximumf %[[M1]], %[[C]]
// CHECK: %[[M3:.+]] = arith.maximumf %[[M2]], %[[D]]
// CHECK: linalg.yield %[[M3]]
func.func @max(%x: tensor<1x2x8x8xf32>, %acc: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = tensor.empty() : tensor<2x2xf32>
  %0 = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%x, %w : tensor<1x2x8x8xf32>, tensor<2x2xf32>) outs(%acc : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// Sum pooling with dilation 2: views start at multiples of the dilation.
// CHECK-LABEL: func.func @sum_dilated
// CHECK: tensor.extract_slice %{{.+}}[0, 0, 0, 2] [2, 3, 3, 3] [1, 1, 1, 1]
// CHECK: tensor.extract_slice %{{.+}}[0, 0, 2, 0] [2, 3, 3, 3] [1, 1, 1, 1]
// CHECK: arith.addf
func.func @sum_dilated(%x: tensor<2x3x5x5xf32>, %acc: tensor<2x3x3x3xf32>) -> tensor<2x3x3x3xf32> {
  %w = tensor.empty() : tensor<2x2xf32>
  %0 = linalg.pooling_nchw_sum {dilations = dense<2> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w : tensor<2x3x5x5xf32>, tensor<2x2xf32>) outs(%acc : tensor<2x3x3x3xf32>) -> tensor<2x3x3x3xf32>
  return %0 : tensor<2x3x3x3xf32>
}

// -----

// Windows of more than 16 positions stay pooling ops.
// CHECK-LABEL: func.func @large_window
// CHECK: linalg.pooling_nchw_sum
func.func @large_window(%x: tensor<1x3x7x7xf32>, %acc: tensor<1x3x1x1xf32>) -> tensor<1x3x1x1xf32> {
  %w = tensor.empty() : tensor<7x7xf32>
  %0 = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w : tensor<1x3x7x7xf32>, tensor<7x7xf32>) outs(%acc : tensor<1x3x1x1xf32>) -> tensor<1x3x1x1xf32>
  return %0 : tensor<1x3x1x1xf32>
}
