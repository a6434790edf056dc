// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-depthwise-to-elementwise))' | FileCheck %s

// A 2x2 depthwise convolution with stride 2: per window position a strided
// view of the input and the channels' weights at that position (indexed by
// the channel), multiplied and added into the accumulator by the op's body.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @depthwise
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x3x8x8xf32>, %[[W:[^:]+]]: tensor<3x2x2xf32>, %[[ACC:[^:]+]]: tensor<1x3x4x4xf32>
// CHECK-NOT: linalg.depthwise
// CHECK-DAG: %[[X0:.+]] = tensor.extract_slice %[[X]][0, 0, 0, 0] [1, 3, 4, 4] [1, 1, 2, 2]
// CHECK-DAG: %[[W0:.+]] = tensor.extract_slice %[[W]][0, 0, 0] [3, 1, 1] [1, 1, 1] : tensor<3x2x2xf32> to tensor<3xf32>
// CHECK-DAG: %[[X1:.+]] = tensor.extract_slice %[[X]][0, 0, 0, 1] [1, 3, 4, 4] [1, 1, 2, 2]
// CHECK-DAG: %[[W1:.+]] = tensor.extract_slice %[[W]][0, 0, 1] [3, 1, 1] [1, 1, 1] : tensor<3x2x2xf32> to tensor<3xf32>
// CHECK-DAG: %[[X3:.+]] = tensor.extract_slice %[[X]][0, 0, 1, 1] [1, 3, 4, 4] [1, 1, 2, 2]
// CHECK-DAG: %[[W3:.+]] = tensor.extract_slice %[[W]][0, 1, 1] [3, 1, 1] [1, 1, 1] : tensor<3x2x2xf32> to tensor<3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[ID]], #[[CH]], #[[ID]], #[[CH]], #[[ID]], #[[CH]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[X0]], %[[W0]], %[[X1]], %[[W1]], %{{.+}}, %{{.+}}, %[[X3]], %[[W3]] : {{.+}}) outs(%[[ACC]] :
// CHECK: ^bb0(%[[A:[^:]+]]: f32, %[[B:[^:]+]]: f32, {{.+}}, %[[O:[^:]+]]: f32):
// CHECK: %[[P:.+]] = arith.mulf %[[A]], %[[B]]
// CHECK: %[[S:.+]] = arith.addf %[[O]], %[[P]]
// CHECK-COUNT-3: arith.mulf
// CHECK: linalg.yield
func.func @depthwise(%x: tensor<1x3x8x8xf32>, %w: tensor<3x2x2xf32>, %acc: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%x, %w : tensor<1x3x8x8xf32>, tensor<3x2x2xf32>) outs(%acc : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

// Windows of more than 25 positions and dynamic shapes stay depthwise ops.
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-2: linalg.depthwise_conv_2d_nchw_chw
func.func @left_alone(%x: tensor<1x2x12x12xf32>, %w: tensor<2x6x6xf32>, %acc: tensor<1x2x7x7xf32>, %y: tensor<?x2x8x8xf32>, %v: tensor<2x3x3xf32>, %acc2: tensor<?x2x6x6xf32>) -> (tensor<1x2x7x7xf32>, tensor<?x2x6x6xf32>) {
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w : tensor<1x2x12x12xf32>, tensor<2x6x6xf32>) outs(%acc : tensor<1x2x7x7xf32>) -> tensor<1x2x7x7xf32>
  %1 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%y, %v : tensor<?x2x8x8xf32>, tensor<2x3x3xf32>) outs(%acc2 : tensor<?x2x6x6xf32>) -> tensor<?x2x6x6xf32>
  return %0, %1 : tensor<1x2x7x7xf32>, tensor<?x2x6x6xf32>
}
