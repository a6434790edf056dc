// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(nn-infer-shapes))' | FileCheck %s

// nn-infer-shapes replaces result types declared with `?` sizes by the
// inferred static ones, keeps sizes that depend on a dynamic size dynamic,
// and casts back to the old type for users outside nn, func.return included:
// function signatures (and so their callers) do not change.

//===----------------------------------------------------------------------===//
// Numpy broadcasting
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @broadcast_rank_extension
func.func @broadcast_rank_extension(%a: tensor<4x1x3xf32>, %b: tensor<5x1xf32>) -> tensor<?x?x?xf32> {
  // CHECK: nn.add %{{.+}}, %{{.+}} : (tensor<4x1x3xf32>, tensor<5x1xf32>) -> tensor<4x5x3xf32>
  %0 = nn.add %a, %b : (tensor<4x1x3xf32>, tensor<5x1xf32>) -> tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}

// -----

// A rank-0 operand broadcasts to anything.
// CHECK-LABEL: func.func @broadcast_scalar
// CHECK: nn.pow %{{.+}}, %{{.+}} : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @broadcast_scalar(%a: tensor<f32>, %b: tensor<2x3xf32>) -> tensor<?x?xf32> {
  %0 = nn.pow %a, %b : (tensor<f32>, tensor<2x3xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Size-1 dimensions on both sides.
// CHECK-LABEL: func.func @broadcast_ones_both_ways
// CHECK: nn.sub %{{.+}}, %{{.+}} : (tensor<1x6xf32>, tensor<7x1xf32>) -> tensor<7x6xf32>
func.func @broadcast_ones_both_ways(%a: tensor<1x6xf32>, %b: tensor<7x1xf32>) -> tensor<?x?xf32> {
  %0 = nn.sub %a, %b : (tensor<1x6xf32>, tensor<7x1xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// `?` against 1 stays `?` (in either position); the other dimension is known.
// CHECK-LABEL: func.func @broadcast_dynamic_vs_one
// CHECK: nn.mul %{{.+}}, %{{.+}} : (tensor<?x1xf32>, tensor<1x5xf32>) -> tensor<?x5xf32>
// CHECK: nn.mul %{{.+}}, %{{.+}} : (tensor<1x?xf32>, tensor<3x1xf32>) -> tensor<3x?xf32>
func.func @broadcast_dynamic_vs_one(%a: tensor<?x1xf32>, %b: tensor<1x5xf32>, %c: tensor<1x?xf32>, %d: tensor<3x1xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = nn.mul %a, %b : (tensor<?x1xf32>, tensor<1x5xf32>) -> tensor<?x?xf32>
  %1 = nn.mul %c, %d : (tensor<1x?xf32>, tensor<3x1xf32>) -> tensor<?x?xf32>
  return %0, %1 : tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// `?` against a known size n != 1 must be n for the program to be valid.
// CHECK-LABEL: func.func @broadcast_dynamic_vs_n
// CHECK: nn.div %{{.+}}, %{{.+}} : (tensor<?x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
// CHECK: nn.maximum %{{.+}}, %{{.+}} : (tensor<5xf32>, tensor<2x?xf32>) -> tensor<2x5xf32>
// CHECK: nn.minimum %{{.+}}, %{{.+}} : (tensor<?x?xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
func.func @broadcast_dynamic_vs_n(%a: tensor<?x3xf32>, %b: tensor<4x3xf32>, %c: tensor<5xf32>, %d: tensor<2x?xf32>, %e: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = nn.div %a, %b : (tensor<?x3xf32>, tensor<4x3xf32>) -> tensor<?x?xf32>
  %1 = nn.maximum %c, %d : (tensor<5xf32>, tensor<2x?xf32>) -> tensor<?x?xf32>
  %2 = nn.minimum %e, %a : (tensor<?x?xf32>, tensor<?x3xf32>) -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}

//===----------------------------------------------------------------------===//
// matmul, dense
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @matmul_batch_broadcast
// CHECK: nn.matmul %{{.+}}, %{{.+}} : (tensor<2x1x4x8xf32>, tensor<3x8x5xf32>) -> tensor<2x3x4x5xf32>
// CHECK: nn.matmul %{{.+}}, %{{.+}} : (tensor<4x8xf32>, tensor<6x8x2xf32>) -> tensor<6x4x2xf32>
// CHECK: nn.matmul %{{.+}}, %{{.+}} : (tensor<?x4x8xf32>, tensor<1x8x2xf32>) -> tensor<?x4x2xf32>
func.func @matmul_batch_broadcast(%a: tensor<2x1x4x8xf32>, %b: tensor<3x8x5xf32>, %c: tensor<4x8xf32>, %d: tensor<6x8x2xf32>, %e: tensor<?x4x8xf32>, %f: tensor<1x8x2xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) {
  %0 = nn.matmul %a, %b : (tensor<2x1x4x8xf32>, tensor<3x8x5xf32>) -> tensor<?x?x?x?xf32>
  %1 = nn.matmul %c, %d : (tensor<4x8xf32>, tensor<6x8x2xf32>) -> tensor<?x?x?xf32>
  %2 = nn.matmul %e, %f : (tensor<?x4x8xf32>, tensor<1x8x2xf32>) -> tensor<?x?x?xf32>
  return %0, %1, %2 : tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>
}

// -----

// CHECK-LABEL: func.func @dense_rank3
// CHECK: nn.dense %{{.+}}, %{{.+}}, %{{.+}} : (tensor<2x7x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<2x7x32xf32>
func.func @dense_rank3(%x: tensor<2x7x16xf32>, %w: tensor<32x16xf32>, %b: tensor<32xf32>) -> tensor<?x?x?xf32> {
  %0 = nn.dense %x, %w, %b : (tensor<2x7x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}

//===----------------------------------------------------------------------===//
// conv2d: OH = (H + top + bottom - dilation * (KH - 1) - 1) / stride + 1
//===----------------------------------------------------------------------===//

// -----

// (224 + 3 + 3 - 7) / 2 + 1 = 112
// CHECK-LABEL: func.func @conv2d_stride
// CHECK: nn.conv2d {{.+}} -> tensor<1x64x112x112xf32>
func.func @conv2d_stride(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>, %b: tensor<64xf32>) -> tensor<?x?x?x?xf32> {
  %0 = nn.conv2d %x, %w, %b strides [2, 2] padding [3, 3, 3, 3] : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

// padding is [top, left, bottom, right]:
// H: 10 + 1 + 2 - 3 + 1 = 11, W: 11 + 0 + 1 - 3 + 1 = 10
// CHECK-LABEL: func.func @conv2d_asymmetric_padding
// CHECK: nn.conv2d {{.+}} -> tensor<1x4x11x10xf32>
func.func @conv2d_asymmetric_padding(%x: tensor<1x2x10x11xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %0 = nn.conv2d %x, %w padding [1, 0, 2, 1] : (tensor<1x2x10x11xf32>, tensor<4x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

// Dilated kernels span 2 * 2 + 1 = 5 and 3 * 2 + 1 = 7: 20 - 5 + 1, 20 - 7 + 1.
// CHECK-LABEL: func.func @conv2d_dilation
// CHECK: nn.conv2d {{.+}} -> tensor<1x1x16x14xf32>
func.func @conv2d_dilation(%x: tensor<1x1x20x20xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %0 = nn.conv2d %x, %w dilations [2, 3] : (tensor<1x1x20x20xf32>, tensor<1x1x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

// Sizes the stride does not divide round down:
// H: (10 - 3) / 3 + 1 = 3, W: (16 - 3) / 4 + 1 = 4
// CHECK-LABEL: func.func @conv2d_stride_not_dividing
// CHECK: nn.conv2d {{.+}} -> tensor<2x5x3x4xf32>
func.func @conv2d_stride_not_dividing(%x: tensor<2x1x10x16xf32>, %w: tensor<5x1x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %0 = nn.conv2d %x, %w strides [3, 4] : (tensor<2x1x10x16xf32>, tensor<5x1x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

// Everything at once: dilated kernel 5, H: (17 + 2 + 0 - 5) / 3 + 1 = 5,
// W: (17 + 1 + 3 - 5) / 3 + 1 = 6.
// CHECK-LABEL: func.func @conv2d_all_attributes
// CHECK: nn.conv2d {{.+}} -> tensor<1x6x5x6xf32>
func.func @conv2d_all_attributes(%x: tensor<1x4x17x17xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<?x?x?x?xf32> {
  %0 = nn.conv2d %x, %w, %b strides [3, 3] padding [2, 1, 0, 3] dilations [2, 2] groups 2 : (tensor<1x4x17x17xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

// CHECK-LABEL: func.func @conv2d_groups
// CHECK: nn.conv2d {{.+}} groups 3 : {{.+}} -> tensor<1x9x6x6xf32>
func.func @conv2d_groups(%x: tensor<1x6x8x8xf32>, %w: tensor<9x2x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %0 = nn.conv2d %x, %w groups 3 : (tensor<1x6x8x8xf32>, tensor<9x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

// Depthwise with channel multiplier 2 and a dynamic batch:
// (15 + 2 - 3) / 2 + 1 = 8.
// CHECK-LABEL: func.func @conv2d_depthwise
// CHECK: nn.conv2d {{.+}} -> tensor<?x64x8x8xf32>
func.func @conv2d_depthwise(%x: tensor<?x32x15x15xf32>, %w: tensor<64x1x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %0 = nn.conv2d %x, %w strides [2, 2] padding [1, 1, 1, 1] groups 32 : (tensor<?x32x15x15xf32>, tensor<64x1x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

// A kernel exactly as large as the padded input gives one position.
// CHECK-LABEL: func.func @conv2d_kernel_fills_input
// CHECK: nn.conv2d {{.+}} -> tensor<1x1x1x1xf32>
func.func @conv2d_kernel_fills_input(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x5x5xf32>) -> tensor<?x?x?x?xf32> {
  %0 = nn.conv2d %x, %w padding [1, 1, 1, 1] : (tensor<1x1x3x3xf32>, tensor<1x1x5x5xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

// A dynamic spatial size stays dynamic; the other one is computed.
// CHECK-LABEL: func.func @conv2d_dynamic_height
// CHECK: nn.conv2d {{.+}} -> tensor<1x8x?x4xf32>
func.func @conv2d_dynamic_height(%x: tensor<1x3x?x9xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<?x?x?x?xf32> {
  %0 = nn.conv2d %x, %w strides [2, 2] : (tensor<1x3x?x9xf32>, tensor<8x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// -----

// (112 + 2 - 3) / 2 + 1 = 56
// CHECK-LABEL: func.func @max_pool_floor
// CHECK: nn.max_pool2d {{.+}} -> tensor<1x64x56x56xf32>
func.func @max_pool_floor(%x: tensor<1x64x112x112xf32>) -> tensor<?x?x?x?xf32> {
  %0 = nn.max_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] : tensor<1x64x112x112xf32> -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

// 6 with kernel 3, stride 2: floor gives 2 windows, ceil keeps a third one
// starting at 4 (inside the input). With padding 1: floor 3, ceil 4 (the last
// window starts at 6, inside the input, which ends at 1 + 6 = 7).
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK: nn.max_pool2d {{.+}} rounding floor : tensor<1x1x6x6xf32> -> tensor<1x1x2x2xf32>
// CHECK: nn.max_pool2d {{.+}} rounding ceil : tensor<1x1x6x6xf32> -> tensor<1x1x3x3xf32>
// CHECK: nn.max_pool2d {{.+}} : tensor<1x1x6x6xf32> -> tensor<1x1x3x3xf32>
// CHECK: nn.max_pool2d {{.+}} rounding ceil : tensor<1x1x6x6xf32> -> tensor<1x1x4x4xf32>
func.func @max_pool_ceil(%x: tensor<1x1x6x6xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %0 = nn.max_pool2d %x kernel [3, 3] strides [2, 2] rounding floor : tensor<1x1x6x6xf32> -> tensor<?x?x?x?xf32>
  %1 = nn.max_pool2d %x kernel [3, 3] strides [2, 2] rounding ceil : tensor<1x1x6x6xf32> -> tensor<?x?x?x?xf32>
  %2 = nn.max_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] : tensor<1x1x6x6xf32> -> tensor<?x?x?x?xf32>
  %3 = nn.max_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] rounding ceil : tensor<1x1x6x6xf32> -> tensor<?x?x?x?xf32>
  return %0, %1, %2, %3 : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}

// -----

// PyTorch's rule: with ceil rounding, a last window that would start in the
// trailing padding is dropped. 5 with kernel 2, stride 2, padding 1: ceil
// gives ceil(5 / 2) + 1 = 4 windows, but the 4th starts at 6 = 1 + 5, in the
// trailing padding, so 3 remain (torch.nn.functional.max_pool2d agrees).
// CHECK-LABEL: func.func @max_pool_ceil_drops_window_in_padding
// CHECK: nn.max_pool2d {{.+}} -> tensor<1x1x3x3xf32>
func.func @max_pool_ceil_drops_window_in_padding(%x: tensor<1x1x5x5xf32>) -> tensor<?x?x?x?xf32> {
  %0 = nn.max_pool2d %x kernel [2, 2] strides [2, 2] padding [1, 1, 1, 1] rounding ceil : tensor<1x1x5x5xf32> -> tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

// The rule looks at the leading padding only. 4 with kernel 2, stride 2:
// padding [top 1, bottom 0] gives 3 windows (the last starts at 4, the last
// input element); [top 0, bottom 1] gives 2 (the 3rd would start at 4, in the
// padding). The same holds for the width with [left, right].
// CHECK-LABEL: func.func @pool_ceil_asymmetric_padding
// CHECK: nn.max_pool2d {{.+}} -> tensor<1x1x3x2xf32>
// CHECK: nn.avg_pool2d {{.+}} -> tensor<1x1x2x3xf32>
func.func @pool_ceil_asymmetric_padding(%x: tensor<1x1x4x4xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %0 = nn.max_pool2d %x kernel [2, 2] strides [2, 2] padding [1, 0, 0, 1] rounding ceil : tensor<1x1x4x4xf32> -> tensor<?x?x?x?xf32>
  %1 = nn.avg_pool2d %x kernel [2, 2] strides [2, 2] padding [0, 1, 1, 0] rounding ceil : tensor<1x1x4x4xf32> -> tensor<?x?x?x?xf32>
  return %0, %1 : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}

// -----

// Dilated max pooling: the window spans 5. Floor: (10 - 5) / 2 + 1 = 3;
// ceil: 4 (the last window starts at 6).
// CHECK-LABEL: func.func @max_pool_dilation
// CHECK: nn.max_pool2d {{.+}} -> tensor<1x1x6x6xf32>
// CHECK: nn.max_pool2d {{.+}} -> tensor<1x1x3x3xf32>
// CHECK: nn.max_pool2d {{.+}} -> tensor<1x1x4x4xf32>
func.func @max_pool_dilation(%x: tensor<1x1x10x10xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %0 = nn.max_pool2d %x kernel [3, 3] dilations [2, 2] : tensor<1x1x10x10xf32> -> tensor<?x?x?x?xf32>
  %1 = nn.max_pool2d %x kernel [3, 3] strides [2, 2] dilations [2, 2] : tensor<1x1x10x10xf32> -> tensor<?x?x?x?xf32>
  %2 = nn.max_pool2d %x kernel [3, 3] strides [2, 2] dilations [2, 2] rounding ceil : tensor<1x1x10x10xf32> -> tensor<?x?x?x?xf32>
  return %0, %1, %2 : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}

// -----

// Average pooling: 10 with kernel 3, stride 2, padding 1 gives 5 (floor) or
// 6 (ceil); 7 with kernel 2, stride 3, padding 1 and ceil drops the window
// that would start at 9 = 1 + 7 + 1: 3. The batch stays dynamic.
// CHECK-LABEL: func.func @avg_pool
// CHECK: nn.avg_pool2d {{.+}} : tensor<?x16x10x10xf32> -> tensor<?x16x5x5xf32>
// CHECK: nn.avg_pool2d {{.+}} : tensor<?x16x10x10xf32> -> tensor<?x16x6x6xf32>
// CHECK: nn.avg_pool2d {{.+}} : tensor<?x16x7x7xf32> -> tensor<?x16x3x3xf32>
func.func @avg_pool(%x: tensor<?x16x10x10xf32>, %y: tensor<?x16x7x7xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) {
  %0 = nn.avg_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] count_include_pad : tensor<?x16x10x10xf32> -> tensor<?x?x?x?xf32>
  %1 = nn.avg_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] rounding ceil : tensor<?x16x10x10xf32> -> tensor<?x?x?x?xf32>
  %2 = nn.avg_pool2d %y kernel [2, 2] strides [3, 3] padding [1, 1, 1, 1] rounding ceil count_include_pad : tensor<?x16x7x7xf32> -> tensor<?x?x?x?xf32>
  return %0, %1, %2 : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>
}

// -----

// CHECK-LABEL: func.func @global_avg_pool
// CHECK: nn.global_avg_pool {{.+}} : tensor<?x8x5x5xf32> -> tensor<?x8x1x1xf32>
// CHECK: nn.global_avg_pool {{.+}} : tensor<2x3x4x?x6xf32> -> tensor<2x3x1x1x1xf32>
func.func @global_avg_pool(%x: tensor<?x8x5x5xf32>, %y: tensor<2x3x4x?x6xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?x?xf32>) {
  %0 = nn.global_avg_pool %x : tensor<?x8x5x5xf32> -> tensor<?x?x?x?xf32>
  %1 = nn.global_avg_pool %y : tensor<2x3x4x?x6xf32> -> tensor<?x?x?x?x?xf32>
  return %0, %1 : tensor<?x?x?x?xf32>, tensor<?x?x?x?x?xf32>
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @reshape
// CHECK: nn.reshape %{{.+}} [4, -1] : tensor<2x3x4xf32> -> tensor<4x6xf32>
// CHECK: nn.reshape %{{.+}} [-1] : tensor<2x3x4xf32> -> tensor<24xf32>
// CHECK: nn.reshape %{{.+}} [2, -1, 3] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
// CHECK: nn.reshape %{{.+}} [-1, 2] : tensor<?x4xf32> -> tensor<?x2xf32>
func.func @reshape(%x: tensor<2x3x4xf32>, %y: tensor<?x4xf32>) -> (tensor<?x?xf32>, tensor<?xf32>, tensor<2x?x3xf32>, tensor<?x?xf32>) {
  %0 = nn.reshape %x [4, -1] : tensor<2x3x4xf32> -> tensor<?x?xf32>
  %1 = nn.reshape %x [-1] : tensor<2x3x4xf32> -> tensor<?xf32>
  %2 = nn.reshape %x [2, -1, 3] : tensor<2x3x4xf32> -> tensor<2x?x3xf32>
  %3 = nn.reshape %y [-1, 2] : tensor<?x4xf32> -> tensor<?x?xf32>
  return %0, %1, %2, %3 : tensor<?x?xf32>, tensor<?xf32>, tensor<2x?x3xf32>, tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @flatten
// CHECK: nn.flatten %{{.+}} : tensor<2x3x4x5xf32> -> tensor<2x60xf32>
// CHECK: nn.flatten %{{.+}} axis 0 : tensor<2x3x4x5xf32> -> tensor<1x120xf32>
// CHECK: nn.flatten %{{.+}} axis 4 : tensor<2x3x4x5xf32> -> tensor<120x1xf32>
// CHECK: nn.flatten %{{.+}} axis -1 : tensor<2x3x4x5xf32> -> tensor<24x5xf32>
// CHECK: nn.flatten %{{.+}} axis -4 : tensor<2x3x4x5xf32> -> tensor<1x120xf32>
// CHECK: nn.flatten %{{.+}} : tensor<?x3x4xf32> -> tensor<?x12xf32>
func.func @flatten(%x: tensor<2x3x4x5xf32>, %y: tensor<?x3x4xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = nn.flatten %x : tensor<2x3x4x5xf32> -> tensor<?x?xf32>
  %1 = nn.flatten %x axis 0 : tensor<2x3x4x5xf32> -> tensor<?x?xf32>
  %2 = nn.flatten %x axis 4 : tensor<2x3x4x5xf32> -> tensor<?x?xf32>
  %3 = nn.flatten %x axis -1 : tensor<2x3x4x5xf32> -> tensor<?x?xf32>
  %4 = nn.flatten %x axis -4 : tensor<2x3x4x5xf32> -> tensor<?x?xf32>
  %5 = nn.flatten %y : tensor<?x3x4xf32> -> tensor<?x?xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK: nn.transpose %{{.+}} [0, 2, 3, 1] : tensor<?x3x8x9xi64> -> tensor<?x8x9x3xi64>
func.func @transpose(%x: tensor<?x3x8x9xi64>) -> tensor<?x?x?x?xi64> {
  %0 = nn.transpose %x [0, 2, 3, 1] : tensor<?x3x8x9xi64> -> tensor<?x?x?x?xi64>
  return %0 : tensor<?x?x?x?xi64>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK: nn.concat {{.+}} axis 1 : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x56x8x8xf32>
// CHECK: nn.concat {{.+}} axis -1 : (tensor<2x3xi32>, tensor<2x5xi32>) -> tensor<2x8xi32>
// CHECK: nn.concat {{.+}} axis 1 : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<3x8xf32>
// CHECK: nn.concat {{.+}} axis 1 : (tensor<3x4xf32>, tensor<?x?xf32>) -> tensor<3x?xf32>
func.func @concat(%a: tensor<1x16x8x8xf32>, %b: tensor<1x32x8x8xf32>, %c: tensor<1x8x8x8xf32>,
                  %d: tensor<2x3xi32>, %e: tensor<2x5xi32>, %f: tensor<?x4xf32>, %g: tensor<3x4xf32>, %h: tensor<?x?xf32>)
    -> (tensor<?x?x?x?xf32>, tensor<?x?xi32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = nn.concat %a, %b, %c axis 1 : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<?x?x?x?xf32>
  %1 = nn.concat %d, %e axis -1 : (tensor<2x3xi32>, tensor<2x5xi32>) -> tensor<?x?xi32>
  // A `?` outside the axis takes the other input's size.
  %2 = nn.concat %f, %g axis 1 : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<?x?xf32>
  // A `?` along the axis keeps the sum dynamic.
  %3 = nn.concat %g, %h axis 1 : (tensor<3x4xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %0, %1, %2, %3 : tensor<?x?x?x?xf32>, tensor<?x?xi32>, tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// Sizes are ceil((end - start) / step), even on a dynamic dimension.
// CHECK-LABEL: func.func @slice
// CHECK: nn.slice {{.+}} steps [3, 5] : tensor<10x16xf32> -> tensor<3x4xf32>
// CHECK: nn.slice {{.+}} : tensor<10x16xf32> -> tensor<3x0xf32>
// CHECK: nn.slice {{.+}} steps [2, 3] : tensor<?x8xf32> -> tensor<2x3xf32>
func.func @slice(%x: tensor<10x16xf32>, %y: tensor<?x8xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = nn.slice %x starts [1, 0] ends [10, 16] steps [3, 5] : tensor<10x16xf32> -> tensor<?x?xf32>
  %1 = nn.slice %x starts [2, 4] ends [5, 4] : tensor<10x16xf32> -> tensor<?x?xf32>
  %2 = nn.slice %y starts [0, 1] ends [4, 8] steps [2, 3] : tensor<?x8xf32> -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @pad
// CHECK: nn.pad {{.+}} : tensor<1x3x8x8xf32> -> tensor<1x3x12x14xf32>
// CHECK: nn.pad {{.+}} mode reflect : tensor<1x3x8x8xf32> -> tensor<1x3x11x13xf32>
// CHECK: nn.pad {{.+}} mode edge : tensor<?x5xf32> -> tensor<?x7xf32>
func.func @pad(%x: tensor<1x3x8x8xf32>, %y: tensor<?x5xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?xf32>) {
  %0 = nn.pad %x [0, 0, 1, 2, 0, 0, 3, 4] value 1.0 : tensor<1x3x8x8xf32> -> tensor<?x?x?x?xf32>
  %1 = nn.pad %x [0, 0, 2, 3, 0, 0, 1, 2] mode reflect : tensor<1x3x8x8xf32> -> tensor<?x?x?x?xf32>
  %2 = nn.pad %y [1, 1, 1, 1] mode edge : tensor<?x5xf32> -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_to
// CHECK: nn.broadcast_to {{.+}} [2, 3, 4] : tensor<3x1xf32> -> tensor<2x3x4xf32>
// CHECK: nn.broadcast_to {{.+}} [5, 4] : tensor<?x4xi1> -> tensor<5x4xi1>
func.func @broadcast_to(%x: tensor<3x1xf32>, %y: tensor<?x4xi1>) -> (tensor<?x?x?xf32>, tensor<?x?xi1>) {
  %0 = nn.broadcast_to %x [2, 3, 4] : tensor<3x1xf32> -> tensor<?x?x?xf32>
  %1 = nn.broadcast_to %y [5, 4] : tensor<?x4xi1> -> tensor<?x?xi1>
  return %0, %1 : tensor<?x?x?xf32>, tensor<?x?xi1>
}

// -----

// data.shape[:axis] + indices.shape + data.shape[axis+1:]
// CHECK-LABEL: func.func @gather
// CHECK: nn.gather {{.+}} axis 1 : (tensor<10x20x30xf32>, tensor<4x5xi32>) -> tensor<10x4x5x30xf32>
// CHECK: nn.gather {{.+}} axis -1 : (tensor<10x20x30xf32>, tensor<4x5xi32>) -> tensor<10x20x4x5xf32>
// CHECK: nn.gather {{.+}} : (tensor<10x20x30xf32>, tensor<i64>) -> tensor<20x30xf32>
// CHECK: nn.gather {{.+}} : (tensor<10x20x30xf32>, tensor<?xi64>) -> tensor<?x20x30xf32>
func.func @gather(%d: tensor<10x20x30xf32>, %i: tensor<4x5xi32>, %s: tensor<i64>, %v: tensor<?xi64>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?x?x?xf32>) {
  %0 = nn.gather %d, %i axis 1 : (tensor<10x20x30xf32>, tensor<4x5xi32>) -> tensor<?x?x?x?xf32>
  %1 = nn.gather %d, %i axis -1 : (tensor<10x20x30xf32>, tensor<4x5xi32>) -> tensor<?x?x?x?xf32>
  %2 = nn.gather %d, %s : (tensor<10x20x30xf32>, tensor<i64>) -> tensor<?x?xf32>
  %3 = nn.gather %d, %v : (tensor<10x20x30xf32>, tensor<?xi64>) -> tensor<?x?x?xf32>
  return %0, %1, %2, %3 : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?x?x?xf32>
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @reductions
// CHECK: nn.reduce_sum {{.+}} : tensor<2x3x4x5xf32> -> tensor<2x4xf32>
// CHECK: nn.reduce_sum {{.+}} keepdims : tensor<2x3x4x5xf32> -> tensor<2x1x4x1xf32>
// CHECK: nn.reduce_mean {{.+}} : tensor<2x3x4x5xf32> -> tensor<2x3x4xf32>
// CHECK: nn.reduce_max {{.+}} keepdims : tensor<2x3x4x5xf32> -> tensor<1x3x1x5xf32>
// CHECK: nn.reduce_mean {{.+}} : tensor<?x3x4xf32> -> tensor<?xf32>
func.func @reductions(%x: tensor<2x3x4x5xf32>, %y: tensor<?x3x4xf32>) -> (tensor<?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>) {
  %0 = nn.reduce_sum %x axes [1, 3] : tensor<2x3x4x5xf32> -> tensor<?x?xf32>
  %1 = nn.reduce_sum %x axes [3, 1] keepdims : tensor<2x3x4x5xf32> -> tensor<?x?x?x?xf32>
  %2 = nn.reduce_mean %x axes [-1] : tensor<2x3x4x5xf32> -> tensor<?x?x?xf32>
  %3 = nn.reduce_max %x axes [-4, -2] keepdims : tensor<2x3x4x5xf32> -> tensor<?x?x?x?xf32>
  %4 = nn.reduce_mean %y axes [1, -1] : tensor<?x3x4xf32> -> tensor<?xf32>
  return %0, %1, %2, %3, %4 : tensor<?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

// -----

// `reduction none` keeps the per-sample shape (the logits without the class
// dimension); mean and sum give a scalar.
// CHECK-LABEL: func.func @cross_entropy
// CHECK: nn.cross_entropy {{.+}} reduction none : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<8xf32>
// CHECK: nn.cross_entropy {{.+}} reduction none : (tensor<8x10xf32>, tensor<8x10xf32>) -> tensor<8xf32>
// CHECK: nn.cross_entropy {{.+}} reduction none : (tensor<2x5x3x4xf32>, tensor<2x3x4xi32>) -> tensor<2x3x4xf32>
// CHECK: nn.cross_entropy {{.+}} reduction none : (tensor<?x5x3xf32>, tensor<?x3xi32>) -> tensor<?x3xf32>
// CHECK: nn.cross_entropy {{.+}} : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<f32>
// CHECK: nn.cross_entropy {{.+}} reduction mean : (tensor<8x10xf32>, tensor<8x10xf32>) -> tensor<f32>
// CHECK: nn.cross_entropy {{.+}} reduction sum : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<f32>
func.func @cross_entropy(%l: tensor<8x10xf32>, %i: tensor<8xi64>, %p: tensor<8x10xf32>, %l4: tensor<2x5x3x4xf32>, %i4: tensor<2x3x4xi32>, %ld: tensor<?x5x3xf32>, %id: tensor<?x3xi32>)
    -> (tensor<?xf32>, tensor<?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<f32>, tensor<f32>, tensor<f32>) {
  %0 = nn.cross_entropy %l, %i reduction none : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<?xf32>
  %1 = nn.cross_entropy %l, %p reduction none : (tensor<8x10xf32>, tensor<8x10xf32>) -> tensor<?xf32>
  %2 = nn.cross_entropy %l4, %i4 reduction none : (tensor<2x5x3x4xf32>, tensor<2x3x4xi32>) -> tensor<?x?x?xf32>
  %3 = nn.cross_entropy %ld, %id reduction none : (tensor<?x5x3xf32>, tensor<?x3xi32>) -> tensor<?x?xf32>
  %4 = nn.cross_entropy %l, %i : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<f32>
  %5 = nn.cross_entropy %l, %p reduction mean : (tensor<8x10xf32>, tensor<8x10xf32>) -> tensor<f32>
  %6 = nn.cross_entropy %l, %i reduction sum : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<f32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<?xf32>, tensor<?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<f32>, tensor<f32>, tensor<f32>
}

// -----

// CHECK-LABEL: func.func @mse
// CHECK: nn.mse {{.+}} reduction none : (tensor<4x3xf64>, tensor<4x3xf64>) -> tensor<4x3xf64>
// CHECK: nn.mse {{.+}} : (tensor<4x3xf64>, tensor<4x3xf64>) -> tensor<f64>
// CHECK: nn.mse {{.+}} reduction mean : (tensor<4x3xf64>, tensor<4x3xf64>) -> tensor<f64>
// CHECK: nn.mse {{.+}} reduction sum : (tensor<4x3xf64>, tensor<4x3xf64>) -> tensor<f64>
// CHECK: nn.mse {{.+}} reduction none : (tensor<?x3xf64>, tensor<?x3xf64>) -> tensor<?x3xf64>
func.func @mse(%y: tensor<4x3xf64>, %t: tensor<4x3xf64>, %yd: tensor<?x3xf64>) -> (tensor<?x?xf64>, tensor<f64>, tensor<f64>, tensor<f64>, tensor<?x?xf64>) {
  %0 = nn.mse %y, %t reduction none : (tensor<4x3xf64>, tensor<4x3xf64>) -> tensor<?x?xf64>
  %1 = nn.mse %y, %t : (tensor<4x3xf64>, tensor<4x3xf64>) -> tensor<f64>
  %2 = nn.mse %y, %t reduction mean : (tensor<4x3xf64>, tensor<4x3xf64>) -> tensor<f64>
  %3 = nn.mse %y, %t reduction sum : (tensor<4x3xf64>, tensor<4x3xf64>) -> tensor<f64>
  %4 = nn.mse %yd, %yd reduction none : (tensor<?x3xf64>, tensor<?x3xf64>) -> tensor<?x?xf64>
  return %0, %1, %2, %3, %4 : tensor<?x?xf64>, tensor<f64>, tensor<f64>, tensor<f64>, tensor<?x?xf64>
}

//===----------------------------------------------------------------------===//
// Propagation, casts for other users, function results
//===----------------------------------------------------------------------===//

// -----

// A small CNN written with unknown result shapes: refinement flows through
// conv, activations (whose type follows their operand), pooling, flatten, dense
// and softmax in one walk; the return sees the declared type through a cast.
// The batch stays dynamic throughout.
// CHECK-LABEL: func.func @chain_dynamic_batch
// CHECK:      %[[C:.+]] = nn.conv2d {{.+}} -> tensor<?x8x16x16xf32>
// CHECK-NEXT: %[[R:.+]] = nn.relu %[[C]] : tensor<?x8x16x16xf32>
// CHECK-NEXT: %[[P:.+]] = nn.max_pool2d %[[R]] {{.+}} : tensor<?x8x16x16xf32> -> tensor<?x8x8x8xf32>
// CHECK-NEXT: %[[F:.+]] = nn.flatten %[[P]] : tensor<?x8x8x8xf32> -> tensor<?x512xf32>
// CHECK-NEXT: %[[D:.+]] = nn.dense %[[F]], {{.+}} : (tensor<?x512xf32>, tensor<10x512xf32>, tensor<10xf32>) -> tensor<?x10xf32>
// CHECK-NEXT: %[[S:.+]] = nn.softmax %[[D]] : tensor<?x10xf32>
// CHECK-NEXT: %[[SC:.+]] = tensor.cast %[[S]] : tensor<?x10xf32> to tensor<?x?xf32>
// CHECK-NEXT: return %[[SC]] : tensor<?x?xf32>
func.func @chain_dynamic_batch(%x: tensor<?x3x32x32xf32>, %w: tensor<8x3x3x3xf32>, %fw: tensor<10x512xf32>, %fb: tensor<10xf32>) -> tensor<?x?xf32> {
  %0 = nn.conv2d %x, %w strides [2, 2] padding [1, 1, 1, 1] : (tensor<?x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  %1 = nn.relu %0 : tensor<?x?x?x?xf32>
  %2 = nn.max_pool2d %1 kernel [2, 2] strides [2, 2] : tensor<?x?x?x?xf32> -> tensor<?x?x?x?xf32>
  %3 = nn.flatten %2 : tensor<?x?x?x?xf32> -> tensor<?x?xf32>
  %4 = nn.dense %3, %fw, %fb : (tensor<?x?xf32>, tensor<10x512xf32>, tensor<10xf32>) -> tensor<?x?xf32>
  %5 = nn.softmax %4 : tensor<?x?xf32>
  return %5 : tensor<?x?xf32>
}

// -----

// The same with a static batch becomes fully static, including through a
// reshape whose -1 depends on an earlier refinement and a binary op whose
// other operand is a constant.
// CHECK-LABEL: func.func @chain_static
// CHECK:      %[[K:.+]] = nn.constant dense<1.000000e+00> : tensor<24xf32>
// CHECK:      %[[A:.+]] = nn.add {{.+}} -> tensor<2x3x4x5xf32>
// CHECK-NEXT: %[[G:.+]] = nn.gelu %[[A]] approximate tanh : tensor<2x3x4x5xf32>
// CHECK-NEXT: %[[T:.+]] = nn.transpose %[[G]] [0, 3, 1, 2] : tensor<2x3x4x5xf32> -> tensor<2x5x3x4xf32>
// CHECK-NEXT: %[[R:.+]] = nn.reshape %[[T]] [2, 5, -1] : tensor<2x5x3x4xf32> -> tensor<2x5x12xf32>
// CHECK-NEXT: %[[C:.+]] = nn.concat %[[R]], %[[R]] axis 2 : (tensor<2x5x12xf32>, tensor<2x5x12xf32>) -> tensor<2x5x24xf32>
// CHECK-NEXT: %[[M:.+]] = nn.mul %[[C]], %[[K]] : (tensor<2x5x24xf32>, tensor<24xf32>) -> tensor<2x5x24xf32>
// CHECK-NEXT: %[[MC:.+]] = tensor.cast %[[M]] : tensor<2x5x24xf32> to tensor<?x?x?xf32>
// CHECK-NEXT: return %[[MC]] : tensor<?x?x?xf32>
func.func @chain_static(%x: tensor<2x3x4x5xf32>, %b: tensor<5xf32>) -> tensor<?x?x?xf32> {
  %k = nn.constant dense<1.0> : tensor<24xf32>
  %0 = nn.add %x, %b : (tensor<2x3x4x5xf32>, tensor<5xf32>) -> tensor<?x?x?x?xf32>
  %1 = nn.gelu %0 approximate tanh : tensor<?x?x?x?xf32>
  %2 = nn.transpose %1 [0, 3, 1, 2] : tensor<?x?x?x?xf32> -> tensor<?x?x?x?xf32>
  %3 = nn.reshape %2 [2, 5, -1] : tensor<?x?x?x?xf32> -> tensor<?x?x?xf32>
  %4 = nn.concat %3, %3 axis 2 : (tensor<?x?x?xf32>, tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %5 = nn.mul %4, %k : (tensor<?x?x?xf32>, tensor<24xf32>) -> tensor<?x?x?xf32>
  return %5 : tensor<?x?x?xf32>
}

// -----

// Users outside nn keep seeing the declared type through one tensor.cast
// (shared by all of them); nn users and the return see the refined value.
// CHECK-LABEL: func.func @non_nn_users
// CHECK:      %[[A:.+]] = nn.add %{{.+}}, %{{.+}} : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[CAST:.+]] = tensor.cast %[[A]] : tensor<2x3xf32> to tensor<?x?xf32>
// CHECK:      %[[DIM:.+]] = tensor.dim %[[CAST]], %{{.+}} : tensor<?x?xf32>
// CHECK:      %[[X:.+]] = tensor.cast %[[CAST]] : tensor<?x?xf32> to tensor<2x?xf32>
// CHECK:      call @consume(%[[CAST]]) : (tensor<?x?xf32>) -> ()
// CHECK:      %[[R:.+]] = nn.relu %[[A]] : tensor<2x3xf32>
// CHECK:      %[[RC:.+]] = tensor.cast %[[R]] : tensor<2x3xf32> to tensor<?x?xf32>
// CHECK:      return %[[RC]], %[[DIM]] : tensor<?x?xf32>, index
func.func private @consume(tensor<?x?xf32>)
func.func @non_nn_users(%a: tensor<2x1xf32>, %b: tensor<3xf32>) -> (tensor<?x?xf32>, index) {
  %c1 = arith.constant 1 : index
  %0 = nn.add %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  %dim = tensor.dim %0, %c1 : tensor<?x?xf32>
  %cast = tensor.cast %0 : tensor<?x?xf32> to tensor<2x?xf32>
  func.call @consume(%0) : (tensor<?x?xf32>) -> ()
  %1 = nn.relu %0 : tensor<?x?xf32>
  return %1, %dim : tensor<?x?xf32>, index
}

// -----

// A partially known declared type is completed; a value that is not
// refined gets no cast.
// CHECK-LABEL: func.func @partial_and_unchanged
// CHECK-SAME: -> (tensor<4x?xf32>, tensor<?x6xf32>, index)
// CHECK:      %[[A:.+]] = nn.reshape {{.+}} -> tensor<4x6xf32>
// CHECK-NEXT: %[[AC:.+]] = tensor.cast %[[A]] : tensor<4x6xf32> to tensor<4x?xf32>
// CHECK-NEXT: %[[B:.+]] = nn.dense {{.+}} -> tensor<?x6xf32>
// CHECK-NEXT: %[[D:.+]] = tensor.dim %[[B]]
// CHECK-NEXT: return %[[AC]], %[[B]], %[[D]]
func.func @partial_and_unchanged(%x: tensor<24xf32>, %y: tensor<?x6xf32>, %w: tensor<6x6xf32>) -> (tensor<4x?xf32>, tensor<?x6xf32>, index) {
  %c0 = arith.constant 0 : index
  %0 = nn.reshape %x [4, -1] : tensor<24xf32> -> tensor<4x?xf32>
  %1 = nn.dense %y, %w : (tensor<?x6xf32>, tensor<6x6xf32>) -> tensor<?x6xf32>
  %d = tensor.dim %1, %c0 : tensor<?x6xf32>
  return %0, %1, %d : tensor<4x?xf32>, tensor<?x6xf32>, index
}

// -----

// With several func.return ops each returned refined value gets a cast back
// to the declared result type.
// CHECK-LABEL: func.func @several_returns
// CHECK-SAME: -> tensor<?x?xf32>
// CHECK:       %[[A:.+]] = nn.add {{.+}} -> tensor<2x3xf32>
// CHECK-NEXT:  %[[AC:.+]] = tensor.cast %[[A]] : tensor<2x3xf32> to tensor<?x?xf32>
// CHECK:       return %[[AC]] : tensor<?x?xf32>
// CHECK:       %[[R:.+]] = nn.relu %[[A]] : tensor<2x3xf32>
// CHECK-NEXT:  %[[RC:.+]] = tensor.cast %[[R]] : tensor<2x3xf32> to tensor<?x?xf32>
// CHECK-NEXT:  return %[[RC]] : tensor<?x?xf32>
func.func @several_returns(%c: i1, %a: tensor<2x1xf32>, %b: tensor<3xf32>) -> tensor<?x?xf32> {
  %0 = nn.add %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  cf.cond_br %c, ^bb1, ^bb2
^bb1:
  return %0 : tensor<?x?xf32>
^bb2:
  %1 = nn.relu %0 : tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}

// -----

// Refining a function's results does not break its callers: @callee keeps
// its signature, so the func.call in @caller still matches.
// CHECK-LABEL: func.func @callee
// CHECK-SAME: -> tensor<?x?xf32>
// CHECK:       nn.add {{.+}} -> tensor<2x3xf32>
// CHECK-LABEL: func.func @caller
// CHECK:       call @callee({{.+}}) : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<?x?xf32>
func.func @callee(%a: tensor<2x1xf32>, %b: tensor<3xf32>) -> tensor<?x?xf32> {
  %0 = nn.add %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}
func.func @caller(%a: tensor<2x1xf32>, %b: tensor<3xf32>) -> tensor<?x?xf32> {
  %0 = func.call @callee(%a, %b) : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Values yielded from a region get casts like any other non-nn use.
// CHECK-LABEL: func.func @yielded
// CHECK:       %[[A:.+]] = nn.add {{.+}} -> tensor<2x3xf32>
// CHECK-NEXT:  %[[C:.+]] = tensor.cast %[[A]] : tensor<2x3xf32> to tensor<?x?xf32>
// CHECK-NEXT:  scf.yield %[[C]] : tensor<?x?xf32>
func.func @yielded(%c: i1, %a: tensor<2x1xf32>, %b: tensor<3xf32>, %d: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = scf.if %c -> tensor<?x?xf32> {
    %0 = nn.add %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<?x?xf32>
    scf.yield %0 : tensor<?x?xf32>
  } else {
    scf.yield %d : tensor<?x?xf32>
  }
  return %r : tensor<?x?xf32>
}

// -----

// Sizes known only from a second operand are combined into the result.
// CHECK-LABEL: func.func @sizes_from_other_operands
// CHECK:      nn.mse {{.+}} : (tensor<?x3xf32>, tensor<4x?xf32>) -> tensor<4x3xf32>
// CHECK:      nn.cross_entropy {{.+}} : (tensor<?x10xf32>, tensor<8xi64>) -> tensor<8xf32>
// CHECK:      nn.cross_entropy {{.+}} : (tensor<?x10xf32>, tensor<8x?xf32>) -> tensor<8xf32>
// CHECK:      nn.layer_norm {{.+}} : (tensor<?x?xf32>, tensor<8xf32>) -> tensor<?x8xf32>
// CHECK:      nn.batch_norm {{.+}} -> tensor<2x8x?xf32>
func.func @sizes_from_other_operands(%p: tensor<?x3xf32>, %t: tensor<4x?xf32>,
    %logits: tensor<?x10xf32>, %labels: tensor<8xi64>, %probs: tensor<8x?xf32>,
    %x: tensor<?x?xf32>, %g: tensor<8xf32>, %y: tensor<2x?x?xf32>) {
  %0 = nn.mse %p, %t reduction none : (tensor<?x3xf32>, tensor<4x?xf32>) -> tensor<?x?xf32>
  %1 = nn.cross_entropy %logits, %labels reduction none : (tensor<?x10xf32>, tensor<8xi64>) -> tensor<?xf32>
  %2 = nn.cross_entropy %logits, %probs reduction none : (tensor<?x10xf32>, tensor<8x?xf32>) -> tensor<?xf32>
  %3 = nn.layer_norm %x, %g : (tensor<?x?xf32>, tensor<8xf32>) -> tensor<?x?xf32>
  %4 = nn.batch_norm %y, %g, %g, %g, %g : (tensor<2x?x?xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x?xf32>
  return
}

// -----

// Declared and inferred types that each know a different size combine.
// CHECK-LABEL: func.func @declared_and_inferred_combine
// CHECK:      nn.add {{.+}} : (tensor<?x1xf32>, tensor<1x6xf32>) -> tensor<4x6xf32>
func.func @declared_and_inferred_combine(%a: tensor<?x1xf32>, %b: tensor<1x6xf32>) -> tensor<4x?xf32> {
  %0 = nn.add %a, %b : (tensor<?x1xf32>, tensor<1x6xf32>) -> tensor<4x?xf32>
  return %0 : tensor<4x?xf32>
}
