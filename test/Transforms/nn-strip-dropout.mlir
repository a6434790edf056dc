// RUN: kiln-opt %s -nn-strip-dropout -split-input-file | FileCheck %s
// The pass is not tied to an op: it also runs nested on functions.
// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(nn-strip-dropout))' -split-input-file | FileCheck %s

// Every use of a dropout reads its input instead, whatever the ratio and seed.
// CHECK-LABEL: func.func @uses_rewired
// CHECK-SAME:    (%[[X:.+]]: tensor<8x16xf32>)
// CHECK-NOT:     nn.dropout
// CHECK:         %[[R:.+]] = nn.relu %[[X]] : tensor<8x16xf32>
// CHECK-NOT:     nn.dropout
// CHECK:         %[[A:.+]] = nn.add %[[R]], %[[X]]
// CHECK-NOT:     nn.dropout
// CHECK:         return %[[A]], %[[X]] :
func.func @uses_rewired(%x: tensor<8x16xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>) {
  %0 = nn.dropout %x ratio 0.1 seed 42 : tensor<8x16xf32>
  %1 = nn.relu %0 : tensor<8x16xf32>
  %2 = nn.dropout %1 : tensor<8x16xf32>
  %3 = nn.add %2, %0 : (tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<8x16xf32>
  return %3, %0 : tensor<8x16xf32>, tensor<8x16xf32>
}

// -----

// A chain of dropouts collapses to the first input.
// CHECK-LABEL: func.func @chain
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf32>)
// CHECK-NEXT:    return %[[X]] : tensor<4xf32>
func.func @chain(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.dropout %x ratio 0.2 : tensor<4xf32>
  %1 = nn.dropout %0 ratio 0.3 : tensor<4xf32>
  %2 = nn.dropout %1 ratio 0.9 seed 1 : tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// Dropouts inside nested regions and in every function are removed; other ops
// are untouched.
// CHECK-LABEL: func.func @nested
// CHECK-SAME:    (%[[C:.+]]: i1, %[[X:.+]]: tensor<4xf32>)
// CHECK:         %[[IF:.+]] = scf.if %[[C]]
// CHECK-NEXT:      %[[S:.+]] = nn.sigmoid %[[X]]
// CHECK-NEXT:      scf.yield %[[S]]
// CHECK-NEXT:    } else {
// CHECK-NEXT:      scf.yield %[[X]]
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[IF]]
func.func @nested(%c: i1, %x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = scf.if %c -> tensor<4xf32> {
    %d = nn.dropout %x : tensor<4xf32>
    %s = nn.sigmoid %d : tensor<4xf32>
    scf.yield %s : tensor<4xf32>
  } else {
    %d = nn.dropout %x ratio 0.25 : tensor<4xf32>
    scf.yield %d : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @second_function
// CHECK-SAME:    (%[[X:.+]]: tensor<2x2xbf16>)
// CHECK-NEXT:    return %[[X]]
func.func @second_function(%x: tensor<2x2xbf16>) -> tensor<2x2xbf16> {
  %0 = nn.dropout %x ratio 0.5 seed 3 : tensor<2x2xbf16>
  return %0 : tensor<2x2xbf16>
}

// -----

// Nothing to strip: the IR is unchanged.
// CHECK-LABEL: func.func @no_dropout
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf32>)
// CHECK-NEXT:    %[[T:.+]] = nn.tanh %[[X]]
// CHECK-NEXT:    return %[[T]]
func.func @no_dropout(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.tanh %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
