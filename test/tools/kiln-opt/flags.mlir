// Standard mlir-opt flags work in kiln-opt with Kiln's passes.
// RUN: rm -rf %t && split-file %s %t

// --mlir-print-ir-after-all prints the IR after every pass, to stderr.
// RUN: kiln-opt %t/ok.mlir -nn-strip-dropout -canonicalize --mlir-print-ir-after-all -o /dev/null 2>&1 | FileCheck %s --check-prefix=DUMP
// DUMP:      // -----// IR Dump After NNStripDropout (nn-strip-dropout) //----- //
// DUMP-NEXT: module {
// DUMP-NOT:  nn.dropout
// DUMP:      nn.constant
// DUMP:      nn.add
// DUMP:      // -----// IR Dump After Canonicalizer (canonicalize) //----- //
// DUMP-NOT:  nn.add
// DUMP:      return

// --pass-pipeline, with passes nested on functions and pipeline options.
// RUN: kiln-opt %t/ok.mlir --pass-pipeline='builtin.module(nn-strip-dropout,func.func(canonicalize,nn-infer-shapes))' | FileCheck %s --check-prefix=PIPELINE
// RUN: kiln-opt %t/ok.mlir --pass-pipeline='builtin.module(kiln-nn-simplify{inference=true})' | FileCheck %s --check-prefix=PIPELINE
// PIPELINE-LABEL: func.func @f
// PIPELINE-SAME:    (%[[X:.+]]: tensor<4xf32>)
// PIPELINE-NEXT:    %[[R:.+]] = nn.relu %[[X]] : tensor<4xf32>
// PIPELINE-NEXT:    return %[[R]] : tensor<4xf32>
// RUN: kiln-opt %t/ok.mlir --pass-pipeline='builtin.module(kiln-nn-simplify{inference=false})' | FileCheck %s --check-prefix=TRAINING
// TRAINING-LABEL: func.func @f
// TRAINING:         nn.dropout

// --dump-pass-pipeline shows what the named pipeline expands to.
// RUN: kiln-opt %t/ok.mlir --pass-pipeline='builtin.module(kiln-nn-simplify)' --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=EXPANDED
// EXPANDED:      Pass Manager with 5 passes:
// EXPANDED-NEXT: builtin.module(
// EXPANDED-NEXT:   nn-strip-dropout,
// EXPANDED-NEXT:   canonicalize{{.*}},
// EXPANDED-NEXT:   func.func(
// EXPANDED-NEXT:     nn-infer-shapes
// EXPANDED-NEXT:   ),
// EXPANDED-NEXT:   canonicalize{{.*}},
// EXPANDED-NEXT:   cse
// EXPANDED-NEXT: )
// RUN: kiln-opt %t/ok.mlir --pass-pipeline='builtin.module(kiln-nn-simplify{inference=false})' --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=EXPANDED-TRAINING
// EXPANDED-TRAINING:      Pass Manager with 4 passes:
// EXPANDED-TRAINING-NOT:  nn-strip-dropout

// --split-input-file with --verify-diagnostics: each chunk is checked on its
// own, the expected diagnostics are matched, and the run succeeds.
// RUN: kiln-opt %t/diagnostics.mlir --split-input-file --verify-diagnostics
// A diagnostic that is not produced, or one that is not expected, fails.
// RUN: not kiln-opt %t/missing-diagnostic.mlir --split-input-file --verify-diagnostics 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: expected error "this diagnostic does not exist" was not produced
// RUN: not kiln-opt %t/unexpected-diagnostic.mlir --verify-diagnostics 2>&1 | FileCheck %s --check-prefix=UNEXPECTED
// UNEXPECTED: error: unexpected error: 'nn.relu' op operand #0 must be ranked tensor of floating-point values

//--- ok.mlir
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = nn.constant dense<0.0> : tensor<4xf32>
  %0 = nn.dropout %x ratio 0.2 : tensor<4xf32>
  %1 = nn.add %0, %zero : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = nn.relu %1 : tensor<4xf32>
  return %2 : tensor<4xf32>
}

//--- diagnostics.mlir
func.func @wrong_element_type(%x: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @below {{'nn.relu' op operand #0 must be ranked tensor of floating-point values}}
  %0 = nn.relu %x : tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @unknown_op(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @below {{custom op 'nn.frobnicate' is unknown}}
  %0 = nn.frobnicate %x : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// A valid chunk between invalid ones.
func.func @valid(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = nn.relu %x : tensor<2xf32>
  return %0 : tensor<2xf32>
}

//--- missing-diagnostic.mlir
func.func @valid(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @below {{this diagnostic does not exist}}
  %0 = nn.relu %x : tensor<2xf32>
  return %0 : tensor<2xf32>
}

//--- unexpected-diagnostic.mlir
func.func @wrong_element_type(%x: tensor<2xi32>) -> tensor<2xi32> {
  %0 = nn.relu %x : tensor<2xi32>
  return %0 : tensor<2xi32>
}
