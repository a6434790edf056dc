// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(kiln-codegen)' | FileCheck %s
// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(kiln-codegen)' --mlir-print-ir-after=buffer-results-to-out-params 2>&1 | FileCheck %s --check-prefix=OUTPARAMS

// The whole pipeline ends in the LLVM dialect: the entry point has a C
// interface whose last argument is the caller-allocated result.
// CHECK-NOT: {{= nn\.}}
// CHECK-NOT: linalg.
// CHECK-NOT: memref.alloc
// CHECK: llvm.func @nn.bias_relu(
// CHECK: llvm.func @_mlir_ciface_nn.bias_relu(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// CHECK-NOT: llvm.call @{{malloc|_mlir_memref_to_llvm_alloc}}

// After bufferization the result is an out-parameter, written in place: the
// fused bias+relu, vectorized row by row, stores straight into it, with no
// copy.
// OUTPARAMS-LABEL: func.func @bias_relu
// OUTPARAMS-SAME: (%{{.+}}: memref<2x8xf32>, %{{.+}}: memref<8xf32>, %[[OUT:.+]]: memref<2x8xf32>)
// OUTPARAMS-NOT: memref.alloc
// OUTPARAMS: scf.for
// OUTPARAMS: %[[ROW:.+]] = memref.subview %[[OUT]]
// OUTPARAMS: arith.addf {{.+}} : vector<1x8xf32>
// OUTPARAMS: arith.maximumf {{.+}} : vector<1x8xf32>
// OUTPARAMS: vector.transfer_write {{.+}}, %[[ROW]]
// OUTPARAMS-NOT: linalg.generic
// OUTPARAMS-NOT: memref.copy
// OUTPARAMS: return
func.func @bias_relu(%x: tensor<2x8xf32>, %b: tensor<8xf32>) -> tensor<2x8xf32> {
  %0 = nn.add %x, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %1 = nn.relu %0 : tensor<2x8xf32>
  %2 = nn.dropout %1 : tensor<2x8xf32>
  return %2 : tensor<2x8xf32>
}

// -----

// Temporaries (here the padded input and the im2col patches) are allocated
// and freed through MLIR's generic functions, which Kiln's runtime
// implements with a cache of large blocks, never malloc/free directly.
// CHECK-LABEL: llvm.func @nn.conv(
// CHECK-NOT: llvm.call @malloc
// CHECK: llvm.call @_mlir_memref_to_llvm_alloc
// CHECK-NOT: llvm.call @free
// CHECK: llvm.call @_mlir_memref_to_llvm_free
func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x8x8xf32> {
  %0 = nn.conv2d %x, %w padding [1, 1, 1, 1] : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}
