// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-tile-and-distribute,canonicalize))' -split-input-file -verify-diagnostics | FileCheck %s

// Blocks of 1 x 256 over a 3 x 300 op: 3 x 2 blocks, linear_dim_0 the
// innermost; the last column block is partial (44 threads of its 256 work).
// CHECK-LABEL: func @relu
// CHECK: scf.forall (%[[I:.*]], %[[J:.*]]) = (0, 0) to (3, 300) step (1, 256) {
// CHECK:   %[[N:.*]] = affine.min #{{.*}}(%[[J]])
// CHECK:   scf.forall (%{{.*}}, %{{.*}}) in (1, %[[N]]) {
// CHECK:     linalg.generic {{.*}} ins(%{{.*}} : memref<1x1xf32, {{.*}}>) outs(%{{.*}} : memref<1x1xf32, {{.*}}>)
// CHECK-NOT:   lowering_config
// CHECK:   } {mapping = [#gpu.thread<linear_dim_1>, #gpu.thread<linear_dim_0>]}
// CHECK: } {mapping = [#gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}
#map = affine_map<(d0, d1) -> (d0, d1)>
func.func @relu(%x: memref<3x300xf32>, %y: memref<3x300xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%x : memref<3x300xf32>) outs(%y : memref<3x300xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<workgroup = [1, 256], thread = [1, 1]>} {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  }
  return
}

// -----

// No tiled loop (a sum to a scalar): one block of one thread.
// CHECK-LABEL: func @total
// CHECK: scf.forall (%{{.*}}) in (1) {
// CHECK:   scf.forall (%{{.*}}) in (1) {
// CHECK:     linalg.generic {{.*}} iterator_types = ["reduction"]
// CHECK:   } {mapping = [#gpu.thread<linear_dim_0>]}
// CHECK: } {mapping = [#gpu.block<linear_dim_0>]}
func.func @total(%x: memref<1000xf32>, %s: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]} ins(%x : memref<1000xf32>) outs(%s : memref<f32>) attrs = {lowering_config = #kiln_codegen.lowering_config<workgroup = [0], thread = [0]>} {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  }
  return
}

// -----

func.func @no_schedule(%x: memref<8xf32>) {
  %cst = arith.constant 0.0 : f32
  // expected-error @+1 {{has no GPU schedule (a lowering_config with `workgroup` and `thread` levels; kiln-gpu-select-lowering-config writes one)}}
  linalg.fill ins(%cst : f32) outs(%x : memref<8xf32>)
  return
}

// -----

func.func @cpu_schedule(%x: memref<8xf32>) {
  %cst = arith.constant 0.0 : f32
  // expected-error @+1 {{has no GPU schedule}}
  linalg.fill {lowering_config = #kiln_codegen.lowering_config<cache = [8], register = [8]>} ins(%cst : f32) outs(%x : memref<8xf32>)
  return
}

// -----

func.func @reduction_over_threads(%x: memref<1000xf32>, %s: memref<f32>) {
  // expected-error @+1 {{lowering_config tiles loop 0, a reduction, over blocks or threads: only parallel loops can be distributed}}
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]} ins(%x : memref<1000xf32>) outs(%s : memref<f32>) attrs = {lowering_config = #kiln_codegen.lowering_config<workgroup = [256], thread = [1]>} {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  }
  return
}

// -----

func.func @tensors(%x: tensor<8xf32>) -> tensor<8xf32> {
  %cst = arith.constant 0.0 : f32
  // expected-error @+1 {{is on tensors: the GPU schedule tiles ops on buffers (after bufferization)}}
  %r = linalg.fill {lowering_config = #kiln_codegen.lowering_config<workgroup = [8], thread = [1]>} ins(%cst : f32) outs(%x : tensor<8xf32>) -> tensor<8xf32>
  return %r : tensor<8xf32>
}

// -----

func.func @loop_count(%x: memref<8x8xf32>) {
  %cst = arith.constant 0.0 : f32
  // expected-error @+1 {{has 2 loops but its lowering_config tiles 1}}
  linalg.fill {lowering_config = #kiln_codegen.lowering_config<workgroup = [8], thread = [1]>} ins(%cst : f32) outs(%x : memref<8x8xf32>)
  return
}
