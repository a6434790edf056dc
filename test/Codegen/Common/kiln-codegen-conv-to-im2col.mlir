// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-conv-to-im2col))' | FileCheck %s

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

// -----

// Every product is filters-major, a constant filter with more filters (40)
// than output positions (36) and a deep reduction (288) too: whether it is
// computed positions-major is its lowering_config's decision
// (kiln-codegen-transpose-contractions).
// CHECK-LABEL: func.func @constant_filter
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<40x288xf32>, tensor<1x288x36xf32>)
// CHECK-NOT: linalg.generic
func.func @constant_filter(%x: tensor<1x32x8x8xf32>, %acc: tensor<1x40x6x6xf32>) -> tensor<1x40x6x6xf32> {
  %w = arith.constant dense<0.5> : tensor<40x32x3x3xf32>
  %0 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x32x8x8xf32>, tensor<40x32x3x3xf32>) outs(%acc : tensor<1x40x6x6xf32>) -> tensor<1x40x6x6xf32>
  return %0 : tensor<1x40x6x6xf32>
}

// -----

// CHECK-LABEL: func.func @integer
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<40x72xi32>, tensor<1x72x36xi32>)
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK-NOT: linalg.generic
func.func @integer(%x: tensor<1x8x8x8xi32>, %acc: tensor<1x40x6x6xi32>) -> tensor<1x40x6x6xi32> {
  %w = arith.constant dense<2> : tensor<40x8x3x3xi32>
  %0 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x8x8x8xi32>, tensor<40x8x3x3xi32>) outs(%acc : tensor<1x40x6x6xi32>) -> tensor<1x40x6x6xi32>
  return %0 : tensor<1x40x6x6xi32>
}

// -----

// An accumulator that is a fill or a bias broadcast is made again on the
// collapsed [N, F, OH*OW] (into the collapse of its empty tensor), not
// collapsed after it, so that kiln-codegen-tile can compute it tile by tile in
// the contraction's loops.
// CHECK-LABEL: func.func @filled
// CHECK: %[[E:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0], [1], [2, 3]] : tensor<1x16x6x6xf32> into tensor<1x16x36xf32>
// CHECK: %[[F:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[E]] : tensor<1x16x36xf32>)
// CHECK: linalg.generic {{.+}} outs(%[[F]] : tensor<1x16x36xf32>)
func.func @filled(%x: tensor<1x8x8x8xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x6x6xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  %0 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x8x8x8xf32>, tensor<16x8x3x3xf32>) outs(%acc : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  return %0 : tensor<1x16x6x6xf32>
}

// CHECK-LABEL: func.func @biased
// CHECK-SAME: %[[B:[^:]+]]: tensor<16xf32>
// CHECK: %[[E:.+]] = tensor.collapse_shape %{{.+}} : tensor<1x16x6x6xf32> into tensor<1x16x36xf32>
// CHECK: %[[BC:.+]] = linalg.broadcast ins(%[[B]] : tensor<16xf32>) outs(%[[E]] : tensor<1x16x36xf32>) dimensions = [0, 2]
// CHECK: linalg.generic {{.+}} outs(%[[BC]] : tensor<1x16x36xf32>)
func.func @biased(%x: tensor<1x8x8x8xf32>, %w: tensor<16x8x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x16x6x6xf32> {
  %e = tensor.empty() : tensor<1x16x6x6xf32>
  %acc = linalg.broadcast ins(%b : tensor<16xf32>) outs(%e : tensor<1x16x6x6xf32>) dimensions = [0, 2, 3]
  %0 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x8x8x8xf32>, tensor<16x8x3x3xf32>) outs(%acc : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  return %0 : tensor<1x16x6x6xf32>
}
