// RUN: kiln-opt %s --kiln-emit-c-interface | FileCheck %s

// Public definitions get the C wrapper; private functions and declarations
// do not.
// CHECK-LABEL: func.func @public_entry
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func private @helper
// CHECK-NOT: llvm.emit_c_interface
// CHECK-LABEL: func.func private @external
// CHECK-NOT: llvm.emit_c_interface
func.func @public_entry(%a: memref<4xf32>) {
  return
}
func.func private @helper(%a: memref<4xf32>) {
  return
}
func.func private @external(memref<4xf32>)
