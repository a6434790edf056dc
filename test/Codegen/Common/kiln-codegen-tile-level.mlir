// RUN: not kiln-opt %s --pass-pipeline='builtin.module(func.func(kiln-codegen-tile{tiling-level=2}))' 2>&1 | FileCheck %s
// CHECK: error: kiln-codegen-tile: tiling-level must be 0 (cache) or 1 (register), got 2
func.func @f() {
  return
}
