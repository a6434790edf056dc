// RUN: kiln-opt %s --convert-nn-to-linalg -split-input-file | FileCheck %s

// Axes are normalized and sorted: [2, 0] reduces d0 and d2 into a zero fill.
// CHECK-DAG:   #[[IN:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @sum
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<3xf32>)
// CHECK:         %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["reduction", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<3xf32>)
// CHECK:           arith.addf
// CHECK:         return %[[SUM]] : tensor<3xf32>
func.func @sum(%x: tensor<2x3x4xf32>) -> tensor<3xf32> {
  %0 = nn.reduce_sum %x axes [2, 0] : tensor<2x3x4xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// keepdims: the reduced tensor is expanded back with size-1 dimensions.
// CHECK-LABEL: func.func @sum_keepdims
// CHECK:         %[[SUM:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK:         } -> tensor<1x64xf32>
// CHECK:         %[[E:.+]] = tensor.expand_shape %[[SUM]] {{\[}}[0], [1, 2, 3]] output_shape [1, 64, 1, 1] : tensor<1x64xf32> into tensor<1x64x1x1xf32>
// CHECK:         return %[[E]]
func.func @sum_keepdims(%x: tensor<1x64x7x7xf32>) -> tensor<1x64x1x1xf32> {
  %0 = nn.reduce_sum %x axes [2, 3] keepdims : tensor<1x64x7x7xf32> -> tensor<1x64x1x1xf32>
  return %0 : tensor<1x64x1x1xf32>
}

// -----

// Leading reduced dimensions join the first kept dimension's group, later
// ones the group of the kept dimension before them.
// CHECK-LABEL: func.func @sum_keepdims_leading
// CHECK:         tensor.expand_shape %{{.+}} {{\[}}[0, 1, 2], [3]] output_shape [1, 5, 1, 7] : tensor<5x7xf32> into tensor<1x5x1x7xf32>
func.func @sum_keepdims_leading(%x: tensor<4x5x6x7xf32>) -> tensor<1x5x1x7xf32> {
  %0 = nn.reduce_sum %x axes [0, -2] keepdims : tensor<4x5x6x7xf32> -> tensor<1x5x1x7xf32>
  return %0 : tensor<1x5x1x7xf32>
}

// -----

// mean: a sum, then a division by the number of reduced elements (3 * 5).
// CHECK-LABEL: func.func @mean
// CHECK:         %[[SUM:.+]] = linalg.generic {{.*}}iterator_types = ["reduction", "parallel", "reduction"]
// CHECK:           arith.addf
// CHECK:         %[[N:.+]] = arith.constant 1.500000e+01 : f32
// CHECK:         %[[MEAN:.+]] = linalg.generic {{.*}}iterator_types = ["parallel"]} ins(%[[SUM]] : tensor<4xf32>)
// CHECK:           %[[Q:.+]] = arith.divf %{{.+}}, %[[N]] : f32
// CHECK:           linalg.yield %[[Q]]
// CHECK:         return %[[MEAN]] : tensor<4xf32>
func.func @mean(%x: tensor<3x4x5xf32>) -> tensor<4xf32> {
  %0 = nn.reduce_mean %x axes [0, -1] : tensor<3x4x5xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A dynamic reduced size is read with tensor.dim for the count; a dynamic
// kept size sizes the accumulator.
// CHECK-LABEL: func.func @mean_dynamic
// CHECK-SAME:    (%[[X:.+]]: tensor<?x?x8xf32>)
// CHECK:         %[[C0:.+]] = arith.constant 0 : index
// CHECK:         %[[D0:.+]] = tensor.dim %[[X]], %[[C0]]
// CHECK:         tensor.empty(%[[D0]]) : tensor<?xf32>
// CHECK:         %[[SUM:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "reduction"]
// CHECK:         %[[C1:.+]] = arith.constant 1 : index
// CHECK:         %[[D1:.+]] = tensor.dim %[[X]], %[[C1]]
// CHECK:         %[[C8:.+]] = arith.constant 8 : index
// CHECK:         %[[PROD:.+]] = arith.muli %[[D1]], %[[C8]] : index
// CHECK:         %[[I:.+]] = arith.index_castui %[[PROD]] : index to i64
// CHECK:         %[[N:.+]] = arith.uitofp %[[I]] : i64 to f32
// CHECK:         linalg.generic
// CHECK:           arith.divf %{{.+}}, %[[N]] : f32
func.func @mean_dynamic(%x: tensor<?x?x8xf32>) -> tensor<?xf32> {
  %0 = nn.reduce_mean %x axes [1, 2] : tensor<?x?x8xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// max starts from -inf and combines with maximumf (NaN propagates). Reducing
// every dimension gives a rank-0 accumulator; keepdims expands it to 1x1.
// CHECK-DAG:   #[[ALL:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @max_all_keepdims
// CHECK:         %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[INIT:.+]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.+}} : tensor<f32>) -> tensor<f32>
// CHECK:         %[[MAX:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[ALL]]], iterator_types = ["reduction", "reduction"]}
// CHECK-SAME:      outs(%[[INIT]] : tensor<f32>)
// CHECK:           arith.maximumf
// CHECK:         tensor.expand_shape %[[MAX]] [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
func.func @max_all_keepdims(%x: tensor<2x3xf32>) -> tensor<1x1xf32> {
  %0 = nn.reduce_max %x axes [0, 1] keepdims : tensor<2x3xf32> -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// -----

// A declared result more static than the input's sizes: the lowering computes
// on the input's sizes and casts.
// CHECK-LABEL: func.func @max_cast
// CHECK:         %[[MAX:.+]] = linalg.generic
// CHECK:         } -> tensor<?xf32>
// CHECK:         %[[C:.+]] = tensor.cast %[[MAX]] : tensor<?xf32> to tensor<4xf32>
// CHECK:         return %[[C]]
func.func @max_cast(%x: tensor<?x3xf32>) -> tensor<4xf32> {
  %0 = nn.reduce_max %x axes [1] : tensor<?x3xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A product starts from 1 and multiplies.
// CHECK-LABEL: func.func @prod
// CHECK:         %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK:         linalg.fill ins(%[[ONE]] : f32)
// CHECK:         arith.mulf
func.func @prod(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = nn.reduce_prod %x axes [1] : tensor<2x3xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// arg_max: one generic reducing the axis into a (value, index) pair, the
// index from linalg.index; keepdims expands the result back.
// CHECK-DAG:   #[[IN:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[OUT:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @arg_max
// CHECK:         %[[R:.+]]:2 = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]], #[[OUT]]], iterator_types = ["parallel", "reduction"]}
// CHECK:           linalg.index 1
// CHECK:           arith.cmpf ogt
// CHECK:           arith.cmpf uno
// CHECK:           arith.cmpi slt
// CHECK:         tensor.expand_shape %[[R]]#1 {{\[\[}}0, 1]] output_shape [4, 1] : tensor<4xi64> into tensor<4x1xi64>
func.func @arg_max(%x: tensor<4x5xf32>) -> tensor<4x1xi64> {
  %0 = nn.arg_max %x axis 1 keepdims : tensor<4x5xf32> -> tensor<4x1xi64>
  return %0 : tensor<4x1xi64>
}

// -----

// arg_min of unsigned integers compares unsigned; select_last_index prefers
// the larger index on ties.
// CHECK-LABEL: func.func @arg_min_unsigned
// CHECK:         linalg.generic
// CHECK:           arith.cmpi ult
// CHECK:           arith.cmpi sgt
func.func @arg_min_unsigned(%x: tensor<4x5xui8>) -> tensor<5xi64> {
  %0 = nn.arg_min %x axis 0 select_last_index : tensor<4x5xui8> -> tensor<5xi64>
  return %0 : tensor<5xi64>
}
