// RUN: kiln-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(kiln-codegen-decompose-pads,kiln-codegen-lower-im2col))'

// The configs of copies (pads, patch matrices) distribute a dimension the
// copy can share out, and tile nothing.

func.func @pad_padded_dimension(%x: tensor<1x64x56x56xf32>) -> tensor<1x64x58x58xf32> {
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{'tensor.pad' op has a lowering_config that distributes dimension 2, which is not an unpadded dimension of more than one element}}
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } {lowering_config = #kiln_codegen.lowering_config<distribute = [2]>} : tensor<1x64x56x56xf32> to tensor<1x64x58x58xf32>
  return %padded : tensor<1x64x58x58xf32>
}

// -----

func.func @pad_tiled(%x: tensor<1x64x56x56xf32>) -> tensor<1x64x58x58xf32> {
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{'tensor.pad' op expects a lowering_config of fields alone (a pad is not tiled), got #kiln_codegen.lowering_config<cache = [1, 8, 8, 8]>}}
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } {lowering_config = #kiln_codegen.lowering_config<cache = [1, 8, 8, 8]>} : tensor<1x64x56x56xf32> to tensor<1x64x58x58xf32>
  return %padded : tensor<1x64x58x58xf32>
}

// -----

func.func @im2col_positions(%x: tensor<1x8x10x10xf32>) -> tensor<1x72x64xf32> {
  // expected-error @+1 {{'kiln_codegen.im2col' op expects a lowering_config that distributes dimension 1 (the channels' patches) or nothing, got #kiln_codegen.lowering_config<distribute = [2]>}}
  %0 = kiln_codegen.im2col %x kernel [3, 3] strides [1, 1] dilations [1, 1] {lowering_config = #kiln_codegen.lowering_config<distribute = [2]>} : tensor<1x8x10x10xf32> -> tensor<1x72x64xf32>
  return %0 : tensor<1x72x64xf32>
}
