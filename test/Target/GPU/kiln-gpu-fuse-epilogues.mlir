// RUN: kiln-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(kiln-gpu-fuse-epilogues))' | FileCheck %s

#bcast = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>

// A dense layer's matmul, its bias (the matmul's initialization) and its
// ReLU: one kernel.
// Each thread: its tile of the bias (the matmul's initialization), the
// matmul's sums into it, the ReLU in place; nothing outside the foralls.
// CHECK-LABEL: func.func @dense_relu(
// CHECK-SAME: %[[X:[^:]*]]: tensor<8x64xf32>, %[[W:[^:]*]]: tensor<64x32xf32>, %[[B:[^:]*]]: tensor<32xf32>)
// CHECK-NOT: linalg.
// CHECK: %[[OUT:.*]] = scf.forall (%[[I:.*]], %[[J:.*]]) = (0, 0) to (8, 32) step (4, 32) shared_outs(%[[ACC:.*]] = %{{.*}}) -> (tensor<8x32xf32>) {
// CHECK-NOT: linalg.
// CHECK: scf.forall (%[[TI:.*]], %[[TJ:.*]]) = (0, 0) to (4, 32) step (1, 2) shared_outs(%[[TACC:.*]] = %{{.*}}) -> (tensor<4x32xf32>) {
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %[[TACC]][%[[TI]], %[[TJ]]] [1, 2] [1, 1]
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} outs(%[[SLICE]] : tensor<1x2xf32>) {
// CHECK-NOT: lowering_config
// CHECK: %[[SUM:.*]] = linalg.matmul ins({{.*}} : tensor<1x64xf32>, tensor<64x2xf32>) outs(%[[BIAS]] : tensor<1x2xf32>)
// CHECK: %[[RELU:.*]] = linalg.generic {{.*}} outs(%[[SUM]] : tensor<1x2xf32>) {
// CHECK-NEXT: ^bb0(%[[V:.*]]: f32):
// CHECK: arith.maximumf %[[V]]
// CHECK: tensor.parallel_insert_slice %[[RELU]] into %[[TACC]][%[[TI]], %[[TJ]]] [1, 2] [1, 1]
// CHECK: } {mapping = [#gpu.thread<linear_dim_1>, #gpu.thread<linear_dim_0>]}
// CHECK: } {mapping = [#gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}
// CHECK-NOT: linalg.
// CHECK: return %[[OUT]]
func.func @dense_relu(%x: tensor<8x64xf32>, %w: tensor<64x32xf32>, %b: tensor<32xf32>) -> tensor<8x32xf32> {
  %e = tensor.empty() : tensor<8x32xf32>
  %init = linalg.generic {indexing_maps = [#bcast, #id], iterator_types = ["parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<8x32xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<workgroup = [8, 32], thread = [1, 1]>} {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<8x32xf32>
  %mm = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [4, 32, 0], thread = [1, 2, 0]>} ins(%x, %w : tensor<8x64xf32>, tensor<64x32xf32>) outs(%init : tensor<8x32xf32>) -> tensor<8x32xf32>
  %e2 = tensor.empty() : tensor<8x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<8x32xf32>) outs(%e2 : tensor<8x32xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<workgroup = [8, 32], thread = [1, 1]>} {
  ^bb0(%in: f32, %out: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>

// A producer with another use keeps its kernel; so does a consumer that
// reads the producer transposed, and a tensor-core schedule's.
// CHECK-LABEL: func.func @not_fused(
// CHECK-NOT: scf.forall
// CHECK: %[[MM:.*]] = linalg.matmul
// CHECK: linalg.generic {{.*}} ins(%[[MM]] : tensor<8x8xf32>)
// CHECK: %[[MM2:.*]] = linalg.matmul
// CHECK: linalg.generic {{.*}} ins(%[[MM2]] : tensor<8x8xf32>)
// CHECK: %[[TC:.*]] = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [16, 16, 0], warp
// CHECK: linalg.generic {{.*}} ins(%[[TC]] : tensor<16x16xf32>)
// CHECK-NOT: scf.forall
func.func @not_fused(%x: tensor<8x8xf32>, %w: tensor<8x8xf32>, %h: tensor<16x16xf16>) -> (tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<16x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %mm = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [8, 8, 0], thread = [1, 1, 0]>} ins(%x, %w : tensor<8x8xf32>, tensor<8x8xf32>) outs(%f : tensor<8x8xf32>) -> tensor<8x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<workgroup = [8, 8], thread = [1, 1]>} {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<8x8xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %mm2 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [8, 8, 0], thread = [1, 1, 0]>} ins(%x, %w : tensor<8x8xf32>, tensor<8x8xf32>) outs(%f2 : tensor<8x8xf32>) -> tensor<8x8xf32>
  %t = linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]} ins(%mm2 : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<workgroup = [8, 8], thread = [1, 1]>} {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<8x8xf32>
  %e16 = tensor.empty() : tensor<16x16xf32>
  %f16 = linalg.fill ins(%zero : f32) outs(%e16 : tensor<16x16xf32>) -> tensor<16x16xf32>
  %tc = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [16, 16, 0], warp = [16, 16, 0], reduction = [0, 0, 16], mma = [16, 8, 16]>} ins(%h, %h : tensor<16x16xf16>, tensor<16x16xf16>) outs(%f16 : tensor<16x16xf32>) -> tensor<16x16xf32>
  %tr = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%tc : tensor<16x16xf32>) outs(%e16 : tensor<16x16xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<workgroup = [16, 16], thread = [1, 1]>} {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<16x16xf32>
  return %r, %mm, %t, %tr : tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<16x16xf32>
}
