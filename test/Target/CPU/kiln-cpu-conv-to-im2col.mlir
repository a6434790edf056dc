// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-conv-to-im2col))' | FileCheck %s

// The convolution becomes the patch matrix of its input (kiln_codegen.im2col,
// [N, C*KH*KW, OH*OW]) and a contraction of the filter as [F, C*KH*KW]
// with it.
// CHECK-LABEL: func.func @conv
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x8x8xf32>
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK-DAG: %[[PM:.+]] = kiln_codegen.im2col %[[X]] kernel [3, 3] strides [1, 1] dilations [1, 1] : tensor<1x8x8x8xf32> -> tensor<1x72x36xf32>
// CHECK-DAG: %[[WM:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2, 3]] : tensor<16x8x3x3xf32> into tensor<16x72xf32>
// CHECK: %[[MM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[WM]], %[[PM]] :
// CHECK: tensor.expand_shape %[[MM]] {{.+}} : tensor<1x16x36xf32> into tensor<1x16x6x6xf32>
func.func @conv(%x: tensor<1x8x8x8xf32>, %w: tensor<16x8x3x3xf32>, %acc: tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32> {
  %0 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x8x8x8xf32>, tensor<16x8x3x3xf32>) outs(%acc : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  return %0 : tensor<1x16x6x6xf32>
}

// -----

// Strides and dilations carry over to the patch matrix.
// CHECK-LABEL: func.func @strided_dilated
// CHECK: kiln_codegen.im2col %{{.+}} kernel [3, 3] strides [2, 1] dilations [1, 2] : tensor<1x4x15x15xf32> -> tensor<1x36x77xf32>
// CHECK: linalg.generic
func.func @strided_dilated(%x: tensor<1x4x15x15xf32>, %w: tensor<8x4x3x3xf32>, %acc: tensor<1x8x7x11xf32>) -> tensor<1x8x7x11xf32> {
  %0 = linalg.conv_2d_nchw_fchw {strides = dense<[2, 1]> : tensor<2xi64>, dilations = dense<[1, 2]> : tensor<2xi64>} ins(%x, %w : tensor<1x4x15x15xf32>, tensor<8x4x3x3xf32>) outs(%acc : tensor<1x8x7x11xf32>) -> tensor<1x8x7x11xf32>
  return %0 : tensor<1x8x7x11xf32>
}

// -----

// A dynamic batch: the convolution stays direct (slower, still correct).
// CHECK-LABEL: func.func @dynamic
// CHECK-NOT: kiln_codegen.im2col
// CHECK: linalg.conv_2d_nchw_fchw
func.func @dynamic(%x: tensor<?x8x8x8xf32>, %w: tensor<16x8x3x3xf32>, %acc: tensor<?x16x6x6xf32>) -> tensor<?x16x6x6xf32> {
  %0 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<?x8x8x8xf32>, tensor<16x8x3x3xf32>) outs(%acc : tensor<?x16x6x6xf32>) -> tensor<?x16x6x6xf32>
  return %0 : tensor<?x16x6x6xf32>
}
