// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-check-host-code))' -split-input-file -verify-diagnostics | FileCheck %s

// Allocations, views, calls and kernels (block-mapped foralls, launches)
// are fine on the host.
// CHECK-LABEL: func @fine
func.func @fine(%x: memref<8xf32>) {
  %cst = arith.constant 0.0 : f32
  %a = memref.alloc() : memref<8xf32>
  %v = memref.subview %a[0] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1]>>
  scf.forall (%i) in (1) {
    scf.forall (%t) in (8) {
      memref.store %cst, %a[%t] : memref<8xf32>
    } {mapping = [#gpu.thread<linear_dim_0>]}
  } {mapping = [#gpu.block<linear_dim_0>]}
  call @fine(%a) : (memref<8xf32>) -> ()
  memref.dealloc %a : memref<8xf32>
  return
}

// -----

func.func @host_store(%x: memref<8xf32>) {
  %cst = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{would run on the host, but the GPU holds the buffers it reads or writes: Kiln has no GPU kernel for 'memref.store' here}}
  memref.store %cst, %x[%c0] : memref<8xf32>
  return
}

// -----

func.func @host_loop(%x: memref<8xf32>) {
  %cst = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c8 step %c1 {
    // expected-error @+1 {{Kiln has no GPU kernel for 'vector.transfer_read' here}}
    %v = vector.transfer_read %x[%i], %cst : memref<8xf32>, vector<1xf32>
  }
  return
}
