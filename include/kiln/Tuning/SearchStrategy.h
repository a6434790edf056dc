//===- SearchStrategy.h - the order candidates are measured in --*- C++ -*-===//
//
// Part of Kiln. kiln-tune asks its strategy for the next candidate of a
// pruned search space and tells it each result:
//  - exhaustive: every candidate, in the space's order;
//  - random: a seeded random order;
//  - guided: evolutionary proposals (the neighbours of the fastest schedules
//    measured so far, one parameter changed, and a random sample) ranked by
//    a cost model trained online on the measurements (times of the nearest
//    measured schedules in a feature space of tile shapes, register and
//    cache use, partial-tile waste); the most promising is measured next. A
//    few random picks first, and now and then, keep it from settling early.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TUNING_SEARCHSTRATEGY_H
#define KILN_TUNING_SEARCHSTRATEGY_H

#include "kiln/Tuning/SearchSpace.h"

#include <memory>
#include <optional>

namespace kiln::tuning {

class SearchStrategy {
public:
  virtual ~SearchStrategy();
  /// The index of the next candidate to measure; none when every candidate
  /// has been proposed.
  virtual std::optional<size_t> next() = 0;
  /// The median time of candidate `index`; infinity when it failed, was
  /// wrong or timed out. Also called for candidates measured by an earlier
  /// run (from the database).
  virtual void observe(size_t index, double seconds) = 0;
};

enum class StrategyKind { Exhaustive, Random, Guided };

/// A strategy over `space`, the candidate schedules of `op` for `target`.
std::unique_ptr<SearchStrategy>
makeSearchStrategy(StrategyKind kind, const SearchSpace &space,
                   mlir::linalg::LinalgOp op,
                   const CPUTargetDescription &target, unsigned seed);

} // namespace kiln::tuning

#endif // KILN_TUNING_SEARCHSTRATEGY_H
