// RUN: kiln-opt %s --kiln-isolate-model-symbols | FileCheck %s

// Every defined function moves to "nn." + name, calls follow; declarations
// keep their names; a function already named "nn.g" moves out of the way of
// @g first.

// CHECK-LABEL: func.func @nn.expf(
// CHECK: call @nn.nn.g
// CHECK: call @nn.g
// CHECK: call @external
func.func @expf(%x: f32) -> f32 {
  %0 = func.call @nn.g(%x) : (f32) -> f32
  %1 = func.call @g(%0) : (f32) -> f32
  %2 = func.call @external(%1) : (f32) -> f32
  return %2 : f32
}
// CHECK: func.func private @nn.nn.g
func.func private @"nn.g"(%x: f32) -> f32 {
  return %x : f32
}
// CHECK: func.func private @nn.g
func.func private @g(%x: f32) -> f32 {
  return %x : f32
}
// CHECK: func.func private @external
func.func private @external(f32) -> f32
