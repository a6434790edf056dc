// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(kiln-cpu-check-buffers{max-bytes=1000000})' -verify-diagnostics
// RUN: not kiln-opt %s -split-input-file --pass-pipeline='builtin.module(kiln-cpu-check-buffers{max-bytes=1000000})' 2>&1 | FileCheck %s --check-prefix=LIMIT
// RUN: not kiln-opt %s -split-input-file --pass-pipeline='builtin.module(kiln-cpu-attach-target,kiln-cpu-check-buffers)' 2>&1 | FileCheck %s --check-prefix=HOST
// RUN: not kiln-opt %s -split-input-file --pass-pipeline='builtin.module(kiln-cpu-check-buffers)' 2>&1 | FileCheck %s --check-prefix=NOTARGET
// RUN: echo '{"memory_bytes": 2000000}' > %t.json
// RUN: not kiln-opt %s -split-input-file --pass-pipeline='builtin.module(kiln-cpu-attach-target{triple=aarch64-linux-gnu cpu=cortex-a72 target-desc=%t.json},kiln-cpu-check-buffers)' 2>&1 | FileCheck %s --check-prefix=BOARD
// LIMIT: error: needs a temporary buffer of 4.0 MB ('memref<1000x1000xf32>'), more than the 1.0 MB allowed

// Buffers up to the limit pass; larger ones are errors at their op, with
// their size. Without max-bytes the limit is the memory of the module's
// target (kiln-cpu-attach-target: this machine's, or a --target-desc's),
// else the address space of a 64-bit process.

func.func @fits() {
  %0 = memref.alloc() : memref<500x500xf32>
  %1 = memref.alloca() : memref<16xf64>
  memref.dealloc %0 : memref<500x500xf32>
  return
}

// -----

func.func @too_large() {
  // expected-error @+1 {{needs a temporary buffer of 4.0 MB}}
  %0 = memref.alloc() : memref<1000x1000xf32>
  memref.dealloc %0 : memref<1000x1000xf32>
  return
}

// -----

// HOST: error: needs a temporary buffer of 1.0 EB ('memref<1000000x1000000x1000000xi8>'), more than the {{[0-9.]+}} GB the target has
// NOTARGET: error: needs a temporary buffer of 1.0 EB ('memref<1000000x1000000x1000000xi8>'), more than the 140.7 TB a 64-bit process can address
// BOARD: error: needs a temporary buffer of 4.0 MB ('memref<1000x1000xf32>'), more than the 2.0 MB the target has
func.func @larger_than_any_machine() {
  // expected-error @+1 {{needs a temporary buffer of 1.0 EB}}
  %0 = memref.alloca() : memref<1000000x1000000x1000000xi8>
  return
}
