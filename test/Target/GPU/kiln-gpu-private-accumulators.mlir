// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-gpu-private-accumulators))' | FileCheck %s

// A thread's matmul tile (one element, a K loop) accumulates into a private
// buffer, copied in before and out after. A thread's elementwise op (no
// reduction) and an op outside a thread loop are left alone.
// CHECK-LABEL: func.func @thread_tiles(
// CHECK: scf.forall
// CHECK: scf.forall
// CHECK: %[[C:.*]] = memref.subview %{{.*}}[0, %{{.*}}] [1, 1] [1, 1]
// CHECK: %[[ACC:.*]] = memref.alloca() : memref<1x1xf32>
// CHECK-NEXT: linalg.copy ins(%[[C]] : memref<1x1xf32, strided<[256, 1], offset: ?>>) outs(%[[ACC]] : memref<1x1xf32>)
// CHECK-NEXT: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<1x64xf32, strided<[64, 1], offset: ?>>, memref<64x1xf32, strided<[256, 1], offset: ?>>) outs(%[[ACC]] : memref<1x1xf32>)
// CHECK-NEXT: linalg.copy ins(%[[ACC]] : memref<1x1xf32>) outs(%[[C]] : memref<1x1xf32, strided<[256, 1], offset: ?>>)
// CHECK: linalg.generic
// CHECK-NOT: memref.alloca
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<128x64xf32>, memref<64x256xf32>) outs(%{{.*}} : memref<128x256xf32>)
func.func @thread_tiles(%a: memref<128x64xf32>, %b: memref<64x256xf32>, %c: memref<128x256xf32>, %d: memref<128x256xf32>) {
  scf.forall (%i) in (128) {
    %arow = memref.subview %a[%i, 0] [1, 64] [1, 1] : memref<128x64xf32> to memref<1x64xf32, strided<[64, 1], offset: ?>>
    %crow = memref.subview %c[%i, 0] [1, 256] [1, 1] : memref<128x256xf32> to memref<1x256xf32, strided<[256, 1], offset: ?>>
    %drow = memref.subview %d[%i, 0] [1, 256] [1, 1] : memref<128x256xf32> to memref<1x256xf32, strided<[256, 1], offset: ?>>
    scf.forall (%j) in (256) {
      %bcol = memref.subview %b[0, %j] [64, 1] [1, 1] : memref<64x256xf32> to memref<64x1xf32, strided<[256, 1], offset: ?>>
      %cell = memref.subview %crow[0, %j] [1, 1] [1, 1] : memref<1x256xf32, strided<[256, 1], offset: ?>> to memref<1x1xf32, strided<[256, 1], offset: ?>>
      linalg.matmul ins(%arow, %bcol : memref<1x64xf32, strided<[64, 1], offset: ?>>, memref<64x1xf32, strided<[256, 1], offset: ?>>) outs(%cell : memref<1x1xf32, strided<[256, 1], offset: ?>>)
      %dcell = memref.subview %drow[0, %j] [1, 1] [1, 1] : memref<1x256xf32, strided<[256, 1], offset: ?>> to memref<1x1xf32, strided<[256, 1], offset: ?>>
      linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%dcell : memref<1x1xf32, strided<[256, 1], offset: ?>>) {
      ^bb0(%x: f32):
        %y = arith.addf %x, %x : f32
        linalg.yield %y : f32
      }
    } {mapping = [#gpu.thread<linear_dim_0>]}
  } {mapping = [#gpu.block<linear_dim_0>]}
  linalg.matmul ins(%a, %b : memref<128x64xf32>, memref<64x256xf32>) outs(%c : memref<128x256xf32>)
  return
}
