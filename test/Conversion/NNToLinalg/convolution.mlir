// RUN: kiln-opt %s --convert-nn-to-linalg -split-input-file | FileCheck %s

// nn.conv2d (lib/Conversion/NNToLinalg/Convolution.cpp).

// No padding: no tensor.pad; no bias: the accumulator is 0.
// CHECK-LABEL: func.func @conv_plain
// CHECK-SAME:    (%[[X:.+]]: tensor<1x3x5x6xf32>, %[[W:.+]]: tensor<4x3x3x3xf32>)
// CHECK-NOT:     tensor.pad
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<1x4x3x4xf32>
// CHECK:         %[[ACC:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<1x4x3x4xf32>)
// CHECK:         %[[Y:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[X]], %[[W]] : tensor<1x3x5x6xf32>, tensor<4x3x3x3xf32>) outs(%[[ACC]] : tensor<1x4x3x4xf32>)
// CHECK:         return %[[Y]]
func.func @conv_plain(%x: tensor<1x3x5x6xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x3x4xf32> {
  %0 = nn.conv2d %x, %w : (tensor<1x3x5x6xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x4xf32>
  return %0 : tensor<1x4x3x4xf32>
}

// -----

// Asymmetric padding ([top, left, bottom, right]) with 0, strides and
// dilations, and the bias broadcast into the accumulator.
// CHECK-LABEL: func.func @conv_pad_stride_dilation_bias
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x9x8xf32>, %[[W:.+]]: tensor<4x3x3x2xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[XP:.+]] = tensor.pad %[[X]] low[0, 0, 2, 0] high[0, 0, 1, 3]
// CHECK:           tensor.yield %[[ZERO]] : f32
// CHECK:         } : tensor<2x3x9x8xf32> to tensor<2x3x12x11xf32>
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<2x4x4x5xf32>
// CHECK:         %[[ACC:.+]] = linalg.broadcast ins(%[[B]] : tensor<4xf32>) outs(%[[EMPTY]] : tensor<2x4x4x5xf32>) dimensions = [0, 2, 3]
// CHECK:         %[[Y:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<[2, 1]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[XP]], %[[W]] : tensor<2x3x12x11xf32>, tensor<4x3x3x2xf32>) outs(%[[ACC]] : tensor<2x4x4x5xf32>)
// CHECK:         return %[[Y]]
func.func @conv_pad_stride_dilation_bias(%x: tensor<2x3x9x8xf32>, %w: tensor<4x3x3x2xf32>, %b: tensor<4xf32>) -> tensor<2x4x4x5xf32> {
  %0 = nn.conv2d %x, %w, %b strides [2, 2] padding [2, 0, 1, 3] dilations [2, 1] : (tensor<2x3x9x8xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>) -> tensor<2x4x4x5xf32>
  return %0 : tensor<2x4x4x5xf32>
}

// -----

// A dynamic batch size is read with tensor.dim.
// CHECK-LABEL: func.func @conv_dynamic_batch
// CHECK-SAME:    (%[[X:.+]]: tensor<?x3x7x7xf32>, %[[W:.+]]: tensor<8x3x3x3xf32>, %[[B:.+]]: tensor<8xf32>)
// CHECK:         %[[XP:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:         } : tensor<?x3x7x7xf32> to tensor<?x3x9x9xf32>
// CHECK:         %[[C0:.+]] = arith.constant 0 : index
// CHECK:         %[[N:.+]] = tensor.dim %[[X]], %[[C0]] : tensor<?x3x7x7xf32>
// CHECK:         %[[EMPTY:.+]] = tensor.empty(%[[N]]) : tensor<?x8x4x4xf32>
// CHECK:         %[[ACC:.+]] = linalg.broadcast ins(%[[B]] : tensor<8xf32>) outs(%[[EMPTY]] : tensor<?x8x4x4xf32>) dimensions = [0, 2, 3]
// CHECK:         %[[Y:.+]] = linalg.conv_2d_nchw_fchw {{.*}} ins(%[[XP]], %[[W]] : tensor<?x3x9x9xf32>, tensor<8x3x3x3xf32>) outs(%[[ACC]] : tensor<?x8x4x4xf32>)
// CHECK:         return %[[Y]]
func.func @conv_dynamic_batch(%x: tensor<?x3x7x7xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>) -> tensor<?x8x4x4xf32> {
  %0 = nn.conv2d %x, %w, %b strides [2, 2] padding [1, 1, 1, 1] : (tensor<?x3x7x7xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<?x8x4x4xf32>
  return %0 : tensor<?x8x4x4xf32>
}

// -----

// Depthwise (groups = C = F): the [C, 1, KH, KW] filter becomes [C, KH, KW].
// CHECK-LABEL: func.func @conv_depthwise
// CHECK-SAME:    (%[[X:.+]]: tensor<1x4x6x6xf32>, %[[W:.+]]: tensor<4x1x3x3xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK:         %[[XP:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:         %[[ACC:.+]] = linalg.broadcast ins(%[[B]] : tensor<4xf32>) outs(%{{.+}} : tensor<1x4x6x6xf32>) dimensions = [0, 2, 3]
// CHECK:         %[[W3:.+]] = tensor.collapse_shape %[[W]] {{\[}}[0, 1], [2], [3]] : tensor<4x1x3x3xf32> into tensor<4x3x3xf32>
// CHECK:         %[[Y:.+]] = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[XP]], %[[W3]] : tensor<1x4x8x8xf32>, tensor<4x3x3xf32>) outs(%[[ACC]] : tensor<1x4x6x6xf32>)
// CHECK:         return %[[Y]]
func.func @conv_depthwise(%x: tensor<1x4x6x6xf32>, %w: tensor<4x1x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  %0 = nn.conv2d %x, %w, %b padding [1, 1, 1, 1] groups 4 : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// Other groups: input, filter, bias and accumulator are split per group for
// linalg.conv_2d_ngchw_gfchw, and the result merges back.
// CHECK-LABEL: func.func @conv_grouped
// CHECK-SAME:    (%[[X:.+]]: tensor<1x4x6x6xf32>, %[[W:.+]]: tensor<6x2x3x3xf32>, %[[B:.+]]: tensor<6xf32>)
// CHECK:         %[[X5:.+]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 6, 6] : tensor<1x4x6x6xf32> into tensor<1x2x2x6x6xf32>
// CHECK:         %[[W5:.+]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3] : tensor<6x2x3x3xf32> into tensor<2x3x2x3x3xf32>
// CHECK:         %[[B2:.+]] = tensor.expand_shape %[[B]] {{\[}}[0, 1]] output_shape [2, 3] : tensor<6xf32> into tensor<2x3xf32>
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<1x2x3x4x4xf32>
// CHECK:         %[[ACC:.+]] = linalg.broadcast ins(%[[B2]] : tensor<2x3xf32>) outs(%[[EMPTY]] : tensor<1x2x3x4x4xf32>) dimensions = [0, 3, 4]
// CHECK:         %[[Y5:.+]] = linalg.conv_2d_ngchw_gfchw {{.*}} ins(%[[X5]], %[[W5]] : tensor<1x2x2x6x6xf32>, tensor<2x3x2x3x3xf32>) outs(%[[ACC]] : tensor<1x2x3x4x4xf32>)
// CHECK:         %[[Y:.+]] = tensor.collapse_shape %[[Y5]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x3x4x4xf32> into tensor<1x6x4x4xf32>
// CHECK:         return %[[Y]]
func.func @conv_grouped(%x: tensor<1x4x6x6xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x4x4xf32> {
  %0 = nn.conv2d %x, %w, %b groups 2 : (tensor<1x4x6x6xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}

// -----

// A depthwise multiplier (F = 2C) takes the grouped form; the padded input is
// what splits, with a dynamic batch size.
// CHECK-LABEL: func.func @conv_depthwise_multiplier
// CHECK-SAME:    (%[[X:.+]]: tensor<?x3x6x6xf32>, %[[W:.+]]: tensor<6x1x3x3xf32>)
// CHECK:         %[[XP:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:         %[[N:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x3x6x6xf32>
// CHECK:         %[[X5:.+]] = tensor.expand_shape %[[XP]] {{\[}}[0], [1, 2], [3], [4]] output_shape [%[[N]], 3, 1, 8, 8] : tensor<?x3x8x8xf32> into tensor<?x3x1x8x8xf32>
// CHECK:         %[[W5:.+]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3], [4]] output_shape [3, 2, 1, 3, 3]
// CHECK:         %[[EMPTY:.+]] = tensor.empty(%[[N]]) : tensor<?x3x2x6x6xf32>
// CHECK:         %[[ACC:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[EMPTY]] : tensor<?x3x2x6x6xf32>)
// CHECK:         %[[Y5:.+]] = linalg.conv_2d_ngchw_gfchw {{.*}} ins(%[[X5]], %[[W5]] : {{.*}}) outs(%[[ACC]] : tensor<?x3x2x6x6xf32>)
// CHECK:         %[[Y:.+]] = tensor.collapse_shape %[[Y5]] {{\[}}[0], [1, 2], [3], [4]] : tensor<?x3x2x6x6xf32> into tensor<?x6x6x6xf32>
// CHECK:         return %[[Y]]
func.func @conv_depthwise_multiplier(%x: tensor<?x3x6x6xf32>, %w: tensor<6x1x3x3xf32>) -> tensor<?x6x6x6xf32> {
  %0 = nn.conv2d %x, %w padding [1, 1, 1, 1] groups 3 : (tensor<?x3x6x6xf32>, tensor<6x1x3x3xf32>) -> tensor<?x6x6x6xf32>
  return %0 : tensor<?x6x6x6xf32>
}

// -----

// Grouped reshapes need static channel and filter counts: a dynamic filter
// size that the verifier pins down is cast first.
// CHECK-LABEL: func.func @conv_grouped_cast_filter
// CHECK-SAME:    (%[[X:.+]]: tensor<1x4x6x6xf32>, %[[W:.+]]: tensor<6x?x3x3xf32>)
// CHECK:         %[[WC:.+]] = tensor.cast %[[W]] : tensor<6x?x3x3xf32> to tensor<6x2x3x3xf32>
// CHECK:         tensor.expand_shape %[[WC]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK:         linalg.conv_2d_ngchw_gfchw
func.func @conv_grouped_cast_filter(%x: tensor<1x4x6x6xf32>, %w: tensor<6x?x3x3xf32>) -> tensor<1x6x4x4xf32> {
  %0 = nn.conv2d %x, %w groups 2 : (tensor<1x4x6x6xf32>, tensor<6x?x3x3xf32>) -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}
