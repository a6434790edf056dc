// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-copies-to-linalg))' | FileCheck %s

// A host copy becomes a linalg.copy (a kernel to be); one already in a
// kernel stays.
// CHECK-LABEL: func @copies
// CHECK: linalg.copy ins(%{{.*}} : memref<4x8xf32, strided<[16, 1]>>) outs(%{{.*}} : memref<4x8xf32>)
// CHECK: gpu.launch
// CHECK:   memref.copy
// CHECK-NOT: memref.copy
func.func @copies(%x: memref<4x16xf32>, %y: memref<4x8xf32>) {
  %s = memref.subview %x[0, 0] [4, 8] [1, 1] : memref<4x16xf32> to memref<4x8xf32, strided<[16, 1]>>
  memref.copy %s, %y : memref<4x8xf32, strided<[16, 1]>> to memref<4x8xf32>
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%a, %b, %c) in (%d = %c1, %e = %c1, %f = %c1) threads(%g, %h, %i) in (%j = %c1, %k = %c1, %l = %c1) {
    memref.copy %s, %y : memref<4x8xf32, strided<[16, 1]>> to memref<4x8xf32>
    gpu.terminator
  }
  return
}
