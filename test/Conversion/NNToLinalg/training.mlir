// RUN: kiln-opt %s --convert-nn-to-linalg -split-input-file | FileCheck %s

// Inference: dropout is the identity.
// CHECK-LABEL: func.func @dropout
// CHECK-SAME:    (%[[X:.+]]: tensor<8x16xf32>)
// CHECK-NEXT:    return %[[X]]
func.func @dropout(%x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = nn.dropout %x ratio 0.1 seed 42 : tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

// Class-index targets, mean: per sample the class maximum (from -inf) and
// log(sum(exp(x - max))); the loss log(sum) - (x[n, target[n]] - max) reads
// the logit with tensor.extract at (linalg.index 0, target) and is summed
// into a rank-0 accumulator, then divided by N.
// CHECK-DAG:   #[[ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG:   #[[VEC:.+]] = affine_map<(d0) -> (d0)>
// CHECK-DAG:   #[[TO0:.+]] = affine_map<(d0) -> ()>
// CHECK-DAG:   #[[SCALAR:.+]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @cross_entropy_indices_mean
// CHECK-SAME:    (%[[X:[^:]+]]: tensor<4x10xf32>, %[[T:[^:]+]]: tensor<4xi64>) -> tensor<f32>
// CHECK-DAG:     %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[MAXINIT:.+]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.+}} : tensor<4xf32>)
// CHECK:         %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<4x10xf32>) outs(%[[MAXINIT]] : tensor<4xf32>)
// CHECK:           arith.maximumf
// CHECK:         %[[SUMEXP:.+]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]], %[[MAX]] : tensor<4x10xf32>, tensor<4xf32>)
// CHECK:           %[[SH:.+]] = arith.subf
// CHECK:           %[[EX:.+]] = math.exp %[[SH]]
// CHECK:           arith.addf %[[EX]]
// CHECK:         %[[LOGSUM:.+]] = linalg.generic {{.*}} ins(%[[SUMEXP]] : tensor<4xf32>)
// CHECK:           math.log
// CHECK:         %[[ACC:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<f32>)
// CHECK:         %[[TOTAL:.+]] = linalg.generic {indexing_maps = [#[[VEC]], #[[VEC]], #[[VEC]], #[[TO0]]], iterator_types = ["reduction"]}
// CHECK-SAME:      ins(%[[T]], %[[MAX]], %[[LOGSUM]] : tensor<4xi64>, tensor<4xf32>, tensor<4xf32>) outs(%[[ACC]] : tensor<f32>)
// CHECK:         ^bb0(%[[TE:.+]]: i64, %[[ME:.+]]: f32, %[[LE:.+]]: f32, %[[OUT:.+]]: f32):
// CHECK:           %[[CLASS:.+]] = arith.index_cast %[[TE]] : i64 to index
// CHECK:           %[[N:.+]] = linalg.index 0 : index
// CHECK:           %[[LOGIT:.+]] = tensor.extract %[[X]][%[[N]], %[[CLASS]]] : tensor<4x10xf32>
// CHECK:           %[[S:.+]] = arith.subf %[[LOGIT]], %[[ME]] : f32
// CHECK:           %[[L:.+]] = arith.subf %[[LE]], %[[S]] : f32
// CHECK:           arith.addf %[[L]], %[[OUT]] : f32
// CHECK:         %[[COUNT:.+]] = arith.constant 4.000000e+00 : f32
// CHECK:         %[[MEAN:.+]] = linalg.generic {indexing_maps = [#[[SCALAR]], #[[SCALAR]]], iterator_types = []} ins(%[[TOTAL]] : tensor<f32>)
// CHECK:           arith.divf %{{.+}}, %[[COUNT]] : f32
// CHECK:         return %[[MEAN]] : tensor<f32>
func.func @cross_entropy_indices_mean(%x: tensor<4x10xf32>, %t: tensor<4xi64>) -> tensor<f32> {
  %0 = nn.cross_entropy %x, %t : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// reduction none, spatial dims: the per-sample loss is a parallel generic
// over [N, d1]; the logit index is (n, target, d1).
// CHECK-LABEL: func.func @cross_entropy_indices_none
// CHECK-SAME:    (%[[X:[^:]+]]: tensor<2x5x3xf32>, %[[T:[^:]+]]: tensor<2x3xi32>) -> tensor<2x3xf32>
// CHECK:         %[[L:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%[[T]], %{{.+}}, %{{.+}} : tensor<2x3xi32>, tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK:           %[[CLASS:.+]] = arith.index_cast %{{.+}} : i32 to index
// CHECK:           %[[I0:.+]] = linalg.index 0 : index
// CHECK:           %[[I1:.+]] = linalg.index 1 : index
// CHECK:           tensor.extract %[[X]][%[[I0]], %[[CLASS]], %[[I1]]] : tensor<2x5x3xf32>
// CHECK-NOT:     arith.divf
// CHECK:         return %[[L]] : tensor<2x3xf32>
func.func @cross_entropy_indices_none(%x: tensor<2x5x3xf32>, %t: tensor<2x3xi32>) -> tensor<2x3xf32> {
  %0 = nn.cross_entropy %x, %t reduction none : (tensor<2x5x3xf32>, tensor<2x3xi32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Probability targets, sum: target * (log(sum) - (x - max)) reduced over
// every dimension at once into a rank-0 result; no division.
// CHECK-DAG:   #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG:   #[[ALL:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @cross_entropy_probabilities_sum
// CHECK-SAME:    (%[[X:[^:]+]]: tensor<4x10xf32>, %[[P:[^:]+]]: tensor<4x10xf32>) -> tensor<f32>
// CHECK:         %[[MAX:.+]] = linalg.generic
// CHECK:         %[[SUMEXP:.+]] = linalg.generic
// CHECK:         %[[LOGSUM:.+]] = linalg.generic {{.*}} ins(%[[SUMEXP]] : tensor<4xf32>)
// CHECK:           math.log
// CHECK:         %[[L:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ROW]], #[[ROW]], #[[ALL]]], iterator_types = ["reduction", "reduction"]}
// CHECK-SAME:      ins(%[[X]], %[[P]], %[[MAX]], %[[LOGSUM]] : tensor<4x10xf32>, tensor<4x10xf32>, tensor<4xf32>, tensor<4xf32>) outs(%{{.+}} : tensor<f32>)
// CHECK:         ^bb0(%[[XE:.+]]: f32, %[[PE:.+]]: f32, %[[ME:.+]]: f32, %[[LE:.+]]: f32, %[[OUT:.+]]: f32):
// CHECK:           %[[S:.+]] = arith.subf %[[XE]], %[[ME]] : f32
// CHECK:           %[[NLP:.+]] = arith.subf %[[LE]], %[[S]] : f32
// CHECK:           %[[W:.+]] = arith.mulf %[[PE]], %[[NLP]] : f32
// CHECK:           arith.addf %[[W]], %[[OUT]] : f32
// CHECK-NOT:     arith.divf
// CHECK:         return %[[L]] : tensor<f32>
func.func @cross_entropy_probabilities_sum(%x: tensor<4x10xf32>, %p: tensor<4x10xf32>) -> tensor<f32> {
  %0 = nn.cross_entropy %x, %p reduction sum : (tensor<4x10xf32>, tensor<4x10xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Probability targets, none: the reduction covers only the class dimension.
// CHECK-LABEL: func.func @cross_entropy_probabilities_none
// CHECK:         %[[L:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]} ins(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} : tensor<2x5x3xf32>, tensor<2x5x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK:         return %[[L]] : tensor<2x3xf32>
func.func @cross_entropy_probabilities_none(%x: tensor<2x5x3xf32>, %p: tensor<2x5x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.cross_entropy %x, %p reduction none : (tensor<2x5x3xf32>, tensor<2x5x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Dynamic batch: the mean divides by N read with tensor.dim.
// CHECK-LABEL: func.func @cross_entropy_dynamic_mean
// CHECK-SAME:    (%[[X:[^:]+]]: tensor<?x10xf32>
// CHECK:         %[[TOTAL:.+]] = linalg.generic {{.*}}iterator_types = ["reduction"]
// CHECK:           tensor.extract %[[X]]
// CHECK:         %[[C0:.+]] = arith.constant 0 : index
// CHECK:         %[[N:.+]] = tensor.dim %[[X]], %[[C0]] : tensor<?x10xf32>
// CHECK:         %[[I:.+]] = arith.index_castui %[[N]] : index to i64
// CHECK:         %[[COUNT:.+]] = arith.uitofp %[[I]] : i64 to f32
// CHECK:         linalg.generic {{.*}} ins(%[[TOTAL]] : tensor<f32>)
// CHECK:           arith.divf %{{.+}}, %[[COUNT]] : f32
func.func @cross_entropy_dynamic_mean(%x: tensor<?x10xf32>, %t: tensor<?xi64>) -> tensor<f32> {
  %0 = nn.cross_entropy %x, %t reduction mean : (tensor<?x10xf32>, tensor<?xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// mse, mean: (p - t)^2 summed over every dimension into a rank-0 result,
// then divided by the element count.
// CHECK-DAG:   #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[ALL:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @mse_mean
// CHECK-SAME:    (%[[P:[^:]+]]: tensor<4x3xf32>, %[[T:[^:]+]]: tensor<4x3xf32>) -> tensor<f32>
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[ACC:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<f32>)
// CHECK:         %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ALL]]], iterator_types = ["reduction", "reduction"]}
// CHECK-SAME:      ins(%[[P]], %[[T]] : tensor<4x3xf32>, tensor<4x3xf32>) outs(%[[ACC]] : tensor<f32>)
// CHECK:         ^bb0(%[[PE:.+]]: f32, %[[TE:.+]]: f32, %[[OUT:.+]]: f32):
// CHECK:           %[[D:.+]] = arith.subf %[[PE]], %[[TE]] : f32
// CHECK:           %[[SQ:.+]] = arith.mulf %[[D]], %[[D]] : f32
// CHECK:           arith.addf %[[SQ]], %[[OUT]] : f32
// CHECK:         %[[COUNT:.+]] = arith.constant 1.200000e+01 : f32
// CHECK:         %[[MEAN:.+]] = linalg.generic {{.*}}iterator_types = []} ins(%[[SUM]] : tensor<f32>)
// CHECK:           arith.divf %{{.+}}, %[[COUNT]] : f32
// CHECK:         return %[[MEAN]] : tensor<f32>
func.func @mse_mean(%p: tensor<4x3xf32>, %t: tensor<4x3xf32>) -> tensor<f32> {
  %0 = nn.mse %p, %t : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// mse, none: elementwise; sizes the target knows statically are used.
// CHECK-LABEL: func.func @mse_none
// CHECK-SAME:    (%[[P:[^:]+]]: tensor<?x3xf32>, %[[T:[^:]+]]: tensor<4x3xf32>)
// CHECK:         %[[L:.+]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%[[P]], %[[T]] : tensor<?x3xf32>, tensor<4x3xf32>) outs(%{{.+}} : tensor<4x3xf32>)
// CHECK:           %[[D:.+]] = arith.subf
// CHECK:           arith.mulf %[[D]], %[[D]]
// CHECK:         return %[[L]] : tensor<4x3xf32>
func.func @mse_none(%p: tensor<?x3xf32>, %t: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = nn.mse %p, %t reduction none : (tensor<?x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// mse, sum: no division.
// CHECK-LABEL: func.func @mse_sum
// CHECK:         %[[SUM:.+]] = linalg.generic {{.*}}iterator_types = ["reduction"]}
// CHECK-NOT:     arith.divf
// CHECK:         return %[[SUM]] : tensor<f32>
func.func @mse_sum(%p: tensor<8xf32>, %t: tensor<8xf32>) -> tensor<f32> {
  %0 = nn.mse %p, %t reduction sum : (tensor<8xf32>, tensor<8xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}
