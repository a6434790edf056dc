//===- OpSignature.h - what identifies a tunable op instance ----*- C++ -*-===//
//
// Part of Kiln. The tuning database is keyed by op signature + target +
// compiler version. A signature is canonical text for a linalg op instance,
// independent of value names and of where the op sits: its name, static loop
// ranges, iterator kinds, indexing maps and element types. Two ops with the
// same signature run the same loops over the same layouts, so the schedule
// tuned for one is the schedule for the other.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TUNING_OPSIGNATURE_H
#define KILN_TUNING_OPSIGNATURE_H

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"

#include <string>

namespace kiln::tuning {

/// Whether the tuner tunes `op`: a contraction (matmul-like; convolutions
/// are contractions after kiln-codegen-conv-to-im2col) on tensors with static
/// loop ranges, none of them 0, of int or float elements. For a GPU
/// (`gpu`), convolutions too: they keep their form there.
bool isTunable(mlir::linalg::LinalgOp op, bool gpu = false);

/// e.g. `linalg.matmul 64x784x512 [parallel, parallel, reduction]
/// (d0, d1, d2) -> (d0, d2), (d0, d1, d2) -> (d2, d1), (d0, d1, d2) -> (d0,
/// d1) f32, f32 -> f32`.
std::string opSignature(mlir::linalg::LinalgOp op);

/// A schedule as the database records it: the lowering_config's text.
std::string scheduleText(codegen::LoweringConfigAttr config);

/// The compiler part of a tuning key: Kiln's version, the version of code
/// generation's decisions (kCodegenDecisionsVersion) and LLVM's, e.g.
/// `kiln 0.1.0 codegen 2 llvm 22.1.8` (schedules tuned with another
/// compiler may no longer be the fastest).
std::string compilerVersionKey();

} // namespace kiln::tuning

#endif // KILN_TUNING_OPSIGNATURE_H
