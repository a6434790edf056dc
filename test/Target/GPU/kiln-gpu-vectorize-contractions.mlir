// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-vectorize-contractions,canonicalize,cse))' -split-input-file -verify-diagnostics | FileCheck %s

// A 128 x 128 x 64 f16 matmul accumulating in f32: 2 x 2 blocks of 2 x 2
// warps; each warp's K loop (4 steps of 16) carries its 2 x 4 accumulator
// tiles of 16 x 8 in registers, and computes each step as 8 contractions
// of the m16n8k16 shape on f16 operands.
// CHECK-LABEL: func @matmul
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (128, 128) step (64, 64) shared_outs
// CHECK:   scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (64, 64) step (32, 32) shared_outs
// CHECK-COUNT-8: vector.transfer_read {{.*}} : tensor<32x32xf32>, vector<16x8xf32>
// CHECK:     scf.for %{{.*}} = %c0 to %c64 step %c16 iter_args({{.*}}) -> (vector<16x8xf32>, vector<16x8xf32>, vector<16x8xf32>, vector<16x8xf32>, vector<16x8xf32>, vector<16x8xf32>, vector<16x8xf32>, vector<16x8xf32>)
// CHECK-COUNT-8: vector.contract {{.*}} vector<16x16xf16>, vector<16x8xf16> into vector<16x8xf32>
// CHECK:     scf.yield
// CHECK-COUNT-8: vector.transfer_write {{.*}} : vector<16x8xf32>, tensor<32x32xf32>
// CHECK:   } {mapping = [#gpu.warp<linear_dim_1>, #gpu.warp<linear_dim_0>]}
// CHECK: } {mapping = [#gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}
func.func @matmul(%a: tensor<128x64xf16>, %b: tensor<64x128xf16>, %c: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %r = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [64, 64, 0], warp = [32, 32, 0], reduction = [0, 0, 16], mma = [16, 8, 16]>}
      ins(%a, %b : tensor<128x64xf16>, tensor<64x128xf16>) outs(%c : tensor<128x128xf32>) -> tensor<128x128xf32>
  return %r : tensor<128x128xf32>
}

// -----

// f32 operands (--precision=tf32): each K step of 16 is 2 x 8 contractions
// of the m16n8k8 shape (tf32 instructions read f32 registers).
// CHECK-LABEL: func @tf32_matmul
// CHECK:     scf.for %{{.*}} = %c0 to %c64 step %c16 iter_args({{.*}}) -> (vector<16x8xf32>, vector<16x8xf32>, vector<16x8xf32>, vector<16x8xf32>, vector<16x8xf32>, vector<16x8xf32>, vector<16x8xf32>, vector<16x8xf32>)
// CHECK-COUNT-16: vector.contract {{.*}} vector<16x8xf32>, vector<8x8xf32> into vector<16x8xf32>
// CHECK-NOT: vector.contract
// CHECK:     scf.yield
func.func @tf32_matmul(%a: tensor<128x64xf32>, %b: tensor<64x128xf32>, %c: tensor<128x128xf32>) -> tensor<128x128xf32> {
  %r = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [64, 64, 0], warp = [32, 32, 0], reduction = [0, 0, 16], mma = [16, 8, 8]>}
      ins(%a, %b : tensor<128x64xf32>, tensor<64x128xf32>) outs(%c : tensor<128x128xf32>) -> tensor<128x128xf32>
  return %r : tensor<128x128xf32>
}

// -----

func.func @partial(%a: tensor<100x64xf16>, %b: tensor<64x128xf16>, %c: tensor<100x128xf32>) -> tensor<100x128xf32> {
  // expected-error @+1 {{loop 0 (100) is not divided evenly by its tensor-core tiles: the schedule has no partial tiles}}
  %r = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [64, 64, 0], warp = [32, 32, 0], reduction = [0, 0, 16], mma = [16, 8, 16]>}
      ins(%a, %b : tensor<100x64xf16>, tensor<64x128xf16>) outs(%c : tensor<100x128xf32>) -> tensor<100x128xf32>
  return %r : tensor<100x128xf32>
}

// -----

func.func @not_a_contraction(%a: tensor<64x64xf16>) -> tensor<64x64xf16> {
  // expected-error @+1 {{has a tensor-core schedule, but only a matmul-like contraction (loops m, n, k) on tensors can have one}}
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<64x64xf16>) outs(%a : tensor<64x64xf16>) attrs = {lowering_config = #kiln_codegen.lowering_config<workgroup = [64, 64], warp = [32, 32]>} {
  ^bb0(%x: f16, %y: f16):
    linalg.yield %x : f16
  } -> tensor<64x64xf16>
  return %r : tensor<64x64xf16>
}

// -----

func.func @no_mma_level(%a: tensor<64x64xf16>, %b: tensor<64x64xf16>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{has a tensor-core schedule without its `reduction` and `mma` = [m, n, k] levels}}
  %r = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [64, 64, 0], warp = [32, 32, 0]>}
      ins(%a, %b : tensor<64x64xf16>, tensor<64x64xf16>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// -----

func.func @other_instruction(%a: tensor<64x64xf16>, %b: tensor<64x64xf16>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{has mma = [16, 16, 16]: the mma.sync instructions Kiln uses are m16n8k16 for f16 operands, mma = [16, 8, 16], and m16n8k8 (tf32) for f32 ones, mma = [16, 8, 8]}}
  %r = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [64, 64, 0], warp = [32, 32, 0], reduction = [0, 0, 16], mma = [16, 16, 16]>}
      ins(%a, %b : tensor<64x64xf16>, tensor<64x64xf16>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}
