// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-cpu-conv-to-im2col))' | FileCheck %s

// The convolution becomes a patch gather into [N, C*KH*KW, OH*OW] and a
// contraction with the filter as [F, C*KH*KW].
// CHECK-LABEL: func.func @conv
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK-DAG: tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2, 3]] : tensor<16x8x3x3xf32> into tensor<16x72xf32>
// CHECK-DAG: tensor.empty() : tensor<1x72x36xf32>
// CHECK: linalg.generic
// CHECK: %[[MM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK: tensor.expand_shape %[[MM]] {{.+}} : tensor<1x16x36xf32> into tensor<1x16x6x6xf32>
func.func @conv(%x: tensor<1x8x8x8xf32>, %w: tensor<16x8x3x3xf32>, %acc: tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32> {
  %0 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x8x8x8xf32>, tensor<16x8x3x3xf32>) outs(%acc : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  return %0 : tensor<1x16x6x6xf32>
}
