//===- SearchStrategy.cpp - the order candidates are measured in ----------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Tuning/SearchStrategy.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <set>

using namespace mlir;

namespace kiln::tuning {

SearchStrategy::~SearchStrategy() = default;

namespace {

/// Proposes candidates in a fixed order (the space's, or shuffled).
class FixedOrder : public SearchStrategy {
public:
  FixedOrder(size_t size, std::optional<unsigned> seed) : order(size) {
    std::iota(order.begin(), order.end(), 0);
    if (seed) {
      std::mt19937 rng(*seed);
      std::shuffle(order.begin(), order.end(), rng);
    }
  }
  std::optional<size_t> next() override {
    if (position == order.size())
      return std::nullopt;
    return order[position++];
  }
  void observe(size_t, double) override {}

private:
  std::vector<size_t> order;
  size_t position = 0;
};

/// What the cost model sees of a schedule, each feature scaled to [0, 1]
/// over the space.
using Features = std::vector<double>;

std::vector<Features> describe(const SearchSpace &space, linalg::LinalgOp op,
                               const CPUTargetDescription &target) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  linalg::ContractionDimensions dims = *linalg::inferContractionDims(op);
  auto loop = [&](ArrayRef<unsigned> group) -> double {
    return group.empty() ? 1 : ranges[group.back()];
  };
  double opM = loop(dims.m), opN = loop(dims.n), k = loop(dims.k);
  unsigned bits = getElementTypeOrSelf(op.getDpsInits().front().getType())
                      .getIntOrFloatBitWidth();
  double bytes = std::max(1u, bits / 8);
  double lanes = std::max(1u, target.vectorBits / std::max(bits, 8u));
  // The fraction of a loop's iterations spent in partial tiles.
  auto waste = [](double size, double tile) {
    tile = std::min(tile, size);
    return 1.0 - size / (std::ceil(size / tile) * tile);
  };
  std::vector<Features> all;
  for (const Candidate &c : space.candidates) {
    const ContractionTiles &t = c.tiles;
    // (A transposed candidate's tiles are the transposed op's: its m and n
    // are the op's n and m.)
    double m = t.transposed ? opN : opM, n = t.transposed ? opM : opN;
    double mc = std::min<double>(t.mc, m), nc = std::min<double>(t.nc, n),
           kc = std::min<double>(t.kc, k);
    all.push_back({
        double(t.mr),
        t.nr / lanes,
        std::log2(mc),
        std::log2(nc),
        std::log2(kc),
        double(t.pack),
        double(t.packA),
        double(t.distribute),
        double(t.nOuter),
        double(t.nkmCacheOrder),
        double(t.transposed),
        double(t.sharePacking),
        (t.mr * t.nr / lanes) / target.vectorRegisters,
        (mc * kc + kc * nc) * bytes / target.l2Bytes,
        kc * t.nr * bytes / target.l1DataBytes,
        waste(m, t.mr),
        waste(n, t.nr),
        waste(m, mc),
        waste(n, nc),
    });
  }
  // Scale every feature to [0, 1] so that none dominates the distance.
  if (!all.empty())
    for (size_t f = 0; f < all.front().size(); ++f) {
      double lo = INFINITY, hi = -INFINITY;
      for (const Features &x : all) {
        lo = std::min(lo, x[f]);
        hi = std::max(hi, x[f]);
      }
      for (Features &x : all)
        x[f] = hi > lo ? (x[f] - lo) / (hi - lo) : 0;
    }
  return all;
}

/// A schedule as the template's axes (cache tiles in register tiles), for
/// finding neighbours: a neighbour changes one axis, so that a larger
/// register tile keeps its cache tile's shape in register tiles.
using Parameters = std::array<int64_t, 12>;

Parameters parametersOf(const ContractionTiles &t) {
  return {t.mr,
          t.nr,
          t.mc / std::max<int64_t>(t.mr, 1),
          t.nc / std::max<int64_t>(t.nr, 1),
          t.kc,
          t.pack,
          t.packA,
          t.distribute,
          t.nOuter,
          t.nkmCacheOrder,
          t.transposed,
          t.sharePacking};
}

/// Model-guided search, evolutionary: proposals are the unmeasured
/// neighbours (one parameter changed) of the fastest schedules measured so
/// far, plus a random sample of the space; a cost model fitted to the
/// measurements so far (ridge regression of log time on the features, plus
/// the nearest neighbours' residuals) ranks them, and the one predicted
/// fastest is measured.
class Guided : public SearchStrategy {
public:
  Guided(const SearchSpace &space, std::vector<Features> features,
         unsigned seed)
      : features(std::move(features)), rng(seed),
        measured(this->features.size(), false) {
    for (auto [i, c] : llvm::enumerate(space.candidates)) {
      Parameters p = parametersOf(c.tiles);
      parameters.push_back(p);
      byParameters.insert({p, i});
      for (size_t f = 0; f < p.size(); ++f)
        values[f].insert(p[f]);
    }
  }

  std::optional<size_t> next() override {
    std::vector<size_t> open;
    for (size_t i = 0; i < features.size(); ++i)
      if (!measured[i] && !proposed.count(i))
        open.push_back(i);
    if (open.empty())
      return std::nullopt;
    // Explore: while nothing succeeded yet (the heuristic's schedule, which
    // the tuner measures first, is outside a constrained space), and one
    // pick in eight.
    std::uniform_int_distribution<size_t> pick(0, open.size() - 1);
    if (fastest(1).empty() || rng() % 8 == 0)
      return propose(open[pick(rng)]);
    std::set<size_t> proposals;
    for (size_t i : fastest(kParents))
      for (size_t f = 0; f < parameters[i].size(); ++f)
        for (int64_t v : values[f]) {
          Parameters p = parameters[i];
          p[f] = v;
          auto it = byParameters.find(p);
          if (it != byParameters.end() && !measured[it->second] &&
              !proposed.count(it->second))
            proposals.insert(it->second);
        }
    for (size_t j = 0; j < kRandomProposals; ++j)
      proposals.insert(open[pick(rng)]);
    size_t best = *proposals.begin();
    double bestPrediction = INFINITY;
    for (size_t i : proposals) {
      double p = predict(features[i]);
      if (p < bestPrediction) {
        bestPrediction = p;
        best = i;
      }
    }
    return propose(best);
  }

  void observe(size_t index, double seconds) override {
    measured[index] = true;
    // Failures count as slower than anything measured: the model steers
    // away from their neighbourhood without an infinite target.
    observations.push_back(
        {index, std::isfinite(seconds) ? std::log(seconds) : NAN});
    fit();
  }

private:
  static constexpr size_t kNeighbours = 3;
  static constexpr size_t kParents = 4;
  static constexpr size_t kRandomProposals = 256;
  /// How strongly the regression's weights are pulled to 0 (features are
  /// in [0, 1]; a few observations must not fit a steep line).
  static constexpr double kRidge = 1.0;

  size_t propose(size_t i) {
    proposed.insert(i);
    return i;
  }

  /// The `n` fastest measured candidates.
  std::vector<size_t> fastest(size_t n) const {
    std::vector<std::pair<double, size_t>> ok;
    for (const auto &[i, y] : observations)
      if (!std::isnan(y))
        ok.push_back({y, i});
    std::sort(ok.begin(), ok.end());
    std::vector<size_t> result;
    for (size_t j = 0; j < std::min(n, ok.size()); ++j)
      result.push_back(ok[j].second);
    return result;
  }

  /// Predicted log time of `x`: a ridge regression of log time on the
  /// features (which extrapolates trends, e.g. that more accumulators are
  /// faster, into parts of the space nothing was measured in yet) plus the
  /// distance-weighted mean residual of the nearest measured candidates
  /// (which learns what a line cannot). Failures count as slower than the
  /// slowest success.
  double predict(const Features &x) const {
    if (weights.empty()) // nothing ran yet
      return 0;
    double sum = 0;
    for (size_t f = 0; f < x.size(); ++f)
      sum += weights[f] * x[f];
    double linear = sum + intercept;
    std::vector<std::pair<double, double>> near; // (distance, residual)
    for (auto [i, residual] : residuals) {
      double d = 0;
      for (size_t f = 0; f < x.size(); ++f)
        d += (x[f] - features[i][f]) * (x[f] - features[i][f]);
      near.push_back({std::sqrt(d), residual});
    }
    size_t k = std::min(kNeighbours, near.size());
    std::partial_sort(near.begin(), near.begin() + k, near.end());
    double total = 0, correction = 0;
    for (size_t j = 0; j < k; ++j) {
      double w = 1 / (near[j].first + 1e-3);
      total += w;
      correction += w * near[j].second;
    }
    return linear + (total > 0 ? correction / total : 0);
  }

  /// Refits the regression to the observations so far.
  void fit() {
    double worst = -INFINITY;
    for (const auto &[i, y] : observations)
      if (!std::isnan(y))
        worst = std::max(worst, y);
    if (!std::isfinite(worst))
      return;
    std::vector<std::pair<size_t, double>> data;
    for (const auto &[i, y] : observations)
      data.push_back({i, std::isnan(y) ? worst + 1 : y});
    size_t n = features.front().size();
    double mean = 0;
    for (const auto &[i, y] : data)
      mean += y;
    mean /= data.size();
    // Normal equations of ridge regression on centred targets: (X^T X +
    // lambda I) w = X^T (y - mean), solved by Gaussian elimination (n is
    // ~16).
    std::vector<std::vector<double>> a(n, std::vector<double>(n + 1, 0));
    for (const auto &[i, y] : data)
      for (size_t r = 0; r < n; ++r) {
        for (size_t c = 0; c < n; ++c)
          a[r][c] += features[i][r] * features[i][c];
        a[r][n] += features[i][r] * (y - mean);
      }
    for (size_t r = 0; r < n; ++r)
      a[r][r] += kRidge;
    for (size_t c = 0; c < n; ++c) {
      size_t pivot = c;
      for (size_t r = c + 1; r < n; ++r)
        if (std::fabs(a[r][c]) > std::fabs(a[pivot][c]))
          pivot = r;
      std::swap(a[c], a[pivot]);
      for (size_t r = 0; r < n; ++r) {
        if (r == c || a[c][c] == 0)
          continue;
        double factor = a[r][c] / a[c][c];
        for (size_t k = c; k <= n; ++k)
          a[r][k] -= factor * a[c][k];
      }
    }
    weights.assign(n, 0);
    for (size_t r = 0; r < n; ++r)
      weights[r] = a[r][r] != 0 ? a[r][n] / a[r][r] : 0;
    intercept = mean;
    residuals.clear();
    for (const auto &[i, y] : data) {
      double sum = intercept;
      for (size_t f = 0; f < n; ++f)
        sum += weights[f] * features[i][f];
      residuals.push_back({i, y - sum});
    }
  }

  std::vector<Features> features;
  std::vector<Parameters> parameters;
  std::map<Parameters, size_t> byParameters;
  std::array<std::set<int64_t>, std::tuple_size<Parameters>::value> values;
  std::mt19937 rng;
  std::vector<bool> measured;
  std::set<size_t> proposed;
  std::vector<std::pair<size_t, double>> observations;
  // The regression: log time ~ weights . features + intercept, and each
  // observation's residual.
  std::vector<double> weights;
  double intercept = 0;
  std::vector<std::pair<size_t, double>> residuals;
};

} // namespace

std::unique_ptr<SearchStrategy>
makeSearchStrategy(StrategyKind kind, const SearchSpace &space,
                   linalg::LinalgOp op, const CPUTargetDescription &target,
                   unsigned seed) {
  switch (kind) {
  case StrategyKind::Exhaustive:
    return std::make_unique<FixedOrder>(space.candidates.size(), std::nullopt);
  case StrategyKind::Random:
    return std::make_unique<FixedOrder>(space.candidates.size(), seed);
  case StrategyKind::Guided:
    return std::make_unique<Guided>(space, describe(space, op, target), seed);
  }
  return nullptr;
}

} // namespace kiln::tuning
