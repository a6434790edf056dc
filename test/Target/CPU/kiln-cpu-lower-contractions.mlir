// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-cpu-lower-contractions))' | FileCheck %s

// A positions-major register tile: the left operand is a row of 4
// contiguous positions (read as one vector), the right one a row of 8
// filters. Each position becomes a scalar load (a broadcast from memory),
// not an element extracted from the vector read; one FMA per row.
// CHECK-LABEL: func.func @contiguous_left_row
// CHECK-SAME: (%[[P:[^:]+]]: memref<1x1x4xf32>
// CHECK-NOT: vector.transfer_read %[[P]]
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : index
// CHECK: memref.load %[[P]][%{{.+}}, %{{.+}}, %{{.+}}] : memref<1x1x4xf32>
// CHECK: vector.fma
// CHECK: %[[I1:.+]] = arith.addi %{{.+}}, %[[C1]] : index
// CHECK: memref.load %[[P]][%{{.+}}, %{{.+}}, %[[I1]]] : memref<1x1x4xf32>
// CHECK-COUNT-3: vector.fma
// CHECK-NOT: vector.extract %{{.+}}[{{[0-9]+}}] : f32
// CHECK: return
#lhs = affine_map<(n, p, f, k) -> (n, k, p)>
#rhs = affine_map<(n, p, f, k) -> (k, f)>
#acc = affine_map<(n, p, f, k) -> (n, p, f)>
func.func @contiguous_left_row(%p: memref<1x1x4xf32>, %w: memref<1x8xf32>, %acc: vector<1x4x8xf32>) -> vector<1x4x8xf32> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %a = vector.transfer_read %p[%c0, %c0, %c0], %pad {in_bounds = [true, true, true]} : memref<1x1x4xf32>, vector<1x1x4xf32>
  %b = vector.transfer_read %w[%c0, %c0], %pad {in_bounds = [true, true]} : memref<1x8xf32>, vector<1x8xf32>
  %r = vector.contract {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %acc : vector<1x1x4xf32>, vector<1x8xf32> into vector<1x4x8xf32>
  return %r : vector<1x4x8xf32>
}

// A write between the read and the element's use may change the element
// in memory: the element stays the read vector's.
// CHECK-LABEL: func.func @write_between
// CHECK: %[[V:.+]] = vector.transfer_read
// CHECK: memref.store
// CHECK: vector.extract %[[V]][1] : f32 from vector<4xf32>
// CHECK-NOT: memref.load
func.func @write_between(%p: memref<4xf32>, %x: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = arith.constant 0.0 : f32
  %v = vector.transfer_read %p[%c0], %pad {in_bounds = [true]} : memref<4xf32>, vector<4xf32>
  memref.store %x, %p[%c1] : memref<4xf32>
  %e = vector.extract %v[1] : f32 from vector<4xf32>
  return %e : f32
}
