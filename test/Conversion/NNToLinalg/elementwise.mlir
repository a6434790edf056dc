// RUN: kiln-opt %s --convert-nn-to-linalg -split-input-file | FileCheck %s

// Broadcasting: a missing leading dimension is dropped from the map and a
// size-1 dimension that broadcasts reads index 0.
// CHECK-DAG: #[[LHS:.+]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK: %[[E:.+]] = tensor.empty() : tensor<4x5x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: outs(%[[E]] : tensor<4x5x3xf32>)
// CHECK: arith.addf
func.func @add_broadcast(%a: tensor<4x1x3xf32>, %b: tensor<5x1xf32>) -> tensor<4x5x3xf32> {
  %0 = nn.add %a, %b : (tensor<4x1x3xf32>, tensor<5x1xf32>) -> tensor<4x5x3xf32>
  return %0 : tensor<4x5x3xf32>
}

// -----

// A dynamic size is read from the operand that has it.
// CHECK-LABEL: func.func @mul_dynamic_batch
// CHECK-SAME: %[[A:[^:]+]]: tensor<?x8xf32>
// CHECK: %[[C0:.+]] = arith.constant 0 : index
// CHECK: %[[N:.+]] = tensor.dim %[[A]], %[[C0]]
// CHECK: tensor.empty(%[[N]]) : tensor<?x8xf32>
// CHECK: arith.mulf
func.func @mul_dynamic_batch(%a: tensor<?x8xf32>, %b: tensor<8xf32>) -> tensor<?x8xf32> {
  %0 = nn.mul %a, %b : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func.func @binary_ops
// CHECK: arith.subf
// CHECK: arith.divf
// CHECK: math.powf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
func.func @binary_ops(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.sub %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = nn.div %0, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = nn.pow %1, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = nn.maximum %2, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = nn.minimum %3, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @unary_ops
// CHECK: math.exp
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.rsqrt
// CHECK: arith.negf
// CHECK: math.absf
// CHECK: math.erf
// CHECK: math.floor
// CHECK: math.ceil
// CHECK: math.roundeven
func.func @unary_ops(%a: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %0 = nn.exp %a : tensor<2x3xf16>
  %1 = nn.log %0 : tensor<2x3xf16>
  %2 = nn.sqrt %1 : tensor<2x3xf16>
  %3 = nn.rsqrt %2 : tensor<2x3xf16>
  %4 = nn.neg %3 : tensor<2x3xf16>
  %5 = nn.abs %4 : tensor<2x3xf16>
  %6 = nn.erf %5 : tensor<2x3xf16>
  %7 = nn.floor %6 : tensor<2x3xf16>
  %8 = nn.ceil %7 : tensor<2x3xf16>
  %9 = nn.round %8 : tensor<2x3xf16>
  return %9 : tensor<2x3xf16>
}

// -----

// Integers: addi, and a division that maps x / 0 to 0 instead of trapping.
// CHECK-LABEL: func.func @integer_binary
// CHECK: arith.addi
// CHECK: arith.cmpi eq
// CHECK: arith.select
// CHECK: arith.divsi
// CHECK: arith.maxsi
func.func @integer_binary(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = nn.add %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = nn.div %0, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %2 = nn.maximum %1, %a : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %2 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @compare_select_cast
// CHECK: arith.cmpf olt
// CHECK: arith.cmpi sge
// CHECK: arith.select
// CHECK: arith.fptosi
// CHECK: arith.cmpi ne
// CHECK: arith.uitofp
func.func @compare_select_cast(%x: tensor<4xf32>, %y: tensor<4xf32>, %i: tensor<4xi64>) -> (tensor<4xf32>, tensor<4xi64>, tensor<4xf32>) {
  %lt = nn.less %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %ge = nn.greater_equal %i, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  %s = nn.select %lt, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %t = nn.cast %x : tensor<4xf32> -> tensor<4xi64>
  %b = nn.cast %t : tensor<4xi64> -> tensor<4xi1>
  %f = nn.cast %b : tensor<4xi1> -> tensor<4xf32>
  return %s, %t, %f : tensor<4xf32>, tensor<4xi64>, tensor<4xf32>
}

// -----

// Unsigned integers are signless in the lowered code, the signature
// included; division, maximum, comparisons and conversions are the unsigned
// ones; constants keep their bytes (255 is -1 as i8).
// CHECK-LABEL: func.func @unsigned
// CHECK-SAME: (%{{.+}}: tensor<4xi8>, %{{.+}}: tensor<4xi8>, %{{.+}}: tensor<4xf32>) -> (tensor<4xi8>, tensor<4xi1>, tensor<4xf32>, tensor<4xi32>, tensor<4xi8>)
// CHECK: arith.constant dense<[1, 2, 3, -1]> : tensor<4xi8>
// CHECK: arith.divui
// CHECK: arith.maxui
// CHECK: arith.cmpi ult
// CHECK: arith.uitofp
// CHECK: arith.extui
// CHECK: arith.fptoui
// CHECK-NOT: ui8
func.func @unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>, %f: tensor<4xf32>) -> (tensor<4xui8>, tensor<4xi1>, tensor<4xf32>, tensor<4xui32>, tensor<4xui8>) {
  %c = nn.constant dense<[1, 2, 3, 255]> : tensor<4xui8>
  %0 = nn.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = nn.maximum %0, %c : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %2 = nn.less %1, %a : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  %3 = nn.cast %1 : tensor<4xui8> -> tensor<4xf32>
  %4 = nn.cast %1 : tensor<4xui8> -> tensor<4xui32>
  %5 = nn.cast %f : tensor<4xf32> -> tensor<4xui8>
  return %1, %2, %3, %4, %5 : tensor<4xui8>, tensor<4xi1>, tensor<4xf32>, tensor<4xui32>, tensor<4xui8>
}

// -----

// Trigonometric functions are math ops; remainders arith.remf, and for
// integers a remsi whose divisor is made safe (0 gives 0, -1 gives 0);
// shifts by the bit width or more are caught before arith's shifts
// (arithmetic right shifts for signed integers, logical for unsigned).
// CHECK-LABEL: func.func @trig_rem
// CHECK: math.sin
// CHECK: math.atanh
// CHECK: arith.remf
// CHECK: arith.cmpi eq
// CHECK: arith.remsi
// CHECK: arith.remui
// CHECK: arith.cmpi uge
// CHECK: arith.shli
// CHECK: arith.shrsi
// CHECK: arith.shrui
func.func @trig_rem(%x: tensor<4xf32>, %i: tensor<4xi32>, %u: tensor<4xui16>) -> (tensor<4xf32>, tensor<4xi32>, tensor<4xui16>) {
  %0 = nn.sin %x : tensor<4xf32>
  %1 = nn.atanh %0 : tensor<4xf32>
  %2 = nn.rem %1, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = nn.rem %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %4 = nn.rem %u, %u : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  %5 = nn.shift_left %3, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %6 = nn.shift_right %5, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %7 = nn.shift_right %4, %u : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  return %2, %6, %7 : tensor<4xf32>, tensor<4xi32>, tensor<4xui16>
}

// -----

// CHECK-LABEL: func.func @constants
// CHECK: arith.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK: arith.constant dense_resource<blob> : tensor<2xf32>
// CHECK-NOT: nn.constant
func.func @constants() -> (tensor<4xf32>, tensor<2xf32>) {
  %0 = nn.constant dense<1.0> : tensor<4xf32>
  %1 = nn.constant dense_resource<blob> : tensor<2xf32>
  return %0, %1 : tensor<4xf32>, tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803F00000040"
    }
  }
#-}
