// RUN: kiln-opt %s --convert-nn-to-linalg -split-input-file | FileCheck %s

// batch_norm: factor = scale / sqrt(var + eps) once per channel, then one
// elementwise generic (x - mean) * factor + bias reading the [C] vectors at d1.
// CHECK-DAG:   #[[VEC:.+]] = affine_map<(d0) -> (d0)>
// CHECK-DAG:   #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[CH:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME:    (%[[X:[^:]+]]: tensor<1x8x5x5xf32>, %[[S:[^:]+]]: tensor<8xf32>, %[[B:[^:]+]]: tensor<8xf32>, %[[M:[^:]+]]: tensor<8xf32>, %[[V:[^:]+]]: tensor<8xf32>)
// CHECK:         %[[EPS:.+]] = arith.constant 1.000000e-03 : f32
// CHECK:         %[[F:.+]] = linalg.generic {indexing_maps = [#[[VEC]], #[[VEC]], #[[VEC]]], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[S]], %[[V]] : tensor<8xf32>, tensor<8xf32>)
// CHECK:         ^bb0(%[[SC:.+]]: f32, %[[VA:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[VE:.+]] = arith.addf %[[VA]], %[[EPS]] : f32
// CHECK:           %[[SD:.+]] = math.sqrt %[[VE]] : f32
// CHECK:           %[[Q:.+]] = arith.divf %[[SC]], %[[SD]] : f32
// CHECK:           linalg.yield %[[Q]]
// CHECK:         %[[Y:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[CH]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]], %[[M]], %[[F]], %[[B]] :
// CHECK:         ^bb0(%[[XE:.+]]: f32, %[[ME:.+]]: f32, %[[FE:.+]]: f32, %[[BE:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[C:.+]] = arith.subf %[[XE]], %[[ME]] : f32
// CHECK:           %[[P:.+]] = arith.mulf %[[C]], %[[FE]] : f32
// CHECK:           %[[R:.+]] = arith.addf %[[P]], %[[BE]] : f32
// CHECK:           linalg.yield %[[R]]
// CHECK:         return %[[Y]] : tensor<1x8x5x5xf32>
func.func @batch_norm(%x: tensor<1x8x5x5xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>, %m: tensor<8xf32>, %v: tensor<8xf32>) -> tensor<1x8x5x5xf32> {
  %0 = nn.batch_norm %x, %s, %b, %m, %v epsilon 1.000000e-03 : (tensor<1x8x5x5xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x5x5xf32>
  return %0 : tensor<1x8x5x5xf32>
}

// -----

// Dynamic sizes: the batch comes from tensor.dim; a channel count the
// statistics know statically is used even where the input leaves it open.
// CHECK-LABEL: func.func @batch_norm_dynamic
// CHECK-SAME:    (%[[X:[^:]+]]: tensor<?x?xf32>
// CHECK:         %[[C0:.+]] = arith.constant 0 : index
// CHECK:         %[[N:.+]] = tensor.dim %[[X]], %[[C0]] : tensor<?x?xf32>
// CHECK:         %[[EPS:.+]] = arith.constant 9.99999974E-6 : f32
// CHECK:         linalg.generic {{.*}} ins(%{{.+}}, %{{.+}} : tensor<?xf32>, tensor<3xf32>) outs(%{{.+}} : tensor<3xf32>)
// CHECK:         %[[E:.+]] = tensor.empty(%[[N]]) : tensor<?x3xf32>
// CHECK:         %[[Y:.+]] = linalg.generic {{.*}} outs(%[[E]] : tensor<?x3xf32>)
// CHECK:         %[[R:.+]] = tensor.cast %[[Y]] : tensor<?x3xf32> to tensor<?x?xf32>
// CHECK:         return %[[R]]
func.func @batch_norm_dynamic(%x: tensor<?x?xf32>, %s: tensor<?xf32>, %b: tensor<?xf32>, %m: tensor<?xf32>, %v: tensor<3xf32>) -> tensor<?x?xf32> {
  %0 = nn.batch_norm %x, %s, %b, %m, %v : (tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// layer_norm over [1, 3): mean by a sum reduction and a division by 16 * 8;
// the variance from a second reduction of (x - mean)^2 (two-pass), then
// rstd = rsqrt(var + eps) and (x - mean) * rstd * scale + bias.
// CHECK-DAG:   #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[ROW:.+]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG:   #[[TRAIL:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME:    (%[[X:[^:]+]]: tensor<2x16x8xf32>, %[[G:[^:]+]]: tensor<16x8xf32>, %[[B:[^:]+]]: tensor<16x8xf32>)
// CHECK-DAG:     %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[COUNT:.+]] = arith.constant 1.280000e+02 : f32
// CHECK-DAG:     %[[EPS:.+]] = arith.constant 9.99999974E-6 : f32
// CHECK:         %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction", "reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x16x8xf32>)
// CHECK:           arith.addf
// CHECK:         %[[MEAN:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2xf32>)
// CHECK:           arith.divf %{{.+}}, %[[COUNT]] : f32
// CHECK:         %[[DEV:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction", "reduction"]}
// CHECK-SAME:      ins(%[[X]], %[[MEAN]] : tensor<2x16x8xf32>, tensor<2xf32>)
// CHECK:           %[[D:.+]] = arith.subf
// CHECK:           %[[SQ:.+]] = arith.mulf %[[D]], %[[D]] : f32
// CHECK:           arith.addf %[[SQ]]
// CHECK:         %[[RSTD:.+]] = linalg.generic {{.*}} ins(%[[DEV]] : tensor<2xf32>)
// CHECK:           %[[VAR:.+]] = arith.divf %{{.+}}, %[[COUNT]] : f32
// CHECK:           %[[VE:.+]] = arith.addf %[[VAR]], %[[EPS]] : f32
// CHECK:           math.rsqrt %[[VE]] : f32
// CHECK:         %[[Y:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[TRAIL]], #[[TRAIL]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]], %[[MEAN]], %[[RSTD]], %[[G]], %[[B]] :
// CHECK:         ^bb0(%[[XE:.+]]: f32, %[[ME:.+]]: f32, %[[RE:.+]]: f32, %[[GE:.+]]: f32, %[[BE:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[C:.+]] = arith.subf %[[XE]], %[[ME]] : f32
// CHECK:           %[[N:.+]] = arith.mulf %[[C]], %[[RE]] : f32
// CHECK:           %[[S:.+]] = arith.mulf %[[N]], %[[GE]] : f32
// CHECK:           %[[R:.+]] = arith.addf %[[S]], %[[BE]] : f32
// CHECK:           linalg.yield %[[R]]
// CHECK:         return %[[Y]] : tensor<2x16x8xf32>
func.func @layer_norm(%x: tensor<2x16x8xf32>, %g: tensor<16x8xf32>, %b: tensor<16x8xf32>) -> tensor<2x16x8xf32> {
  %0 = nn.layer_norm %x, %g, %b axis 1 : (tensor<2x16x8xf32>, tensor<16x8xf32>, tensor<16x8xf32>) -> tensor<2x16x8xf32>
  return %0 : tensor<2x16x8xf32>
}

// -----

// Without bias the final generic stops at the scale. A dynamic normalized
// size makes the count a tensor.dim converted to float.
// CHECK-LABEL: func.func @layer_norm_dynamic_no_bias
// CHECK-SAME:    (%[[X:[^:]+]]: tensor<4x?xf32>, %[[G:[^:]+]]: tensor<?xf32>)
// CHECK:         tensor.dim %[[X]], %{{.+}} : tensor<4x?xf32>
// CHECK:         %[[D:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<4x?xf32>
// CHECK-NEXT:    %[[I:.+]] = arith.index_castui %[[D]] : index to i64
// CHECK:         %[[COUNT:.+]] = arith.uitofp %[[I]] : i64 to f32
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK:           arith.divf %{{.+}}, %[[COUNT]]
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK:           math.rsqrt
// CHECK:         %[[Y:.+]] = linalg.generic {{.*}} ins(%[[X]], %{{.+}}, %{{.+}}, %[[G]] : tensor<4x?xf32>, tensor<4xf32>, tensor<4xf32>, tensor<?xf32>)
// CHECK:           arith.subf
// CHECK-NEXT:      arith.mulf
// CHECK-NEXT:      %[[S:.+]] = arith.mulf
// CHECK-NEXT:      linalg.yield %[[S]]
// CHECK:         return %[[Y]] : tensor<4x?xf32>
func.func @layer_norm_dynamic_no_bias(%x: tensor<4x?xf32>, %g: tensor<?xf32>) -> tensor<4x?xf32> {
  %0 = nn.layer_norm %x, %g : (tensor<4x?xf32>, tensor<?xf32>) -> tensor<4x?xf32>
  return %0 : tensor<4x?xf32>
}
