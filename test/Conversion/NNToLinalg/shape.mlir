// RUN: kiln-opt %s --convert-nn-to-linalg -split-input-file | FileCheck %s

// A reshape that merges contiguous dimensions is one collapse_shape.
// CHECK-LABEL: func.func @reshape_collapse
// CHECK-SAME:    (%[[X:.+]]: tensor<1x16x5x5xf32>)
// CHECK:         %[[R:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1, 2, 3]] : tensor<1x16x5x5xf32> into tensor<1x400xf32>
// CHECK-NEXT:    return %[[R]]
func.func @reshape_collapse(%x: tensor<1x16x5x5xf32>) -> tensor<1x400xf32> {
  %y = nn.reshape %x [1, -1] : tensor<1x16x5x5xf32> -> tensor<1x400xf32>
  return %y : tensor<1x400xf32>
}

// -----

// One that splits dimensions is one expand_shape (any element type).
// CHECK-LABEL: func.func @reshape_expand
// CHECK-SAME:    (%[[X:.+]]: tensor<6x20xi32>)
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[X]] {{\[}}[0, 1], [2, 3]] output_shape [2, 3, 4, 5] : tensor<6x20xi32> into tensor<2x3x4x5xi32>
// CHECK-NEXT:    return %[[R]]
func.func @reshape_expand(%x: tensor<6x20xi32>) -> tensor<2x3x4x5xi32> {
  %y = nn.reshape %x [2, 3, 4, -1] : tensor<6x20xi32> -> tensor<2x3x4x5xi32>
  return %y : tensor<2x3x4x5xi32>
}

// -----

// Any other reshape goes through 1-D.
// CHECK-LABEL: func.func @reshape_general
// CHECK-SAME:    (%[[X:.+]]: tensor<4x6xf32>)
// CHECK:         %[[V:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1]] : tensor<4x6xf32> into tensor<24xf32>
// CHECK-NEXT:    %[[R:.+]] = tensor.expand_shape %[[V]] {{\[}}[0, 1]] output_shape [3, 8] : tensor<24xf32> into tensor<3x8xf32>
// CHECK-NEXT:    return %[[R]]
func.func @reshape_general(%x: tensor<4x6xf32>) -> tensor<3x8xf32> {
  %y = nn.reshape %x [3, 8] : tensor<4x6xf32> -> tensor<3x8xf32>
  return %y : tensor<3x8xf32>
}

// -----

// A dynamic batch dimension: [?, 4, 5] -> [?, 20] still regroups.
// CHECK-LABEL: func.func @reshape_dynamic_collapse
// CHECK-SAME:    (%[[X:.+]]: tensor<?x4x5xf32>)
// CHECK:         %[[R:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1, 2]] : tensor<?x4x5xf32> into tensor<?x20xf32>
// CHECK-NEXT:    return %[[R]]
func.func @reshape_dynamic_collapse(%x: tensor<?x4x5xf32>) -> tensor<?x20xf32> {
  %y = nn.reshape %x [-1, 20] : tensor<?x4x5xf32> -> tensor<?x20xf32>
  return %y : tensor<?x20xf32>
}

// -----

// The expanded dynamic size comes from the source dimension.
// CHECK-LABEL: func.func @reshape_dynamic_expand
// CHECK-SAME:    (%[[X:.+]]: tensor<?x20xf32>)
// CHECK:         %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x20xf32>
// CHECK-NEXT:    %[[R:.+]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [%[[N]], 4, 5] : tensor<?x20xf32> into tensor<?x4x5xf32>
// CHECK-NEXT:    return %[[R]]
func.func @reshape_dynamic_expand(%x: tensor<?x20xf32>) -> tensor<?x4x5xf32> {
  %y = nn.reshape %x [-1, 4, 5] : tensor<?x20xf32> -> tensor<?x4x5xf32>
  return %y : tensor<?x4x5xf32>
}

// -----

// [?, 4] -> [?, 2]: through 1-D, the -1 is the element count over 2.
// CHECK-LABEL: func.func @reshape_dynamic_general
// CHECK-SAME:    (%[[X:.+]]: tensor<?x4xf32>)
// CHECK:         %[[V:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1]] : tensor<?x4xf32> into tensor<?xf32>
// CHECK:         %[[COUNT:.+]] = tensor.dim %[[V]], %{{.+}} : tensor<?xf32>
// CHECK:         %[[C2:.+]] = arith.constant 2 : index
// CHECK:         %[[N:.+]] = arith.divui %[[COUNT]], %[[C2]] : index
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[V]] {{\[}}[0, 1]] output_shape [%[[N]], 2] : tensor<?xf32> into tensor<?x2xf32>
// CHECK-NEXT:    return %[[R]]
func.func @reshape_dynamic_general(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %y = nn.reshape %x [-1, 2] : tensor<?x4xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// A dynamic input reshaped to a static shape: the 1-D form is cast static.
// CHECK-LABEL: func.func @reshape_dynamic_to_static
// CHECK-SAME:    (%[[X:.+]]: tensor<?x4xf32>)
// CHECK:         %[[V:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1]] : tensor<?x4xf32> into tensor<?xf32>
// CHECK-NEXT:    %[[S:.+]] = tensor.cast %[[V]] : tensor<?xf32> to tensor<16xf32>
// CHECK-NEXT:    %[[R:.+]] = tensor.expand_shape %[[S]] {{\[}}[0, 1]] output_shape [2, 8] : tensor<16xf32> into tensor<2x8xf32>
// CHECK-NEXT:    return %[[R]]
func.func @reshape_dynamic_to_static(%x: tensor<?x4xf32>) -> tensor<2x8xf32> {
  %y = nn.reshape %x [2, 8] : tensor<?x4xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// Rank 0 expands and collapses with an empty reassociation.
// CHECK-LABEL: func.func @reshape_scalar
// CHECK-SAME:    (%[[X:.+]]: tensor<f32>)
// CHECK:         %[[E:.+]] = tensor.expand_shape %[[X]] [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
// CHECK-NEXT:    %[[C:.+]] = tensor.collapse_shape %[[E]] [] : tensor<1x1xf32> into tensor<f32>
// CHECK-NEXT:    return %[[C]]
func.func @reshape_scalar(%x: tensor<f32>) -> tensor<f32> {
  %0 = nn.reshape %x [1, 1] : tensor<f32> -> tensor<1x1xf32>
  %1 = nn.reshape %0 [] : tensor<1x1xf32> -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

// A declared result type with fewer static sizes gets a cast.
// CHECK-LABEL: func.func @reshape_declared_dynamic
// CHECK:         %[[R:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1]] : tensor<2x3xi1> into tensor<6xi1>
// CHECK-NEXT:    %[[C:.+]] = tensor.cast %[[R]] : tensor<6xi1> to tensor<?xi1>
// CHECK-NEXT:    return %[[C]]
func.func @reshape_declared_dynamic(%x: tensor<2x3xi1>) -> tensor<?xi1> {
  %y = nn.reshape %x [-1] : tensor<2x3xi1> -> tensor<?xi1>
  return %y : tensor<?xi1>
}

// -----

// CHECK-LABEL: func.func @flatten_axis1
// CHECK-SAME:    (%[[X:.+]]: tensor<?x16x4x4xf32>)
// CHECK:         %[[R:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1, 2, 3]] : tensor<?x16x4x4xf32> into tensor<?x256xf32>
// CHECK-NEXT:    return %[[R]]
func.func @flatten_axis1(%x: tensor<?x16x4x4xf32>) -> tensor<?x256xf32> {
  %y = nn.flatten %x : tensor<?x16x4x4xf32> -> tensor<?x256xf32>
  return %y : tensor<?x256xf32>
}

// -----

// Axis 0 creates a leading size-1 dimension: collapse, then expand.
// CHECK-LABEL: func.func @flatten_axis0
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xi8>)
// CHECK:         %[[V:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2]] : tensor<2x3x4xi8> into tensor<24xi8>
// CHECK-NEXT:    %[[R:.+]] = tensor.expand_shape %[[V]] {{\[}}[0, 1]] output_shape [1, 24] : tensor<24xi8> into tensor<1x24xi8>
// CHECK-NEXT:    return %[[R]]
func.func @flatten_axis0(%x: tensor<2x3x4xi8>) -> tensor<1x24xi8> {
  %y = nn.flatten %x axis 0 : tensor<2x3x4xi8> -> tensor<1x24xi8>
  return %y : tensor<1x24xi8>
}

// -----

// Axis == rank creates a trailing size-1 dimension.
// CHECK-LABEL: func.func @flatten_axis_rank
// CHECK-SAME:    (%[[X:.+]]: tensor<?x3x4xf32>)
// CHECK:         %[[V:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2]] : tensor<?x3x4xf32> into tensor<?xf32>
// CHECK:         %[[N:.+]] = tensor.dim %[[V]], %{{.+}} : tensor<?xf32>
// CHECK-NEXT:    %[[R:.+]] = tensor.expand_shape %[[V]] {{\[}}[0, 1]] output_shape [%[[N]], 1] : tensor<?xf32> into tensor<?x1xf32>
// CHECK-NEXT:    return %[[R]]
func.func @flatten_axis_rank(%x: tensor<?x3x4xf32>) -> tensor<?x1xf32> {
  %y = nn.flatten %x axis 3 : tensor<?x3x4xf32> -> tensor<?x1xf32>
  return %y : tensor<?x1xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME:    (%[[X:.+]]: tensor<?x3x8x6xf32>)
// CHECK:         %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x3x8x6xf32>
// CHECK-NEXT:    %[[E:.+]] = tensor.empty(%[[N]]) : tensor<?x8x6x3xf32>
// CHECK-NEXT:    %[[R:.+]] = linalg.transpose ins(%[[X]] : tensor<?x3x8x6xf32>) outs(%[[E]] : tensor<?x8x6x3xf32>) permutation = [0, 2, 3, 1]
// CHECK-NEXT:    return %[[R]]
func.func @transpose(%x: tensor<?x3x8x6xf32>) -> tensor<?x8x6x3xf32> {
  %y = nn.transpose %x [0, 2, 3, 1] : tensor<?x3x8x6xf32> -> tensor<?x8x6x3xf32>
  return %y : tensor<?x8x6x3xf32>
}

// -----

// CHECK-LABEL: func.func @concat3
// CHECK-SAME:    (%[[A:[^:]+]]: tensor<1x16x8x8xf32>, %[[B:[^:]+]]: tensor<1x32x8x8xf32>, %[[C:[^:]+]]: tensor<1x2x8x8xf32>)
// CHECK:         %[[R:.+]] = tensor.concat dim(1) %[[A]], %[[B]], %[[C]] : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>, tensor<1x2x8x8xf32>) -> tensor<1x50x8x8xf32>
// CHECK-NEXT:    return %[[R]]
func.func @concat3(%a: tensor<1x16x8x8xf32>, %b: tensor<1x32x8x8xf32>, %c: tensor<1x2x8x8xf32>) -> tensor<1x50x8x8xf32> {
  %y = nn.concat %a, %b, %c axis 1 : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>, tensor<1x2x8x8xf32>) -> tensor<1x50x8x8xf32>
  return %y : tensor<1x50x8x8xf32>
}

// -----

// A negative axis counts from the back.
// CHECK-LABEL: func.func @concat_negative_axis
// CHECK:         tensor.concat dim(1) %{{.+}}, %{{.+}} : (tensor<?x3xi32>, tensor<?x2xi32>) -> tensor<?x5xi32>
func.func @concat_negative_axis(%a: tensor<?x3xi32>, %b: tensor<?x2xi32>) -> tensor<?x5xi32> {
  %y = nn.concat %a, %b axis -1 : (tensor<?x3xi32>, tensor<?x2xi32>) -> tensor<?x5xi32>
  return %y : tensor<?x5xi32>
}

// -----

// Sizes are ceil((end - start) / step); steps are the strides.
// CHECK-LABEL: func.func @slice_strided
// CHECK-SAME:    (%[[X:.+]]: tensor<?x16xf32>)
// CHECK:         %[[R:.+]] = tensor.extract_slice %[[X]][1, 2] [2, 5] [2, 3] : tensor<?x16xf32> to tensor<2x5xf32>
// CHECK-NEXT:    return %[[R]]
func.func @slice_strided(%x: tensor<?x16xf32>) -> tensor<2x5xf32> {
  %y = nn.slice %x starts [1, 2] ends [5, 15] steps [2, 3] : tensor<?x16xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

// Pads are [begins..., ends...].
// CHECK-LABEL: func.func @pad_constant_f32
// CHECK-SAME:    (%[[X:.+]]: tensor<1x3x8x8xf32>)
// CHECK:         %[[V:.+]] = arith.constant 1.500000e+00 : f32
// CHECK:         %[[R:.+]] = tensor.pad %[[X]] low[0, 0, 1, 2] high[0, 0, 3, 4]
// CHECK:           tensor.yield %[[V]] : f32
// CHECK:         } : tensor<1x3x8x8xf32> to tensor<1x3x12x14xf32>
// CHECK-NEXT:    return %[[R]]
func.func @pad_constant_f32(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x12x14xf32> {
  %y = nn.pad %x [0, 0, 1, 2, 0, 0, 3, 4] value 1.5 : tensor<1x3x8x8xf32> -> tensor<1x3x12x14xf32>
  return %y : tensor<1x3x12x14xf32>
}

// -----

// An integer element type pads with an integer constant.
// CHECK-LABEL: func.func @pad_constant_i32
// CHECK-SAME:    (%[[X:.+]]: tensor<?x4xi32>)
// CHECK:         %[[V:.+]] = arith.constant -7 : i32
// CHECK:         %[[R:.+]] = tensor.pad %[[X]] low[0, 1] high[0, 2]
// CHECK:           tensor.yield %[[V]] : i32
// CHECK:         } : tensor<?x4xi32> to tensor<?x7xi32>
// CHECK-NEXT:    return %[[R]]
func.func @pad_constant_i32(%x: tensor<?x4xi32>) -> tensor<?x7xi32> {
  %y = nn.pad %x [0, 1, 0, 2] value -7.0 : tensor<?x4xi32> -> tensor<?x7xi32>
  return %y : tensor<?x7xi32>
}

// -----

// Reflect: i - low, mirrored at 0 (|i|) and at the last index
// (min(i, 2 * last - i)); a dimension without pads reads its index.
// CHECK-DAG:   #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @pad_reflect
// CHECK-SAME:    (%[[X:.+]]: tensor<3x4xf32>)
// CHECK-DAG:     %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG:     %[[C2:.+]] = arith.constant 2 : index
// CHECK-DAG:     %[[C6:.+]] = arith.constant 6 : index
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<3x8xf32>
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID]]], iterator_types = ["parallel", "parallel"]} outs(%[[E]] : tensor<3x8xf32>)
// CHECK:           %[[I:.+]] = linalg.index 0 : index
// CHECK:           %[[J:.+]] = linalg.index 1 : index
// CHECK:           %[[S:.+]] = arith.subi %[[J]], %[[C2]] : index
// CHECK:           %[[NEG:.+]] = arith.subi %[[C0]], %[[S]] : index
// CHECK:           %[[ABS:.+]] = arith.maxsi %[[S]], %[[NEG]] : index
// CHECK:           %[[MIR:.+]] = arith.subi %[[C6]], %[[ABS]] : index
// CHECK:           %[[K:.+]] = arith.minsi %[[ABS]], %[[MIR]] : index
// CHECK:           %[[V:.+]] = tensor.extract %[[X]][%[[I]], %[[K]]] : tensor<3x4xf32>
// CHECK:           linalg.yield %[[V]] : f32
// CHECK:         return %[[R]]
func.func @pad_reflect(%x: tensor<3x4xf32>) -> tensor<3x8xf32> {
  %y = nn.pad %x [0, 2, 0, 2] mode reflect : tensor<3x4xf32> -> tensor<3x8xf32>
  return %y : tensor<3x8xf32>
}

// -----

// Edge: i - low clamped to [0, last]; a dynamic size is read with tensor.dim.
// CHECK-LABEL: func.func @pad_edge
// CHECK-SAME:    (%[[X:.+]]: tensor<?x4xi32>)
// CHECK-DAG:     %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG:     %[[C3:.+]] = arith.constant 3 : index
// CHECK-DAG:     %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x4xi32>
// CHECK-DAG:     %[[PADDED:.+]] = arith.addi %[[N]], %{{.+}} : index
// CHECK-DAG:     %[[LAST:.+]] = arith.subi %[[N]], %{{.+}} : index
// CHECK:         %[[E:.+]] = tensor.empty(%[[PADDED]]) : tensor<?x7xi32>
// CHECK:         %[[R:.+]] = linalg.generic {{.+}} outs(%[[E]] : tensor<?x7xi32>)
// CHECK:           %[[I:.+]] = linalg.index 0 : index
// CHECK:           %[[IS:.+]] = arith.subi %[[I]], %[[C1]] : index
// CHECK:           %[[ILO:.+]] = arith.maxsi %[[IS]], %[[C0]] : index
// CHECK:           %[[IK:.+]] = arith.minsi %[[ILO]], %[[LAST]] : index
// CHECK:           %[[J:.+]] = linalg.index 1 : index
// CHECK:           %[[JK:.+]] = arith.minsi %[[J]], %[[C3]] : index
// CHECK:           %[[V:.+]] = tensor.extract %[[X]][%[[IK]], %[[JK]]] : tensor<?x4xi32>
// CHECK:           linalg.yield %[[V]] : i32
// CHECK:         return %[[R]]
func.func @pad_edge(%x: tensor<?x4xi32>) -> tensor<?x7xi32> {
  %y = nn.pad %x [1, 0, 1, 3] mode edge : tensor<?x4xi32> -> tensor<?x7xi32>
  return %y : tensor<?x7xi32>
}

// -----

// Only new leading dimensions: linalg.broadcast.
// CHECK-LABEL: func.func @broadcast_to_leading
// CHECK-SAME:    (%[[X:.+]]: tensor<16xf32>)
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<8x16xf32>
// CHECK-NEXT:    %[[R:.+]] = linalg.broadcast ins(%[[X]] : tensor<16xf32>) outs(%[[E]] : tensor<8x16xf32>) dimensions = [0]
// CHECK-NEXT:    return %[[R]]
func.func @broadcast_to_leading(%x: tensor<16xf32>) -> tensor<8x16xf32> {
  %y = nn.broadcast_to %x [8, 16] : tensor<16xf32> -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

// A size-1 dimension that stretches: a linalg.generic reading index 0.
// CHECK-DAG:   #[[IN:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, 0, d3)>
// CHECK-DAG:   #[[OUT:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @broadcast_to_middle
// CHECK-SAME:    (%[[X:.+]]: tensor<4x1x5xi32>)
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<2x4x3x5xi32>
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], {{.+}}} ins(%[[X]] : tensor<4x1x5xi32>) outs(%[[E]] : tensor<2x4x3x5xi32>)
// CHECK-NEXT:    ^bb0(%[[V:.+]]: i32, %{{.+}}: i32):
// CHECK-NEXT:      linalg.yield %[[V]] : i32
// CHECK:         return %[[R]]
func.func @broadcast_to_middle(%x: tensor<4x1x5xi32>) -> tensor<2x4x3x5xi32> {
  %y = nn.broadcast_to %x [2, 4, 3, 5] : tensor<4x1x5xi32> -> tensor<2x4x3x5xi32>
  return %y : tensor<2x4x3x5xi32>
}

// -----

// Gather along axis 0: the result loops over indices then data[1:]; a
// negative index gets the axis size added, and what is still out of range
// is clamped to [0, size - 1].
// CHECK-DAG:   #[[IDX:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG:   #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather_axis0_i64
// CHECK-SAME:    (%[[T:[^:]+]]: tensor<1000x64xf32>, %[[IDS:[^:]+]]: tensor<2x8xi64>)
// CHECK-DAG:     %[[SIZE:.+]] = arith.constant 1000 : index
// CHECK-DAG:     %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG:     %[[LAST:.+]] = arith.subi %[[SIZE]], %{{.+}} : index
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<2x8x64xf32>
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[IDX]], #[[OUT]]], {{.+}}} ins(%[[IDS]] : tensor<2x8xi64>) outs(%[[E]] : tensor<2x8x64xf32>)
// CHECK-NEXT:    ^bb0(%[[ID:.+]]: i64, %{{.+}}: f32):
// CHECK-NEXT:      %[[I:.+]] = arith.index_cast %[[ID]] : i64 to index
// CHECK-NEXT:      %[[NEG:.+]] = arith.cmpi slt, %[[I]], %[[C0]] : index
// CHECK-NEXT:      %[[WRAP:.+]] = arith.addi %[[I]], %[[SIZE]] : index
// CHECK-NEXT:      %[[K:.+]] = arith.select %[[NEG]], %[[WRAP]], %[[I]] : index
// CHECK-NEXT:      %[[LOW:.+]] = arith.minsi %[[K]], %[[LAST]] : index
// CHECK-NEXT:      %[[C:.+]] = arith.maxsi %[[LOW]], %[[C0]] : index
// CHECK-NEXT:      %[[J:.+]] = linalg.index 2 : index
// CHECK-NEXT:      %[[V:.+]] = tensor.extract %[[T]][%[[C]], %[[J]]] : tensor<1000x64xf32>
// CHECK-NEXT:      linalg.yield %[[V]] : f32
// CHECK:         return %[[R]]
func.func @gather_axis0_i64(%t: tensor<1000x64xf32>, %ids: tensor<2x8xi64>) -> tensor<2x8x64xf32> {
  %e = nn.gather %t, %ids axis 0 : (tensor<1000x64xf32>, tensor<2x8xi64>) -> tensor<2x8x64xf32>
  return %e : tensor<2x8x64xf32>
}

// -----

// Gather along axis 1 of a dynamic batch: the axis size is static, the batch
// size is read with tensor.dim.
// CHECK-DAG:   #[[IDX:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @gather_axis1_i32
// CHECK-SAME:    (%[[T:[^:]+]]: tensor<?x5x3xi32>, %[[IDS:[^:]+]]: tensor<4xi32>)
// CHECK-DAG:     %[[N:.+]] = tensor.dim %[[T]], %{{.+}} : tensor<?x5x3xi32>
// CHECK-DAG:     %[[SIZE:.+]] = arith.constant 5 : index
// CHECK:         %[[E:.+]] = tensor.empty(%[[N]]) : tensor<?x4x3xi32>
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[IDX]], #{{.+}}], {{.+}}} ins(%[[IDS]] : tensor<4xi32>) outs(%[[E]] : tensor<?x4x3xi32>)
// CHECK:           %[[I:.+]] = arith.index_cast %{{.+}} : i32 to index
// CHECK:           %[[WRAP:.+]] = arith.addi %[[I]], %[[SIZE]] : index
// CHECK:           %[[K:.+]] = arith.select %{{.+}}, %[[WRAP]], %[[I]] : index
// CHECK:           %[[C:.+]] = arith.maxsi
// CHECK:           %[[B:.+]] = linalg.index 0 : index
// CHECK:           %[[J:.+]] = linalg.index 2 : index
// CHECK:           %[[V:.+]] = tensor.extract %[[T]][%[[B]], %[[C]], %[[J]]] : tensor<?x5x3xi32>
// CHECK:           linalg.yield %[[V]] : i32
// CHECK:         return %[[R]]
func.func @gather_axis1_i32(%t: tensor<?x5x3xi32>, %ids: tensor<4xi32>) -> tensor<?x4x3xi32> {
  %e = nn.gather %t, %ids axis 1 : (tensor<?x5x3xi32>, tensor<4xi32>) -> tensor<?x4x3xi32>
  return %e : tensor<?x4x3xi32>
}
