// RUN: kiln-opt %s -canonicalize -split-input-file | FileCheck %s

// Folders and canonicalization patterns of the nn dialect
// (dialects/nn/lib/ElementwiseFolds.cpp, ShapeFolds.cpp, ConstantOps.cpp).
// The canonicalizer moves constants to the start of the function, so folded
// constants are matched before the ops that remain.

//===----------------------------------------------------------------------===//
// Data movement that moves nothing
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @identity_shape_ops
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NOT:     nn.
// CHECK:         return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]] :
func.func @identity_shape_ops(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = nn.reshape %x [2, 3] : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = nn.transpose %x [0, 1] : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = nn.flatten %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = nn.broadcast_to %x [2, 3] : tensor<2x3xf32> -> tensor<2x3xf32>
  %4 = nn.slice %x starts [0, 0] ends [2, 3] : tensor<2x3xf32> -> tensor<2x3xf32>
  %5 = nn.pad %x [0, 0, 0, 0] : tensor<2x3xf32> -> tensor<2x3xf32>
  %6 = nn.pad %x [0, 0, 0, 0] mode reflect : tensor<2x3xf32> -> tensor<2x3xf32>
  %7 = nn.concat %x axis 1 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Ops that do move data stay.
// CHECK-LABEL: func.func @non_identity_shape_ops
// CHECK:         nn.reshape
// CHECK:         nn.transpose
// CHECK:         nn.broadcast_to
// CHECK:         nn.slice
// CHECK:         nn.slice
// CHECK:         nn.pad
// CHECK:         nn.concat
func.func @non_identity_shape_ops(%x: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>, tensor<4x2x3xf32>, tensor<1x3xf32>, tensor<2x2xf32>, tensor<2x5xf32>, tensor<4x3xf32>) {
  %0 = nn.reshape %x [3, 2] : tensor<2x3xf32> -> tensor<3x2xf32>
  %1 = nn.transpose %x [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %2 = nn.broadcast_to %x [4, 2, 3] : tensor<2x3xf32> -> tensor<4x2x3xf32>
  %3 = nn.slice %x starts [1, 0] ends [2, 3] : tensor<2x3xf32> -> tensor<1x3xf32>
  %4 = nn.slice %x starts [0, 0] ends [2, 3] steps [1, 2] : tensor<2x3xf32> -> tensor<2x2xf32>
  %5 = nn.pad %x [0, 1, 0, 1] : tensor<2x3xf32> -> tensor<2x5xf32>
  %6 = nn.concat %x, %x axis 0 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<3x2xf32>, tensor<3x2xf32>, tensor<4x2x3xf32>, tensor<1x3xf32>, tensor<2x2xf32>, tensor<2x5xf32>, tensor<4x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Chains of reshapes and transposes
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reshape_of_reshape
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK:         %[[R:.+]] = nn.reshape %[[X]] [6, -1] : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK-NOT:     nn.reshape
// CHECK:         return %[[R]]
func.func @reshape_of_reshape(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %0 = nn.reshape %x [24] : tensor<2x3x4xf32> -> tensor<24xf32>
  %1 = nn.reshape %0 [6, -1] : tensor<24xf32> -> tensor<6x4xf32>
  return %1 : tensor<6x4xf32>
}

// -----

// A chain that ends in the input's shape disappears.
// CHECK-LABEL: func.func @reshape_round_trip
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK-NOT:     nn.reshape
// CHECK:         return %[[X]]
func.func @reshape_round_trip(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = nn.reshape %x [24] : tensor<2x3x4xf32> -> tensor<24xf32>
  %1 = nn.reshape %0 [4, 6] : tensor<24xf32> -> tensor<4x6xf32>
  %2 = nn.reshape %1 [2, 3, 4] : tensor<4x6xf32> -> tensor<2x3x4xf32>
  return %2 : tensor<2x3x4xf32>
}

// -----

// The inner reshape keeps its other use.
// CHECK-LABEL: func.func @reshape_of_reshape_multi_use
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK-DAG:     %[[A:.+]] = nn.reshape %[[X]] [24] : tensor<2x3x4xf32> -> tensor<24xf32>
// CHECK-DAG:     %[[B:.+]] = nn.reshape %[[X]] [6, 4] : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK:         return %[[A]], %[[B]]
func.func @reshape_of_reshape_multi_use(%x: tensor<2x3x4xf32>) -> (tensor<24xf32>, tensor<6x4xf32>) {
  %0 = nn.reshape %x [24] : tensor<2x3x4xf32> -> tensor<24xf32>
  %1 = nn.reshape %0 [6, 4] : tensor<24xf32> -> tensor<6x4xf32>
  return %0, %1 : tensor<24xf32>, tensor<6x4xf32>
}

// -----

// [1, 2, 0] then [0, 2, 1] is x transposed by [1, 0, 2].
// CHECK-LABEL: func.func @transpose_of_transpose
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK:         %[[T:.+]] = nn.transpose %[[X]] [1, 0, 2] : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
// CHECK-NOT:     nn.transpose
// CHECK:         return %[[T]]
func.func @transpose_of_transpose(%x: tensor<2x3x4xf32>) -> tensor<3x2x4xf32> {
  %0 = nn.transpose %x [1, 2, 0] : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %1 = nn.transpose %0 [0, 2, 1] : tensor<3x4x2xf32> -> tensor<3x2x4xf32>
  return %1 : tensor<3x2x4xf32>
}

// -----

// [1, 2, 0] and [2, 0, 1] are inverses: both transposes disappear.
// CHECK-LABEL: func.func @transpose_inverse_pair
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK-NOT:     nn.transpose
// CHECK:         return %[[X]]
func.func @transpose_inverse_pair(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = nn.transpose %x [1, 2, 0] : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %1 = nn.transpose %0 [2, 0, 1] : tensor<3x4x2xf32> -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Algebraic identities
//===----------------------------------------------------------------------===//

// The identity may be a lower-rank constant as long as x is not broadcast.
// CHECK-LABEL: func.func @right_identities
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NOT:     nn.
// CHECK:         return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]] :
func.func @right_identities(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = nn.constant dense<0.0> : tensor<2x3xf32>
  %one = nn.constant dense<1.0> : tensor<3xf32>
  %0 = nn.add %x, %zero : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = nn.sub %x, %zero : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = nn.mul %x, %one : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %3 = nn.div %x, %one : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %4 = nn.pow %x, %one : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// add and mul are commutative: the constant moves to the right, then folds.
// CHECK-LABEL: func.func @left_identities_commutative
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NOT:     nn.
// CHECK:         return %[[X]], %[[X]] :
func.func @left_identities_commutative(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = nn.constant dense<0.0> : tensor<2x3xf32>
  %one = nn.constant dense<1.0> : tensor<2x3xf32>
  %0 = nn.add %zero, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = nn.mul %one, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// 0 - x is not x, 1 / x is not x, and 2 ** 1 is not the identity on x.
// CHECK-LABEL: func.func @left_identities_not_commutative
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-DAG:     %[[ZERO:.+]] = nn.constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK-DAG:     %[[ONE:.+]] = nn.constant dense<1.000000e+00> : tensor<2x3xf32>
// CHECK:         %[[SUB:.+]] = nn.sub %[[ZERO]], %[[X]]
// CHECK:         %[[DIV:.+]] = nn.div %[[ONE]], %[[X]]
// CHECK:         %[[POW:.+]] = nn.pow %[[ONE]], %[[X]]
// CHECK:         return %[[SUB]], %[[DIV]], %[[POW]] :
func.func @left_identities_not_commutative(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = nn.constant dense<0.0> : tensor<2x3xf32>
  %one = nn.constant dense<1.0> : tensor<2x3xf32>
  %0 = nn.sub %zero, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = nn.div %one, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = nn.pow %one, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// The identity broadcasts x to a bigger shape: the op is a broadcast, not x,
// on either side of a commutative op.
// CHECK-LABEL: func.func @identity_that_broadcasts
// CHECK-SAME:    (%[[X:.+]]: tensor<3xf32>)
// CHECK-DAG:     %[[ZERO:.+]] = nn.constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK-DAG:     %[[ONE:.+]] = nn.constant dense<1.000000e+00> : tensor<2x3xf32>
// CHECK:         %[[A:.+]] = nn.add %[[X]], %[[ZERO]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[B:.+]] = nn.add %[[X]], %[[ZERO]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         %[[M:.+]] = nn.mul %[[X]], %[[ONE]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[A]], %[[B]], %[[M]] :
func.func @identity_that_broadcasts(%x: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = nn.constant dense<0.0> : tensor<2x3xf32>
  %one = nn.constant dense<1.0> : tensor<2x3xf32>
  %0 = nn.add %x, %zero : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = nn.add %zero, %x : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = nn.mul %x, %one : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// x + 1 and x * 0 are not identities.
// CHECK-LABEL: func.func @not_identities
// CHECK:         nn.add
// CHECK:         nn.mul
func.func @not_identities(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %zero = nn.constant dense<0.0> : tensor<3xf32>
  %one = nn.constant dense<1.0> : tensor<3xf32>
  %0 = nn.add %x, %one : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = nn.mul %x, %zero : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @idempotent_and_involutions
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf32>)
// CHECK-DAG:     %[[ABS:.+]] = nn.abs %[[X]] : tensor<4xf32>
// CHECK-DAG:     %[[RELU:.+]] = nn.relu %[[X]] : tensor<4xf32>
// CHECK-NOT:     nn.maximum
// CHECK-NOT:     nn.minimum
// CHECK-NOT:     nn.neg
// CHECK-NOT:     nn.abs
// CHECK-NOT:     nn.relu
// CHECK:         return %[[X]], %[[X]], %[[X]], %[[ABS]], %[[RELU]] :
func.func @idempotent_and_involutions(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = nn.maximum %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = nn.minimum %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %n = nn.neg %x : tensor<4xf32>
  %2 = nn.neg %n : tensor<4xf32>
  %a = nn.abs %x : tensor<4xf32>
  %3 = nn.abs %a : tensor<4xf32>
  %r = nn.relu %x : tensor<4xf32>
  %4 = nn.relu %r : tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// A single neg is not an involution.
// CHECK-LABEL: func.func @single_neg
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf32>)
// CHECK:         %[[N:.+]] = nn.neg %[[X]]
// CHECK:         return %[[N]]
func.func @single_neg(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.neg %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @clip
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf32>)
// CHECK:         %[[LO:.+]] = nn.clip %[[X]] min 0.000000e+00 : tensor<4xf32>
// CHECK:         %[[HI:.+]] = nn.clip %[[X]] max 6.000000e+00 : tensor<4xf32>
// CHECK:         return %[[X]], %[[LO]], %[[HI]] :
func.func @clip(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = nn.clip %x : tensor<4xf32>
  %1 = nn.clip %x min 0.0 : tensor<4xf32>
  %2 = nn.clip %x max 6.0 : tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Dropout with ratio 0 drops nothing and scales by 1; any other ratio stays
// (removing it is nn-strip-dropout's job, for inference only).
// CHECK-LABEL: func.func @dropout
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf32>)
// CHECK:         %[[D:.+]] = nn.dropout %[[X]] : tensor<4xf32>
// CHECK-NOT:     nn.dropout
// CHECK:         return %[[X]], %[[X]], %[[D]] :
func.func @dropout(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = nn.dropout %x ratio 0.0 : tensor<4xf32>
  %1 = nn.dropout %x ratio 0.0 seed 7 : tensor<4xf32>
  %2 = nn.dropout %x ratio 0.5 : tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Constant folding: binary ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @fold_binary_splats
// CHECK-DAG:     %[[ADD:.+]] = nn.constant dense<5.000000e+00> : tensor<2x3xf32>
// CHECK-DAG:     %[[SUB:.+]] = nn.constant dense<-1.000000e+00> : tensor<2x3xf32>
// CHECK-DAG:     %[[MUL:.+]] = nn.constant dense<6.000000e+00> : tensor<2x3xf32>
// CHECK-DAG:     %[[DIV:.+]] = nn.constant dense<1.500000e+00> : tensor<2x3xf32>
// CHECK-DAG:     %[[POW:.+]] = nn.constant dense<8.000000e+00> : tensor<2x3xf32>
// CHECK-DAG:     %[[MAX:.+]] = nn.constant dense<3.000000e+00> : tensor<2x3xf32>
// CHECK-DAG:     %[[MIN:.+]] = nn.constant dense<2.000000e+00> : tensor<2x3xf32>
// CHECK-NOT:     nn.{{add|sub|mul|div|pow|maximum|minimum}}
// CHECK:         return %[[ADD]], %[[SUB]], %[[MUL]], %[[DIV]], %[[POW]], %[[MAX]], %[[MIN]] :
func.func @fold_binary_splats() -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %two = nn.constant dense<2.0> : tensor<2x3xf32>
  %three = nn.constant dense<3.0> : tensor<2x3xf32>
  // A splat operand may broadcast: the result is still a splat.
  %three_row = nn.constant dense<3.0> : tensor<3xf32>
  %0 = nn.add %two, %three_row : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = nn.sub %two, %three : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = nn.mul %two, %three : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = nn.div %three, %two : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = nn.pow %two, %three : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = nn.maximum %two, %three : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = nn.minimum %two, %three : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// A row [3] broadcasts over both rows of a [2, 3] matrix.
// CHECK-LABEL: func.func @fold_binary_broadcast_row
// CHECK:         %[[C:.+]] = nn.constant dense<{{\[}}[1.100000e+01, 2.200000e+01, 3.300000e+01], [1.400000e+01, 2.500000e+01, 3.600000e+01]]> : tensor<2x3xf32>
// CHECK-NOT:     nn.add
// CHECK:         return %[[C]]
func.func @fold_binary_broadcast_row() -> tensor<2x3xf32> {
  %a = nn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = nn.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %0 = nn.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Both operands broadcast: a [2, 1] column against a [3] row gives [2, 3],
// result[i][j] = a[i] - b[j].
// CHECK-LABEL: func.func @fold_binary_broadcast_both
// CHECK:         %[[C:.+]] = nn.constant dense<{{\[}}[-9.000000e+00, -1.900000e+01, -2.900000e+01], [-8.000000e+00, -1.800000e+01, -2.800000e+01]]> : tensor<2x3xf32>
// CHECK-NOT:     nn.sub
// CHECK:         return %[[C]]
func.func @fold_binary_broadcast_both() -> tensor<2x3xf32> {
  %a = nn.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %b = nn.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %0 = nn.sub %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A non-splat operand against a splat, and the other binary ops on non-splats.
// CHECK-LABEL: func.func @fold_binary_non_splat
// CHECK-DAG:     %[[MUL:.+]] = nn.constant dense<[2.000000e+00, -4.000000e+00, 1.000000e+00, 8.000000e+00]> : tensor<4xf32>
// CHECK-DAG:     %[[DIV:.+]] = nn.constant dense<[5.000000e-01, -1.000000e+00, 2.500000e-01, 2.000000e+00]> : tensor<4xf32>
// CHECK-DAG:     %[[POW:.+]] = nn.constant dense<[1.000000e+00, 4.000000e+00, 2.500000e-01, 1.600000e+01]> : tensor<4xf32>
// CHECK-DAG:     %[[MAX:.+]] = nn.constant dense<[1.000000e+00, 0.000000e+00, 5.000000e-01, 4.000000e+00]> : tensor<4xf32>
// CHECK-DAG:     %[[MIN:.+]] = nn.constant dense<[0.000000e+00, -2.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<4xf32>
// CHECK-NOT:     nn.{{mul|div|pow|maximum|minimum}}
// CHECK:         return %[[MUL]], %[[DIV]], %[[POW]], %[[MAX]], %[[MIN]] :
func.func @fold_binary_non_splat() -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %x = nn.constant dense<[1.0, -2.0, 0.5, 4.0]> : tensor<4xf32>
  %two = nn.constant dense<2.0> : tensor<4xf32>
  %zero = nn.constant dense<0.0> : tensor<4xf32>
  %0 = nn.mul %x, %two : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = nn.div %x, %two : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = nn.pow %x, %two : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = nn.maximum %x, %zero : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = nn.minimum %zero, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Constant folding: unary math and activations
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @fold_unary
// CHECK-DAG:     %[[EXP:.+]] = nn.constant dense<[1.000000e+00, 2.71828175]> : tensor<2xf32>
// CHECK-DAG:     %[[LOG:.+]] = nn.constant dense<[0.000000e+00, 1.38629436, 2.77258873]> : tensor<3xf32>
// CHECK-DAG:     %[[SQRT:.+]] = nn.constant dense<[1.000000e+00, 2.000000e+00, 4.000000e+00]> : tensor<3xf32>
// CHECK-DAG:     %[[RSQRT:.+]] = nn.constant dense<[1.000000e+00, 5.000000e-01, 2.500000e-01]> : tensor<3xf32>
// CHECK-DAG:     %[[NEG:.+]] = nn.constant dense<[2.000000e+00, -5.000000e-01, -8.000000e+00]> : tensor<3xf32>
// CHECK-DAG:     %[[ABS:.+]] = nn.constant dense<[2.000000e+00, 5.000000e-01, 8.000000e+00]> : tensor<3xf32>
// CHECK-DAG:     %[[RELU:.+]] = nn.constant dense<[0.000000e+00, 5.000000e-01, 8.000000e+00]> : tensor<3xf32>
// CHECK-DAG:     %[[RELU6:.+]] = nn.constant dense<[0.000000e+00, 5.000000e-01, 6.000000e+00]> : tensor<3xf32>
// CHECK-DAG:     %[[CLIPLO:.+]] = nn.constant dense<[-1.000000e+00, 5.000000e-01, 8.000000e+00]> : tensor<3xf32>
// CHECK-NOT:     nn.{{exp|log|sqrt|rsqrt|neg|abs|relu|clip}}
// CHECK:         return %[[EXP]], %[[LOG]], %[[SQRT]], %[[RSQRT]], %[[NEG]], %[[ABS]], %[[RELU]], %[[RELU6]], %[[CLIPLO]] :
func.func @fold_unary() -> (tensor<2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %e = nn.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %p = nn.constant dense<[1.0, 4.0, 16.0]> : tensor<3xf32>
  %m = nn.constant dense<[-2.0, 0.5, 8.0]> : tensor<3xf32>
  %0 = nn.exp %e : tensor<2xf32>
  %1 = nn.log %p : tensor<3xf32>
  %2 = nn.sqrt %p : tensor<3xf32>
  %3 = nn.rsqrt %p : tensor<3xf32>
  %4 = nn.neg %m : tensor<3xf32>
  %5 = nn.abs %m : tensor<3xf32>
  %6 = nn.relu %m : tensor<3xf32>
  %7 = nn.clip %m min 0.0 max 6.0 : tensor<3xf32>
  %8 = nn.clip %m min -1.0 : tensor<3xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @fold_unary_splat
// CHECK-DAG:     %[[SQRT:.+]] = nn.constant dense<3.000000e+00> : tensor<64x64xf32>
// CHECK-DAG:     %[[NEG:.+]] = nn.constant dense<-9.000000e+00> : tensor<64x64xf32>
// CHECK-NOT:     nn.sqrt
// CHECK-NOT:     nn.neg
// CHECK:         return %[[SQRT]], %[[NEG]] :
func.func @fold_unary_splat() -> (tensor<64x64xf32>, tensor<64x64xf32>) {
  %c = nn.constant dense<9.0> : tensor<64x64xf32>
  %0 = nn.sqrt %c : tensor<64x64xf32>
  %1 = nn.neg %c : tensor<64x64xf32>
  return %0, %1 : tensor<64x64xf32>, tensor<64x64xf32>
}

// -----

// Integer constants are left to the frontends: no folding, and no crash.
// CHECK-LABEL: func.func @integer_constants_not_folded
// CHECK: nn.add
// CHECK: nn.maximum
func.func @integer_constants_not_folded() -> (tensor<2xi64>, tensor<2xi64>) {
  %a = nn.constant dense<[1, 2]> : tensor<2xi64>
  %b = nn.constant dense<0> : tensor<2xi64>
  %0 = nn.add %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %1 = nn.maximum %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0, %1 : tensor<2xi64>, tensor<2xi64>
}

// -----

// Rounding: floor, ceil, and round with halves to even; erf(0) = 0.
// CHECK-LABEL: func.func @fold_rounding
// CHECK-DAG:     nn.constant dense<[-2.000000e+00, -1.000000e+00, 0.000000e+00, 2.000000e+00]> : tensor<4xf32>
// CHECK-DAG:     nn.constant dense<[-1.000000e+00, -0.000000e+00, 1.000000e+00, 3.000000e+00]> : tensor<4xf32>
// CHECK-DAG:     nn.constant dense<[-2.000000e+00, -0.000000e+00, 0.000000e+00, 2.000000e+00]> : tensor<4xf32>
// CHECK-DAG:     nn.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK-NOT:     nn.floor
// CHECK-NOT:     nn.ceil
// CHECK-NOT:     nn.round
// CHECK-NOT:     nn.erf
func.func @fold_rounding() -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2xf32>) {
  %c = nn.constant dense<[-1.5, -0.5, 0.5, 2.5]> : tensor<4xf32>
  %z = nn.constant dense<0.0> : tensor<2xf32>
  %0 = nn.floor %c : tensor<4xf32>
  %1 = nn.ceil %c : tensor<4xf32>
  %2 = nn.round %c : tensor<4xf32>
  %3 = nn.erf %z : tensor<2xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2xf32>
}

// -----

// Trigonometric functions and fmod of constants fold: sin(0) = 0,
// cos(0) = 1, atanh(0) = 0, fmod(-7, 3) = -1 (C's sign).
// CHECK-LABEL: func.func @fold_trig_rem
// CHECK-DAG:     nn.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK-DAG:     nn.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-DAG:     nn.constant dense<[-1.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-NOT:     nn.sin
// CHECK-NOT:     nn.cos
// CHECK-NOT:     nn.atanh
// CHECK-NOT:     nn.rem
func.func @fold_trig_rem() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %z = nn.constant dense<0.0> : tensor<2xf32>
  %a = nn.constant dense<[-7.0, 7.0]> : tensor<2xf32>
  %b = nn.constant dense<3.0> : tensor<2xf32>
  %0 = nn.sin %z : tensor<2xf32>
  %1 = nn.cos %z : tensor<2xf32>
  %2 = nn.atanh %z : tensor<2xf32>
  %3 = nn.rem %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0, %1, %2, %3 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Constant folding: data movement
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @fold_shape_ops_on_constants
// CHECK-DAG:     %[[RESHAPE:.+]] = nn.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi32>
// CHECK-DAG:     %[[FLATTEN:.+]] = nn.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-DAG:     %[[TRANSPOSE:.+]] = nn.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-DAG:     %[[SPLAT:.+]] = nn.constant dense<1.500000e+00> : tensor<1x6xf32>
// CHECK-DAG:     %[[BCAST:.+]] = nn.constant dense<1.500000e+00> : tensor<2x3xf32>
// CHECK-NOT:     nn.{{reshape|flatten|transpose|broadcast_to}}
// CHECK:         return %[[RESHAPE]], %[[FLATTEN]], %[[TRANSPOSE]], %[[SPLAT]], %[[BCAST]] :
func.func @fold_shape_ops_on_constants() -> (tensor<6xi32>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<1x6xf32>, tensor<2x3xf32>) {
  %i = nn.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %0 = nn.reshape %i [6] : tensor<2x3xi32> -> tensor<6xi32>
  %f = nn.constant dense<[[[1.0, 2.0]], [[3.0, 4.0]], [[5.0, 6.0]]]> : tensor<3x1x2xf32>
  %1 = nn.flatten %f : tensor<3x1x2xf32> -> tensor<3x2xf32>
  %m = nn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %2 = nn.transpose %m [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %s = nn.constant dense<1.5> : tensor<2x3xf32>
  %3 = nn.transpose %s [1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  %4 = nn.reshape %3 [1, -1] : tensor<3x2xf32> -> tensor<1x6xf32>
  %r = nn.constant dense<1.5> : tensor<3xf32>
  %5 = nn.broadcast_to %r [2, 3] : tensor<3xf32> -> tensor<2x3xf32>
  return %0, %1, %2, %4, %5 : tensor<6xi32>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<1x6xf32>, tensor<2x3xf32>
}

// -----

// Rank 3: result[i][j][k] = input[j][k][i].
// CHECK-LABEL: func.func @fold_transpose_rank3
// CHECK:         %[[C:.+]] = nn.constant dense<{{\[\[\[}}0, 4, 8], [12, 16, 20]], {{\[}}[1, 5, 9], [13, 17, 21]], {{\[}}[2, 6, 10], [14, 18, 22]], {{\[}}[3, 7, 11], [15, 19, 23]]]> : tensor<4x2x3xi32>
// CHECK-NOT:     nn.transpose
// CHECK:         return %[[C]]
func.func @fold_transpose_rank3() -> tensor<4x2x3xi32> {
  %a = nn.constant dense<[[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], [[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]]]> : tensor<2x3x4xi32>
  %0 = nn.transpose %a [2, 0, 1] : tensor<2x3x4xi32> -> tensor<4x2x3xi32>
  return %0 : tensor<4x2x3xi32>
}

// -----

// broadcast_to replicates only splats at compile time.
// CHECK-LABEL: func.func @broadcast_non_splat_constant
// CHECK:         %[[C:.+]] = nn.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK:         %[[B:.+]] = nn.broadcast_to %[[C]] [2, 3]
// CHECK:         return %[[B]]
func.func @broadcast_non_splat_constant() -> tensor<2x3xf32> {
  %c = nn.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %0 = nn.broadcast_to %c [2, 3] : tensor<3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Constant folding: size limits and blobs
//===----------------------------------------------------------------------===//

// A non-splat result of 1024 elements is folded; one of 1026 is not (a small
// non-splat operand broadcast to a big result).
// CHECK-LABEL: func.func @fold_size_limit_broadcast
// CHECK-DAG:     %[[ROW:.+]] = nn.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[BIG:.+]] = nn.constant dense<1.000000e+01> : tensor<513x2xf32>
// CHECK-DAG:     %[[FOLDED:.+]] = nn.constant dense<"0x0000304100004041{{[0-9A-F]*}}"> : tensor<512x2xf32>
// CHECK:         %[[ADD:.+]] = nn.add %[[ROW]], %[[BIG]] : (tensor<2xf32>, tensor<513x2xf32>) -> tensor<513x2xf32>
// CHECK:         return %[[FOLDED]], %[[ADD]] :
func.func @fold_size_limit_broadcast() -> (tensor<512x2xf32>, tensor<513x2xf32>) {
  %row = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %ten = nn.constant dense<10.0> : tensor<512x2xf32>
  %big = nn.constant dense<10.0> : tensor<513x2xf32>
  %0 = nn.add %row, %ten : (tensor<2xf32>, tensor<512x2xf32>) -> tensor<512x2xf32>
  %1 = nn.add %row, %big : (tensor<2xf32>, tensor<513x2xf32>) -> tensor<513x2xf32>
  return %0, %1 : tensor<512x2xf32>, tensor<513x2xf32>
}

// -----

// A non-splat constant of 1025 elements (0.0, 1.0, ..., 1024.0): elementwise
// ops and transposes keep it; a reshape only changes its type and folds.
// CHECK-LABEL: func.func @no_fold_large_non_splat
// CHECK-DAG:     %[[C:.+]] = nn.constant dense<"0x000000000000803F{{[0-9A-F]*}}"> : tensor<1025xf32>
// CHECK-DAG:     %[[R:.+]] = nn.constant dense<"0x000000000000803F{{[0-9A-F]*}}"> : tensor<5x205xf32>
// CHECK-DAG:     %[[TWO:.+]] = nn.constant dense<2.000000e+00> : tensor<1025xf32>
// CHECK:         %[[EXP:.+]] = nn.exp %[[C]] : tensor<1025xf32>
// CHECK:         %[[ADD:.+]] = nn.add %[[C]], %[[TWO]]
// CHECK:         %[[T:.+]] = nn.transpose %[[R]] [1, 0]
// CHECK:         return %[[EXP]], %[[ADD]], %[[T]] :
func.func @no_fold_large_non_splat() -> (tensor<1025xf32>, tensor<1025xf32>, tensor<205x5xf32>) {
  %c = nn.constant dense<"0x000000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041000050410000604100007041000080410000884100009041000098410000A0410000A8410000B0410000B8410000C0410000C8410000D0410000D8410000E0410000E8410000F0410000F84100000042000004420000084200000C4200001042000014420000184200001C4200002042000024420000284200002C4200003042000034420000384200003C4200004042000044420000484200004C4200005042000054420000584200005C4200006042000064420000684200006C4200007042000074420000784200007C42000080420000824200008442000086420000884200008A4200008C4200008E42000090420000924200009442000096420000984200009A4200009C4200009E420000A0420000A2420000A4420000A6420000A8420000AA420000AC420000AE420000B0420000B2420000B4420000B6420000B8420000BA420000BC420000BE420000C0420000C2420000C4420000C6420000C8420000CA420000CC420000CE420000D0420000D2420000D4420000D6420000D8420000DA420000DC420000DE420000E0420000E2420000E4420000E6420000E8420000EA420000EC420000EE420000F0420000F2420000F4420000F6420000F8420000FA420000FC420000FE420000004300000143000002430000034300000443000005430000064300000743000008430000094300000A4300000B4300000C4300000D4300000E4300000F430000104300001143000012430000134300001443000015430000164300001743000018430000194300001A4300001B4300001C4300001D4300001E4300001F430000204300002143000022430000234300002443000025430000264300002743000028430000294300002A4300002B4300002C4300002D4300002E4300002F430000304300003143000032430000334300003443000035430000364300003743000038430000394300003A4300003B4300003C4300003D4300003E4300003F430000404300004143000042430000434300004443000045430000464300004743000048430000494300004A4300004B4300004C4300004D4300004E4300004F430000504300005143000052430000534300005443000055430000564300005743000058430000594300005A4300005B4300005C4300005D4300005E4300005F430000604300006143000062430000634300006443000065430000664300006743000068430000694300006A4300006B4300006C4300006D4300006E4300006F430000704300007143000072430000734300007443000075430000764300007743000078430000794300007A4300007B4300007C4300007D4300007E4300007F43000080430080804300008143008081430000824300808243000083430080834300008443008084430000854300808543000086430080864300008743008087430000884300808843000089430080894300008A4300808A4300008B4300808B4300008C4300808C4300008D4300808D4300008E4300808E4300008F4300808F43000090430080904300009143008091430000924300809243000093430080934300009443008094430000954300809543000096430080964300009743008097430000984300809843000099430080994300009A4300809A4300009B4300809B4300009C4300809C4300009D4300809D4300009E4300809E4300009F4300809F430000A0430080A0430000A1430080A1430000A2430080A2430000A3430080A3430000A4430080A4430000A5430080A5430000A6430080A6430000A7430080A7430000A8430080A8430000A9430080A9430000AA430080AA430000AB430080AB430000AC430080AC430000AD430080AD430000AE430080AE430000AF430080AF430000B0430080B0430000B1430080B1430000B2430080B2430000B3430080B3430000B4430080B4430000B5430080B5430000B6430080B6430000B7430080B7430000B8430080B8430000B9430080B9430000BA430080BA430000BB430080BB430000BC430080BC430000BD430080BD430000BE430080BE430000BF430080BF430000C0430080C0430000C1430080C1430000C2430080C2430000C3430080C3430000C4430080C4430000C5430080C5430000C6430080C6430000C7430080C7430000C8430080C8430000C9430080C9430000CA430080CA430000CB430080CB430000CC430080CC430000CD430080CD430000CE430080CE430000CF430080CF430000D0430080D0430000D1430080D1430000D2430080D2430000D3430080D3430000D4430080D4430000D5430080D5430000D6430080D6430000D7430080D7430000D8430080D8430000D9430080D9430000DA430080DA430000DB430080DB430000DC430080DC430000DD430080DD430000DE430080DE430000DF430080DF430000E0430080E0430000E1430080E1430000E2430080E2430000E3430080E3430000E4430080E4430000E5430080E5430000E6430080E6430000E7430080E7430000E8430080E8430000E9430080E9430000EA430080EA430000EB430080EB430000EC430080EC430000ED430080ED430000EE430080EE430000EF430080EF430000F0430080F0430000F1430080F1430000F2430080F2430000F3430080F3430000F4430080F4430000F5430080F5430000F6430080F6430000F7430080F7430000F8430080F8430000F9430080F9430000FA430080FA430000FB430080FB430000FC430080FC430000FD430080FD430000FE430080FE430000FF430080FF4300000044004000440080004400C0004400000144004001440080014400C0014400000244004002440080024400C0024400000344004003440080034400C0034400000444004004440080044400C0044400000544004005440080054400C0054400000644004006440080064400C0064400000744004007440080074400C0074400000844004008440080084400C0084400000944004009440080094400C0094400000A4400400A4400800A4400C00A4400000B4400400B4400800B4400C00B4400000C4400400C4400800C4400C00C4400000D4400400D4400800D4400C00D4400000E4400400E4400800E4400C00E4400000F4400400F4400800F4400C00F4400001044004010440080104400C0104400001144004011440080114400C0114400001244004012440080124400C0124400001344004013440080134400C0134400001444004014440080144400C0144400001544004015440080154400C0154400001644004016440080164400C0164400001744004017440080174400C0174400001844004018440080184400C0184400001944004019440080194400C0194400001A4400401A4400801A4400C01A4400001B4400401B4400801B4400C01B4400001C4400401C4400801C4400C01C4400001D4400401D4400801D4400C01D4400001E4400401E4400801E4400C01E4400001F4400401F4400801F4400C01F4400002044004020440080204400C0204400002144004021440080214400C0214400002244004022440080224400C0224400002344004023440080234400C0234400002444004024440080244400C0244400002544004025440080254400C0254400002644004026440080264400C0264400002744004027440080274400C0274400002844004028440080284400C0284400002944004029440080294400C0294400002A4400402A4400802A4400C02A4400002B4400402B4400802B4400C02B4400002C4400402C4400802C4400C02C4400002D4400402D4400802D4400C02D4400002E4400402E4400802E4400C02E4400002F4400402F4400802F4400C02F4400003044004030440080304400C0304400003144004031440080314400C0314400003244004032440080324400C0324400003344004033440080334400C0334400003444004034440080344400C0344400003544004035440080354400C0354400003644004036440080364400C0364400003744004037440080374400C0374400003844004038440080384400C0384400003944004039440080394400C0394400003A4400403A4400803A4400C03A4400003B4400403B4400803B4400C03B4400003C4400403C4400803C4400C03C4400003D4400403D4400803D4400C03D4400003E4400403E4400803E4400C03E4400003F4400403F4400803F4400C03F4400004044004040440080404400C0404400004144004041440080414400C0414400004244004042440080424400C0424400004344004043440080434400C0434400004444004044440080444400C0444400004544004045440080454400C0454400004644004046440080464400C0464400004744004047440080474400C0474400004844004048440080484400C0484400004944004049440080494400C0494400004A4400404A4400804A4400C04A4400004B4400404B4400804B4400C04B4400004C4400404C4400804C4400C04C4400004D4400404D4400804D4400C04D4400004E4400404E4400804E4400C04E4400004F4400404F4400804F4400C04F4400005044004050440080504400C0504400005144004051440080514400C0514400005244004052440080524400C0524400005344004053440080534400C0534400005444004054440080544400C0544400005544004055440080554400C0554400005644004056440080564400C0564400005744004057440080574400C0574400005844004058440080584400C0584400005944004059440080594400C0594400005A4400405A4400805A4400C05A4400005B4400405B4400805B4400C05B4400005C4400405C4400805C4400C05C4400005D4400405D4400805D4400C05D4400005E4400405E4400805E4400C05E4400005F4400405F4400805F4400C05F4400006044004060440080604400C0604400006144004061440080614400C0614400006244004062440080624400C0624400006344004063440080634400C0634400006444004064440080644400C0644400006544004065440080654400C0654400006644004066440080664400C0664400006744004067440080674400C0674400006844004068440080684400C0684400006944004069440080694400C0694400006A4400406A4400806A4400C06A4400006B4400406B4400806B4400C06B4400006C4400406C4400806C4400C06C4400006D4400406D4400806D4400C06D4400006E4400406E4400806E4400C06E4400006F4400406F4400806F4400C06F4400007044004070440080704400C0704400007144004071440080714400C0714400007244004072440080724400C0724400007344004073440080734400C0734400007444004074440080744400C0744400007544004075440080754400C0754400007644004076440080764400C0764400007744004077440080774400C0774400007844004078440080784400C0784400007944004079440080794400C0794400007A4400407A4400807A4400C07A4400007B4400407B4400807B4400C07B4400007C4400407C4400807C4400C07C4400007D4400407D4400807D4400C07D4400007E4400407E4400807E4400C07E4400007F4400407F4400807F4400C07F4400008044"> : tensor<1025xf32>
  %two = nn.constant dense<2.0> : tensor<1025xf32>
  %0 = nn.exp %c : tensor<1025xf32>
  %1 = nn.add %c, %two : (tensor<1025xf32>, tensor<1025xf32>) -> tensor<1025xf32>
  %r = nn.reshape %c [5, 205] : tensor<1025xf32> -> tensor<5x205xf32>
  %2 = nn.transpose %r [1, 0] : tensor<5x205xf32> -> tensor<205x5xf32>
  return %0, %1, %2 : tensor<1025xf32>, tensor<1025xf32>, tensor<205x5xf32>
}

// -----

// Weights held as dense_resource blobs are never folded, whatever their size;
// identities that do not read the value still apply.
// CHECK-LABEL: func.func @no_fold_dense_resource
// CHECK-SAME:    (%[[X:.+]]: tensor<2xf32>)
// CHECK:         %[[W:.+]] = nn.constant dense_resource<weight> : tensor<2xf32>
// CHECK:         %[[EXP:.+]] = nn.exp %[[W]] : tensor<2xf32>
// CHECK:         %[[ADD:.+]] = nn.add %[[W]], %[[W]]
// CHECK:         %[[MUL:.+]] = nn.mul %[[X]], %[[W]]
// CHECK:         %[[RESHAPE:.+]] = nn.reshape %[[W]] [1, 2]
// CHECK:         %[[T:.+]] = nn.transpose %[[RESHAPE]] [1, 0]
// CHECK:         return %[[EXP]], %[[ADD]], %[[MUL]], %[[RESHAPE]], %[[T]], %[[W]] :
// CHECK:       dialect_resources
// CHECK:         weight: "0x040000000000803F00000040"
func.func @no_fold_dense_resource(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<1x2xf32>, tensor<2x1xf32>, tensor<2xf32>) {
  %w = nn.constant dense_resource<weight> : tensor<2xf32>
  %0 = nn.exp %w : tensor<2xf32>
  %1 = nn.add %w, %w : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %2 = nn.mul %x, %w : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %3 = nn.reshape %w [1, 2] : tensor<2xf32> -> tensor<1x2xf32>
  %4 = nn.transpose %3 [1, 0] : tensor<1x2xf32> -> tensor<2x1xf32>
  %5 = nn.transpose %w [0] : tensor<2xf32> -> tensor<2xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<1x2xf32>, tensor<2x1xf32>, tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weight: "0x040000000000803F00000040"
    }
  }
#-}

// -----

//===----------------------------------------------------------------------===//
// Constant folding rounds to the element type
//===----------------------------------------------------------------------===//

// In bf16 (8 significant bits) 1 + 2^-8 is a tie that rounds to even, 1.0,
// and 1/3 is 0.333984375; in f16 (11 bits) 1/3 is 0.333251953125. Folding in
// f32 would give 1.00390625 and 0.333333343.
// CHECK-LABEL: func.func @fold_rounds_to_element_type
// CHECK-DAG:     %[[ONE:.+]] = nn.constant dense<1.000000e+00> : tensor<bf16>
// CHECK-DAG:     %[[THIRD_BF16:.+]] = nn.constant dense<3.339840e-01> : tensor<bf16>
// CHECK-DAG:     %[[THIRD_F16:.+]] = nn.constant dense<3.332520e-01> : tensor<f16>
// CHECK-DAG:     %[[EXP:.+]] = nn.constant dense<[2.718750e+00, 2.012500e+01]> : tensor<2xbf16>
// CHECK-DAG:     %[[SUM:.+]] = nn.constant dense<[1.000000e+00, 4.000000e+00]> : tensor<2xf16>
// CHECK-NOT:     nn.{{add|div|exp}}
// CHECK:         return %[[ONE]], %[[THIRD_BF16]], %[[THIRD_F16]], %[[EXP]], %[[SUM]] :
func.func @fold_rounds_to_element_type() -> (tensor<bf16>, tensor<bf16>, tensor<f16>, tensor<2xbf16>, tensor<2xf16>) {
  %one = nn.constant dense<1.0> : tensor<bf16>
  %tiny = nn.constant dense<3.90625e-03> : tensor<bf16>
  %three = nn.constant dense<3.0> : tensor<bf16>
  %0 = nn.add %one, %tiny : (tensor<bf16>, tensor<bf16>) -> tensor<bf16>
  %1 = nn.div %one, %three : (tensor<bf16>, tensor<bf16>) -> tensor<bf16>
  %h1 = nn.constant dense<1.0> : tensor<f16>
  %h3 = nn.constant dense<3.0> : tensor<f16>
  %2 = nn.div %h1, %h3 : (tensor<f16>, tensor<f16>) -> tensor<f16>
  %e = nn.constant dense<[1.0, 3.0]> : tensor<2xbf16>
  %3 = nn.exp %e : tensor<2xbf16>
  // 1 + 2^-11 rounds to 1.0 in f16; 3 + 1 is exact.
  %a = nn.constant dense<[1.0, 3.0]> : tensor<2xf16>
  %b = nn.constant dense<[4.8828125e-04, 1.0]> : tensor<2xf16>
  %4 = nn.add %a, %b : (tensor<2xf16>, tensor<2xf16>) -> tensor<2xf16>
  return %0, %1, %2, %3, %4 : tensor<bf16>, tensor<bf16>, tensor<f16>, tensor<2xbf16>, tensor<2xf16>
}

// -----

//===----------------------------------------------------------------------===//
// Folds must keep the result type
//===----------------------------------------------------------------------===//

// A declared result type may be more (or less) static than the operand's: the
// verifier accepts any compatible type. Returning the operand would then
// change the type of the result, so these identities must not fold (as
// reshape, flatten, broadcast_to, slice and concat already check).
// CHECK-LABEL: func.func @identity_keeps_result_type
// CHECK-SAME:    (%[[X:.+]]: tensor<?x4xf32>, %[[Y:.+]]: tensor<3x4xf32>)
// CHECK:         %[[T:.+]] = nn.transpose %[[X]] [0, 1] : tensor<?x4xf32> -> tensor<3x4xf32>
// CHECK:         %[[U:.+]] = nn.transpose %[[Y]] [0, 1] : tensor<3x4xf32> -> tensor<?x4xf32>
// CHECK:         %[[P:.+]] = nn.pad %[[X]] [0, 0, 0, 0] : tensor<?x4xf32> -> tensor<3x4xf32>
// CHECK:         %[[MAX:.+]] = nn.maximum %[[X]], %[[X]] : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<3x4xf32>
// CHECK:         %[[MIN:.+]] = nn.minimum %[[X]], %[[X]] : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<3x4xf32>
// CHECK:         return %[[T]], %[[U]], %[[P]], %[[MAX]], %[[MIN]] :
func.func @identity_keeps_result_type(%x: tensor<?x4xf32>, %y: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<?x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) {
  %0 = nn.transpose %x [0, 1] : tensor<?x4xf32> -> tensor<3x4xf32>
  %1 = nn.transpose %y [0, 1] : tensor<3x4xf32> -> tensor<?x4xf32>
  %2 = nn.pad %x [0, 0, 0, 0] : tensor<?x4xf32> -> tensor<3x4xf32>
  %3 = nn.maximum %x, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<3x4xf32>
  %4 = nn.minimum %x, %x : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<3x4xf32>
  return %0, %1, %2, %3, %4 : tensor<3x4xf32>, tensor<?x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Folds must not lose precision in wide float types
//===----------------------------------------------------------------------===//

// f128 has 113 significant bits and exponents down to 2^-16382: 1 + 2^-100 is
// not 1, 2^-2000 is not 0 and 1 + 2^-100 is not an identity for mul (going
// through double would make all three so).
// CHECK-LABEL: func.func @f128_precision
// CHECK-SAME:    (%[[X:.+]]: tensor<2xf128>)
// CHECK-DAG:     %[[SUM:.+]] = nn.constant dense<1.00000000000000000000000000000078886> : tensor<f128>
// CHECK-DAG:     %[[TINY:.+]] = nn.constant dense<8.7098098162172166755761954947788723E-603> : tensor<2xf128>
// CHECK-DAG:     %[[NEAR_ONE:.+]] = nn.constant dense<1.00000000000000000000000000000078886> : tensor<2xf128>
// CHECK:         %[[ADD:.+]] = nn.add %[[X]], %[[TINY]]
// CHECK:         %[[MUL:.+]] = nn.mul %[[X]], %[[NEAR_ONE]]
// CHECK:         return %[[SUM]], %[[ADD]], %[[MUL]] :
func.func @f128_precision(%x: tensor<2xf128>) -> (tensor<f128>, tensor<2xf128>, tensor<2xf128>) {
  %one = nn.constant dense<1.0> : tensor<f128>
  // 2^-100
  %eps = nn.constant dense<0x3F9B0000000000000000000000000000> : tensor<f128>
  %0 = nn.add %one, %eps : (tensor<f128>, tensor<f128>) -> tensor<f128>
  // 2^-2000
  %tiny = nn.constant dense<0x382F0000000000000000000000000000> : tensor<2xf128>
  %1 = nn.add %x, %tiny : (tensor<2xf128>, tensor<2xf128>) -> tensor<2xf128>
  // 1 + 2^-100
  %near_one = nn.constant dense<0x3FFF0000000000000000000000001000> : tensor<2xf128>
  %2 = nn.mul %x, %near_one : (tensor<2xf128>, tensor<2xf128>) -> tensor<2xf128>
  return %0, %1, %2 : tensor<f128>, tensor<2xf128>, tensor<2xf128>
}
