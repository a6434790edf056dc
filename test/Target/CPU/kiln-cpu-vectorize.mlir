// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-tile{level=cache},canonicalize,kiln-codegen-tile{level=register},canonicalize,kiln-cpu-vectorize,canonicalize))' | FileCheck %s
// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-tile{level=cache},canonicalize,kiln-codegen-tile{level=register},canonicalize,kiln-cpu-vectorize,kiln-cpu-lower-contractions))' | FileCheck %s --check-prefix=FMA

#config = #kiln_codegen.lowering_config<cache = [16, 32, 64], register = [8, 32, 1]>

// The register tile becomes one vector.contract per k step on an 8x32
// accumulator that lives in the k loop's iter_args (read before the loop,
// written after it), not in memory.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[ACC:.+]] = vector.transfer_read {{.+}} : tensor<8x32xf32>, vector<8x32xf32>
// CHECK: %[[LOOP:.+]] = scf.for {{.+}} iter_args(%[[ITER:.+]] = %[[ACC]]) -> (vector<8x32xf32>)
// CHECK: vector.contract {{.+}} %[[ITER]] : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// CHECK-NOT: vector.transfer_write
// CHECK: scf.yield
// CHECK: vector.transfer_write %[[LOOP]]

// After kiln-cpu-lower-contractions: 8 broadcasts of A and 8 FMAs on the
// 32-wide rows of the accumulator per k step.
// FMA-LABEL: func.func @matmul
// FMA-COUNT-8: vector.fma {{.+}} : vector<32xf32>
// FMA-NOT: vector.contract
func.func @matmul(%a: tensor<16x64xf32>, %b: tensor<64x32xf32>, %c: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %0 = linalg.matmul {lowering_config = #config} ins(%a, %b : tensor<16x64xf32>, tensor<64x32xf32>) outs(%c : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

// Ops without a config are not vectorized.
// CHECK-LABEL: func.func @no_config
// CHECK: linalg.matmul
// CHECK-NOT: vector.
func.func @no_config(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// Ops that read or write i1 stay scalar even with a config: vectors of i1 are
// bit-packed in memory, bool buffers hold a byte per element.
// CHECK-LABEL: func.func @bools_stay_scalar
// CHECK-NOT: vector.transfer_write
// CHECK: linalg.generic
#bool_config = #kiln_codegen.lowering_config<cache = [0, 0], register = [1, 8]>
func.func @bools_stay_scalar(%x: tensor<4x64xf32>, %m: tensor<4x64xi1>) -> tensor<4x64xi1> {
  %0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x64xf32>) outs(%m : tensor<4x64xi1>) attrs = {lowering_config = #bool_config} {
  ^bb0(%a: f32, %b: i1):
    %zero = arith.constant 0.0 : f32
    %c = arith.cmpf olt, %a, %zero : f32
    linalg.yield %c : i1
  } -> tensor<4x64xi1>
  return %0 : tensor<4x64xi1>
}
