// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-gpu-attach-target{arch=sm_80},func.func(kiln-gpu-select-lowering-config))' -split-input-file -verify-diagnostics | FileCheck %s
// tf32 (--precision=tf32), on sm_90a: f32 matmuls get the mma.sync schedule
// with m16n8k8 tf32 instructions (Kiln's wgmma kernel is f16 only); f16
// ones keep wgmma.
// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-gpu-attach-target{arch=sm_90a},func.func(kiln-gpu-select-lowering-config{tf32=true}))' -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=TF32
// libraries=cublas (--gpu-libraries=cublas): matmuls of f32, f16 or bf16
// into f32 call cuBLAS; other ops keep Kiln's schedules.
// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-gpu-attach-target{arch=sm_80},func.func(kiln-gpu-select-lowering-config{libraries=cublas}))' -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=CUBLAS
// libraries=cudnn: f32 NCHW convolutions call cuDNN; matmuls do not.
// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-gpu-attach-target{arch=sm_80},func.func(kiln-gpu-select-lowering-config{libraries=cudnn}))' -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=CUDNN

// Blocks fill the innermost parallel loop first (coalesced), up to 256
// threads; one element per thread; reductions stay in each thread.
// CHECK-LABEL: func @matmul
// CHECK: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [1, 256, 0], thread = [1, 1, 0]>}
// CUBLAS-LABEL: func @matmul
// CUBLAS: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<library = "cublas">}
func.func @matmul(%a: memref<100x300xf32>, %b: memref<300x300xf32>, %c: memref<100x300xf32>) {
  linalg.matmul ins(%a, %b : memref<100x300xf32>, memref<300x300xf32>) outs(%c : memref<100x300xf32>)
  return
}

// -----

// Small inner loops: the outer ones take the rest of the 256 threads.
// CHECK-LABEL: func @small_inner
// CUBLAS-LABEL: func @small_inner
// CUBLAS: lowering_config = #kiln_codegen.lowering_config<workgroup = [1, 32, 8], thread = [1, 1, 1]>
// CHECK: lowering_config = #kiln_codegen.lowering_config<workgroup = [1, 32, 8], thread = [1, 1, 1]>
func.func @small_inner(%x: tensor<4x64x8xf32>) -> tensor<4x64x8xf32> {
  %e = tensor.empty() : tensor<4x64x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x : tensor<4x64x8xf32>) outs(%e : tensor<4x64x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<4x64x8xf32>
  return %r : tensor<4x64x8xf32>
}

// -----

// A sum to a scalar has no parallel loop: one thread of one block.
// CHECK-LABEL: func @total
// CHECK: lowering_config = #kiln_codegen.lowering_config<workgroup = [0], thread = [0]>
func.func @total(%x: memref<1000xf32>, %s: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]} ins(%x : memref<1000xf32>) outs(%s : memref<f32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  }
  return
}

// -----

// A GPU schedule already there (tuned, hand-written) stays.
// CHECK-LABEL: func @kept
// CHECK: lowering_config = #kiln_codegen.lowering_config<workgroup = [2, 64], thread = [1, 4]>
func.func @kept(%x: memref<8x64xf32>) {
  %cst = arith.constant 0.0 : f32
  linalg.fill {lowering_config = #kiln_codegen.lowering_config<workgroup = [2, 64], thread = [1, 4]>} ins(%cst : f32) outs(%x : memref<8x64xf32>)
  return
}

// -----

func.func @dynamic(%x: memref<?xf32>) {
  %cst = arith.constant 0.0 : f32
  // expected-error @+1 {{has a loop of dynamic size: GPU kernels need static shapes}}
  linalg.fill ins(%cst : f32) outs(%x : memref<?xf32>)
  return
}

// -----

// f16 operands, dimensions that 64 x 64 blocks and K steps of 16 divide,
// a GPU with mma.sync: the tensor-core schedule (2 x 2 warps of 32 x 32,
// m16n8k16 instructions).
// CHECK-LABEL: func @tensor_cores
// CUBLAS-LABEL: func @tensor_cores
// CUBLAS: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<library = "cublas">}
// TF32-LABEL: func @tensor_cores
// TF32: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [64, 64, 0], reduction = [0, 0, 16], mma = [64, 64, 16]>}
// CHECK: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [64, 64, 0], warp = [32, 32, 0], reduction = [0, 0, 16], mma = [16, 8, 16]>}
func.func @tensor_cores(%a: tensor<128x64xf16>, %b: tensor<64x256xf16>, %c: tensor<128x256xf32>) -> tensor<128x256xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<128x64xf16>, tensor<64x256xf16>) outs(%c : tensor<128x256xf32>) -> tensor<128x256xf32>
  return %r : tensor<128x256xf32>
}

// -----

// Not divided evenly (100 rows), or f32 operands: SIMT.
// CHECK-LABEL: func @partial_tiles
// CHECK: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [1, 256, 0], thread = [1, 1, 0]>}
func.func @partial_tiles(%a: tensor<100x64xf16>, %b: tensor<64x256xf16>, %c: tensor<100x256xf32>) -> tensor<100x256xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<100x64xf16>, tensor<64x256xf16>) outs(%c : tensor<100x256xf32>) -> tensor<100x256xf32>
  return %r : tensor<100x256xf32>
}

// -----

// bf16 operands: SIMT (MLIR 22's mma.sync conversion takes no bf16).
// CHECK-LABEL: func @bf16_operands
// CHECK: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [1, 256, 0], thread = [1, 1, 0]>}
// CUBLAS-LABEL: func @bf16_operands
// CUBLAS: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<library = "cublas">}
// TF32-LABEL: func @bf16_operands
// TF32: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [1, 256, 0], thread = [1, 1, 0]>}
func.func @bf16_operands(%a: tensor<128x64xbf16>, %b: tensor<64x256xbf16>, %c: tensor<128x256xf32>) -> tensor<128x256xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<128x64xbf16>, tensor<64x256xbf16>) outs(%c : tensor<128x256xf32>) -> tensor<128x256xf32>
  return %r : tensor<128x256xf32>
}

// -----

// CHECK-LABEL: func @f32_operands
// CHECK: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [1, 256, 0], thread = [1, 1, 0]>}
// TF32-LABEL: func @f32_operands
// TF32: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup = [64, 64, 0], warp = [32, 32, 0], reduction = [0, 0, 16], mma = [16, 8, 8]>}
func.func @f32_operands(%a: tensor<128x64xf32>, %b: tensor<64x256xf32>, %c: tensor<128x256xf32>) -> tensor<128x256xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<128x64xf32>, tensor<64x256xf32>) outs(%c : tensor<128x256xf32>) -> tensor<128x256xf32>
  return %r : tensor<128x256xf32>
}

// -----

// CHECK-LABEL: func @convolutions
// CHECK: linalg.conv_2d_nchw_fchw {{.*}}lowering_config = #kiln_codegen.lowering_config<workgroup =
// CHECK: linalg.conv_2d_nchw_fchw {{.*}}lowering_config = #kiln_codegen.lowering_config<workgroup =
// CUDNN-LABEL: func @convolutions
// CUDNN: linalg.conv_2d_nchw_fchw {{.*}}lowering_config = #kiln_codegen.lowering_config<library = "cudnn">
// CUDNN: linalg.conv_2d_nchw_fchw {{.*}}lowering_config = #kiln_codegen.lowering_config<workgroup =
// CUDNN: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<workgroup =
func.func @convolutions(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %y: tensor<1x4x6x6xf32>,
                        %x16: tensor<1x3x8x8xf16>, %w16: tensor<4x3x3x3xf16>,
                        %a: tensor<128x64xf32>, %b: tensor<64x256xf32>, %c: tensor<128x256xf32>)
    -> (tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<128x256xf32>) {
  // f32: cuDNN; f16 inputs: Kiln's kernel.
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) outs(%y : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x16, %w16 : tensor<1x3x8x8xf16>, tensor<4x3x3x3xf16>) outs(%y : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %2 = linalg.matmul ins(%a, %b : tensor<128x64xf32>, tensor<64x256xf32>) outs(%c : tensor<128x256xf32>) -> tensor<128x256xf32>
  return %0, %1, %2 : tensor<1x4x6x6xf32>, tensor<1x4x6x6xf32>, tensor<128x256xf32>
}
