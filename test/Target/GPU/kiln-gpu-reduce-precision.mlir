// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-reduce-precision{precision=fp16}))' -split-input-file | FileCheck %s
// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-reduce-precision{precision=bf16}))' -split-input-file | FileCheck %s --check-prefix=BF16
// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-reduce-precision{precision=fp32}))' -split-input-file | FileCheck %s --check-prefix=FP32
// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-reduce-precision{precision=tf32}))' -split-input-file | FileCheck %s --check-prefix=TF32
// RUN: not kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-reduce-precision{precision=fp8}))' -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD

// A matmul: the activation rounded by an elementwise op, the constant
// weights rounded now (0.1 is 0x2E66 in f16, 0x3DCD in bf16), the products
// and sums in f32 (a named matmul again: its body widens the inputs).
// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[A:.*]]: tensor<4x8xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x8xf16>
// CHECK: %[[A16:.*]] = linalg.generic {{.*}} ins(%[[A]] : tensor<4x8xf32>) outs(%[[E]] : tensor<4x8xf16>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: %[[W:.*]] = arith.constant dense<9.997550e-02> : tensor<8x16xf16>
// CHECK: %[[R:.*]] = linalg.matmul ins(%[[A16]], %[[W]] : tensor<4x8xf16>, tensor<8x16xf16>) outs(%{{.*}} : tensor<4x16xf32>)
// CHECK: return %[[R]]
// BF16-LABEL: func.func @matmul(
// BF16: arith.truncf %{{.*}} : f32 to bf16
// BF16: arith.constant dense<1.000980e-01> : tensor<8x16xbf16>
// BF16: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xbf16>, tensor<8x16xbf16>) outs(%{{.*}} : tensor<4x16xf32>)
// tf32: f32 still, the low 13 mantissa bits rounded off (to nearest, ties
// to even, NaNs kept): 0.1 is 0x3DCCC000 then, the f16 value.
// TF32-LABEL: func.func @matmul(
// TF32-SAME: %[[A:.*]]: tensor<4x8xf32>
// TF32: %[[AT:.*]] = linalg.generic {{.*}} ins(%[[A]] : tensor<4x8xf32>) outs(%{{.*}} : tensor<4x8xf32>)
// TF32: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// TF32: %[[BITS:.*]] = arith.bitcast %[[X]] : f32 to i32
// TF32: %[[SHIFTED:.*]] = arith.shrui %[[BITS]], %c13_i32 : i32
// TF32: %[[LSB:.*]] = arith.andi %[[SHIFTED]], %c1_i32 : i32
// TF32: %[[UP:.*]] = arith.addi %[[BITS]], %c4095_i32 : i32
// TF32: %[[SUM:.*]] = arith.addi %[[UP]], %[[LSB]] : i32
// TF32: %[[CLEARED:.*]] = arith.andi %[[SUM]], %c-8192_i32 : i32
// TF32: %[[R:.*]] = arith.bitcast %[[CLEARED]] : i32 to f32
// TF32: %[[NAN:.*]] = arith.cmpf uno, %[[X]], %[[X]] : f32
// TF32: %[[Y:.*]] = arith.select %[[NAN]], %[[X]], %[[R]] : f32
// TF32: linalg.yield %[[Y]] : f32
// TF32: %[[W:.*]] = arith.constant dense<0.0999755859> : tensor<8x16xf32>
// TF32: linalg.matmul ins(%[[AT]], %[[W]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%{{.*}} : tensor<4x16xf32>)
// FP32-LABEL: func.func @matmul(
// FP32: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x16xf32>)
// BAD: kiln-gpu-reduce-precision: precision must be fp32, tf32, fp16 or bf16, got 'fp8'
func.func @matmul(%a: tensor<4x8xf32>, %acc: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %w = arith.constant dense<0.1> : tensor<8x16xf32>
  %r = linalg.matmul ins(%a, %w : tensor<4x8xf32>, tensor<8x16xf32>) outs(%acc : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// A convolution too (it stays SIMT, reading half the bytes); neither input
// is constant here.
// CHECK-LABEL: func.func @conv(
// CHECK-COUNT-2: arith.truncf %{{.*}} : f32 to f16
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x3x8x8xf16>, tensor<4x3x3x3xf16>) outs(%{{.*}} : tensor<1x4x6x6xf32>)
// TF32-LABEL: func.func @conv(
// TF32-COUNT-2: arith.bitcast %{{.*}} : f32 to i32
// TF32: linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) outs(%{{.*}} : tensor<1x4x6x6xf32>)
func.func @conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %acc: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) outs(%acc : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %r : tensor<1x4x6x6xf32>
}

// -----

// Left alone: a matmul already in f16, an integer one, a pooling window
// (a maximum, not a sum of products).
// CHECK-LABEL: func.func @others(
// CHECK-NOT: arith.truncf
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xf16>, tensor<8x16xf16>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xi32>, tensor<8x16xi32>)
// CHECK: linalg.pooling_nchw_max
// TF32-LABEL: func.func @others(
// TF32-NOT: arith.bitcast
// TF32: linalg.pooling_nchw_max
func.func @others(%a: tensor<4x8xf16>, %b: tensor<8x16xf16>, %c: tensor<4x16xf32>,
                  %i: tensor<4x8xi32>, %j: tensor<8x16xi32>, %k: tensor<4x16xi32>,
                  %x: tensor<1x3x8x8xf32>, %window: tensor<2x2xf32>, %p: tensor<1x3x4x4xf32>)
    -> (tensor<4x16xf32>, tensor<4x16xi32>, tensor<1x3x4x4xf32>) {
  %0 = linalg.matmul ins(%a, %b : tensor<4x8xf16>, tensor<8x16xf16>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  %1 = linalg.matmul ins(%i, %j : tensor<4x8xi32>, tensor<8x16xi32>) outs(%k : tensor<4x16xi32>) -> tensor<4x16xi32>
  %2 = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %window : tensor<1x3x8x8xf32>, tensor<2x2xf32>) outs(%p : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  return %0, %1, %2 : tensor<4x16xf32>, tensor<4x16xi32>, tensor<1x3x4x4xf32>
}
