// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(kiln-cpu-check-buffers{max-bytes=1000000})' -verify-diagnostics
// RUN: not kiln-opt %s -split-input-file --pass-pipeline='builtin.module(kiln-cpu-check-buffers{max-bytes=1000000})' 2>&1 | FileCheck %s --check-prefix=LIMIT
// RUN: not kiln-opt %s -split-input-file --pass-pipeline='builtin.module(kiln-cpu-check-buffers)' 2>&1 | FileCheck %s --check-prefix=HOST
// LIMIT: error: needs a temporary buffer of 4.0 MB ('memref<1000x1000xf32>'), more than the 1.0 MB allowed

// Buffers up to the limit pass; larger ones are errors at their op, with
// their size. Without max-bytes the limit is this machine's memory.

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

// HOST: error: needs a temporary buffer of 1.0 EB ('memref<1000000x1000000x1000000xi8>'), more than the {{[0-9.]+}} GB this machine has
func.func @larger_than_any_machine() {
  // expected-error @+1 {{needs a temporary buffer of 1.0 EB}}
  %0 = memref.alloca() : memref<1000000x1000000x1000000xi8>
  return
}
