// RUN: kiln-opt %s --convert-nn-to-linalg -split-input-file | FileCheck %s

// nn.matmul and nn.dense (lib/Conversion/NNToLinalg/Linear.cpp).

// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME:    (%[[A:.+]]: tensor<4x3xf32>, %[[B:.+]]: tensor<3x5xf32>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<4x5xf32>
// CHECK:         %[[ACC:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<4x5xf32>)
// CHECK:         %[[C:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x3xf32>, tensor<3x5xf32>) outs(%[[ACC]] : tensor<4x5xf32>)
// CHECK:         return %[[C]]
func.func @matmul_2d(%a: tensor<4x3xf32>, %b: tensor<3x5xf32>) -> tensor<4x5xf32> {
  %0 = nn.matmul %a, %b : (tensor<4x3xf32>, tensor<3x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_batch
// CHECK-SAME:    (%[[A:.+]]: tensor<2x4x3xf32>, %[[B:.+]]: tensor<2x3x5xf32>)
// CHECK:         %[[ACC:.+]] = linalg.fill {{.*}} -> tensor<2x4x5xf32>
// CHECK:         %[[C:.+]] = linalg.batch_matmul ins(%[[A]], %[[B]] : {{.*}}) outs(%[[ACC]] : tensor<2x4x5xf32>)
// CHECK:         return %[[C]]
func.func @matmul_batch(%a: tensor<2x4x3xf32>, %b: tensor<2x3x5xf32>) -> tensor<2x4x5xf32> {
  %0 = nn.matmul %a, %b : (tensor<2x4x3xf32>, tensor<2x3x5xf32>) -> tensor<2x4x5xf32>
  return %0 : tensor<2x4x5xf32>
}

// -----

// A rank-2 rhs: the batch dimensions of lhs merge into M.
// CHECK-LABEL: func.func @matmul_batch_by_matrix
// CHECK-SAME:    (%[[A:.+]]: tensor<2x6x4x3xf32>, %[[B:.+]]: tensor<3x5xf32>)
// CHECK:         %[[A2:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1, 2], [3]] : tensor<2x6x4x3xf32> into tensor<48x3xf32>
// CHECK:         %[[ACC:.+]] = linalg.fill {{.*}} -> tensor<48x5xf32>
// CHECK:         %[[C:.+]] = linalg.matmul ins(%[[A2]], %[[B]] : {{.*}}) outs(%[[ACC]] : tensor<48x5xf32>)
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[C]] {{\[}}[0, 1, 2], [3]] output_shape [2, 6, 4, 5] : tensor<48x5xf32> into tensor<2x6x4x5xf32>
// CHECK:         return %[[R]]
func.func @matmul_batch_by_matrix(%a: tensor<2x6x4x3xf32>, %b: tensor<3x5xf32>) -> tensor<2x6x4x5xf32> {
  %0 = nn.matmul %a, %b : (tensor<2x6x4x3xf32>, tensor<3x5xf32>) -> tensor<2x6x4x5xf32>
  return %0 : tensor<2x6x4x5xf32>
}

// -----

// Broadcast batch dimensions: a unit dimension is collapsed away, then
// linalg.broadcast adds it (and missing leading ones) at full size; the batch
// dimensions merge for linalg.batch_matmul and expand back.
// CHECK-LABEL: func.func @matmul_broadcast
// CHECK-SAME:    (%[[A:.+]]: tensor<2x1x4x3xf32>, %[[B:.+]]: tensor<6x3x5xf32>)
// CHECK:         %[[A1:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0], [1, 2], [3]] : tensor<2x1x4x3xf32> into tensor<2x4x3xf32>
// CHECK:         %[[AE:.+]] = tensor.empty() : tensor<2x6x4x3xf32>
// CHECK:         %[[AB:.+]] = linalg.broadcast ins(%[[A1]] : tensor<2x4x3xf32>) outs(%[[AE]] : tensor<2x6x4x3xf32>) dimensions = [1]
// CHECK:         %[[BE:.+]] = tensor.empty() : tensor<2x6x3x5xf32>
// CHECK:         %[[BB:.+]] = linalg.broadcast ins(%[[B]] : tensor<6x3x5xf32>) outs(%[[BE]] : tensor<2x6x3x5xf32>) dimensions = [0]
// CHECK:         %[[A3:.+]] = tensor.collapse_shape %[[AB]] {{\[}}[0, 1], [2], [3]] : tensor<2x6x4x3xf32> into tensor<12x4x3xf32>
// CHECK:         %[[B3:.+]] = tensor.collapse_shape %[[BB]] {{\[}}[0, 1], [2], [3]] : tensor<2x6x3x5xf32> into tensor<12x3x5xf32>
// CHECK:         %[[ACC:.+]] = linalg.fill {{.*}} -> tensor<12x4x5xf32>
// CHECK:         %[[C:.+]] = linalg.batch_matmul ins(%[[A3]], %[[B3]] : {{.*}}) outs(%[[ACC]] : tensor<12x4x5xf32>)
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[C]] {{\[}}[0, 1], [2], [3]] output_shape [2, 6, 4, 5] : tensor<12x4x5xf32> into tensor<2x6x4x5xf32>
// CHECK:         return %[[R]]
func.func @matmul_broadcast(%a: tensor<2x1x4x3xf32>, %b: tensor<6x3x5xf32>) -> tensor<2x6x4x5xf32> {
  %0 = nn.matmul %a, %b : (tensor<2x1x4x3xf32>, tensor<6x3x5xf32>) -> tensor<2x6x4x5xf32>
  return %0 : tensor<2x6x4x5xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_matrix_by_batch
// CHECK-SAME:    (%[[A:.+]]: tensor<4x3xf32>, %[[B:.+]]: tensor<2x3x5xf32>)
// CHECK:         %[[AB:.+]] = linalg.broadcast ins(%[[A]] : tensor<4x3xf32>) outs(%{{.+}} : tensor<2x4x3xf32>) dimensions = [0]
// CHECK:         %[[C:.+]] = linalg.batch_matmul ins(%[[AB]], %[[B]] : {{.*}}) outs(%{{.+}} : tensor<2x4x5xf32>)
// CHECK:         return %[[C]]
func.func @matmul_matrix_by_batch(%a: tensor<4x3xf32>, %b: tensor<2x3x5xf32>) -> tensor<2x4x5xf32> {
  %0 = nn.matmul %a, %b : (tensor<4x3xf32>, tensor<2x3x5xf32>) -> tensor<2x4x5xf32>
  return %0 : tensor<2x4x5xf32>
}

// -----

// A dynamic batch size is read with tensor.dim; a unit batch dimension on the
// other side broadcasts to it.
// CHECK-LABEL: func.func @matmul_dynamic_batch
// CHECK-SAME:    (%[[A:.+]]: tensor<?x4x3xf32>, %[[B:.+]]: tensor<1x3x5xf32>)
// CHECK:         %[[C0:.+]] = arith.constant 0 : index
// CHECK:         %[[N:.+]] = tensor.dim %[[A]], %[[C0]] : tensor<?x4x3xf32>
// CHECK:         %[[B2:.+]] = tensor.collapse_shape %[[B]] {{\[}}[0, 1], [2]] : tensor<1x3x5xf32> into tensor<3x5xf32>
// CHECK:         %[[BE:.+]] = tensor.empty(%[[N]]) : tensor<?x3x5xf32>
// CHECK:         %[[BB:.+]] = linalg.broadcast ins(%[[B2]] : tensor<3x5xf32>) outs(%[[BE]] : tensor<?x3x5xf32>) dimensions = [0]
// CHECK:         %[[ACC:.+]] = linalg.fill {{.*}} -> tensor<?x4x5xf32>
// CHECK:         %[[C:.+]] = linalg.batch_matmul ins(%[[A]], %[[BB]] : tensor<?x4x3xf32>, tensor<?x3x5xf32>) outs(%[[ACC]] : tensor<?x4x5xf32>)
// CHECK:         return %[[C]]
func.func @matmul_dynamic_batch(%a: tensor<?x4x3xf32>, %b: tensor<1x3x5xf32>) -> tensor<?x4x5xf32> {
  %0 = nn.matmul %a, %b : (tensor<?x4x3xf32>, tensor<1x3x5xf32>) -> tensor<?x4x5xf32>
  return %0 : tensor<?x4x5xf32>
}

// -----

// A declared result type that knows less than the operands gets a cast.
// CHECK-LABEL: func.func @matmul_declared_dynamic
// CHECK:         %[[C:.+]] = linalg.matmul {{.*}} -> tensor<4x5xf32>
// CHECK:         %[[R:.+]] = tensor.cast %[[C]] : tensor<4x5xf32> to tensor<?x5xf32>
// CHECK:         return %[[R]]
func.func @matmul_declared_dynamic(%a: tensor<4x3xf32>, %b: tensor<3x5xf32>) -> tensor<?x5xf32> {
  %0 = nn.matmul %a, %b : (tensor<4x3xf32>, tensor<3x5xf32>) -> tensor<?x5xf32>
  return %0 : tensor<?x5xf32>
}

// -----

// nn.dense: linalg.matmul with a transposed B map, accumulating into the
// broadcast bias.
// CHECK-DAG:   #[[$MAP_A:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG:   #[[$MAP_B:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG:   #[[$MAP_C:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @dense_bias
// CHECK-SAME:    (%[[X:.+]]: tensor<4x3xf32>, %[[W:.+]]: tensor<5x3xf32>, %[[BIAS:.+]]: tensor<5xf32>)
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<4x5xf32>
// CHECK:         %[[ACC:.+]] = linalg.broadcast ins(%[[BIAS]] : tensor<5xf32>) outs(%[[EMPTY]] : tensor<4x5xf32>) dimensions = [0]
// CHECK:         %[[Y:.+]] = linalg.matmul indexing_maps = [#[[$MAP_A]], #[[$MAP_B]], #[[$MAP_C]]] ins(%[[X]], %[[W]] : tensor<4x3xf32>, tensor<5x3xf32>) outs(%[[ACC]] : tensor<4x5xf32>)
// CHECK:         return %[[Y]]
func.func @dense_bias(%x: tensor<4x3xf32>, %w: tensor<5x3xf32>, %b: tensor<5xf32>) -> tensor<4x5xf32> {
  %0 = nn.dense %x, %w, %b : (tensor<4x3xf32>, tensor<5x3xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// Without a bias the accumulator is 0; a rank-3 input collapses to a matrix.
// CHECK-LABEL: func.func @dense_rank3
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x7xf32>, %[[W:.+]]: tensor<5x7xf32>)
// CHECK:         %[[X2:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<2x3x7xf32> into tensor<6x7xf32>
// CHECK:         %[[ACC:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<6x5xf32>)
// CHECK:         %[[Y:.+]] = linalg.matmul indexing_maps = [{{.*}}] ins(%[[X2]], %[[W]] : {{.*}}) outs(%[[ACC]] : tensor<6x5xf32>)
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[Y]] {{\[}}[0, 1], [2]] output_shape [2, 3, 5] : tensor<6x5xf32> into tensor<2x3x5xf32>
// CHECK:         return %[[R]]
func.func @dense_rank3(%x: tensor<2x3x7xf32>, %w: tensor<5x7xf32>) -> tensor<2x3x5xf32> {
  %0 = nn.dense %x, %w : (tensor<2x3x7xf32>, tensor<5x7xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// CHECK-LABEL: func.func @dense_dynamic_batch
// CHECK-SAME:    (%[[X:.+]]: tensor<?x2x3xf32>, %[[W:.+]]: tensor<5x3xf32>, %[[BIAS:.+]]: tensor<5xf32>)
// CHECK:         %[[X2:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<?x2x3xf32> into tensor<?x3xf32>
// CHECK:         %[[M:.+]] = tensor.dim %[[X2]], %{{.+}} : tensor<?x3xf32>
// CHECK:         %[[EMPTY:.+]] = tensor.empty(%[[M]]) : tensor<?x5xf32>
// CHECK:         %[[ACC:.+]] = linalg.broadcast ins(%[[BIAS]] : tensor<5xf32>) outs(%[[EMPTY]] : tensor<?x5xf32>) dimensions = [0]
// CHECK:         %[[Y:.+]] = linalg.matmul indexing_maps = [{{.*}}] ins(%[[X2]], %[[W]] : {{.*}}) outs(%[[ACC]] : tensor<?x5xf32>)
// CHECK:         %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x2x3xf32>
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[Y]] {{\[}}[0, 1], [2]] output_shape [%[[N]], 2, 5] : tensor<?x5xf32> into tensor<?x2x5xf32>
// CHECK:         return %[[R]]
func.func @dense_dynamic_batch(%x: tensor<?x2x3xf32>, %w: tensor<5x3xf32>, %b: tensor<5xf32>) -> tensor<?x2x5xf32> {
  %0 = nn.dense %x, %w, %b : (tensor<?x2x3xf32>, tensor<5x3xf32>, tensor<5xf32>) -> tensor<?x2x5xf32>
  return %0 : tensor<?x2x5xf32>
}

// -----

// A vector input is a one-row matrix.
// CHECK-LABEL: func.func @dense_vector
// CHECK-SAME:    (%[[X:.+]]: tensor<3xf32>, %[[W:.+]]: tensor<5x3xf32>)
// CHECK:         %[[X2:.+]] = tensor.expand_shape %[[X]] {{\[}}[0, 1]] output_shape [1, 3] : tensor<3xf32> into tensor<1x3xf32>
// CHECK:         %[[Y:.+]] = linalg.matmul indexing_maps = [{{.*}}] ins(%[[X2]], %[[W]] : {{.*}}) outs(%{{.+}} : tensor<1x5xf32>)
// CHECK:         %[[R:.+]] = tensor.collapse_shape %[[Y]] {{\[}}[0, 1]] : tensor<1x5xf32> into tensor<5xf32>
// CHECK:         return %[[R]]
func.func @dense_vector(%x: tensor<3xf32>, %w: tensor<5x3xf32>) -> tensor<5xf32> {
  %0 = nn.dense %x, %w : (tensor<3xf32>, tensor<5x3xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}
