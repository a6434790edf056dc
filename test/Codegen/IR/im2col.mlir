// RUN: kiln-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// Round trip; the result is [N, C*KH*KW, OH*OW] (OH = (15 - 2*1 - 1)/2 + 1
// = 7, OW = (15 - 2*2 - 1)/1 + 1 = 11).
// CHECK-LABEL: func.func @round_trip
// CHECK: kiln_codegen.im2col %{{.+}} kernel [3, 3] strides [2, 1] dilations [1, 2] : tensor<1x4x15x15xf32> -> tensor<1x36x77xf32>
func.func @round_trip(%x: tensor<1x4x15x15xf32>) -> tensor<1x36x77xf32> {
  %0 = kiln_codegen.im2col %x kernel [3, 3] strides [2, 1] dilations [1, 2] : tensor<1x4x15x15xf32> -> tensor<1x36x77xf32>
  return %0 : tensor<1x36x77xf32>
}

// -----

func.func @wrong_result(%x: tensor<1x4x8x8xf32>) -> tensor<1x36x35xf32> {
  // expected-error @+1 {{expects result type 'tensor<1x36x36xf32>', got 'tensor<1x36x35xf32>'}}
  %0 = kiln_codegen.im2col %x kernel [3, 3] strides [1, 1] dilations [1, 1] : tensor<1x4x8x8xf32> -> tensor<1x36x35xf32>
  return %0 : tensor<1x36x35xf32>
}

// -----

func.func @window_too_large(%x: tensor<1x4x2x8xf32>) -> tensor<1x36x6xf32> {
  // expected-error @+1 {{window does not fit in the 2x8 input}}
  %0 = kiln_codegen.im2col %x kernel [3, 3] strides [1, 1] dilations [1, 1] : tensor<1x4x2x8xf32> -> tensor<1x36x6xf32>
  return %0 : tensor<1x36x6xf32>
}

// -----

func.func @zero_stride(%x: tensor<1x4x8x8xf32>) -> tensor<1x36x36xf32> {
  // expected-error @+1 {{strides must be positive}}
  %0 = kiln_codegen.im2col %x kernel [3, 3] strides [0, 1] dilations [1, 1] : tensor<1x4x8x8xf32> -> tensor<1x36x36xf32>
  return %0 : tensor<1x36x36xf32>
}

// -----

func.func @one_kernel_size(%x: tensor<1x4x8x8xf32>) -> tensor<1x36x36xf32> {
  // expected-error @+1 {{expects 2 kernel, got 1}}
  %0 = kiln_codegen.im2col %x kernel [3] strides [1, 1] dilations [1, 1] : tensor<1x4x8x8xf32> -> tensor<1x36x36xf32>
  return %0 : tensor<1x36x36xf32>
}

// -----

func.func @not_nchw(%x: tensor<4x8x8xf32>) -> tensor<1x36x36xf32> {
  // expected-error @+1 {{expects an NCHW input, got rank 3}}
  %0 = kiln_codegen.im2col %x kernel [3, 3] strides [1, 1] dilations [1, 1] : tensor<4x8x8xf32> -> tensor<1x36x36xf32>
  return %0 : tensor<1x36x36xf32>
}

// -----

func.func @dynamic(%x: tensor<1x4x?x8xf32>) -> tensor<1x36x36xf32> {
  // expected-error @+1 {{must be statically shaped tensor}}
  %0 = kiln_codegen.im2col %x kernel [3, 3] strides [1, 1] dilations [1, 1] : tensor<1x4x?x8xf32> -> tensor<1x36x36xf32>
  return %0 : tensor<1x36x36xf32>
}
