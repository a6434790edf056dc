// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-cpu-lower-reductions))' | FileCheck %s

// A row tile's multi-reduction into its accumulator: one vector.reduction
// with the accumulator, no multi_reduction left.
// CHECK-LABEL: func.func @row
// CHECK-NOT: vector.multi_reduction
// CHECK: vector.reduction <maximumf>, %{{.*}}, %{{.*}} : vector<32xf32> into f32
// CHECK-NOT: vector.multi_reduction
func.func @row(%v: vector<1x1x32xf32>, %acc: vector<1x1xf32>) -> vector<1x1xf32> {
  %r = vector.multi_reduction <maximumf>, %v, %acc [2] : vector<1x1x32xf32> to vector<1x1xf32>
  return %r : vector<1x1xf32>
}

// Two rows: a reduction each.
// CHECK-LABEL: func.func @rows
// CHECK-NOT: vector.multi_reduction
// CHECK-COUNT-2: vector.reduction <add>, %{{.*}}, %{{.*}} : vector<32xf32> into f32
// CHECK-NOT: vector.multi_reduction
func.func @rows(%v: vector<2x32xf32>, %acc: vector<2xf32>) -> vector<2xf32> {
  %r = vector.multi_reduction <add>, %v, %acc [1] : vector<2x32xf32> to vector<2xf32>
  return %r : vector<2xf32>
}
