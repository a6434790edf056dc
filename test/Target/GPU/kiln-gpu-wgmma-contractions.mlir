// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-wgmma-contractions,canonicalize,cse))' -split-input-file -verify-diagnostics | FileCheck %s

// sm_90a's schedule for a 128 x 128 x 32 f16 matmul into f32: 2 x 2
// blocks; in each, two shared tiles of 64 x 16 f16 and one warpgroup (128
// threads) whose K loop (2 steps of 16) copies the tiles in (8 elements
// per thread each), fences them for the async proxy and issues one
// m64n64k16 wgmma into 32 f32 registers carried across K; then each
// thread adds its 32 registers to C.
// CHECK-LABEL: func @hgemm
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (128, 128) step (64, 64) {
// CHECK:   %[[SA:.*]] = memref.alloca() : memref<1024xf16, #gpu.address_space<workgroup>>
// CHECK:   %[[SB:.*]] = memref.alloca() : memref<1024xf16, #gpu.address_space<workgroup>>
// CHECK:   scf.forall (%{{.*}}) in (128) {
// CHECK:     %[[ACC:.*]] = scf.for %{{.*}} = %c0 to %c32 step %c16 iter_args(%{{.*}} = %{{.*}}) -> (!llvm.struct<(f32, f32,
// CHECK-COUNT-8: memref.store %{{.*}}, %[[SA]][%{{.*}}] : memref<1024xf16, #gpu.address_space<workgroup>>
// CHECK:       gpu.barrier
// CHECK:       nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK:       nvvm.wgmma.fence.aligned
// CHECK:       memref.extract_aligned_pointer_as_index %[[SA]]
// CHECK:       nvvm.wgmma.mma_async %{{.*}}, %{{.*}}, %{{.*}}, <m = 64, n = 64, k = 16>, D[<f32>, <one>, <wrapped>], A[<f16>, <one>, <row>], B[<f16>, <one>, <col>]
// CHECK:       nvvm.wgmma.commit.group.sync.aligned
// CHECK:       nvvm.wgmma.wait.group.sync.aligned 0
// CHECK:       gpu.barrier
// CHECK-COUNT-32: llvm.extractvalue %[[ACC]]
// CHECK:   } {mapping = [#gpu.thread<linear_dim_0>]}
// CHECK: } {mapping = [#gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}
#wgmma = #kiln_codegen.lowering_config<workgroup = [64, 64, 0], reduction = [0, 0, 16], mma = [64, 64, 16]>
func.func @hgemm(%a: memref<128x32xf16>, %b: memref<32x128xf16>, %c: memref<128x128xf32>) {
  linalg.matmul {lowering_config = #wgmma} ins(%a, %b : memref<128x32xf16>, memref<32x128xf16>) outs(%c : memref<128x128xf32>)
  return
}

// -----

#wgmma = #kiln_codegen.lowering_config<workgroup = [64, 64, 0], reduction = [0, 0, 16], mma = [64, 64, 16]>
func.func @f16_result(%a: memref<128x32xf16>, %b: memref<32x128xf16>, %c: memref<128x128xf16>) {
  // expected-error @+1 {{has a wgmma schedule, but only an f16 x f16 -> f32 matmul on buffers can have one}}
  linalg.matmul {lowering_config = #wgmma} ins(%a, %b : memref<128x32xf16>, memref<32x128xf16>) outs(%c : memref<128x128xf16>)
  return
}

// -----

#wgmma = #kiln_codegen.lowering_config<workgroup = [64, 64, 0], reduction = [0, 0, 16], mma = [64, 64, 16]>
func.func @partial(%a: memref<100x32xf16>, %b: memref<32x128xf16>, %c: memref<100x128xf32>) {
  // expected-error @+1 {{is not divided evenly by wgmma's 64 x 64 x 16 tiles: the schedule has no partial tiles}}
  linalg.matmul {lowering_config = #wgmma} ins(%a, %b : memref<100x32xf16>, memref<32x128xf16>) outs(%c : memref<100x128xf32>)
  return
}

// -----

func.func @other_tiles(%a: memref<128x32xf16>, %b: memref<32x128xf16>, %c: memref<128x128xf32>) {
  // expected-error @+1 {{has a wgmma schedule other than workgroup = [64, 64, 0], mma = [64, 64, 16]}}
  linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [128, 64, 0], reduction = [0, 0, 16], mma = [64, 64, 16]>} ins(%a, %b : memref<128x32xf16>, memref<32x128xf16>) outs(%c : memref<128x128xf32>)
  return
}
