// RUN: kiln-opt %s -split-input-file | kiln-opt -split-input-file | FileCheck %s
// RUN: kiln-opt %s -split-input-file -verify-diagnostics --mlir-print-op-generic > /dev/null

// CHECK-LABEL: func.func @round_trip
// CHECK: lowering_config = #kiln_codegen.lowering_config<cache = [128, 64, 256], register = [8, 32, 1]>
func.func @round_trip(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [128, 64, 256], register = [8, 32, 1]>} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

// The optional parameters print only when present.
// CHECK-LABEL: func.func @packed_distributed
// CHECK: lowering_config = #kiln_codegen.lowering_config<cache = [96, 128, 256], register = [6, 16, 1], pack = [1], distribute = [1]>
// CHECK: lowering_config = #kiln_codegen.lowering_config<cache = [96, 128, 256], register = [6, 16, 1], distribute = [0]>
func.func @packed_distributed(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [96, 128, 256], register = [6, 16, 1], pack = [1], distribute = [1]>} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  %1 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [96, 128, 256], register = [6, 16, 1], distribute = [0]>} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%0 : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %1 : tensor<8x8xf32>
}

// -----

// The register tiles' loop order, after the other optional lists.
// CHECK-LABEL: func.func @ordered
// CHECK: lowering_config = #kiln_codegen.lowering_config<cache = [96, 128, 256], register = [6, 16, 1], pack = [0, 1], cache_order = [1, 2, 0], register_order = [1, 0, 2]>
func.func @ordered(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [96, 128, 256], register = [6, 16, 1], pack = [0, 1], cache_order = [1, 2, 0], register_order = [1, 0, 2]>} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

// Every field, in the order they print.
// CHECK-LABEL: func.func @all_fields
// CHECK: config = #kiln_codegen.lowering_config<cache = [1, 64, 32, 256], register = [1, 14, 32, 1], pack = [0, 1], distribute = [1], cache_order = [0, 2, 3, 1], shared_packing = 16384, transposed>
func.func @all_fields() attributes {config = #kiln_codegen.lowering_config<cache = [1, 64, 32, 256], register = [1, 14, 32, 1], pack = [0, 1], distribute = [1], cache_order = [0, 2, 3, 1], shared_packing = 16384, transposed>} {
  return
}

// -----

// Another target's levels (a GPU's), and a config of fields alone (a pad's).
// CHECK-LABEL: func.func @other_levels
// CHECK: #kiln_codegen.lowering_config<workgroup = [64, 64, 0], warp = [32, 32, 0], thread = [4, 8, 0], reduction = [0, 0, 32], warp_order = [1, 0, 2]>
// CHECK: #kiln_codegen.lowering_config<distribute = [1]>
func.func @other_levels() attributes {gpu = #kiln_codegen.lowering_config<workgroup = [64, 64, 0], warp = [32, 32, 0], thread = [4, 8, 0], reduction = [0, 0, 32], warp_order = [1, 0, 2]>, pad = #kiln_codegen.lowering_config<distribute = [1]>} {
  return
}

// -----

// A library that computes the op needs no tile levels.
// CHECK-LABEL: func.func @library
// CHECK: lowering_config = #kiln_codegen.lowering_config<library = "cublas">
func.func @library(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<library = "cublas">} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
