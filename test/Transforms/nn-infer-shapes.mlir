// RUN: kiln-opt %s --pass-pipeline='builtin.module(func.func(nn-infer-shapes))' -split-input-file | FileCheck %s

// Pass behaviour only; the inference rules of each op are tested in
// test/Dialect/NN/infer-shapes.mlir.

// Refined types propagate down a chain in one walk. nn users see the refined
// value; users from other dialects, func.return included, see the old type
// through one tensor.cast per value, so the signature does not change.
// CHECK-LABEL: func.func @refine
// CHECK-SAME:    (%[[X:.+]]: tensor<1x8xf32>) -> (tensor<?x?xf32>, tensor<?xf32>, index)
// CHECK:         %[[R:.+]] = nn.reshape %[[X]] [2, -1] : tensor<1x8xf32> -> tensor<2x4xf32>
// CHECK-NEXT:    %[[RC:.+]] = tensor.cast %[[R]] : tensor<2x4xf32> to tensor<?x?xf32>
// CHECK-NEXT:    %[[S:.+]] = nn.sigmoid %[[R]] : tensor<2x4xf32>
// CHECK-NEXT:    %[[F:.+]] = nn.reshape %[[S]] [-1] : tensor<2x4xf32> -> tensor<8xf32>
// CHECK-NEXT:    %[[FC:.+]] = tensor.cast %[[F]] : tensor<8xf32> to tensor<?xf32>
// CHECK-NOT:     tensor.cast
// CHECK:         %[[D0:.+]] = tensor.dim %[[RC]], %{{.+}} : tensor<?x?xf32>
// CHECK:         %[[D1:.+]] = tensor.dim %[[RC]], %{{.+}} : tensor<?x?xf32>
// CHECK:         %[[SUM:.+]] = arith.addi %[[D0]], %[[D1]]
// CHECK:         return %[[RC]], %[[FC]], %[[SUM]] : tensor<?x?xf32>, tensor<?xf32>, index
func.func @refine(%x: tensor<1x8xf32>) -> (tensor<?x?xf32>, tensor<?xf32>, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %0 = nn.reshape %x [2, -1] : tensor<1x8xf32> -> tensor<?x?xf32>
  %1 = nn.sigmoid %0 : tensor<?x?xf32>
  %2 = nn.reshape %1 [-1] : tensor<?x?xf32> -> tensor<?xf32>
  %d0 = tensor.dim %0, %c0 : tensor<?x?xf32>
  %d1 = tensor.dim %0, %c1 : tensor<?x?xf32>
  %sum = arith.addi %d0, %d1 : index
  return %0, %2, %sum : tensor<?x?xf32>, tensor<?xf32>, index
}

// -----

// A value used only by nn ops gets no cast.
// CHECK-LABEL: func.func @nn_users_only
// CHECK-SAME:    (%[[X:.+]]: tensor<1x8xf32>) -> tensor<2x4xf32>
// CHECK-NOT:     tensor.cast
// CHECK:         %[[R:.+]] = nn.reshape %[[X]] [2, -1] : tensor<1x8xf32> -> tensor<2x4xf32>
// CHECK-NEXT:    %[[T:.+]] = nn.tanh %[[R]] : tensor<2x4xf32>
// CHECK-NEXT:    %[[S:.+]] = nn.reshape %[[T]] [2, 4] : tensor<2x4xf32> -> tensor<2x4xf32>
// CHECK-NEXT:    return %[[S]] : tensor<2x4xf32>
func.func @nn_users_only(%x: tensor<1x8xf32>) -> tensor<2x4xf32> {
  %0 = nn.reshape %x [2, -1] : tensor<1x8xf32> -> tensor<?x?xf32>
  %1 = nn.tanh %0 : tensor<?x?xf32>
  %2 = nn.reshape %1 [2, 4] : tensor<?x?xf32> -> tensor<2x4xf32>
  return %2 : tensor<2x4xf32>
}

// -----

// Already static: nothing changes.
// CHECK-LABEL: func.func @already_static
// CHECK-SAME:    (%[[X:.+]]: tensor<1x8xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %[[R:.+]] = nn.reshape %[[X]] [2, 4] : tensor<1x8xf32> -> tensor<2x4xf32>
// CHECK-NEXT:    return %[[R]]
func.func @already_static(%x: tensor<1x8xf32>) -> tensor<2x4xf32> {
  %0 = nn.reshape %x [2, 4] : tensor<1x8xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Callers are unaffected: the callee keeps its signature.
// CHECK-LABEL: func.func @callee
// CHECK-SAME:    -> tensor<?x?xf32>
// CHECK:         %[[R:.+]] = nn.reshape %{{.+}} [2, -1] : tensor<1x8xf32> -> tensor<2x4xf32>
// CHECK-NEXT:    %[[C:.+]] = tensor.cast %[[R]] : tensor<2x4xf32> to tensor<?x?xf32>
// CHECK-NEXT:    return %[[C]] : tensor<?x?xf32>
// CHECK-LABEL: func.func @caller
// CHECK:         call @callee(%{{.+}}) : (tensor<1x8xf32>) -> tensor<?x?xf32>
func.func @callee(%x: tensor<1x8xf32>) -> tensor<?x?xf32> {
  %0 = nn.reshape %x [2, -1] : tensor<1x8xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}
func.func @caller(%x: tensor<1x8xf32>) -> tensor<?x?xf32> {
  %0 = func.call @callee(%x) : (tensor<1x8xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// Several returns that refine differently each get their own cast.
// CHECK-LABEL: func.func @two_returns
// CHECK-SAME:    -> tensor<?x?xf32>
// CHECK:         %[[A:.+]] = nn.reshape %{{.+}} [2, -1] : tensor<1x8xf32> -> tensor<2x4xf32>
// CHECK-NEXT:    %[[AC:.+]] = tensor.cast %[[A]] : tensor<2x4xf32> to tensor<?x?xf32>
// CHECK-NEXT:    return %[[AC]] : tensor<?x?xf32>
// CHECK:         %[[B:.+]] = nn.reshape %{{.+}} [4, -1] : tensor<1x8xf32> -> tensor<4x2xf32>
// CHECK-NEXT:    %[[BC:.+]] = tensor.cast %[[B]] : tensor<4x2xf32> to tensor<?x?xf32>
// CHECK-NEXT:    return %[[BC]] : tensor<?x?xf32>
func.func @two_returns(%c: i1, %x: tensor<1x8xf32>) -> tensor<?x?xf32> {
  cf.cond_br %c, ^a, ^b
^a:
  %0 = nn.reshape %x [2, -1] : tensor<1x8xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
^b:
  %1 = nn.reshape %x [4, -1] : tensor<1x8xf32> -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}

// -----

// Values yielded out of a region are non-nn uses too: the region's result
// type stays.
// CHECK-LABEL: func.func @yielded
// CHECK:         scf.if
// CHECK:           %[[R:.+]] = nn.reshape %{{.+}} [2, -1] : tensor<1x8xf32> -> tensor<2x4xf32>
// CHECK-NEXT:      %[[C:.+]] = tensor.cast %[[R]] : tensor<2x4xf32> to tensor<?x4xf32>
// CHECK-NEXT:      scf.yield %[[C]] : tensor<?x4xf32>
func.func @yielded(%c: i1, %x: tensor<1x8xf32>, %y: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = scf.if %c -> tensor<?x4xf32> {
    %r = nn.reshape %x [2, -1] : tensor<1x8xf32> -> tensor<?x4xf32>
    scf.yield %r : tensor<?x4xf32>
  } else {
    scf.yield %y : tensor<?x4xf32>
  }
  return %0 : tensor<?x4xf32>
}
