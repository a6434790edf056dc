// A residual block's data flow through the CPU pipeline, on whole-tensor
// copies (checked after bufferization):
// - %r is read twice: padded, by the first convolution, and after it, by the
//   residual add. The ReLU writes into the padded buffer's interior and the
//   add reads it there (kiln-codegen-read-padded-interiors); it used to be kept
//   in a buffer of its own and copied into the interior and back.
// - The two convolutions' biases are equal constants (zero, as in a freshly
//   initialized network), so CSE makes their broadcasts one; each
//   convolution gets a broadcast of its own to accumulate into
//   (kiln-codegen-duplicate-shared-inits) instead of a copy of the shared one.
// Without either pass, this function had 3 whole-activation copies.
// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-codegen{stop-after=bufferized})' | FileCheck %s

// CHECK-LABEL: func.func @residual_block
// CHECK-NOT: memref.copy
// CHECK: return

func.func @residual_block(%x: tensor<1x16x16x16xf32>, %w1: tensor<16x16x3x3xf32>, %w2: tensor<16x16x3x3xf32>) -> tensor<1x16x16x16xf32> {
  %b = arith.constant dense<0.0> : tensor<16xf32>
  %r = nn.relu %x : tensor<1x16x16x16xf32>
  %c1 = nn.conv2d %r, %w1, %b strides [1, 1] padding [1, 1, 1, 1] : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
  %r1 = nn.relu %c1 : tensor<1x16x16x16xf32>
  %c2 = nn.conv2d %r1, %w2, %b strides [1, 1] padding [1, 1, 1, 1] : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
  %s = nn.add %c2, %r : (tensor<1x16x16x16xf32>, tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  return %s : tensor<1x16x16x16xf32>
}

// A convolution whose result is the function's: its accumulator (a bias
// broadcast, computed tile by tile in the contraction's loops) lives in the
// result's buffer, which becomes the caller's out-parameter, not in one of
// its own copied there at the end.
// CHECK-LABEL: func.func @returned_conv
// CHECK-NOT: memref.copy
// CHECK: return
func.func @returned_conv(%x: tensor<1x32x28x28xf32>, %w: tensor<64x32x3x3xf32>, %b: tensor<64xf32>) -> tensor<1x64x28x28xf32> {
  %0 = nn.conv2d %x, %w, %b strides [1, 1] padding [1, 1, 1, 1] : (tensor<1x32x28x28xf32>, tensor<64x32x3x3xf32>, tensor<64xf32>) -> tensor<1x64x28x28xf32>
  return %0 : tensor<1x64x28x28xf32>
}
