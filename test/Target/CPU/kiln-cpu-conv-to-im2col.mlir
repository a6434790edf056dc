// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-conv-to-im2col))' | FileCheck %s

// The convolution becomes a loop nest over (n, c, kh, kw, oh) that copies
// one input row per step into the patches P[N, C, KH, KW, OH, OW] as a
// vector, and a contraction of the filter as [F, C*KH*KW] with P as
// [N, C*KH*KW, OH*OW].
// CHECK-LABEL: func.func @conv
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x8x8xf32>
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<1x8x3x3x6x6xf32>
// CHECK: %[[P:.+]] = scf.for {{.+}} iter_args(%{{.+}} = %[[EMPTY]])
// CHECK: scf.for %[[C:[^ ]+]] =
// CHECK: scf.for %[[KH:[^ ]+]] =
// CHECK: scf.for %[[KW:[^ ]+]] =
// CHECK: scf.for %[[OH:[^ ]+]] = {{.+}} iter_args(%[[ACC:[^ ]+]] =
// CHECK: %[[ROW:.+]] = vector.transfer_read %[[X]][%{{.+}}, %[[C]], %{{.+}}, %{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<1x8x8x8xf32>, vector<6xf32>
// CHECK: vector.transfer_write %[[ROW]], %[[ACC]][%{{.+}}, %[[C]], %[[KH]], %[[KW]], %[[OH]], %{{.+}}] {in_bounds = [true]}
// CHECK-DAG: %[[PM:.+]] = tensor.collapse_shape %[[P]] {{\[}}[0], [1, 2, 3], [4, 5]] : tensor<1x8x3x3x6x6xf32> into tensor<1x72x36xf32>
// CHECK-DAG: %[[WM:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0], [1, 2, 3]] : tensor<16x8x3x3xf32> into tensor<16x72xf32>
// CHECK: %[[MM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[WM]], %[[PM]] :
// CHECK: tensor.expand_shape %[[MM]] {{.+}} : tensor<1x16x36xf32> into tensor<1x16x6x6xf32>
// The copy is too small to be worth threads.
// CHECK-NOT: kiln_codegen.distributed
func.func @conv(%x: tensor<1x8x8x8xf32>, %w: tensor<16x8x3x3xf32>, %acc: tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32> {
  %0 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x8x8x8xf32>, tensor<16x8x3x3xf32>) outs(%acc : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  return %0 : tensor<1x16x6x6xf32>
}

// -----

// Strided: each row's every 2nd element, read as the contiguous 111
// elements that span them and picked out by a shuffle.
// A large copy has its channel loop distributed over the threads.
// CHECK-LABEL: func.func @strided
// CHECK: scf.for
// CHECK: %[[SPAN:.+]] = vector.transfer_read %{{.+}} : tensor<1x64x114x114xf32>, vector<111xf32>
// CHECK: vector.shuffle %[[SPAN]], %[[SPAN]] [0, 2, 4, {{.+}}, 108, 110] : vector<111xf32>, vector<111xf32>
// CHECK: vector.transfer_write {{.+}} : vector<56xf32>
// CHECK: } {kiln_codegen.distributed}
// CHECK: linalg.generic
func.func @strided(%x: tensor<1x64x114x114xf32>, %w: tensor<64x64x3x3xf32>, %acc: tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32> {
  %0 = linalg.conv_2d_nchw_fchw {strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x64x114x114xf32>, tensor<64x64x3x3xf32>) outs(%acc : tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  return %0 : tensor<1x64x56x56xf32>
}

// -----

// A dynamic batch: the convolution stays direct (slower, still correct).
// CHECK-LABEL: func.func @dynamic
// CHECK-NOT: vector.transfer_read
// CHECK: linalg.conv_2d_nchw_fchw
func.func @dynamic(%x: tensor<?x8x8x8xf32>, %w: tensor<16x8x3x3xf32>, %acc: tensor<?x16x6x6xf32>) -> tensor<?x16x6x6xf32> {
  %0 = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<?x8x8x8xf32>, tensor<16x8x3x3xf32>) outs(%acc : tensor<?x16x6x6xf32>) -> tensor<?x16x6x6xf32>
  return %0 : tensor<?x16x6x6xf32>
}
