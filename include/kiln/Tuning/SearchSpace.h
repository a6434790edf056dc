//===- SearchSpace.h - candidate schedules of a contraction -----*- C++ -*-===//
//
// Part of Kiln. The schedules kiln-tune considers for one contraction: a
// template of register and cache tile sizes, pruned first by what the target
// cannot run well (hard constraints: the register file, the caches), then by
// the loop sizes (tiles larger than their loop are the same schedule), then
// by what the user excludes (soft constraints, `--constraint "tile.m <=
// 64"`). Each step's size is reported.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TUNING_SEARCHSPACE_H
#define KILN_TUNING_SEARCHSPACE_H

#include "kiln/Target/CPU/ContractionConfig.h"

#include "llvm/Support/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace kiln::tuning {

/// The parameters constraints name: reg.m, reg.n (register tile), tile.m,
/// tile.n, tile.k (cache tile), pack, pack.a, pack.shared, parallel,
/// order.reg, order.cache and transposed (0 or 1).
llvm::ArrayRef<llvm::StringRef> parameterNames();

/// A user's constraint on one parameter: `NAME OP VALUE` with OP one of
/// <, <=, >, >=, ==, !=.
struct Constraint {
  std::string parameter;
  std::string comparison;
  int64_t value = 0;

  /// Parses `text`; the error names what is wrong and the parameters.
  static llvm::Expected<Constraint> parse(llvm::StringRef text);
  bool holds(const ContractionTiles &tiles) const;
};

/// One schedule of the space: its tiles and the lowering_config they make.
struct Candidate {
  ContractionTiles tiles;
  codegen::LoweringConfigAttr config;
};

/// The space of one contraction and the size after each pruning step
/// (("template", n), ("registers", n), ...).
struct SearchSpace {
  std::vector<Candidate> candidates;
  std::vector<std::pair<std::string, size_t>> steps;
};

/// The space of `op` (a tunable contraction) for `target`.
SearchSpace buildSearchSpace(mlir::linalg::LinalgOp op,
                             const CPUTargetDescription &target,
                             llvm::ArrayRef<Constraint> constraints);

} // namespace kiln::tuning

#endif // KILN_TUNING_SEARCHSPACE_H
