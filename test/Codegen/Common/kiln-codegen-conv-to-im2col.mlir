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

// A constant filter, at least as many filters (40) as output positions
// (36) and a reduction of at least 256 (288): positions-major.
// The contraction's loops are (n, p, f, k): the patch matrix is its left
// operand, read by output position, the filter its right one, read by
// filter, and it writes T[n, p, f] from zero; an elementwise op with 8 x 8
// register tiles adds T transposed to the accumulator.
// CHECK-DAG: #[[PATCH:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1)>
// CHECK-DAG: #[[FILTER:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-DAG: #[[TMAP:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[TRANSPOSED:.+]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @positions_major
// CHECK-DAG: %[[PM:.+]] = kiln_codegen.im2col %{{.+}} : tensor<1x32x8x8xf32> -> tensor<1x288x36xf32>
// CHECK-DAG: %[[WM:.+]] = tensor.collapse_shape %{{.+}} : tensor<40x32x3x3xf32> into tensor<40x288xf32>
// CHECK-DAG: %[[ACC:.+]] = tensor.collapse_shape %{{.+}} : tensor<1x40x6x6xf32> into tensor<1x40x36xf32>
// CHECK: %[[ZEROS:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x36x40xf32>)
// CHECK: %[[T:.+]] = linalg.generic {indexing_maps = [#[[PATCH]], #[[FILTER]], #[[TMAP]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[PM]], %[[WM]] : tensor<1x288x36xf32>, tensor<40x288xf32>) outs(%[[ZEROS]] : tensor<1x36x40xf32>)
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[TRANSPOSED]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[T]] : tensor<1x36x40xf32>) outs(%[[ACC]] : tensor<1x40x36xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [0, 0, 0], register = [1, 8, 8]>}
// CHECK: arith.addf
// CHECK: tensor.expand_shape %[[SUM]] {{.+}} : tensor<1x40x36xf32> into tensor<1x40x6x6xf32>
func.func @positions_major(%x: tensor<1x32x8x8xf32>, %acc: tensor<1x40x6x6xf32>) -> tensor<1x40x6x6xf32> {
  %w = arith.constant dense<0.5> : tensor<40x32x3x3xf32>
  %0 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x32x8x8xf32>, tensor<40x32x3x3xf32>) outs(%acc : tensor<1x40x6x6xf32>) -> tensor<1x40x6x6xf32>
  return %0 : tensor<1x40x6x6xf32>
}

// -----

// A filter that is not a constant (it would be transposed on every call),
// a shallow reduction (72) and integer convolutions stay filters-major.
// CHECK-LABEL: func.func @argument_filter
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<40x72xf32>, tensor<1x72x36xf32>)
// CHECK-NOT: linalg.generic
func.func @argument_filter(%x: tensor<1x8x8x8xf32>, %w: tensor<40x8x3x3xf32>, %acc: tensor<1x40x6x6xf32>) -> tensor<1x40x6x6xf32> {
  %0 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x8x8x8xf32>, tensor<40x8x3x3xf32>) outs(%acc : tensor<1x40x6x6xf32>) -> tensor<1x40x6x6xf32>
  return %0 : tensor<1x40x6x6xf32>
}

// -----

// CHECK-LABEL: func.func @integer
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.+}}, %{{.+}} : tensor<40x72xi32>, tensor<1x72x36xi32>)
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
