// The kiln-codegen pipeline stops after the stage `stop-after` names
// (what the Python API's CompiledModel.ir(stage) shows).
// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-codegen{stop-after=linalg})' | FileCheck %s --check-prefix=LINALG
// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-codegen{stop-after=tiled})' | FileCheck %s --check-prefix=TILED
// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-codegen{stop-after=bufferized})' | FileCheck %s --check-prefix=BUFFERS
// An input precision the pipeline does not know is an error, not fp32.
// RUN: not kiln-opt %s --pass-pipeline='builtin.module(kiln-codegen{precision=fp8})' 2>&1 | FileCheck %s --check-prefix=PRECISION
// PRECISION: for the --precision option: Cannot find option named 'fp8'!
// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-codegen{stop-after=llvm})' | FileCheck %s --check-prefix=LLVM
// RUN: not kiln-opt %s --pass-pipeline='builtin.module(kiln-codegen{stop-after=ptx})' 2>&1 | FileCheck %s --check-prefix=BAD

// LINALG-LABEL: func.func @dense_relu
// LINALG-SAME: tensor<64x128xf32>
// LINALG: linalg.matmul
// LINALG-NOT: vector.
// LINALG-NOT: memref.

// TILED-LABEL: func.func @dense_relu
// TILED: scf.for
// TILED: vector.
// TILED-NOT: memref.alloc

// BUFFERS-LABEL: func.func @dense_relu
// BUFFERS-SAME: memref<64x128xf32>
// BUFFERS-NOT: tensor<
// BUFFERS-NOT: llvm.

// LLVM: llvm.func @nn.dense_relu
// LLVM-NOT: func.func

// BAD: Cannot find option named 'ptx'

func.func @dense_relu(%x: tensor<64x256xf32>, %w: tensor<128x256xf32>) -> tensor<64x128xf32> {
  %y = nn.dense %x, %w : (tensor<64x256xf32>, tensor<128x256xf32>) -> tensor<64x128xf32>
  %r = nn.relu %y : tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}
