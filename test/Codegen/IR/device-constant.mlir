// RUN: kiln-opt %s -split-input-file -verify-diagnostics | FileCheck %s

memref.global "private" constant @w : memref<2x2xf32> = dense<1.0>

// CHECK-LABEL: func.func @round_trip
// CHECK: kiln_codegen.device_constant @w : memref<2x2xf32>
func.func @round_trip() -> memref<2x2xf32> {
  %0 = kiln_codegen.device_constant @w : memref<2x2xf32>
  return %0 : memref<2x2xf32>
}

// -----

func.func @no_global() {
  // expected-error @+1 {{'missing' does not name a memref.global}}
  %0 = kiln_codegen.device_constant @missing : memref<2xf32>
  return
}

// -----

memref.global "private" @state : memref<2xf32> = dense<0.0>

func.func @not_constant() {
  // expected-error @+1 {{'state' is not a constant with a value}}
  %0 = kiln_codegen.device_constant @state : memref<2xf32>
  return
}

// -----

memref.global "private" constant @w : memref<2x2xf32> = dense<1.0>

func.func @wrong_type() {
  // expected-error @+1 {{result type 'memref<4xf32>' differs from the global's 'memref<2x2xf32>'}}
  %0 = kiln_codegen.device_constant @w : memref<4xf32>
  return
}
