// RUN: kiln-opt %s --convert-nn-to-linalg -split-input-file | FileCheck %s

// nn.max_pool2d, nn.avg_pool2d and nn.global_avg_pool
// (lib/Conversion/NNToLinalg/Pooling.cpp).

// No padding: no tensor.pad; the accumulator starts at -inf.
// CHECK-LABEL: func.func @max_pool_plain
// CHECK-SAME:    (%[[X:.+]]: tensor<1x2x6x6xf32>)
// CHECK-NOT:     tensor.pad
// CHECK:         %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<1x2x3x3xf32>
// CHECK:         %[[ACC:.+]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%[[EMPTY]] : tensor<1x2x3x3xf32>)
// CHECK:         %[[WINDOW:.+]] = tensor.empty() : tensor<2x2xf32>
// CHECK:         %[[Y:.+]] = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[X]], %[[WINDOW]] : tensor<1x2x6x6xf32>, tensor<2x2xf32>) outs(%[[ACC]] : tensor<1x2x3x3xf32>)
// CHECK:         return %[[Y]]
func.func @max_pool_plain(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  %0 = nn.max_pool2d %x kernel [2, 2] strides [2, 2] : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Padding with -inf; with `rounding ceil` the last window reads one element
// past the padding, which is padded with -inf too (bottom/right 1 + 1).
// CHECK-LABEL: func.func @max_pool_pad_ceil
// CHECK-SAME:    (%[[X:.+]]: tensor<1x2x6x6xf32>)
// CHECK:         %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[XP:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 2, 2]
// CHECK:           tensor.yield %[[NEGINF]] : f32
// CHECK:         } : tensor<1x2x6x6xf32> to tensor<1x2x9x9xf32>
// CHECK:         %[[ACC:.+]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.+}} : tensor<1x2x4x4xf32>)
// CHECK:         %[[WINDOW:.+]] = tensor.empty() : tensor<3x3xf32>
// CHECK:         %[[Y:.+]] = linalg.pooling_nchw_max {{.*}} ins(%[[XP]], %[[WINDOW]] : tensor<1x2x9x9xf32>, tensor<3x3xf32>) outs(%[[ACC]] : tensor<1x2x4x4xf32>)
// CHECK:         return %[[Y]]
func.func @max_pool_pad_ceil(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32> {
  %0 = nn.max_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] rounding ceil : tensor<1x2x6x6xf32> -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// Ceil rounding alone needs a trailing pad; dilations pass through.
// CHECK-LABEL: func.func @max_pool_ceil_dilation
// CHECK-SAME:    (%[[X:.+]]: tensor<1x1x6x10xf32>)
// CHECK:         %[[XP:.+]] = tensor.pad %[[X]] low[0, 0, 0, 0] high[0, 0, 0, 1]
// CHECK:         } : tensor<1x1x6x10xf32> to tensor<1x1x6x11xf32>
// CHECK:         linalg.pooling_nchw_max {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[1, 2]> : tensor<2xi64>} ins(%[[XP]], %{{.+}} : tensor<1x1x6x11xf32>, tensor<2x3xf32>) outs(%{{.+}} : tensor<1x1x5x4xf32>)
func.func @max_pool_ceil_dilation(%x: tensor<1x1x6x10xf32>) -> tensor<1x1x5x4xf32> {
  %0 = nn.max_pool2d %x kernel [2, 3] strides [1, 2] dilations [1, 2] rounding ceil : tensor<1x1x6x10xf32> -> tensor<1x1x5x4xf32>
  return %0 : tensor<1x1x5x4xf32>
}

// -----

// CHECK-LABEL: func.func @max_pool_dynamic_batch
// CHECK-SAME:    (%[[X:.+]]: tensor<?x2x7x7xf32>)
// CHECK:         %[[XP:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:         } : tensor<?x2x7x7xf32> to tensor<?x2x9x9xf32>
// CHECK:         %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x2x7x7xf32>
// CHECK:         %[[EMPTY:.+]] = tensor.empty(%[[N]]) : tensor<?x2x4x4xf32>
// CHECK:         %[[ACC:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[EMPTY]] : tensor<?x2x4x4xf32>)
// CHECK:         %[[Y:.+]] = linalg.pooling_nchw_max {{.*}} ins(%[[XP]], %{{.+}} : tensor<?x2x9x9xf32>, tensor<3x3xf32>) outs(%[[ACC]] : tensor<?x2x4x4xf32>)
// CHECK:         return %[[Y]]
func.func @max_pool_dynamic_batch(%x: tensor<?x2x7x7xf32>) -> tensor<?x2x4x4xf32> {
  %0 = nn.max_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] : tensor<?x2x7x7xf32> -> tensor<?x2x4x4xf32>
  return %0 : tensor<?x2x4x4xf32>
}

// -----

// Average pooling: a sum pooling over the input padded with 0, then each sum
// is divided by its window's count of input elements (without
// count_include_pad): the window [o * stride - pad_before, + kernel) clipped
// to the padded input [.., input + pad_after), then to the input [0, input).
// CHECK-LABEL: func.func @avg_pool_exclude_pad
// CHECK-SAME:    (%[[X:.+]]: tensor<1x2x7x7xf32>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[XP:.+]] = tensor.pad %[[X]] low[0, 0, 1, 2] high[0, 0, 1, 1]
// CHECK:           tensor.yield %[[ZERO]] : f32
// CHECK:         %[[ACC:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<1x2x2x3xf32>)
// CHECK:         %[[SUM:.+]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<[3, 2]> : tensor<2xi64>} ins(%[[XP]], %{{.+}} : tensor<1x2x9x10xf32>, tensor<4x5xf32>) outs(%[[ACC]] : tensor<1x2x2x3xf32>)
// CHECK-DAG:     %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG:     %[[STRIDE:.+]] = arith.constant 3 : index
// CHECK-DAG:     %[[PAD:.+]] = arith.constant 1 : index
// CHECK-DAG:     %[[KERNEL:.+]] = arith.constant 4 : index
// CHECK-DAG:     %[[PADDED_END:.+]] = arith.constant 8 : index
// CHECK-DAG:     %[[INPUT_END:.+]] = arith.constant 7 : index
// CHECK:         %[[Y:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x2x2x3xf32>) outs(%{{.+}} : tensor<1x2x2x3xf32>)
// CHECK:         ^bb0(%[[S:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[OH:.+]] = linalg.index 2 : index
// CHECK:           %[[T0:.+]] = arith.muli %[[OH]], %[[STRIDE]] : index
// CHECK:           %[[START:.+]] = arith.subi %[[T0]], %[[PAD]] : index
// CHECK:           %[[T1:.+]] = arith.addi %[[START]], %[[KERNEL]] : index
// CHECK:           %[[END:.+]] = arith.minsi %[[T1]], %[[PADDED_END]] : index
// CHECK:           %[[START2:.+]] = arith.maxsi %[[START]], %[[C0]] : index
// CHECK:           %[[END2:.+]] = arith.minsi %[[END]], %[[INPUT_END]] : index
// CHECK:           %[[H:.+]] = arith.subi %[[END2]], %[[START2]] : index
// CHECK:           linalg.index 3 : index
// CHECK:           arith.muli
// CHECK:           arith.subi
// CHECK:           arith.addi
// CHECK:           arith.minsi
// CHECK:           arith.maxsi
// CHECK:           arith.minsi
// CHECK:           %[[W:.+]] = arith.subi
// CHECK:           %[[COUNT:.+]] = arith.muli %[[H]], %[[W]] : index
// CHECK:           %[[I64:.+]] = arith.index_cast %[[COUNT]] : index to i64
// CHECK:           %[[F:.+]] = arith.sitofp %[[I64]] : i64 to f32
// CHECK:           %[[MEAN:.+]] = arith.divf %[[S]], %[[F]] : f32
// CHECK:           linalg.yield %[[MEAN]] : f32
// CHECK:         return %[[Y]]
func.func @avg_pool_exclude_pad(%x: tensor<1x2x7x7xf32>) -> tensor<1x2x2x3xf32> {
  %0 = nn.avg_pool2d %x kernel [4, 5] strides [3, 2] padding [1, 2, 1, 1] : tensor<1x2x7x7xf32> -> tensor<1x2x2x3xf32>
  return %0 : tensor<1x2x2x3xf32>
}

// -----

// With count_include_pad the window is only clipped to the padded input
// (7 + 1 = 8 here): elements added for ceil rounding do not count, padding
// does.
// CHECK-LABEL: func.func @avg_pool_include_pad_ceil
// CHECK-SAME:    (%[[X:.+]]: tensor<?x2x6x6xf32>)
// CHECK:         %[[XP:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 2, 2]
// CHECK:         %[[SUM:.+]] = linalg.pooling_nchw_sum {{.*}} ins(%[[XP]], %{{.+}} : tensor<?x2x9x9xf32>, tensor<3x3xf32>) outs(%{{.+}} : tensor<?x2x4x4xf32>)
// CHECK:         %[[N:.+]] = tensor.dim %[[SUM]], %{{.+}} : tensor<?x2x4x4xf32>
// CHECK:         %[[PADDED_END:.+]] = arith.constant 7 : index
// CHECK:         %[[EMPTY:.+]] = tensor.empty(%[[N]]) : tensor<?x2x4x4xf32>
// CHECK:         %[[Y:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<?x2x4x4xf32>) outs(%[[EMPTY]] : tensor<?x2x4x4xf32>)
// CHECK:           linalg.index 2 : index
// CHECK:           %[[END:.+]] = arith.minsi %{{.+}}, %[[PADDED_END]] : index
// CHECK-NOT:       arith.maxsi
// CHECK:           arith.divf
// CHECK:         return %[[Y]]
func.func @avg_pool_include_pad_ceil(%x: tensor<?x2x6x6xf32>) -> tensor<?x2x4x4xf32> {
  %0 = nn.avg_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] rounding ceil count_include_pad : tensor<?x2x6x6xf32> -> tensor<?x2x4x4xf32>
  return %0 : tensor<?x2x4x4xf32>
}

// -----

// Global average pooling: a sum over the spatial dimensions, divided by their
// element count, expanded back to [N, C, 1, 1].
// CHECK-DAG:   #[[$ID4:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[$NC:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @global_avg_pool
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x5x7xf32>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[ACC:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<2x3xf32>)
// CHECK:         %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$ID4]], #[[$NC]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%[[X]] : tensor<2x3x5x7xf32>) outs(%[[ACC]] : tensor<2x3xf32>)
// CHECK:           arith.addf
// CHECK:         %[[COUNT:.+]] = arith.constant 3.500000e+01 : f32
// CHECK:         %[[MEAN:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2x3xf32>)
// CHECK:           arith.divf %{{.+}}, %[[COUNT]] : f32
// CHECK:         %[[Y:.+]] = tensor.expand_shape %[[MEAN]] {{\[}}[0], [1, 2, 3]] output_shape [2, 3, 1, 1] : tensor<2x3xf32> into tensor<2x3x1x1xf32>
// CHECK:         return %[[Y]]
func.func @global_avg_pool(%x: tensor<2x3x5x7xf32>) -> tensor<2x3x1x1xf32> {
  %0 = nn.global_avg_pool %x : tensor<2x3x5x7xf32> -> tensor<2x3x1x1xf32>
  return %0 : tensor<2x3x1x1xf32>
}

// -----

// Dynamic sizes: the count is computed from tensor.dim.
// CHECK-LABEL: func.func @global_avg_pool_dynamic
// CHECK-SAME:    (%[[X:.+]]: tensor<?x3x?xf32>)
// CHECK:         %[[SUM:.+]] = linalg.generic {{.*}} ins(%[[X]] : tensor<?x3x?xf32>) outs(%{{.+}} : tensor<?x3xf32>)
// CHECK:         %[[L:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x3x?xf32>
// CHECK:         %[[I64:.+]] = arith.index_castui %[[L]] : index to i64
// CHECK:         %[[COUNT:.+]] = arith.uitofp %[[I64]] : i64 to f32
// CHECK:         %[[MEAN:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<?x3xf32>)
// CHECK:           arith.divf %{{.+}}, %[[COUNT]] : f32
// CHECK:         %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x3x?xf32>
// CHECK:         %[[Y:.+]] = tensor.expand_shape %[[MEAN]] {{\[}}[0], [1, 2]] output_shape [%[[N]], 3, 1] : tensor<?x3xf32> into tensor<?x3x1xf32>
// CHECK:         return %[[Y]]
func.func @global_avg_pool_dynamic(%x: tensor<?x3x?xf32>) -> tensor<?x3x1xf32> {
  %0 = nn.global_avg_pool %x : tensor<?x3x?xf32> -> tensor<?x3x1xf32>
  return %0 : tensor<?x3x1xf32>
}

// -----

// Integers: the accumulator and padding start at the lowest value; unsigned
// ones are pooled with the sign bit flipped (an order-preserving map to
// signed), then flipped back.
// CHECK-LABEL: func.func @max_pool_integers
// CHECK-SAME:    (%[[S:.+]]: tensor<1x1x4x4xi32>, %[[U:.+]]: tensor<1x1x4x4xi8>)
// CHECK:         %[[MIN32:.+]] = arith.constant -2147483648 : i32
// CHECK:         linalg.fill ins(%[[MIN32]] : i32)
// CHECK:         linalg.pooling_nchw_max
// CHECK:         %[[MIN8:.+]] = arith.constant -128 : i8
// CHECK:         linalg.generic
// CHECK:           arith.xori %{{.+}}, %[[MIN8]] : i8
// CHECK:         linalg.pooling_nchw_max
// CHECK:         linalg.generic
// CHECK:           arith.xori %{{.+}}, %[[MIN8]] : i8
func.func @max_pool_integers(%s: tensor<1x1x4x4xi32>, %u: tensor<1x1x4x4xui8>) -> (tensor<1x1x2x2xi32>, tensor<1x1x2x2xui8>) {
  %0 = nn.max_pool2d %s kernel [2, 2] strides [2, 2] : tensor<1x1x4x4xi32> -> tensor<1x1x2x2xi32>
  %1 = nn.max_pool2d %u kernel [2, 2] strides [2, 2] : tensor<1x1x4x4xui8> -> tensor<1x1x2x2xui8>
  return %0, %1 : tensor<1x1x2x2xi32>, tensor<1x1x2x2xui8>
}

// -----

// Indices: one generic over (n, c, oh, ow, kh, kw) reading the -inf padded
// input; each element's flat index ((n * C + c) * H + h) * W + w from
// linalg.index, padding skipped, ties to the smaller index.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[WIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_pool_indices
// CHECK:         %[[XP:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:         %[[R:.+]]:2 = linalg.generic {indexing_maps = [#[[IN]], #[[WIN]], #[[OUT]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME:      ins(%[[XP]], %{{.+}} : tensor<2x3x10x10xf32>, tensor<3x3xf32>)
// CHECK:           linalg.index 4
// CHECK:           arith.cmpf ogt
// CHECK:           arith.cmpi slt
// CHECK:           linalg.yield
// CHECK:         return %[[R]]#1 : tensor<2x3x4x4xi64>
func.func @max_pool_indices(%x: tensor<2x3x8x8xf32>) -> tensor<2x3x4x4xi64> {
  %0 = nn.max_pool2d_indices %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] : tensor<2x3x8x8xf32> -> tensor<2x3x4x4xi64>
  return %0 : tensor<2x3x4x4xi64>
}
