// RUN: kiln-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(kiln-codegen-transpose-contractions))' | FileCheck %s

// A convolution's product, filters-major (loops n, f, p, k), whose config
// says `transposed`: the product becomes T[n, p, f] = sum_k P[n, k, p] *
// W[f, k] from zero (loops n, p, f, k; the patch matrix its left operand,
// read by output position), which takes the config without `transposed`,
// and an elementwise op, 8 x 8 blocks at the innermost level, adds T
// transposed to the accumulator. The zero fill is an elementwise generic,
// as every initializer is by then.
// CHECK-DAG: #[[PATCH:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1)>
// CHECK-DAG: #[[FILTER:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-DAG: #[[TMAP:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[TRANSPOSED:.+]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @positions_major
// CHECK-SAME: (%[[PM:.+]]: tensor<1x288x36xf32>, %[[WM:.+]]: tensor<40x288xf32>, %[[ACC:.+]]: tensor<1x40x36xf32>)
// CHECK: %[[ZEROS:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<1x36x40xf32>)
// CHECK: %[[T:.+]] = linalg.generic {indexing_maps = [#[[PATCH]], #[[FILTER]], #[[TMAP]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[PM]], %[[WM]] : tensor<1x288x36xf32>, tensor<40x288xf32>) outs(%[[ZEROS]] : tensor<1x36x40xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [1, 36, 32, 288], register = [1, 6, 16, 1], pack = [0, 1], distribute = [2]>}
// CHECK: arith.mulf
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[TRANSPOSED]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[T]] : tensor<1x36x40xf32>) outs(%[[ACC]] : tensor<1x40x36xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [0, 0, 0], register = [1, 8, 8]>}
// CHECK: arith.addf
// CHECK: return %[[SUM]]
#filter = affine_map<(n, f, p, k) -> (f, k)>
#patch = affine_map<(n, f, p, k) -> (n, k, p)>
#out = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @positions_major(%p: tensor<1x288x36xf32>, %w: tensor<40x288xf32>, %acc: tensor<1x40x36xf32>) -> tensor<1x40x36xf32> {
  %0 = linalg.generic {indexing_maps = [#filter, #patch, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %p : tensor<40x288xf32>, tensor<1x288x36xf32>) outs(%acc : tensor<1x40x36xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [1, 36, 32, 288], register = [1, 6, 16, 1], pack = [0, 1], distribute = [2], transposed>} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x40x36xf32>
  return %0 : tensor<1x40x36xf32>
}

// -----

// Another target's levels: the sum is tiled at the last one.
// CHECK-LABEL: func.func @other_levels
// CHECK: lowering_config = #kiln_codegen.lowering_config<workgroup = [1, 32, 32, 0], thread = [1, 4, 4, 0], reduction = [0, 0, 0, 16]>
// CHECK: lowering_config = #kiln_codegen.lowering_config<workgroup = [0, 0, 0], thread = [0, 0, 0], reduction = [1, 8, 8]>
#filter = affine_map<(n, f, p, k) -> (f, k)>
#patch = affine_map<(n, f, p, k) -> (n, k, p)>
#out = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @other_levels(%p: tensor<1x64x36xf32>, %w: tensor<40x64xf32>, %acc: tensor<1x40x36xf32>) -> tensor<1x40x36xf32> {
  %0 = linalg.generic {indexing_maps = [#filter, #patch, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %p : tensor<40x64xf32>, tensor<1x64x36xf32>) outs(%acc : tensor<1x40x36xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<workgroup = [1, 32, 32, 0], thread = [1, 4, 4, 0], reduction = [0, 0, 0, 16], transposed>} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x40x36xf32>
  return %0 : tensor<1x40x36xf32>
}

// -----

// A config that computes another op transposed is an error.
func.func @matmul(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{'linalg.matmul' op has a lowering_config that computes it transposed, but its loops are not (n, i, j, k) of C[n, i, j] += A[i, k] * B[n, k, j]}}
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [8, 8, 8], register = [4, 4, 1], transposed>} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

#filter = affine_map<(n, f, p, k) -> (f, k)>
#patch = affine_map<(n, f, p, k) -> (n, k, p)>
#out = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @integer(%p: tensor<1x64x36xi32>, %w: tensor<40x64xi32>, %acc: tensor<1x40x36xi32>) -> tensor<1x40x36xi32> {
  // expected-error @+1 {{'linalg.generic' op has a lowering_config that computes it transposed, but its body is not a float multiply-add}}
  %0 = linalg.generic {indexing_maps = [#filter, #patch, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %p : tensor<40x64xi32>, tensor<1x64x36xi32>) outs(%acc : tensor<1x40x36xi32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [1, 8, 8, 8], register = [1, 4, 4, 1], transposed>} {
  ^bb0(%a: i32, %b: i32, %c: i32):
    %m = arith.muli %a, %b : i32
    %s = arith.addi %c, %m : i32
    linalg.yield %s : i32
  } -> tensor<1x40x36xi32>
  return %0 : tensor<1x40x36xi32>
}
