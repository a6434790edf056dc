// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-emulate-device-memory))' -split-input-file -verify-diagnostics | FileCheck %s

// Device memory is host memory on the emulated GPU: the copies in and out
// stay, as memref.copy.
memref.global "private" constant @w : memref<4xf32> = dense<1.0>

// CHECK-LABEL: func.func @model(
// CHECK-SAME: %[[IN:[^:]*]]: memref<4xf32>)
// CHECK: %[[D:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
// CHECK-NEXT: memref.copy %[[IN]], %[[D]]
// CHECK-NEXT: %[[W:.*]] = memref.get_global @w : memref<4xf32>
// CHECK-NEXT: memref.copy %[[W]], %[[D]]
// CHECK-NEXT: memref.copy %[[D]], %[[IN]]
// CHECK-NEXT: memref.dealloc %[[D]]
// CHECK-NOT: gpu.
func.func @model(%in: memref<4xf32>) {
  %d = gpu.alloc () : memref<4xf32>
  gpu.memcpy %d, %in : memref<4xf32>, memref<4xf32>
  %w = kiln_codegen.device_constant @w : memref<4xf32>
  gpu.memcpy %d, %w : memref<4xf32>, memref<4xf32>
  gpu.memcpy %in, %d : memref<4xf32>, memref<4xf32>
  gpu.dealloc %d : memref<4xf32>
  return
}

// -----

func.func @asynchronous(%in: memref<4xf32>) {
  %t = gpu.wait async
  // expected-error @+1 {{the emulated GPU runs synchronous copies only}}
  %d, %t1 = gpu.alloc async [%t] () : memref<4xf32>
  gpu.wait [%t1]
  return
}

// -----

// A thread's private buffer moves to the top of the function (the emulated
// threads' loops would otherwise grow the stack); shared memory stays.
// CHECK-LABEL: func.func @private_buffer(
// CHECK-NEXT: %[[ACC:.*]] = memref.alloca() : memref<1xf32>
// CHECK-NEXT: arith.constant
// CHECK-NEXT: scf.forall
// CHECK-NEXT: memref.alloca() : memref<4xf32, #gpu.address_space<workgroup>>
// CHECK-NEXT: memref.load %[[ACC]]
func.func @private_buffer(%x: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  scf.forall (%i) in (4) {
    %shared = memref.alloca() : memref<4xf32, #gpu.address_space<workgroup>>
    %acc = memref.alloca() : memref<1xf32>
    %v = memref.load %acc[%c0] : memref<1xf32>
    memref.store %v, %x[%i] : memref<4xf32>
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}
