// RUN: kiln-opt %s --kiln-gpu-library-calls -split-input-file -verify-diagnostics | FileCheck %s
// RUN: kiln-opt %s --kiln-gpu-library-calls=tf32=true -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=TF32
// RUN: kiln-opt %s --kiln-gpu-library-calls=emulate=true -split-input-file | FileCheck %s --check-prefix=EMULATE

// An f32 matmul cuBLAS computes: kiln_cuda_gemm(type 0 (f32), no tf32,
// m = 128, n = 256, k = 64, then each matrix's address (its aligned
// pointer plus its offset in bytes) and row stride).
// CHECK-LABEL: func.func @sgemm(
// CHECK-SAME: %[[A:.*]]: memref<128x64xf32>, %[[B:.*]]: memref<64x256xf32>, %[[C:.*]]: memref<128x256xf32>
// CHECK: %[[ABASE:.*]], %[[AOFF:.*]], %{{.*}}:2, %[[ASTRIDES:.*]]:2 = memref.extract_strided_metadata %[[A]]
// CHECK: %[[APTR:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK: %[[ABYTES:.*]] = arith.muli %[[AOFF]], %c4
// CHECK: %[[AADDR:.*]] = arith.addi %[[APTR]], %[[ABYTES]]
// CHECK: %[[AI64:.*]] = arith.index_cast %[[AADDR]] : index to i64
// CHECK: %[[LDA:.*]] = arith.index_cast %[[ASTRIDES]]#0 : index to i64
// CHECK: memref.extract_strided_metadata %[[B]]
// CHECK: memref.extract_strided_metadata %[[C]]
// CHECK: call @kiln_cuda_gemm(%c0_i32, %c0_i32{{.*}}, %c128_i64, %c256_i64, %c64_i64, %[[AI64]], %[[LDA]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
// CHECK-NOT: linalg.matmul
// CHECK: func.func private @kiln_cuda_gemm(i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64)
// TF32-LABEL: func.func @sgemm(
// TF32: call @kiln_cuda_gemm(%c0_i32, %c1_i32, %c128_i64, %c256_i64, %c64_i64,
// EMULATE-LABEL: func.func @sgemm(
// EMULATE-NOT: call
// EMULATE: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<128x64xf32>, memref<64x256xf32>) outs(%{{.*}} : memref<128x256xf32>)
// EMULATE-NOT: lowering_config
func.func @sgemm(%a: memref<128x64xf32>, %b: memref<64x256xf32>, %c: memref<128x256xf32>) {
  linalg.matmul {lowering_config = #kiln_codegen.lowering_config<library = "cublas">}
      ins(%a, %b : memref<128x64xf32>, memref<64x256xf32>) outs(%c : memref<128x256xf32>)
  return
}

// -----

// f16 inputs (type 2, two bytes each), a window of a larger matrix as C:
// its offset and row stride are the window's.
// CHECK-LABEL: func.func @hgemm_window(
// CHECK: %[[CW:.*]] = memref.subview
// CHECK: arith.muli %{{.*}}, %c2 : index
// CHECK: %{{.*}}, %[[COFF:.*]], %{{.*}}:2, %[[CSTRIDES:.*]]:2 = memref.extract_strided_metadata %[[CW]] :
// CHECK: %[[CPTR:.*]] = memref.extract_aligned_pointer_as_index %[[CW]]
// CHECK: arith.muli %[[COFF]], %c4
// CHECK: call @kiln_cuda_gemm(%c2_i32, %c0_i32{{.*}}, %c64_i64, %c32_i64, %c16_i64,
func.func @hgemm_window(%a: memref<64x16xf16>, %b: memref<16x32xf16>, %big: memref<128x128xf32>) {
  %c = memref.subview %big[8, 16] [64, 32] [1, 1] : memref<128x128xf32> to memref<64x32xf32, strided<[128, 1], offset: 1040>>
  linalg.matmul {lowering_config = #kiln_codegen.lowering_config<library = "cublas">}
      ins(%a, %b : memref<64x16xf16>, memref<16x32xf16>) outs(%c : memref<64x32xf32, strided<[128, 1], offset: 1040>>)
  return
}

// -----

// Column-major operands: cuBLAS is called for row-major ones only.
func.func @column_major(%a: memref<64x16xf32, strided<[1, 64]>>, %b: memref<16x32xf32>, %c: memref<64x32xf32>) {
  // expected-error @+1 {{calls cuBLAS, whose matrices are row-major here, but A ('memref<64x16xf32, strided<[1, 64]>>') does not have a unit inner stride}}
  linalg.matmul {lowering_config = #kiln_codegen.lowering_config<library = "cublas">}
      ins(%a, %b : memref<64x16xf32, strided<[1, 64]>>, memref<16x32xf32>) outs(%c : memref<64x32xf32>)
  return
}

// -----

// Integers: not a GEMM Kiln asks cuBLAS for.
func.func @integers(%a: memref<64x16xi32>, %b: memref<16x32xi32>, %c: memref<64x32xi32>) {
  // expected-error @+1 {{calls cuBLAS, which Kiln asks for matmuls of f32, f16 or bf16 inputs (both the same) into f32}}
  linalg.matmul {lowering_config = #kiln_codegen.lowering_config<library = "cublas">}
      ins(%a, %b : memref<64x16xi32>, memref<16x32xi32>) outs(%c : memref<64x32xi32>)
  return
}

// -----

// Not a matmul.
func.func @not_a_matmul(%a: memref<64x16xf32>, %b: memref<64x16xf32>) {
  // expected-error @+1 {{calls cuBLAS, which computes matmuls (C[m, n] += A[m, k] * B[k, n]) on buffers only}}
  linalg.copy {lowering_config = #kiln_codegen.lowering_config<library = "cublas">}
      ins(%a : memref<64x16xf32>) outs(%b : memref<64x16xf32>)
  return
}

// -----

// A convolution cuDNN computes: kiln_cuda_conv2d(no tf32; x's n, c, h, w
// (2 x 3 x 17 x 19), address and 4 strides; k, r, s (8 x 3 x 3), the
// filters' address; strides 2 x 2, dilations 1 x 1; p, q (8 x 9), y's
// address and 4 strides; no padding).
// CHECK-LABEL: func.func @conv(
// CHECK: call @kiln_cuda_conv2d(%c0_i32{{[_0-9]*}}, %c2_i64{{[_0-9]*}}, %c3_i64{{[_0-9]*}}, %c17_i64{{[_0-9]*}}, %c19_i64{{[_0-9]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %c8_i64{{[_0-9]*}}, %c3_i64{{[_0-9]*}}, %c3_i64{{[_0-9]*}}, %{{[^,]*}}, %c2_i64{{[_0-9]*}}, %c2_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %c8_i64{{[_0-9]*}}, %c9_i64{{[_0-9]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %c0_i64{{[_0-9]*}}, %c0_i64{{[_0-9]*}}) : (i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
// CHECK-NOT: linalg.conv
// CHECK: func.func private @kiln_cuda_conv2d(i32, i64,
// TF32-LABEL: func.func @conv(
// TF32: call @kiln_cuda_conv2d(%c1_i32
// EMULATE-LABEL: func.func @conv(
// EMULATE: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins
func.func @conv(%x: memref<2x3x17x19xf32>, %w: memref<8x3x3x3xf32>, %y: memref<2x8x8x9xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, lowering_config = #kiln_codegen.lowering_config<library = "cudnn">}
      ins(%x, %w : memref<2x3x17x19xf32>, memref<8x3x3x3xf32>) outs(%y : memref<2x8x8x9xf32>)
  return
}

// -----

// f16 inputs: cuDNN's convolution API has no f16 x f16 -> f32.
func.func @conv_f16(%x: memref<1x3x8x8xf16>, %w: memref<4x3x3x3xf16>, %y: memref<1x4x6x6xf32>) {
  // expected-error @+1 {{calls cuDNN, which Kiln asks for convolutions of f32 tensors only}}
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, lowering_config = #kiln_codegen.lowering_config<library = "cudnn">}
      ins(%x, %w : memref<1x3x8x8xf16>, memref<4x3x3x3xf16>) outs(%y : memref<1x4x6x6xf32>)
  return
}

// -----

// Filters that are a strided view: cuDNN takes packed ones.
func.func @strided_filters(%x: memref<1x3x8x8xf32>, %big: memref<8x3x3x3xf32>, %y: memref<1x4x6x6xf32>) {
  %w = memref.subview %big[0, 0, 0, 0] [4, 3, 3, 3] [2, 1, 1, 1] : memref<8x3x3x3xf32> to memref<4x3x3x3xf32, strided<[54, 9, 3, 1]>>
  // expected-error @+1 {{calls cuDNN, whose filters must be packed, but they are 'memref<4x3x3x3xf32, strided<[54, 9, 3, 1]>>'}}
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, lowering_config = #kiln_codegen.lowering_config<library = "cudnn">}
      ins(%x, %w : memref<1x3x8x8xf32>, memref<4x3x3x3xf32, strided<[54, 9, 3, 1]>>) outs(%y : memref<1x4x6x6xf32>)
  return
}

// -----

// A matmul marked for cuDNN.
func.func @matmul_for_cudnn(%a: memref<64x16xf32>, %b: memref<16x32xf32>, %c: memref<64x32xf32>) {
  // expected-error @+1 {{calls cuDNN, which computes 2-D NCHW convolutions (linalg.conv_2d_nchw_fchw) on buffers only}}
  linalg.matmul {lowering_config = #kiln_codegen.lowering_config<library = "cudnn">}
      ins(%a, %b : memref<64x16xf32>, memref<16x32xf32>) outs(%c : memref<64x32xf32>)
  return
}

// -----

// Sizes known only at run time.
func.func @dynamic_matmul(%a: memref<?x16xf32>, %b: memref<16x32xf32>, %c: memref<?x32xf32>) {
  // expected-error @+1 {{calls cuBLAS with sizes unknown at compile time}}
  linalg.matmul {lowering_config = #kiln_codegen.lowering_config<library = "cublas">}
      ins(%a, %b : memref<?x16xf32>, memref<16x32xf32>) outs(%c : memref<?x32xf32>)
  return
}

// -----

func.func @dynamic_conv(%x: memref<?x3x8x8xf32>, %w: memref<4x3x3x3xf32>, %y: memref<?x4x6x6xf32>) {
  // expected-error @+1 {{calls cuDNN with sizes unknown at compile time}}
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, lowering_config = #kiln_codegen.lowering_config<library = "cudnn">}
      ins(%x, %w : memref<?x3x8x8xf32>, memref<4x3x3x3xf32>) outs(%y : memref<?x4x6x6xf32>)
  return
}
