// RUN: kiln-opt %s -split-input-file -kiln-cpu-outline-parallel-loops | FileCheck %s

// The body of a distributed loop moves into @<parent>_parallel, which runs
// iterations [begin, end) of it; constants are cloned in, other values from
// outside (buffers, the non-constant lower bound) become arguments. The
// loop becomes one call over all its iterations.
// CHECK-LABEL: func.func @scale(
// CHECK-SAME: %[[X:.+]]: memref<64xf32>, %[[LB:.+]]: index)
// CHECK-DAG: %[[C64:.+]] = arith.constant 64 : index
// CHECK-DAG: %[[C8:.+]] = arith.constant 8 : index
// CHECK: %[[SPAN:.+]] = arith.subi %[[C64]], %[[LB]]
// CHECK: %[[TRIPS:.+]] = arith.ceildivsi %[[SPAN]], %[[C8]]
// CHECK: call @scale_parallel(%{{.+}}, %[[TRIPS]], %[[X]], %[[LB]])
// CHECK-NOT: scf.for
// CHECK: return

// CHECK: func.func private @scale_parallel(%[[BEGIN:.+]]: index, %[[END:.+]]: index, %[[BX:.+]]: memref<64xf32>, %[[BLB:.+]]: index)
// CHECK-SAME: attributes {kiln_codegen.parallel_body}
// CHECK: %[[STEP:.+]] = arith.constant 8 : index
// CHECK: scf.for %[[I:.+]] = %[[BEGIN]] to %[[END]]
// CHECK: %[[OFF:.+]] = arith.muli %[[I]], %[[STEP]]
// CHECK: %[[IV:.+]] = arith.addi %[[BLB]], %[[OFF]]
// CHECK: %[[TWO:.+]] = arith.constant 2.0
// CHECK: memref.subview %[[BX]][%[[IV]]] [8] [1]
// CHECK: arith.mulf {{.+}}, %[[TWO]]
func.func @scale(%x: memref<64xf32>, %lb: index) {
  %c64 = arith.constant 64 : index
  %c8 = arith.constant 8 : index
  %two = arith.constant 2.0 : f32
  scf.for %i = %lb to %c64 step %c8 {
    %s = memref.subview %x[%i] [8] [1] : memref<64xf32> to memref<8xf32, strided<[1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} outs(%s : memref<8xf32, strided<[1], offset: ?>>) {
    ^bb0(%v: f32):
      %m = arith.mulf %v, %two : f32
      linalg.yield %m : f32
    }
  } {kiln_codegen.distributed}
  return
}

// -----

// Only the outermost marked loop of a nest is outlined (the inner one runs
// inside a thread's iteration); a marked loop with a single iteration and
// unmarked loops stay loops. No marks are left.
// CHECK-LABEL: func.func @nest(
// CHECK: call @nest_parallel(
// CHECK: scf.for
// CHECK-NOT: kiln_codegen.distributed
// CHECK-LABEL: func.func private @nest_parallel(
// CHECK: scf.for
// CHECK: scf.for
// CHECK-NOT: kiln_codegen.distributed
func.func @nest(%x: memref<16x16xf32>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c16 step %c4 {
    scf.for %j = %c0 to %c16 step %c4 {
      memref.store %one, %x[%i, %j] : memref<16x16xf32>
    } {kiln_codegen.distributed}
  } {kiln_codegen.distributed}
  scf.for %i = %c0 to %c16 step %c16 {
    memref.store %one, %x[%i, %i] : memref<16x16xf32>
  } {kiln_codegen.distributed}
  return
}
