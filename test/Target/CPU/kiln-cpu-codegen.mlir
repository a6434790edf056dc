// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-cpu-codegen)' | FileCheck %s
// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-cpu-codegen)' --mlir-print-ir-after=buffer-results-to-out-params 2>&1 | FileCheck %s --check-prefix=OUTPARAMS

// The whole pipeline ends in the LLVM dialect: the entry point has a C
// interface whose last argument is the caller-allocated result.
// CHECK-NOT: nn.
// CHECK-NOT: linalg.
// CHECK-NOT: memref.alloc
// CHECK: llvm.func @bias_relu(
// CHECK: llvm.func @_mlir_ciface_bias_relu(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// CHECK-NOT: llvm.call @malloc

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
