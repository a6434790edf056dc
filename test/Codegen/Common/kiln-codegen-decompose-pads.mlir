// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-decompose-pads))' | FileCheck %s

// A computed value: a loop over the channels fills only the border of the
// padded tensor (rows 0 and 5 whole, then columns 0-1 and 6
// of rows 1-4), before the value's producer, and the value is inserted
// into the interior after it (empty-tensor elimination, later, makes the
// producer write there). The tensor is small: the loop stays on one
// thread.
// CHECK-LABEL: func.func @pad
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x4x4xf32>)
// CHECK-DAG: %[[NEG_INF:.+]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.+]] = arith.constant 2 : index
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<1x2x6x7xf32>
// CHECK: %[[BORDER:.+]] = scf.for %[[C:[^ ]+]] = %[[C0]] to %[[C2]] step %[[C1]] iter_args(%[[T:.+]] = %[[EMPTY]])
// CHECK: tensor.extract_slice %[[T]][0, %[[C]], 0, 0] [1, 1, 1, 7] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%[[NEG_INF]] : f32)
// CHECK: tensor.extract_slice %{{.+}}[0, %[[C]], 5, 0] [1, 1, 1, 7] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%[[NEG_INF]] : f32)
// CHECK: tensor.extract_slice %{{.+}}[0, %[[C]], 1, 0] [1, 1, 4, 2] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%[[NEG_INF]] : f32)
// CHECK: tensor.extract_slice %{{.+}}[0, %[[C]], 1, 6] [1, 1, 4, 1] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%[[NEG_INF]] : f32)
// CHECK-NOT: linalg.fill
// CHECK: } {kiln_codegen.padding_border}
// CHECK: %[[Y:.+]] = arith.addf %[[X]], %[[X]]
// CHECK: %[[PADDED:.+]] = tensor.insert_slice %[[Y]] into %[[BORDER]][0, 0, 1, 2] [1, 2, 4, 4] [1, 1, 1, 1]
// CHECK-NOT: tensor.pad
// CHECK: return %[[PADDED]]
func.func @pad(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x6x7xf32> {
  %neg_inf = arith.constant 0xFF800000 : f32
  %y = arith.addf %x, %x : tensor<1x2x4x4xf32>
  %padded = tensor.pad %y low[0, 0, 1, 2] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %neg_inf : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x7xf32>
  return %padded : tensor<1x2x6x7xf32>
}

// -----

// A function argument has no producer to write into the padded tensor: the
// border loop also copies its channels in, a vector per row (here 32
// channels in 16 steps of 2, each row of 5 at column 1).
// CHECK-LABEL: func.func @pad_argument
// CHECK-SAME: (%[[X:.+]]: tensor<1x32x3x5xf32>)
// CHECK: %[[PADDED:.+]] = scf.for %[[C:[^ ]+]] = %{{.+}} to %{{.+}} step %[[STEP:[^ ]+]] iter_args
// CHECK-COUNT-4: linalg.fill
// CHECK: scf.for
// CHECK: scf.for %[[CC:[^ ]+]] = %{{.+}} to %[[STEP]]
// CHECK: scf.for %[[H:[^ ]+]] =
// CHECK: %[[CH:.+]] = arith.addi %[[C]], %[[CC]]
// CHECK: %[[HP:.+]] = arith.addi %[[H]], %{{.+}}
// CHECK: %[[ROW:.+]] = vector.transfer_read %[[X]][%{{.+}}, %[[CH]], %[[H]], %{{.+}}], %{{.+}} {in_bounds = [true]} : tensor<1x32x3x5xf32>, vector<5xf32>
// CHECK: vector.transfer_write %[[ROW]], %{{.+}}[%{{.+}}, %[[CH]], %[[HP]], %{{.+}}] {in_bounds = [true]} : vector<5xf32>, tensor<1x32x5x7xf32>
// CHECK: } {kiln_codegen.padding_border}
// CHECK-NOT: tensor.insert_slice %[[X]]
// CHECK: return %[[PADDED]]
func.func @pad_argument(%x: tensor<1x32x3x5xf32>) -> tensor<1x32x5x7xf32> {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x32x3x5xf32> to tensor<1x32x5x7xf32>
  return %padded : tensor<1x32x5x7xf32>
}

// -----

// Every dimension padded (no loop to distribute): a fill of the whole
// tensor and the insert.
// CHECK-LABEL: func.func @pad_every_dimension
// CHECK-SAME: (%[[X:.+]]: tensor<3x4xf32>)
// CHECK: %[[FILLED:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<5x6xf32>)
// CHECK: %[[PADDED:.+]] = tensor.insert_slice %[[X]] into %[[FILLED]][1, 1] [3, 4] [1, 1]
// CHECK-NOT: scf.for
// CHECK: return %[[PADDED]]
func.func @pad_every_dimension(%x: tensor<3x4xf32>) -> tensor<5x6xf32> {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[1, 1] high[1, 1] {
  ^bb0(%a: index, %b: index):
    tensor.yield %zero : f32
  } : tensor<3x4xf32> to tensor<5x6xf32>
  return %padded : tensor<5x6xf32>
}

// -----

// Channels last (the only unpadded dimension is the innermost): the border
// loop runs over it and the argument is inserted whole after it.
// CHECK-LABEL: func.func @pad_channels_last
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x3x8xf32>)
// CHECK: %[[BORDER:.+]] = scf.for
// CHECK-NOT: vector.transfer_read
// CHECK: } {kiln_codegen.padding_border}
// CHECK: %[[PADDED:.+]] = tensor.insert_slice %[[X]] into %[[BORDER]][0, 1, 1, 0] [1, 3, 3, 8] [1, 1, 1, 1]
// CHECK: return %[[PADDED]]
func.func @pad_channels_last(%x: tensor<1x3x3x8xf32>) -> tensor<1x5x5x8xf32> {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x3x3x8xf32> to tensor<1x5x5x8xf32>
  return %padded : tensor<1x5x5x8xf32>
}

// -----

// A pad whose config distributes its channels (the CPU heuristic's for a
// pad this large) is shared by the threads: its border loop (64 channels
// in steps of 4) is distributed.
// CHECK-LABEL: func.func @pad_large
// CHECK: scf.for %{{.+}} = %{{.+}} to %c64 step %c4
// CHECK: } {kiln_codegen.distributed, kiln_codegen.padding_border}
func.func @pad_large(%x: tensor<1x64x56x56xf32>) -> tensor<1x64x58x58xf32> {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } {lowering_config = #kiln_codegen.lowering_config<distribute = [1]>} : tensor<1x64x56x56xf32> to tensor<1x64x58x58xf32>
  return %padded : tensor<1x64x58x58xf32>
}

// -----

// Without a config, the same pad's border loop runs on one thread.
// CHECK-LABEL: func.func @pad_large_no_config
// CHECK: scf.for %{{.+}} = %{{.+}} to %c64 step %c4
// CHECK: } {kiln_codegen.padding_border}
func.func @pad_large_no_config(%x: tensor<1x64x56x56xf32>) -> tensor<1x64x58x58xf32> {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x64x56x56xf32> to tensor<1x64x58x58xf32>
  return %padded : tensor<1x64x58x58xf32>
}

// -----

// The config picks the dimension the loop walks: here the last (8
// elements, one by one), not the outermost unpadded one (64).
// CHECK-LABEL: func.func @pad_other_dimension
// CHECK: scf.for %{{.+}} = %{{.+}} to %c8 step %c1
// CHECK: } {kiln_codegen.distributed, kiln_codegen.padding_border}
func.func @pad_other_dimension(%x: tensor<1x64x56x8xf32>) -> tensor<1x64x58x8xf32> {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 0] high[0, 0, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } {lowering_config = #kiln_codegen.lowering_config<distribute = [3]>} : tensor<1x64x56x8xf32> to tensor<1x64x58x8xf32>
  return %padded : tensor<1x64x58x8xf32>
}

// -----

// An argument whose rows are longer than 1024 elements is not copied a row
// per vector (LLVM would split each into 128 registers' worth): it is
// inserted whole after the border loop.
// CHECK-LABEL: func.func @pad_long_rows
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x2x2048xf32>)
// CHECK: %[[BORDER:.+]] = scf.for
// CHECK-NOT: vector.transfer_read
// CHECK: } {kiln_codegen.padding_border}
// CHECK: tensor.insert_slice %[[X]] into %[[BORDER]][0, 0, 1, 1] [1, 2, 2, 2048] [1, 1, 1, 1]
func.func @pad_long_rows(%x: tensor<1x2x2x2048xf32>) -> tensor<1x2x4x2050xf32> {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x2x2048xf32> to tensor<1x2x4x2050xf32>
  return %padded : tensor<1x2x4x2050xf32>
}
