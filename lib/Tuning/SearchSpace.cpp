//===- SearchSpace.cpp - candidate schedules of a contraction -------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Tuning/SearchSpace.h"

#include "kiln/Codegen/TransposedContraction.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace kiln::tuning {

static const llvm::StringRef kParameters[] = {
    "reg.m",    "reg.n",     "tile.m",      "tile.n",
    "tile.k",   "pack",      "pack.a",      "pack.shared",
    "parallel", "order.reg", "order.cache", "transposed"};

llvm::ArrayRef<llvm::StringRef> parameterNames() { return kParameters; }

static int64_t parameterValue(const ContractionTiles &t, llvm::StringRef name) {
  return llvm::StringSwitch<int64_t>(name)
      .Case("reg.m", t.mr)
      .Case("reg.n", t.nr)
      .Case("tile.m", t.mc)
      .Case("tile.n", t.nc)
      .Case("tile.k", t.kc)
      .Case("pack", t.pack)
      .Case("pack.a", t.packA)
      .Case("pack.shared", t.sharePacking)
      .Case("parallel", t.distribute)
      .Case("order.reg", t.nOuter)
      .Case("order.cache", t.nkmCacheOrder)
      .Case("transposed", t.transposed)
      .Default(0);
}

llvm::Expected<Constraint> Constraint::parse(llvm::StringRef text) {
  auto error = [&](const llvm::Twine &why) {
    std::string names;
    for (llvm::StringRef name : kParameters)
      names += (names.empty() ? "" : ", ") + name.str();
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "constraint '" + text + "': " + why + " (expected NAME OP VALUE, " +
            "NAME one of " + names + ", OP one of < <= > >= == !=)");
  };
  llvm::StringRef rest = text.trim();
  size_t opStart = rest.find_first_of("<>=!");
  if (opStart == llvm::StringRef::npos)
    return error("no comparison");
  Constraint c;
  c.parameter = rest.take_front(opStart).trim().str();
  rest = rest.drop_front(opStart);
  for (llvm::StringRef op : {"<=", ">=", "==", "!=", "<", ">"})
    if (rest.consume_front(op)) {
      c.comparison = op.str();
      break;
    }
  if (c.comparison.empty())
    return error("unknown comparison");
  if (!llvm::is_contained(kParameters, c.parameter))
    return error("unknown parameter '" + c.parameter + "'");
  if (rest.trim().getAsInteger(10, c.value))
    return error("'" + rest.trim() + "' is not an integer");
  return c;
}

bool Constraint::holds(const ContractionTiles &tiles) const {
  int64_t v = parameterValue(tiles, parameter);
  if (comparison == "<")
    return v < value;
  if (comparison == "<=")
    return v <= value;
  if (comparison == ">")
    return v > value;
  if (comparison == ">=")
    return v >= value;
  if (comparison == "==")
    return v == value;
  return v != value;
}

/// The candidates of `op` after the target's constraints, pruning steps
/// counted into `steps`; `transposed` marks them (their op is then the
/// transposed form of the one tuned).
static std::vector<Candidate>
targetCandidates(linalg::LinalgOp op, const CPUTargetDescription &target,
                 bool transposed,
                 std::vector<std::pair<std::string, size_t>> &steps) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  linalg::ContractionDimensions dims = *linalg::inferContractionDims(op);
  unsigned bits = getElementTypeOrSelf(op.getDpsInits().front().getType())
                      .getIntOrFloatBitWidth();
  int64_t bytes = std::max(1u, bits / 8);
  int64_t lanes = std::max(1u, target.vectorBits / std::max(bits, 8u));

  // The template.
  std::vector<ContractionTiles> all;
  for (int64_t mr = 1; mr <= 16; ++mr)
    // (Not 3 vectors: LLVM legalizes a 3-vector type by widening and
    // splitting it, and a 3-vector register tile's FMAs and loads became
    // lane extracts, inserts and stack traffic, ~30x slower than 2 or 4
    // vectors on ResNet-18's 7x7 layer: every such candidate was a wasted
    // measurement.)
    for (int64_t nv : {1, 2, 4})
      for (int64_t mBlocks : {4, 8, 16, 32})
        for (int64_t nBlocks : {1, 2, 4, 8, 16})
          for (int64_t kc : {64, 128, 256, 512})
            for (bool pack : {true, false})
              for (bool packA : {false, true})
                for (bool distribute : {true, false})
                  for (bool nOuter : {false, true})
                    for (bool nkm : {false, true}) {
                      ContractionTiles t;
                      t.mr = mr;
                      t.nr = nv * lanes;
                      t.mc = mBlocks * mr;
                      t.nc = nBlocks * t.nr;
                      t.kc = kc;
                      t.pack = pack;
                      t.packA = packA;
                      t.distribute = distribute;
                      t.nOuter = nOuter;
                      t.nkmCacheOrder = nkm;
                      t.transposed = transposed;
                      // (A convolution's n tiles start on output rows.)
                      alignToPatchRows(op, ranges, dims, lanes, t);
                      all.push_back(t);
                    }
  // A convolution's product: packing its patch tiles before the threads
  // start shared by them, or not.
  if (llvm::any_of(op.getDpsInputs(), [](Value v) {
        return v.getDefiningOp<codegen::Im2ColOp>() != nullptr;
      })) {
    size_t shared = all.size();
    for (size_t i = 0; i < shared; ++i) {
      all.push_back(all[i]);
      all.back().sharePacking = false;
    }
  }
  steps.push_back({"template", all.size()});

  // Hard constraints of the target. The accumulators (mr x nr), one row of
  // B (nr) and an A broadcast live in vector registers.
  auto keep = [&](llvm::StringRef step, auto predicate) {
    llvm::erase_if(all,
                   [&](const ContractionTiles &t) { return !predicate(t); });
    steps.push_back({step.str(), all.size()});
  };
  keep("registers", [&](const ContractionTiles &t) {
    int64_t vectors = t.nr / lanes;
    return t.mr * vectors + vectors + 1 <= int64_t(target.vectorRegisters);
  });
  // The FMAs of a register tile's k step are independent only across its
  // accumulators: with fewer than the FMA pipes x their latency (2 x 4 on
  // the x86-64 and AArch64 cores Kiln targets) in flight, the pipes idle.
  // (Unless the op's m and n loops are too small to give that many.)
  auto extent = [&](llvm::ArrayRef<unsigned> group) -> int64_t {
    return group.empty() || ShapedType::isDynamic(ranges[group.back()])
               ? INT64_MAX / 2
               : ranges[group.back()];
  };
  int64_t rows = extent(dims.m),
          vectors = llvm::divideCeil(extent(dims.n), lanes);
  constexpr int64_t kFMAsInFlight = 8;
  keep("FMA latency", [&](const ContractionTiles &t) {
    int64_t accumulators =
        std::min(t.mr, rows) * std::min(t.nr / lanes, vectors);
    return accumulators >=
           std::min(kFMAsInFlight, rows * std::min<int64_t>(vectors, 4));
  });
  // A's mc x kc panel and B's kc x nc panel share L2; the kc x nr strip of
  // B a register tile streams stays in L1.
  keep("caches", [&](const ContractionTiles &t) {
    return (t.mc * t.kc + t.kc * t.nc) * bytes <= target.l2Bytes &&
           t.kc * t.nr * bytes <= target.l1DataBytes;
  });
  std::vector<Candidate> candidates;
  for (const ContractionTiles &t : all)
    candidates.push_back({t, buildContractionConfig(op, ranges, dims, t)});
  return candidates;
}

/// Adds the step counts of `more` to those of `steps` (the same steps).
static void addSteps(std::vector<std::pair<std::string, size_t>> &steps,
                     const std::vector<std::pair<std::string, size_t>> &more) {
  for (auto [step, added] : llvm::zip(steps, more))
    step.second += added.second;
}

SearchSpace buildSearchSpace(linalg::LinalgOp op,
                             const CPUTargetDescription &target,
                             llvm::ArrayRef<Constraint> constraints) {
  SearchSpace space;
  std::vector<Candidate> all =
      targetCandidates(op, target, /*transposed=*/false, space.steps);
  // A convolution's product may also be computed positions-major: the
  // transposed op's schedules, built on it (TransposedContraction.h).
  if (codegen::canTranspose(op)) {
    std::vector<std::pair<std::string, size_t>> steps;
    codegen::withTransposedProduct(op, [&](linalg::LinalgOp product) {
      for (Candidate &c :
           targetCandidates(product, target, /*transposed=*/true, steps)) {
        c.config = c.config.withTransposed(true);
        all.push_back(c);
      }
    });
    addSteps(space.steps, steps);
  }
  // Tiles are cut to their loops: schedules that then coincide are one.
  llvm::StringSet<> seen;
  for (Candidate &c : all) {
    std::string key;
    llvm::raw_string_ostream os(key);
    os << c.config;
    if (seen.insert(key).second)
      space.candidates.push_back(c);
  }
  space.steps.push_back({"distinct for these loops", space.candidates.size()});
  if (!constraints.empty()) {
    llvm::erase_if(space.candidates, [&](const Candidate &c) {
      return llvm::any_of(constraints, [&](const Constraint &constraint) {
        return !constraint.holds(c.tiles);
      });
    });
    space.steps.push_back({"user constraints", space.candidates.size()});
  }
  return space;
}

} // namespace kiln::tuning
