// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-split-reductions))' | FileCheck %s
// RUN: not kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-split-reductions{block-size=1}))' 2>&1 | FileCheck %s --check-prefix=BLOCK

// BLOCK: kiln-codegen-split-reductions: block-size must be at least 2, got 1

// A sum of 65536 elements: 256 partial sums of 256 elements each (the loop
// outside the block becomes parallel), then one sum of the partials into
// the original accumulator.
// CHECK-LABEL: func.func @long_row
// CHECK-SAME:    (%[[X:.+]]: tensor<65536xf32>, %[[INIT:.+]]: tensor<f32>)
// CHECK:         %[[ROWS:.+]] = tensor.expand_shape %[[X]] {{\[\[}}0, 1]] output_shape [256, 256]
// CHECK:         %[[ZEROS:.+]] = linalg.fill
// CHECK:         %[[PARTIALS:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} ins(%[[ROWS]] : tensor<256x256xf32>) outs(%[[ZEROS]] : tensor<256xf32>)
// CHECK:         %[[SUM:.+]] = linalg.generic {{.*}}iterator_types = ["reduction"]{{.*}} ins(%[[PARTIALS]] : tensor<256xf32>) outs(%[[INIT]] : tensor<f32>)
// CHECK:         return %[[SUM]]
func.func @long_row(%x: tensor<65536xf32>, %init: tensor<f32>) -> tensor<f32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%x : tensor<65536xf32>) outs(%init : tensor<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// A prime length: blocks of 256 over the first 999936 elements (3906 partial
// sums, split again into 18 x 217), the last 67 added by the original op,
// whose body (a square) the first level keeps too.
// CHECK-LABEL: func.func @prime_sum_of_squares
// CHECK-SAME:    (%[[X:.+]]: tensor<1000003xf32>, %[[INIT:.+]]: tensor<f32>)
// CHECK:         %[[MAIN:.+]] = tensor.extract_slice %[[X]][0] [999936] [1]
// CHECK:         tensor.expand_shape %[[MAIN]] {{\[\[}}0, 1]] output_shape [3906, 256]
// CHECK:         linalg.generic
// CHECK:           arith.mulf
// CHECK:         } -> tensor<3906xf32>
// CHECK:         tensor.expand_shape %{{.+}} {{\[\[}}0, 1]] output_shape [18, 217]
// CHECK:         } -> tensor<18xf32>
// CHECK:         %[[BLOCKS:.+]] = linalg.generic {{.*}} outs(%[[INIT]] : tensor<f32>)
// CHECK:         %[[REST:.+]] = tensor.extract_slice %[[X]][999936] [67] [1]
// CHECK:         %[[SUM:.+]] = linalg.generic {{.*}} ins(%[[REST]] : tensor<67xf32>) outs(%[[BLOCKS]] : tensor<f32>)
// CHECK:           arith.mulf
// CHECK:         return %[[SUM]]
func.func @prime_sum_of_squares(%x: tensor<1000003xf32>, %init: tensor<f32>) -> tensor<f32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%x : tensor<1000003xf32>) outs(%init : tensor<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %sq = arith.mulf %a, %a : f32
    %s = arith.addf %sq, %acc : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// A long column: the outer part of the reduced loop becomes a parallel
// dimension of the partial sums, after the accumulator's.
// CHECK-LABEL: func.func @column
// CHECK:         tensor.expand_shape %{{.+}} {{\[\[}}0, 1], [2]] output_shape [400, 250, 3]
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]{{.*}} outs(%{{.+}} : tensor<3x400xf32>)
// CHECK:         -> tensor<3x2xf32>
// CHECK:         -> tensor<3xf32>
func.func @column(%x: tensor<100000x3xf32>, %init: tensor<3xf32>) -> tensor<3xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<100000x3xf32>) outs(%init : tensor<3xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// -----

// Several reduced loops: the innermost ones that fit in a block stay
// reduced, the outer ones become parallel (no reshape when the block is
// already full).
// CHECK-LABEL: func.func @two_loops
// CHECK-NOT:     tensor.expand_shape
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} outs(%{{.+}} : tensor<300xf32>)
// CHECK:         tensor.expand_shape
// CHECK:         -> tensor<f32>
func.func @two_loops(%x: tensor<300x256xf32>, %init: tensor<f32>) -> tensor<f32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%x : tensor<300x256xf32>) outs(%init : tensor<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// Left alone: sums within a block, maxima, integer sums, dynamic sizes,
// bodies that read loop indices, and contractions.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:     tensor.expand_shape
// CHECK-NOT:     tensor.extract_slice
// CHECK-COUNT-6: linalg.generic
// CHECK-NOT:     linalg.generic
func.func @left_alone(%short: tensor<256xf32>, %long: tensor<65536xf32>,
                      %ints: tensor<65536xi32>, %dyn: tensor<?xf32>,
                      %a: tensor<4x4096xf32>, %b: tensor<4096x4xf32>,
                      %f: tensor<f32>, %i: tensor<i32>, %c: tensor<4x4xf32>)
    -> (tensor<f32>, tensor<f32>, tensor<i32>, tensor<f32>, tensor<f32>, tensor<4x4xf32>) {
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%short : tensor<256xf32>) outs(%f : tensor<f32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %x, %acc : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  %1 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%long : tensor<65536xf32>) outs(%f : tensor<f32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.maximumf %x, %acc : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  %2 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%ints : tensor<65536xi32>) outs(%i : tensor<i32>) {
  ^bb0(%x: i32, %acc: i32):
    %s = arith.addi %x, %acc : i32
    linalg.yield %s : i32
  } -> tensor<i32>
  %3 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%dyn : tensor<?xf32>) outs(%f : tensor<f32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %x, %acc : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  %4 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%long : tensor<65536xf32>) outs(%f : tensor<f32>) {
  ^bb0(%x: f32, %acc: f32):
    %k = linalg.index 0 : index
    %ki = arith.index_cast %k : index to i32
    %kf = arith.sitofp %ki : i32 to f32
    %m = arith.mulf %x, %kf : f32
    %s = arith.addf %m, %acc : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  %5 = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x4096xf32>, tensor<4096x4xf32>) outs(%c : tensor<4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<4x4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<f32>, tensor<f32>, tensor<i32>, tensor<f32>, tensor<f32>, tensor<4x4xf32>
}
