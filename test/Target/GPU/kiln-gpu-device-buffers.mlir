// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-device-buffers))' -split-input-file -verify-diagnostics | FileCheck %s

// The input is read: copied in. The output is written (through a view):
// copied out, not in. An unused argument gets nothing. The weights become
// device constants, the temporary a device buffer; every device buffer is
// freed before the return. Shared memory inside the kernel stays.
memref.global "private" constant @w : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>

// CHECK-LABEL: func.func @model(
// CHECK-SAME: %[[IN:[^:]*]]: memref<4xf32>, %[[OUT:[^:]*]]: memref<2x2xf32>, %[[UNUSED:[^:]*]]: memref<8xf32>)
// CHECK: %[[DIN:.*]] = gpu.alloc () : memref<4xf32>
// CHECK-NEXT: gpu.memcpy %[[DIN]], %[[IN]] : memref<4xf32>, memref<4xf32>
// CHECK-NEXT: %[[DOUT:.*]] = gpu.alloc () : memref<2x2xf32>
// CHECK-NEXT: %[[W:.*]] = kiln_codegen.device_constant @w : memref<4xf32>
// CHECK-NEXT: %[[T:.*]] = gpu.alloc () : memref<4xf32>
// CHECK-NEXT: %[[FLAT:.*]] = memref.collapse_shape %[[DOUT]]
// CHECK: scf.forall
// CHECK: memref.alloca() : memref<4xf32, #gpu.address_space<workgroup>>
// CHECK: memref.load %[[DIN]]
// CHECK: memref.load %[[W]]
// CHECK: memref.store {{.*}}, %[[FLAT]]
// CHECK: gpu.dealloc %[[T]] : memref<4xf32>
// CHECK-NEXT: gpu.dealloc %[[DIN]]
// CHECK-NEXT: gpu.memcpy %[[OUT]], %[[DOUT]] : memref<2x2xf32>, memref<2x2xf32>
// CHECK-NEXT: gpu.dealloc %[[DOUT]]
// CHECK-NEXT: return
// CHECK-NOT: %[[UNUSED]]
func.func @model(%in: memref<4xf32>, %out: memref<2x2xf32>, %unused: memref<8xf32>) {
  %w = memref.get_global @w : memref<4xf32>
  %t = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
  %flat = memref.collapse_shape %out [[0, 1]] : memref<2x2xf32> into memref<4xf32>
  scf.forall (%i) in (4) {
    %shared = memref.alloca() : memref<4xf32, #gpu.address_space<workgroup>>
    %a = memref.load %in[%i] : memref<4xf32>
    %b = memref.load %w[%i] : memref<4xf32>
    %c = arith.addf %a, %b : f32
    memref.store %c, %shared[%i] : memref<4xf32, #gpu.address_space<workgroup>>
    memref.store %c, %t[%i] : memref<4xf32>
    memref.store %c, %flat[%i] : memref<4xf32>
  } {mapping = [#gpu.block<linear_dim_0>]}
  memref.dealloc %t : memref<4xf32>
  return
}

// -----

// An output that is read as well (a softmax normalizing in place) is
// copied both ways.
// CHECK-LABEL: func.func @read_write(
// CHECK-SAME: %[[ARG:[^:]*]]: memref<4xf32>)
// CHECK: %[[D:.*]] = gpu.alloc () : memref<4xf32>
// CHECK-NEXT: gpu.memcpy %[[D]], %[[ARG]]
// CHECK: gpu.memcpy %[[ARG]], %[[D]]
// CHECK-NEXT: gpu.dealloc %[[D]]
func.func @read_write(%x: memref<4xf32>) {
  scf.forall (%i) in (4) {
    %a = memref.load %x[%i] : memref<4xf32>
    %b = arith.addf %a, %a : f32
    memref.store %b, %x[%i] : memref<4xf32>
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A call may do anything with its arguments: both copies.
// CHECK-LABEL: func.func @unknown(
// CHECK: gpu.memcpy
// CHECK: call @g
// CHECK: gpu.memcpy
func.func private @g(memref<4xf32>)
func.func @unknown(%x: memref<4xf32>) {
  func.call @g(%x) : (memref<4xf32>) -> ()
  return
}

// -----

// expected-error @+1 {{argument #0 of type 'memref<?xf32>' cannot be copied to the GPU: arguments must be dense buffers of static shape in host memory}}
func.func @dynamic(%x: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  scf.forall (%i) in (4) {
    %a = memref.load %x[%c0] : memref<?xf32>
    memref.store %a, %x[%i] : memref<?xf32>
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

memref.global "private" @state : memref<4xf32> = dense<0.0>

func.func @mutable_global() {
  // expected-error @+1 {{the GPU reads only constant globals, not 'state'}}
  %s = memref.get_global @state : memref<4xf32>
  scf.forall (%i) in (4) {
    %a = memref.load %s[%i] : memref<4xf32>
    memref.store %a, %s[%i] : memref<4xf32>
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}
