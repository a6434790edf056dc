// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-device-buffers{arguments-on-device=true}))' | FileCheck %s

// With arguments-on-device (kiln-tune's harness: the caller passes device
// memory), the arguments are used as they are: no copies, no device
// buffers for them; temporaries and weights still move to the device.
memref.global "private" constant @w : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>

// CHECK-LABEL: func.func @model(
// CHECK-SAME: %[[IN:[^:]*]]: memref<4xf32>, %[[OUT:[^:]*]]: memref<4xf32>)
// CHECK-NOT: gpu.memcpy
// CHECK: %[[W:.*]] = kiln_codegen.device_constant @w : memref<4xf32>
// CHECK-NEXT: %[[T:.*]] = gpu.alloc () : memref<4xf32>
// CHECK: memref.load %[[IN]]
// CHECK: memref.load %[[W]]
// CHECK: memref.store {{.*}}, %[[OUT]]
// CHECK: gpu.dealloc %[[T]] : memref<4xf32>
// CHECK-NOT: gpu.memcpy
// CHECK: return
func.func @model(%in: memref<4xf32>, %out: memref<4xf32>) {
  %w = memref.get_global @w : memref<4xf32>
  %t = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
  scf.forall (%i) in (4) {
    %a = memref.load %in[%i] : memref<4xf32>
    %b = memref.load %w[%i] : memref<4xf32>
    %c = arith.addf %a, %b : f32
    memref.store %c, %t[%i] : memref<4xf32>
    memref.store %c, %out[%i] : memref<4xf32>
  } {mapping = [#gpu.block<linear_dim_0>]}
  memref.dealloc %t : memref<4xf32>
  return
}
