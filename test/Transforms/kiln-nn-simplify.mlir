// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-nn-simplify)' -split-input-file | FileCheck %s --check-prefixes=CHECK,INFER
// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-nn-simplify{inference=true})' -split-input-file | FileCheck %s --check-prefixes=CHECK,INFER
// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-nn-simplify{inference=false})' -split-input-file | FileCheck %s --check-prefixes=CHECK,TRAIN

// For inference (the default) dropout goes first, so that canonicalization
// sees through it; for training it stays.
// CHECK-LABEL: func.func @dropout
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf32>)
// INFER-NOT:     nn.
// INFER:         return %[[X]] : tensor<4xf32>
// TRAIN:         %[[A:.+]] = nn.neg %[[X]] : tensor<4xf32>
// TRAIN-NEXT:    %[[D:.+]] = nn.dropout %[[A]] ratio 1.000000e-01 : tensor<4xf32>
// TRAIN-NEXT:    %[[B:.+]] = nn.neg %[[D]] : tensor<4xf32>
// TRAIN-NEXT:    return %[[B]] : tensor<4xf32>
func.func @dropout(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.neg %x : tensor<4xf32>
  %1 = nn.dropout %0 ratio 0.1 : tensor<4xf32>
  %2 = nn.neg %1 : tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// A dropout with ratio 0 folds away in both modes.
// CHECK-LABEL: func.func @dropout_ratio_zero
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf32>)
// CHECK-NEXT:    %[[R:.+]] = nn.relu %[[X]]
// CHECK-NEXT:    return %[[R]]
func.func @dropout_ratio_zero(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.dropout %x ratio 0.0 : tensor<4xf32>
  %1 = nn.relu %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// x + 0 only folds once nn-infer-shapes has refined x's type to the result
// type; the second canonicalization does it.
// CHECK-LABEL: func.func @fold_after_refinement
// CHECK-SAME:    (%[[X:.+]]: tensor<1x8xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %[[R:.+]] = nn.reshape %[[X]] [2, -1] : tensor<1x8xf32> -> tensor<2x4xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x4xf32>
func.func @fold_after_refinement(%x: tensor<1x8xf32>) -> tensor<2x4xf32> {
  %zero = nn.constant dense<0.0> : tensor<2x4xf32>
  %0 = nn.reshape %x [2, -1] : tensor<1x8xf32> -> tensor<?x?xf32>
  %1 = nn.add %0, %zero : (tensor<?x?xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %1 : tensor<2x4xf32>
}

// -----

// Refinement keeps the signature: the return reads a cast back to the old type.
// CHECK-LABEL: func.func @signature_kept
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>) -> tensor<?x?xf32>
// CHECK-NEXT:    %[[R:.+]] = nn.reshape %[[X]] [6, -1] : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK-NEXT:    %[[C:.+]] = tensor.cast %[[R]] : tensor<6x4xf32> to tensor<?x?xf32>
// CHECK-NEXT:    return %[[C]] : tensor<?x?xf32>
func.func @signature_kept(%x: tensor<2x3x4xf32>) -> tensor<?x?xf32> {
  %0 = nn.reshape %x [24] : tensor<2x3x4xf32> -> tensor<?xf32>
  %1 = nn.reshape %0 [6, -1] : tensor<?xf32> -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}

// -----

// CSE merges identical ops, including those that become identical after
// folding.
// CHECK-LABEL: func.func @cse
// CHECK-SAME:    (%[[X:.+]]: tensor<2x4xf32>)
// CHECK-NEXT:    %[[R:.+]] = nn.relu %[[X]]
// CHECK-NEXT:    %[[S:.+]] = nn.sigmoid %[[X]]
// CHECK-NEXT:    %[[A:.+]] = nn.add %[[R]], %[[S]]
// CHECK-NEXT:    return %[[A]], %[[A]] :
func.func @cse(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %0 = nn.relu %x : tensor<2x4xf32>
  %1 = nn.relu %x : tensor<2x4xf32>
  %one = nn.constant dense<1.0> : tensor<2x4xf32>
  %m = nn.mul %x, %one : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %2 = nn.sigmoid %m : tensor<2x4xf32>
  %3 = nn.sigmoid %x : tensor<2x4xf32>
  %4 = nn.add %0, %2 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %5 = nn.add %1, %3 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %4, %5 : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// Constants fold through a whole chain.
// CHECK-LABEL: func.func @constant_chain
// CHECK-NEXT:    %[[C:.+]] = nn.constant dense<{{\[}}[2.000000e+00, 4.000000e+00], [3.000000e+00, 5.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT:    return %[[C]]
func.func @constant_chain() -> tensor<2x2xf32> {
  %c = nn.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %one = nn.constant dense<1.0> : tensor<f32>
  %0 = nn.reshape %c [2, 2] : tensor<4xf32> -> tensor<2x2xf32>
  %1 = nn.transpose %0 [1, 0] : tensor<2x2xf32> -> tensor<2x2xf32>
  %2 = nn.add %1, %one : (tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xf32>
  return %2 : tensor<2x2xf32>
}

// -----

// Frontends declare `?` result sizes. Identities whose result type is less
// static than their operand may only fold once nn-infer-shapes has made the
// types equal: the pipeline must produce valid IR, with casts back to the
// declared types at the return.
// CHECK-LABEL: func.func @identities_with_dynamic_results
// CHECK-SAME:    (%[[X:.+]]: tensor<1x8xf32>, %[[Y:.+]]: tensor<2x3xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>)
// CHECK-NEXT:    %[[R:.+]] = nn.relu %[[X]] : tensor<1x8xf32>
// CHECK-NEXT:    %[[RC:.+]] = tensor.cast %[[R]] : tensor<1x8xf32> to tensor<?x?xf32>
// CHECK-NEXT:    %[[YC:.+]] = tensor.cast %[[Y]] : tensor<2x3xf32> to tensor<?x?xf32>
// CHECK-NEXT:    %[[A:.+]] = nn.add %[[Y]], %[[Y]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[AC:.+]] = tensor.cast %[[A]] : tensor<2x3xf32> to tensor<?x?xf32>
// CHECK-NEXT:    return %[[RC]], %[[YC]], %[[AC]] :
func.func @identities_with_dynamic_results(%x: tensor<1x8xf32>, %y: tensor<2x3xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = nn.pad %x [0, 0, 0, 0] : tensor<1x8xf32> -> tensor<?x?xf32>
  %1 = nn.relu %0 : tensor<?x?xf32>
  %2 = nn.transpose %y [0, 1] : tensor<2x3xf32> -> tensor<?x?xf32>
  %3 = nn.maximum %y, %y : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<?x3xf32>
  %4 = nn.add %2, %3 : (tensor<?x?xf32>, tensor<?x3xf32>) -> tensor<?x?xf32>
  return %1, %2, %4 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}
