// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-lower-im2col))' | FileCheck %s
// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-lower-im2col,kiln-cpu-contiguous-strided-reads))' | FileCheck %s --check-prefix=SPAN

// The patch matrix becomes a loop nest over (n, c, kh, kw, oh) that copies
// one input row per step into P[N, C, KH, KW, OH, OW] as a vector, collapsed
// to [N, C*KH*KW, OH*OW].
// CHECK-LABEL: func.func @patches
// CHECK-SAME: %[[X:[^:]+]]: tensor<1x8x8x8xf32>
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<1x8x3x3x6x6xf32>
// CHECK: %[[P:.+]] = scf.for {{.+}} iter_args(%{{.+}} = %[[EMPTY]])
// CHECK: scf.for %[[C:[^ ]+]] =
// CHECK: scf.for %[[KH:[^ ]+]] =
// CHECK: scf.for %[[KW:[^ ]+]] =
// CHECK: scf.for %[[OH:[^ ]+]] = {{.+}} iter_args(%[[ACC:[^ ]+]] =
// CHECK: %[[ROW:.+]] = vector.transfer_read %[[X]][%{{.+}}, %[[C]], %{{.+}}, %{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<1x8x8x8xf32>, vector<6xf32>
// CHECK: vector.transfer_write %[[ROW]], %[[ACC]][%{{.+}}, %[[C]], %[[KH]], %[[KW]], %[[OH]], %{{.+}}] {in_bounds = [true]}
// CHECK: %[[PM:.+]] = tensor.collapse_shape %[[P]] {{\[}}[0], [1, 2, 3], [4, 5]] : tensor<1x8x3x3x6x6xf32> into tensor<1x72x36xf32>
// The copy is too small to be worth threads.
// CHECK-NOT: kiln_codegen.distributed
// CHECK: return %[[PM]]
func.func @patches(%x: tensor<1x8x8x8xf32>) -> tensor<1x72x36xf32> {
  %0 = kiln_codegen.im2col %x kernel [3, 3] strides [1, 1] dilations [1, 1] : tensor<1x8x8x8xf32> -> tensor<1x72x36xf32>
  return %0 : tensor<1x72x36xf32>
}

// -----

// Strided: each row's every 2nd element, a stride-2 slice of the input
// row, which kiln-cpu-contiguous-strided-reads reads as the contiguous 111
// elements that span them and a shuffle.
// Its config (the CPU heuristic's for a copy this large) distributes the
// channels' patches: the channel loop is shared by the threads.
// CHECK-LABEL: func.func @strided
// CHECK: scf.for
// CHECK: %[[ROW:.+]] = tensor.extract_slice %{{.+}} [1, 1, 1, 56] [1, 1, 1, 2] : tensor<1x64x114x114xf32> to tensor<1x1x1x56xf32>
// CHECK: vector.transfer_read %[[ROW]]{{.+}} : tensor<1x1x1x56xf32>, vector<56xf32>
// CHECK: vector.transfer_write {{.+}} : vector<56xf32>
// CHECK: } {kiln_codegen.distributed}
// CHECK: tensor.collapse_shape
// SPAN-LABEL: func.func @strided
// SPAN: %[[SPAN:.+]] = vector.transfer_read %{{.+}} : tensor<1x1x1x111xf32>, vector<111xf32>
// SPAN: vector.shuffle %[[SPAN]], %[[SPAN]] [0, 2, 4, {{.+}}, 108, 110] : vector<111xf32>, vector<111xf32>
// SPAN: vector.transfer_write {{.+}} : vector<56xf32>
func.func @strided(%x: tensor<1x64x114x114xf32>) -> tensor<1x576x3136xf32> {
  %0 = kiln_codegen.im2col %x kernel [3, 3] strides [2, 2] dilations [1, 1] {lowering_config = #kiln_codegen.lowering_config<distribute = [1]>} : tensor<1x64x114x114xf32> -> tensor<1x576x3136xf32>
  return %0 : tensor<1x576x3136xf32>
}
