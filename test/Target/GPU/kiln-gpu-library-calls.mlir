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

