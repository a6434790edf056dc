// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-select-lowering-config{vector-bits=512 vector-registers=32}))' | FileCheck %s --check-prefix=AVX512
// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-select-lowering-config{vector-bits=256 vector-registers=16}))' | FileCheck %s --check-prefix=AVX2

// Register tile = rows x 2 vectors (8 x 32 f32 with 32 zmm registers, 6 x 16
// with 16 ymm); cache tiles are multiples of it, capped at the loop size.
// AVX512-LABEL: func.func @matmul
// AVX512: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [128, 64, 256], register = [8, 32, 1]>}
// AVX2-LABEL: func.func @matmul
// AVX2: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [96, 32, 256], register = [6, 16, 1]>}
func.func @matmul(%a: tensor<256x512xf32>, %b: tensor<512x100xf32>, %c: tensor<256x100xf32>) -> tensor<256x100xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<256x512xf32>, tensor<512x100xf32>) outs(%c : tensor<256x100xf32>) -> tensor<256x100xf32>
  return %0 : tensor<256x100xf32>
}

// -----

// Small loops get tiles no larger than they are; f64 vectors hold half as
// many lanes; batch dims are tiled by 1.
// AVX512-LABEL: func.func @small_batch_f64
// AVX512: linalg.batch_matmul {lowering_config = #kiln_codegen.lowering_config<cache = [1, 3, 10, 7], register = [1, 3, 10, 1]>}
func.func @small_batch_f64(%a: tensor<4x3x7xf64>, %b: tensor<4x7x10xf64>, %c: tensor<4x3x10xf64>) -> tensor<4x3x10xf64> {
  %0 = linalg.batch_matmul ins(%a, %b : tensor<4x3x7xf64>, tensor<4x7x10xf64>) outs(%c : tensor<4x3x10xf64>) -> tensor<4x3x10xf64>
  return %0 : tensor<4x3x10xf64>
}

// -----

// A config that is already there (from the tuner or by hand) is kept;
// non-contractions get none.
// AVX512-LABEL: func.func @keeps_existing
// AVX512: lowering_config = #kiln_codegen.lowering_config<cache = [4, 4, 4], register = [2, 2, 1]>
// AVX512: linalg.fill
// AVX512-NOT: lowering_config
func.func @keeps_existing(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [4, 4, 4], register = [2, 2, 1]>} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  %cst = arith.constant 0.0 : f32
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %1 : tensor<8x8xf32>
}
