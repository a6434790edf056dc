// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-gpu-attach-target{arch=sm_80},func.func(kiln-gpu-map-to-launch))' -split-input-file -verify-diagnostics | FileCheck %s

// 3 x 2 blocks become a grid of 6 (x), the block id delinearized with
// linear_dim_0 fastest; 256 threads (the thread forall's static bound);
// a thread past the partial tile's %n does nothing.
// CHECK-LABEL: func @relu
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[C256:.*]] = arith.constant 256 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C6]], %{{.*}} = %[[C1]], %{{.*}} = %[[C1]]) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C256]], %{{.*}} = %[[C1]], %{{.*}} = %[[C1]])
// CHECK:   %[[B:.*]]:2 = affine.delinearize_index %[[BX]] into (3, 2)
// CHECK:   %[[J:.*]] = affine.apply #{{.*}}()[%[[B]]#1]
// CHECK:   %[[N:.*]] = affine.min #{{.*}}(%[[J]])
// CHECK:   %[[T:.*]]:2 = affine.delinearize_index %[[TX]] into (1, 256)
// CHECK:   %[[IN:.*]] = arith.cmpi ult, %[[T]]#1, %[[N]] : index
// CHECK:   scf.if %[[IN]] {
// CHECK:     linalg.generic
// CHECK:   }
// CHECK:   gpu.terminator
// CHECK-NOT: scf.forall
#map = affine_map<(d0) -> (-d0 + 300, 256)>
#map1 = affine_map<(d0, d1) -> (d0, d1)>
func.func @relu(%arg0: memref<3x300xf32>, %arg1: memref<3x300xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  scf.forall (%arg2, %arg3) = (0, 0) to (3, 300) step (1, 256) {
    %0 = affine.min #map(%arg3)
    %subview = memref.subview %arg0[%arg2, %arg3] [1, %0] [1, 1] : memref<3x300xf32> to memref<1x?xf32, strided<[300, 1], offset: ?>>
    %subview_0 = memref.subview %arg1[%arg2, %arg3] [1, %0] [1, 1] : memref<3x300xf32> to memref<1x?xf32, strided<[300, 1], offset: ?>>
    scf.forall (%arg4, %arg5) in (1, %0) {
      %subview_1 = memref.subview %subview[0, %arg5] [1, 1] [1, 1] : memref<1x?xf32, strided<[300, 1], offset: ?>> to memref<1x1xf32, strided<[300, 1], offset: ?>>
      %subview_2 = memref.subview %subview_0[0, %arg5] [1, 1] [1, 1] : memref<1x?xf32, strided<[300, 1], offset: ?>> to memref<1x1xf32, strided<[300, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel"]} ins(%subview_1 : memref<1x1xf32, strided<[300, 1], offset: ?>>) outs(%subview_2 : memref<1x1xf32, strided<[300, 1], offset: ?>>) {
      ^bb0(%in: f32, %out: f32):
        %1 = arith.maximumf %in, %cst : f32
        linalg.yield %1 : f32
      }
    } {mapping = [#gpu.thread<linear_dim_1>, #gpu.thread<linear_dim_0>]}
  } {mapping = [#gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}
  return
}

// -----

// One block of one thread: no delinearization, no guard.
// CHECK-LABEL: func @total
// CHECK: gpu.launch
// CHECK-NOT: scf.if
// CHECK-NOT: affine.delinearize_index
// CHECK: linalg.generic
// CHECK: gpu.terminator
func.func @total(%arg0: memref<1000xf32>, %arg1: memref<f32>) {
  scf.forall (%arg2) in (1) {
    scf.forall (%arg3) in (1) {
      linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]} ins(%arg0 : memref<1000xf32>) outs(%arg1 : memref<f32>) {
      ^bb0(%in: f32, %out: f32):
        %0 = arith.addf %in, %out : f32
        linalg.yield %0 : f32
      }
    } {mapping = [#gpu.thread<linear_dim_0>]}
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

func.func @dynamic_grid(%n: index, %x: memref<?xf32>) {
  %cst = arith.constant 0.0 : f32
  // expected-error @+1 {{must be a forall of static trip counts mapped to #gpu.block<linear_dim_N> to become a kernel}}
  scf.forall (%i) in (%n) {
    scf.forall (%t) in (1) {
      memref.store %cst, %x[%i] : memref<?xf32>
    } {mapping = [#gpu.thread<linear_dim_0>]}
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

func.func @too_many_threads(%x: memref<2048xf32>) {
  %cst = arith.constant 0.0 : f32
  // expected-error @+1 {{needs 2048 threads per block; the target allows 1024}}
  scf.forall (%i) in (1) {
    scf.forall (%t) in (2048) {
      memref.store %cst, %x[%t] : memref<2048xf32>
    } {mapping = [#gpu.thread<linear_dim_0>]}
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

func.func @unmapped_threads(%x: memref<8xf32>) {
  %cst = arith.constant 0.0 : f32
  scf.forall (%i) in (1) {
    // expected-error @+1 {{inside a thread block must be a forall with static bounds mapped to #gpu.thread<linear_dim_N>}}
    scf.forall (%t) in (8) {
      memref.store %cst, %x[%t] : memref<8xf32>
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A warp forall: each iteration is a warp (32 threads), the warp id the
// thread id / 32; 2 x 2 warps make 128 threads.
// CHECK-LABEL: func @warps
// CHECK: %[[C128:.*]] = arith.constant 128 : index
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}}) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C128]],
// CHECK:   %[[W:.*]] = affine.apply #{{.*}}(%[[TX]])
// CHECK:   affine.delinearize_index %[[W]] into (2, 2)
// CHECK-NOT: scf.if
// CHECK:   memref.store
func.func @warps(%x: memref<2x2xf32>) {
  %cst = arith.constant 0.0 : f32
  scf.forall (%i) in (1) {
    scf.forall (%w0, %w1) in (2, 2) {
      memref.store %cst, %x[%w0, %w1] : memref<2x2xf32>
    } {mapping = [#gpu.warp<linear_dim_1>, #gpu.warp<linear_dim_0>]}
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// An alloca in workgroup memory in a block's body becomes a shared buffer
// of the kernel.
// CHECK-LABEL: func @shared
// CHECK: gpu.launch {{.*}} workgroup(%[[S:.*]] : memref<64xf32, #gpu.address_space<workgroup>>)
// CHECK-NOT: memref.alloca
// CHECK: memref.store %{{.*}}, %[[S]][%{{.*}}]
func.func @shared() {
  %cst = arith.constant 0.0 : f32
  scf.forall (%i) in (1) {
    %s = memref.alloca() : memref<64xf32, #gpu.address_space<workgroup>>
    scf.forall (%t) in (64) {
      memref.store %cst, %s[%t] : memref<64xf32, #gpu.address_space<workgroup>>
    } {mapping = [#gpu.thread<linear_dim_0>]}
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}
