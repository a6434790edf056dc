// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-cpu-expand-strided-copies))' | FileCheck %s

// A copy between strided buffers becomes linalg.copy (loops later); a
// contiguous copy stays memref.copy (memcpy).
// CHECK-LABEL: func.func @copies
// CHECK: linalg.copy ins(%{{.+}} : memref<4x2xf32, strided<[8, 1]>>) outs(%{{.+}} : memref<4x2xf32>)
// CHECK: memref.copy %{{.+}}, %{{.+}} : memref<4x8xf32> to memref<4x8xf32>
func.func @copies(%a: memref<4x8xf32>, %b: memref<4x2xf32>, %c: memref<4x8xf32>) {
  %s = memref.subview %a[0, 0] [4, 2] [1, 1] : memref<4x8xf32> to memref<4x2xf32, strided<[8, 1]>>
  memref.copy %s, %b : memref<4x2xf32, strided<[8, 1]>> to memref<4x2xf32>
  memref.copy %a, %c : memref<4x8xf32> to memref<4x8xf32>
  return
}
