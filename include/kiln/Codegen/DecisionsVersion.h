//===- DecisionsVersion.h - the version of codegen's decisions --*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_DECISIONSVERSION_H
#define KILN_CODEGEN_DECISIONSVERSION_H

namespace kiln {

/// The version of code generation's decisions: the heuristic's schedules,
/// what the passes make of a schedule, the pipeline's order. Tuning
/// databases key every measurement by it (with Kiln's and LLVM's versions:
/// tuning::compilerVersionKey), so that a schedule measured with other
/// decisions is not served as if it were still as fast. Increment it in
/// every change that may change the code generated for some op with some
/// schedule, or the heuristic's schedule of some op; a pure refactoring
/// (the same IR at every stage) keeps it.
inline constexpr int kCodegenDecisionsVersion = 2;

} // namespace kiln

#endif // KILN_CODEGEN_DECISIONSVERSION_H
