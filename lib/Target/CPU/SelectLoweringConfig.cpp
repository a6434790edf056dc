//===- SelectLoweringConfig.cpp - tile sizes from the target description --===//
//
// Part of Kiln. The heuristic half of "decisions as attributes": it writes
// lowering_config attributes; kiln-codegen-tile and kiln-cpu-vectorize read
// them.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Codegen/PadBorders.h"
#include "kiln/Codegen/ReshapedConstants.h"
#include "kiln/Codegen/TransposedContraction.h"
#include "kiln/Target/CPU/ContractionConfig.h"
#include "kiln/Target/CPU/Passes.h"
#include "kiln/Target/CPU/TargetDescription.h"
#include "kiln/Target/CPU/TileLevels.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/MathExtras.h"

#include <numeric>

namespace kiln {
#define GEN_PASS_DEF_KILNCPUSELECTLOWERINGCONFIG
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;

/// The tile of a loop of `size` for a preferred tile `preferred`: no larger
/// than the loop (a loop shorter than the preferred tile is one tile).
static int64_t fitTile(int64_t size, int64_t preferred) {
  if (ShapedType::isDynamic(size))
    return preferred;
  return std::min(preferred, size);
}

/// A cache tile for a loop of `size`, a multiple of `reg` within 25% of
/// `preferred`, that leaves the smallest partial last tile: that tile runs
/// after the distributed full ones, on one thread (at 1024 rows and 6-row
/// register tiles, 96-row tiles leave 64 rows, 102-row tiles 4).
static int64_t evenTile(int64_t size, int64_t reg, int64_t preferred) {
  if (ShapedType::isDynamic(size) || size <= preferred || reg <= 0)
    return preferred;
  int64_t best = preferred, bestRest = size % preferred;
  for (int64_t tile = (preferred * 3 / 4 + reg - 1) / reg * reg;
       tile <= preferred * 5 / 4; tile += reg) {
    int64_t rest = size % tile;
    if (rest < bestRest ||
        (rest == bestRest &&
         std::abs(tile - preferred) < std::abs(best - preferred))) {
      best = tile;
      bestRest = rest;
    }
  }
  return best;
}

/// Whether loop `d` has several cache tiles (a dynamic loop may).
static bool hasSeveralCacheTiles(ArrayRef<int64_t> ranges,
                                 ArrayRef<int64_t> cache, unsigned d) {
  return cache[d] != 0 &&
         (ShapedType::isDynamic(ranges[d]) || cache[d] < ranges[d]);
}

/// The input of `op` indexed by the loops of `uses` (some of each group)
/// and by none of `unused`'s; -1 if there is none.
static int64_t operandIndexedBy(linalg::LinalgOp op,
                                ArrayRef<ArrayRef<unsigned>> uses,
                                ArrayRef<unsigned> unused) {
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    auto indexedBy = [&](ArrayRef<unsigned> group) {
      return llvm::any_of(group,
                          [&](unsigned d) { return map.isFunctionOfDim(d); });
    };
    if (!indexedBy(unused) && llvm::all_of(uses, indexedBy))
      return input->getOperandNumber();
  }
  return -1;
}

/// Whether input `index` of `op` is indexed by the innermost n loop (the
/// loop register tiles read as vectors) other than in its innermost
/// dimension.
static bool readAcrossVectors(linalg::LinalgOp op, int64_t index,
                              const linalg::ContractionDimensions &dims) {
  if (dims.n.empty())
    return false;
  AffineMap map = op.getMatchingIndexingMap(op.getDpsInputOperand(index));
  auto last = map.getNumResults() == 0
                  ? nullptr
                  : dyn_cast<AffineDimExpr>(map.getResults().back());
  return map.isFunctionOfDim(dims.n.back()) &&
         (!last || last.getPosition() != dims.n.back());
}

/// The inputs to pack: the B operand (indexed by n and k, not m) when its
/// cache tile is a strided piece of it, i.e. some n loop is tiled (or, for
/// a patch matrix, the k loop), if
/// `packB`; the A operand (indexed by m and k, not n) when some m or k loop
/// is tiled, if `packA`. (A's rows are read by the mr rows of a register
/// tile at once: at a K of 1024 or 2048 floats they lie 4 or 8 KiB apart,
/// all in one L1 set, and more than 12 of them miss; packed, they are kc
/// apart.)
static SmallVector<int64_t>
packedOperands(linalg::LinalgOp op, const linalg::ContractionDimensions &dims,
               ArrayRef<int64_t> ranges, ArrayRef<int64_t> cache, bool packA,
               bool packB) {
  auto tiled = [&](ArrayRef<unsigned> group) {
    return llvm::any_of(group, [&](unsigned d) {
      return hasSeveralCacheTiles(ranges, cache, d);
    });
  };
  SmallVector<int64_t> packed;
  if (packA && (tiled(dims.m) || tiled(dims.k))) {
    int64_t a = operandIndexedBy(op, {dims.m, dims.k}, dims.n);
    if (a >= 0)
      packed.push_back(a);
  }
  if (packB) {
    // B read with n not innermost (W in a positions-major convolution,
    // nn.dense's W^T) is packed transposed even as one tile: its register
    // tiles would read each vector as elements K apart.
    // A patch matrix's tiles are packed from the convolution's input also
    // when all positions are in one tile and the k loop is tiled: unpacked,
    // it would be built whole first, on one thread.
    int64_t b = operandIndexedBy(op, {dims.n, dims.k}, dims.m);
    bool patches =
        b >= 0 && op->getOperand(b).getDefiningOp<kiln::codegen::Im2ColOp>();
    if (b >= 0 && (tiled(dims.n) || readAcrossVectors(op, b, dims) ||
                   (patches && tiled(dims.k))))
      packed.push_back(b);
  }
  llvm::sort(packed);
  return packed;
}

/// Whether the iteration space of static `ranges` has fewer than `work`
/// points (multiply-adds, for a contraction); false with dynamic ranges.
static bool isSmallerThan(ArrayRef<int64_t> ranges, int64_t work) {
  int64_t points = 1;
  for (int64_t r : ranges) {
    if (ShapedType::isDynamic(r))
      return false;
    // (Saturates at `work` instead of overflowing.)
    points = r > 0 && points > work / r ? work : points * r;
  }
  return points < work;
}

/// Whether `op` is a small contraction that reads a patch matrix built
/// whole (one of its operands is a kiln_codegen.im2col that is not
/// packed from the convolution's input tile by tile): one thread builds it
/// before the others start, and they then read it from that core's caches.
/// Below 2^24 multiply-adds that costs more than the threads save
/// (ResNet-18's 1x1 stride-2 convolutions, 6.4M: 128->256 0.068 ms on one
/// thread, 0.089 ms on 2, the other thread waiting half of the time).
static bool buildsPatchesForThreads(linalg::LinalgOp op,
                                    ArrayRef<int64_t> ranges,
                                    ArrayRef<int64_t> packed) {
  if (!isSmallerThan(ranges, int64_t(1) << 24))
    return false;
  for (OpOperand *input : op.getDpsInputOperands())
    if (input->get().getDefiningOp<kiln::codegen::Im2ColOp>() &&
        !llvm::is_contained(packed, int64_t(input->getOperandNumber())))
      return true;
  return false;
}

/// The cache tile of a distributed loop of `size` whose work `threads`
/// threads (0: 1, 2 and 4) share best: a multiple of `step` from half of
/// `tile` to twice it, or one tile per thread (at most 16 register tiles,
/// the heuristic's largest). Full tiles go to
/// the threads as they finish (kiln_parallel_for); the partial last tile is
/// peeled off and runs after them, on one thread; a tile's rows left over by
/// the `reg`-row register tiles run at the speed of at least half a register
/// tile. (ResNet-18's 14x14 layer: 256 rows in tiles of 56 left 4 tiles for the
/// threads and 32 rows after them; tiles of 64, 4 x 14 + 8 rows each, leave
/// nothing.)
static int64_t balancedTile(int64_t size, int64_t reg, int64_t tile,
                            int64_t step, int64_t threads) {
  if (ShapedType::isDynamic(size) || reg <= 0 || step <= 0 || size <= tile)
    return tile;
  auto rowsTime = [&](int64_t rows) {
    int64_t rest = rows % reg;
    return rows - rest + (rest ? std::max(rest, (reg + 1) / 2) : 0);
  };
  SmallVector<int64_t, 3> counts;
  if (threads > 0)
    counts = {threads};
  else
    counts = {1, 2, 4};
  auto cost = [&](int64_t c) {
    int64_t full = size / c, tail = rowsTime(size % c);
    double total = 0;
    for (int64_t t : counts)
      total += double(llvm::divideCeil(full, t) * rowsTime(c) + tail) * t /
               double(size);
    return total;
  };
  int64_t best = tile;
  double bestCost = tile % step == 0 ? cost(tile) : 1e30;
  auto consider = [&](int64_t c) {
    double cCost = cost(c);
    if (cCost < bestCost - 1e-9 ||
        (cCost < bestCost + 1e-9 &&
         std::abs(c - tile) < std::abs(best - tile))) {
      best = c;
      bestCost = cCost;
    }
  };
  int64_t largest = std::max(tile, std::min(2 * tile, 16 * reg));
  for (int64_t c = llvm::divideCeil(std::max(step, tile / 2), step) * step;
       c <= largest && c < size; c += step)
    consider(c);
  // Known threads may each take one tile larger than that: 784 positions
  // (a 28x28 output) make 7 tiles of 112 (4 for one of 2 threads, 3 for the
  // other) or 2 of 392.
  if (threads > 1) {
    int64_t share =
        llvm::divideCeil(llvm::divideCeil(size, threads), step) * step;
    if (share > largest && share <= 16 * reg && share < size)
      consider(share);
  }
  return best;
}

/// The loop whose cache tiles the threads share: the outermost parallel loop
/// with at least 4 tiles (so that 2-4 threads get even shares), else the one
/// with the most tiles; none for small ops, where waking threads costs more
/// than it saves. (Measured at 1024^3 on 2 threads: distributing m, the
/// outer loop, gives 70 GFLOP/s, n 59: every n tile is a parallel region of
/// its own per m tile.) When no loop has two tiles (a short, narrow product
/// like 64x784x128), the innermost n loop's cache tile is halved, down to
/// its register tile, until it has 4.
static SmallVector<int64_t>
distributedLoop(linalg::LinalgOp op, ArrayRef<int64_t> ranges,
                MutableArrayRef<int64_t> cache, ArrayRef<int64_t> reg,
                const linalg::ContractionDimensions &dims) {
  // Below ~2^20 multiply-adds (a few hundred microseconds at 1 thread) the
  // op runs on one thread; so does one of dynamic sizes.
  if (llvm::any_of(ranges, ShapedType::isDynamic) ||
      isSmallerThan(ranges, int64_t(1) << 20))
    return {};
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  int64_t best = -1, bestTiles = 1;
  for (auto [d, size] : llvm::enumerate(cache)) {
    if (size == 0 || iterators[d] != utils::IteratorType::parallel)
      continue;
    int64_t tiles = llvm::divideCeil(ranges[d], size);
    if (tiles >= 4)
      return {static_cast<int64_t>(d)};
    if (tiles > bestTiles) {
      best = d;
      bestTiles = tiles;
    }
  }
  if (best >= 0)
    return {best};
  if (dims.n.empty())
    return {};
  unsigned n = dims.n.back();
  while (cache[n] / 2 >= reg[n] && cache[n] / 2 % reg[n] == 0 &&
         llvm::divideCeil(ranges[n], cache[n]) < 4)
    cache[n] /= 2;
  if (llvm::divideCeil(ranges[n], cache[n]) < 2)
    return {};
  return {static_cast<int64_t>(n)};
}

kiln::ContractionTiles kiln::heuristicContractionTiles(
    ArrayRef<int64_t> ranges, const linalg::ContractionDimensions &dims,
    const kiln::CPUTargetDescription &target, unsigned elementBits) {
  int64_t lanes = std::max(1u, target.vectorBits / elementBits);
  kiln::ContractionTiles tiles;
  // Register tile: mr rows of nr = 2 vectors. mr*2 accumulators, 2 B vectors
  // and one A broadcast must fit the register file.
  // (Measured on an AVX-512 Xeon, 32 registers, at 1024^3 on one thread:
  // 14 x 32 tiles 23 ms, 8 x 32 30 ms.)
  tiles.nr = 2 * lanes;
  tiles.mr = std::clamp<int64_t>((target.vectorRegisters - 3) / 2, 1, 14);
  // A narrow n (ResNet-18's last convolutions have 49 output positions)
  // would leave a partial register tile of odd width (49 = 32 + 17), which
  // vectorizes badly (7 GFLOP/s): one-vector tiles with twice the rows
  // leave 49 = 3 x 16 + 1 instead (kiln-tune found 11-16 x 16 there).
  if (!dims.n.empty()) {
    int64_t n = ranges[dims.n.back()];
    if (!ShapedType::isDynamic(n) && n > 2 * lanes && n < 4 * lanes) {
      tiles.nr = lanes;
      tiles.mr = std::clamp<int64_t>(2 * tiles.mr, 1, 16);
    }
  }
  // Cache tile: an mc x kc panel of A (for 14 x 32 tiles at f32: 224 x 256
  // = 224 KiB) that each register row block streams once per kc x nc tile of
  // B. B's tile is packed (dense), so it may be wide: 8 register tiles, as
  // long as it takes at most a quarter of L2 (measured on a 2-core Zen 2 at
  // 1024^3: nc = 128 gives 73 GFLOP/s where nc = 32 gives 62).
  tiles.mc = 16 * tiles.mr;
  tiles.kc = 256;
  tiles.nc = 8 * tiles.nr;
  int64_t elementBytes = std::max(1u, elementBits / 8);
  while (tiles.nc > tiles.nr &&
         tiles.kc * tiles.nc * elementBytes > target.l2Bytes / 4)
    tiles.nc /= 2;
  if (!dims.m.empty()) {
    int64_t m = ranges[dims.m.back()];
    // Where m has rows for 4 tiles of at least 4 register tiles each, it
    // gets at least 4 full tiles, which the threads share evenly (at 256
    // rows a 252-row tile would leave one full tile and no parallelism).
    if (!ShapedType::isDynamic(m) && m >= 16 * tiles.mr)
      tiles.mc = std::min(tiles.mc, m / 4 / tiles.mr * tiles.mr);
    tiles.mc = evenTile(m, tiles.mr, tiles.mc);
  }
  // A's rows lie K elements apart; from 8 KiB on, the mr rows a register
  // tile reads at once fall into a few L1 sets and evict each other (at
  // 2048^3: 172 ms packed, 205 ms not; at 1024^3 no gain).
  if (!dims.k.empty()) {
    int64_t k = ranges[dims.k.back()];
    tiles.packA = !ShapedType::isDynamic(k) && k * elementBytes >= 8192;
    // The reduction in equal blocks, where it splits into as many (or a
    // few more) blocks of at least half the size: a short last block pays
    // the accumulators' loads and stores and a packing pass for little
    // work. (3x3 convolutions, K = 576 = 3 x 192 rather than 256 + 256 +
    // 64, K = 1152 = 6 x 192: ResNet-18's 28x28 layers 1-3% faster on 2
    // threads in alternating runs, about even on 1.)
    if (!ShapedType::isDynamic(k) && k > tiles.kc && k % tiles.kc != 0)
      for (int64_t blocks = llvm::divideCeil(k, tiles.kc);
           k / blocks >= tiles.kc / 2; ++blocks)
        if (k % blocks == 0) {
          tiles.kc = k / blocks;
          break;
        }
  }
  return tiles;
}

/// The smallest packed patch tile whose packing outside the threads' loop
/// the threads share (`shared_packing`).
static constexpr int64_t kMinSharedPacking = int64_t(1) << 14;

LoweringConfigAttr
kiln::buildContractionConfig(linalg::LinalgOp op, ArrayRef<int64_t> ranges,
                             const linalg::ContractionDimensions &dims,
                             const ContractionTiles &tiles) {
  SmallVector<int64_t> cache(ranges.size(), 0), reg(ranges.size(), 0);
  for (unsigned d : dims.batch) {
    cache[d] = 1;
    reg[d] = 1;
  }
  // Contractions may have several m/n/k dims (after collapsing they have
  // one each); tile the innermost of each, keep the others at 1.
  auto assign = [&](ArrayRef<unsigned> group, int64_t c, int64_t r) {
    for (auto [i, d] : llvm::enumerate(group)) {
      bool innermost = i + 1 == group.size();
      int64_t regTile = innermost ? fitTile(ranges[d], r) : 1;
      reg[d] = regTile;
      cache[d] = innermost ? fitTile(ranges[d], c) : 1;
    }
  };
  assign(dims.m, tiles.mc, tiles.mr);
  assign(dims.n, tiles.nc, tiles.nr);
  assign(dims.k, tiles.kc, 1);
  // Distribution may narrow cache tiles, so it goes before packing.
  SmallVector<int64_t> distributed;
  if (tiles.distribute)
    distributed = distributedLoop(op, ranges, cache, reg, dims);
  // In BLIS's order the n loop is the outermost: the threads share its
  // tiles and each packs its own tiles of B, where sharing the m loop
  // inside would make every k step a parallel region whose B tile one
  // thread packs while the others wait (2048^3 on 2 threads: 64 ms with m
  // shared, 57 with n).
  if (tiles.nkmCacheOrder && !distributed.empty() && !dims.n.empty() &&
      !dims.m.empty() && hasSeveralCacheTiles(ranges, cache, dims.m.back()) &&
      hasSeveralCacheTiles(ranges, cache, dims.n.back()))
    distributed = {static_cast<int64_t>(dims.n.back())};
  if (tiles.balance && !distributed.empty()) {
    int64_t d = distributed.front();
    bool m = llvm::is_contained(dims.m, unsigned(d));
    bool n = llvm::is_contained(dims.n, unsigned(d));
    int64_t step = m ? std::max<int64_t>(1, tiles.distributedStepM)
                     : tiles.distributedStep;
    if ((m || n) && step > 0)
      cache[d] = balancedTile(ranges[d], reg[d], cache[d], step, tiles.threads);
  }
  SmallVector<int64_t> packed =
      packedOperands(op, dims, ranges, cache, tiles.packA, tiles.pack);
  if (!distributed.empty() && buildsPatchesForThreads(op, ranges, packed))
    distributed.clear();
  // n's register loop moves right before m's (the op's order otherwise);
  // only worth saying when both loops have more than one register tile.
  SmallVector<int64_t> registerOrder, cacheOrder;
  if (!dims.m.empty() && !dims.n.empty() && !dims.k.empty()) {
    unsigned m = dims.m.back(), n = dims.n.back(), k = dims.k.back();
    // Whether loop d has several register tiles in a cache tile.
    auto severalRegisterTiles = [&](unsigned d) {
      int64_t extent = cache[d] ? cache[d] : ranges[d];
      return ShapedType::isDynamic(extent) || extent > reg[d];
    };
    if (tiles.nOuter && n > m && severalRegisterTiles(m) &&
        severalRegisterTiles(n)) {
      for (int64_t d = 0, e = ranges.size(); d < e; ++d) {
        if (d == n)
          continue;
        if (d == m)
          registerOrder.push_back(n);
        registerOrder.push_back(d);
      }
    }
    // The other loops keep their places; the innermost m, n and k loops
    // become n, k, m. Only worth saying when m has several cache tiles.
    if (tiles.nkmCacheOrder && hasSeveralCacheTiles(ranges, cache, m)) {
      for (int64_t d = 0, e = ranges.size(); d < e; ++d)
        if (d != m && d != n && d != k)
          cacheOrder.push_back(d);
      cacheOrder.append({n, k, m});
    }
  }
  // Patch tiles packed from the input before the threads start (outside
  // the distributed loop: when the threads share the m loop, a 14x14
  // convolution's positions fitting one tile) are packed by all threads
  // when large, rather than by one while the others wait.
  int64_t sharedPacking = 0;
  if (tiles.sharePacking && llvm::any_of(packed, [&](int64_t operand) {
        return op->getOperand(operand).getDefiningOp<kiln::codegen::Im2ColOp>();
      }))
    sharedPacking = kMinSharedPacking;
  MLIRContext *context = op->getContext();
  auto levels =
      kiln::cpuTileLevels(context, cache, reg, cacheOrder, registerOrder);
  return LoweringConfigAttr::get(context, levels, packed, distributed,
                                 sharedPacking, /*transposed=*/false,
                                 /*library=*/"");
}

/// A positions-major convolution (kiln-codegen-conv-to-im2col: the patch
/// matrix is A, its positions the m loop): its patch tiles are packed from
/// the input when they start on output rows, so the m tile is a multiple of
/// the output width and the register tile; when all positions fit one tile
/// they are split in two such halves if they can be (196 = 2 x 7 rows of
/// 14), which the threads share (measured on ResNet-18's 14x14 layer, 2
/// threads: 0.96 ms, where 4 tiles of 64 filters took 1.17). False if `op`
/// is not such a contraction.
static bool alignPositionsMajor(linalg::LinalgOp op, ArrayRef<int64_t> ranges,
                                const linalg::ContractionDimensions &dims,
                                kiln::ContractionTiles &tiles) {
  int64_t a = operandIndexedBy(op, {dims.m, dims.k}, dims.n);
  if (a < 0 || dims.m.empty())
    return false;
  auto im2col = op->getOperand(a).getDefiningOp<kiln::codegen::Im2ColOp>();
  int64_t positions = ranges[dims.m.back()];
  if (!im2col || ShapedType::isDynamic(positions))
    return false;
  tiles.packA = true;
  int64_t step = std::lcm(im2col.getOutputWidth(), tiles.mr);
  if (tiles.mc >= positions) {
    tiles.mc = positions % (2 * step) == 0 ? positions / 2 : positions;
  } else if (step <= 2 * tiles.mc) {
    tiles.mc = std::max(step, (tiles.mc + step / 2) / step * step);
  }
  tiles.distributedStepM = step;
  return true;
}

/// A convolution's patch matrix (kiln_codegen.im2col) is packed straight
/// from the input, tile by tile, when its tiles start on output rows
/// (kiln-cpu-pack-tiles): the n tile becomes the nearest multiple of both
/// the output width and the register tile, if there is one near (every
/// ResNet-18 layer gets 224 = 4 x 56 = 7 x 32, which balancedTile may then
/// halve). A multiple of the width alone, 280 = 8 x 32 + 24, made 14 x 24
/// register tiles, whose odd vectors spilled: 3x slower.
void kiln::alignToPatchRows(linalg::LinalgOp op, ArrayRef<int64_t> ranges,
                            const linalg::ContractionDimensions &dims,
                            int64_t lanes, ContractionTiles &tiles) {
  if (alignPositionsMajor(op, ranges, dims, tiles))
    return;
  int64_t b = operandIndexedBy(op, {dims.n, dims.k}, dims.m);
  if (b < 0 || dims.n.empty())
    return;
  auto im2col = op->getOperand(b).getDefiningOp<kiln::codegen::Im2ColOp>();
  int64_t positions = ranges[dims.n.back()];
  if (!im2col || ShapedType::isDynamic(positions) || tiles.nc >= positions)
    return;
  int64_t step = std::lcm(im2col.getOutputWidth(), tiles.nr);
  if (step <= 2 * tiles.nc)
    tiles.nc = std::max(step, (tiles.nc + step / 2) / step * step);
  // Balancing the threads' shares may take any whole number of rows that
  // is also a whole number of vectors (a one-vector partial register tile
  // is cheap; 24 columns are not), or of half vectors for a known thread
  // count (28x28 on 2 threads: 392 = 12 x 32 + 8 positions per thread ran
  // 0.46 ms, 7 tiles of 112 0.50 ms).
  int64_t unit = tiles.threads > 1 ? std::max<int64_t>(1, lanes / 2) : lanes;
  if (tiles.nc % im2col.getOutputWidth() == 0)
    tiles.distributedStep = std::lcm(im2col.getOutputWidth(), unit);
}

/// Whether `generic`'s body is arith/math ops on scalars only (no
/// linalg.index, no calls): what a vector register tile can compute.
static bool hasScalarArithBody(linalg::GenericOp generic) {
  for (Operation &inner : generic.getBody()->without_terminator()) {
    StringRef dialect = inner.getDialect()->getNamespace();
    if (dialect != "arith" && dialect != "math")
      return false;
  }
  return true;
}

/// The widest element of `op`'s operands in bits, or 0 when one is not an
/// integer or float or is an i1 (vectors of i1 are bit-packed in memory,
/// while bool buffers hold a byte per element: such generics stay scalar).
static unsigned widestVectorElementBits(linalg::LinalgOp op) {
  unsigned bits = 0;
  for (Value v : op->getOperands()) {
    Type element = getElementTypeOrSelf(v.getType());
    if (!element.isIntOrFloat() || element.isInteger(1))
      return 0;
    bits = std::max(bits, element.getIntOrFloatBitWidth());
  }
  return bits;
}

/// The config of a generic vectorized along `vectorLoop` (a register tile
/// of 4 vectors there, 1 elsewhere): large ops run on every thread, the
/// outermost of `parallelLoops` with several iterations (a ResNet
/// activation's channels) cut into one-iteration cache tiles, which the
/// thread pool shares out. (Otherwise only the contractions were parallel,
/// and at 2 threads the ReLUs, residual adds and poolings between them left
/// the second thread waiting.) The vectorized loop is shared only when no
/// other loop can be, in tiles of its vectors.
static LoweringConfigAttr
vectorRowConfig(linalg::LinalgOp op, ArrayRef<int64_t> ranges,
                int64_t vectorLoop, int64_t parallelLoops, unsigned bits,
                const kiln::CPUTargetDescription &target) {
  int64_t lanes = std::max(1u, target.vectorBits / std::max(bits, 8u));
  SmallVector<int64_t> cache(ranges.size(), 0), reg(ranges.size(), 1);
  reg[vectorLoop] = std::min(ranges[vectorLoop], 4 * lanes);
  int64_t elements = 1;
  for (int64_t r : ranges)
    elements *= r;
  SmallVector<int64_t> distributed;
  if (elements >= kiln::kMinDistributedElements) {
    for (int64_t d = 0; d < parallelLoops; ++d) {
      if (ranges[d] <= 1 || (d == vectorLoop && reg[d] == ranges[d]))
        continue;
      cache[d] = d == vectorLoop ? reg[d] : 1;
      distributed.push_back(d);
      break;
    }
  }
  MLIRContext *context = op->getContext();
  return LoweringConfigAttr::get(
      context, kiln::cpuTileLevels(context, cache, reg), {}, distributed);
}

/// Config of an elementwise generic (all loops parallel, projected
/// permutation maps, a body of arith/math ops on scalars): no cache tiles
/// (but see vectorRowConfig for large ops), register tiles of 4 vectors
/// along the innermost loop (the loop the result is contiguous in), so that
/// the op becomes vector loads, vector math and vector stores. Null when
/// the op is not such a generic or has dynamic sizes (which would stay
/// scalar anyway).
static LoweringConfigAttr
elementwiseConfig(linalg::LinalgOp op,
                  const kiln::CPUTargetDescription &target) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || op.getNumLoops() == 0 || op->getNumResults() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isProjectedPermutation(); }) ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity() ||
      !hasScalarArithBody(generic))
    return {};
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned bits = widestVectorElementBits(op);
  if (llvm::any_of(ranges, ShapedType::isDynamic) || bits == 0)
    return {};
  // (The innermost loop itself is never shared.)
  int64_t loops = ranges.size();
  return vectorRowConfig(op, ranges, loops - 1, loops - 1, bits, target);
}

/// Config of a reduction generic (softmax's max and sum, a layer norm's
/// mean and variance, ReduceSum/Mean/Max/Min, global pooling): parallel
/// loops outermost, reduction loops innermost, projected-permutation maps,
/// the result indexed by the parallel loops in order, a body of arith/math
/// ops on scalars. The register tile is a row of 4 vectors along the loop
/// its largest input is contiguous in, the rest 1: along the innermost
/// reduction loop the tile is reduced into the row's accumulator, which
/// stays in a register across the reduction loop; along a parallel loop (a
/// reduction over channels of an NCHW tensor) the tile holds the
/// accumulators of that many outputs, each a vector lane. Large ops are
/// spread over the threads by their outermost parallel loop, as elementwise
/// ones are. Null when the op is not such a generic or has dynamic sizes.
static LoweringConfigAttr
reductionConfig(linalg::LinalgOp op, const kiln::CPUTargetDescription &target) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || op->getNumResults() != 1 || op.getNumReductionLoops() == 0 ||
      op.getNumDpsInputs() == 0 || linalg::isaContractionOpInterface(op) ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isProjectedPermutation(); }) ||
      !hasScalarArithBody(generic))
    return {};
  int64_t loops = op.getNumLoops();
  int64_t parallel = op.getNumParallelLoops();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (int64_t d = 0; d < loops; ++d)
    if ((d < parallel) != (iterators[d] == utils::IteratorType::parallel))
      return {};
  AffineMap result = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (result.getNumResults() != parallel)
    return {};
  for (auto [i, expr] : llvm::enumerate(result.getResults())) {
    auto dim = dyn_cast<AffineDimExpr>(expr);
    if (!dim || dim.getPosition() != i)
      return {};
  }
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned bits = widestVectorElementBits(op);
  if (llvm::any_of(ranges, ShapedType::isDynamic) || bits == 0)
    return {};
  // The loop the largest input is contiguous in.
  OpOperand *largest = nullptr;
  int64_t largestElements = -1;
  for (OpOperand *input : op.getDpsInputOperands()) {
    auto type = dyn_cast<ShapedType>(input->get().getType());
    if (!type || type.getRank() == 0)
      continue;
    if (type.getNumElements() > largestElements) {
      largest = input;
      largestElements = type.getNumElements();
    }
  }
  if (!largest)
    return {};
  AffineMap map = op.getMatchingIndexingMap(largest);
  int64_t contiguous =
      cast<AffineDimExpr>(map.getResults().back()).getPosition();
  return vectorRowConfig(op, ranges, contiguous, parallel, bits, target);
}

/// A filters-major convolution (its patch matrix is B, its filters the m
/// loop) on a known number of threads shares its filters rather than its
/// positions when every thread then gets at least 4 register tiles of
/// filters and all positions fit one packed tile in half of L2: each
/// thread packs all the patches (the same for all) and computes its
/// filters' rows of the output, whole. Shared by positions, each thread's
/// tile ended mid-vector and mid-cache-line (392 = 12 x 32 + 8 positions of
/// 784) and the threads' outputs met in those lines. Measured on 2 threads
/// (ResNet-18's 28x28 layers): 128x28x28 3x3 0.698 -> 0.625 ms, 64->128
/// 3x3/2 0.377 -> 0.361 ms; the 56x56 layers (64 filters: 32 per thread)
/// were slower so (0.78 -> 0.90 ms).
static void splitFiltersForThreads(linalg::LinalgOp op,
                                   ArrayRef<int64_t> ranges,
                                   const linalg::ContractionDimensions &dims,
                                   const kiln::CPUTargetDescription &target,
                                   unsigned bits,
                                   kiln::ContractionTiles &tiles) {
  if (tiles.threads < 2 || dims.m.empty() || dims.n.empty() || dims.k.empty())
    return;
  int64_t b = operandIndexedBy(op, {dims.n, dims.k}, dims.m);
  if (b < 0 || !op->getOperand(b).getDefiningOp<kiln::codegen::Im2ColOp>())
    return;
  int64_t filters = ranges[dims.m.back()], positions = ranges[dims.n.back()];
  int64_t reduction = ranges[dims.k.back()];
  if (ShapedType::isDynamic(filters) || ShapedType::isDynamic(positions) ||
      ShapedType::isDynamic(reduction) || filters % tiles.threads != 0)
    return;
  int64_t share = filters / tiles.threads;
  int64_t packedBytes =
      std::min(tiles.kc, reduction) * positions * std::max(1u, bits / 8);
  if (share < 4 * tiles.mr || packedBytes > int64_t(target.l2Bytes) / 2)
    return;
  tiles.mc = share;
  tiles.nc = positions;
}

/// A matmul whose B (k x n) does not fit in L2 is visited in BLIS's order
/// n, k, m: each kc x nc tile of B is packed once and read by every m tile
/// from L2, instead of packed again for every m tile (at 2048^3 in the op's
/// order, each tile of B was packed 12 times and each tile of A 8 times).
/// nc widens while the tile takes at most a quarter of L2 and n keeps 4
/// tiles for the threads. Measured on an AVX-512 Xeon (1 / 2 threads):
/// 2048^3 126 -> 115 ms / 66 -> 57 ms; 1024^3 14.8 -> 13.5 / 8.5 -> 7.1.
/// Not for patch matrices, whose packing reads the convolution's input:
/// there the op's order was faster on ResNet-18 with 2 threads.
static void orderForLargeB(linalg::LinalgOp op, ArrayRef<int64_t> ranges,
                           const linalg::ContractionDimensions &dims,
                           const kiln::CPUTargetDescription &target,
                           unsigned elementBits,
                           kiln::ContractionTiles &tiles) {
  if (dims.m.empty() || dims.n.empty() || dims.k.empty())
    return;
  int64_t m = ranges[dims.m.back()], n = ranges[dims.n.back()],
          k = ranges[dims.k.back()];
  if (ShapedType::isDynamic(m) || ShapedType::isDynamic(n) ||
      ShapedType::isDynamic(k) || m < 2 * tiles.mc || n < 2 * tiles.nc)
    return;
  int64_t b = operandIndexedBy(op, {dims.n, dims.k}, dims.m);
  if (b < 0 || op->getOperand(b).getDefiningOp<kiln::codegen::Im2ColOp>())
    return;
  int64_t elementBytes = std::max(1u, elementBits / 8);
  if (k * n * elementBytes <= target.l2Bytes)
    return;
  tiles.nkmCacheOrder = true;
  while (tiles.kc * 2 * tiles.nc * elementBytes <= target.l2Bytes / 4 &&
         n / (2 * tiles.nc) >= 4)
    tiles.nc *= 2;
}

/// The shallowest reduction (C*KH*KW) computed positions-major. With less,
/// packing each tile of patches costs more than the full register tiles
/// save: ResNet-18's 128 -> 256 1x1/2 layer (a reduction of 128) took 0.18
/// ms positions-major, 0.10 filters-major, where its 256 -> 512 one (256)
/// took 0.11 and 0.13 (AVX-512 Xeon, 1 thread).
static constexpr int64_t kMinPositionsMajorDepth = 256;

/// Whether the heuristic computes `op`, a convolution's product W[f, k] *
/// P[n, k, p], positions-major (`transposed`): when its filter is a
/// constant (transposed once, at compile time, by kiln-cpu-pack-tiles; any
/// other would be transposed tile by tile on every call, which cost about
/// what positions-major saves), it has at least as many filters as output
/// positions and a reduction of at least kMinPositionsMajorDepth. Register
/// tiles then hold rows of positions and vectors of filters: a layer with
/// few positions and many filters (ResNet-18's 14x14 and 7x7 layers: 196
/// and 49 positions, 256 and 512 filters) fills whole 14 x 32 tiles, where
/// filters-major it left a 4-column (196 = 6 x 32 + 4) or 1-column (49 = 3
/// x 16 + 1) partial tile in every row block. Measured on an AVX-512 Xeon,
/// 1 / 2 threads: 256 x 14 x 14 3x3 2.06 -> 1.81 ms / 1.27 -> 0.96 ms; 512
/// x 7 x 7 2.80 -> 2.40 / 1.63 -> 1.26 ms.
static bool prefersPositionsMajor(linalg::LinalgOp op) {
  if (!kiln::codegen::canTranspose(op) ||
      !op.getDpsInputs()[1].getDefiningOp<kiln::codegen::Im2ColOp>() ||
      !kiln::reshapedConstant(op.getDpsInputs()[0]))
    return false;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges(); // n, f, p, k
  return ranges[1] >= ranges[2] && ranges[3] >= kMinPositionsMajorDepth;
}

LoweringConfigAttr
kiln::heuristicContractionConfig(linalg::LinalgOp op,
                                 const linalg::ContractionDimensions &dims,
                                 const CPUTargetDescription &target) {
  // Positions-major: the tiles of the transposed op, built to size them.
  LoweringConfigAttr transposed;
  if (prefersPositionsMajor(op))
    codegen::withTransposedProduct(op, [&](linalg::LinalgOp product) {
      if (FailureOr<linalg::ContractionDimensions> productDims =
              linalg::inferContractionDims(product);
          succeeded(productDims))
        transposed = heuristicContractionConfig(product, *productDims, target)
                         .withTransposed(true);
    });
  if (transposed)
    return transposed;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned bits = getElementTypeOrSelf(op.getDpsInits().front().getType())
                      .getIntOrFloatBitWidth();
  ContractionTiles tiles =
      heuristicContractionTiles(ranges, dims, target, bits);
  // (One thread shares nothing: its tiles stay those balanced for 1, 2 and
  // 4, which measured as fast or faster on one thread.)
  tiles.threads = target.threads > 1 ? target.threads : 0;
  orderForLargeB(op, ranges, dims, target, bits, tiles);
  alignToPatchRows(op, ranges, dims,
                   std::max(1u, target.vectorBits / std::max(bits, 8u)), tiles);
  splitFiltersForThreads(op, ranges, dims, target, bits, tiles);
  tiles.balance = true;
  return buildContractionConfig(op, ranges, dims, tiles);
}

/// The config of a pad: its border loop shared by the threads when the
/// padded tensor is as large as the smallest distributed elementwise op
/// (waking the pool costs more for a small one), walking the outermost
/// unpadded dimension of more than one element. Null: one thread.
static LoweringConfigAttr padConfig(tensor::PadOp pad) {
  std::optional<unsigned> d = kiln::codegen::defaultBorderDimension(pad);
  if (!d ||
      pad.getResultType().getNumElements() < kiln::kMinDistributedElements)
    return {};
  return LoweringConfigAttr::get(pad->getContext(), {}, {},
                                 {static_cast<int64_t>(*d)});
}

/// The config of a patch matrix: its copy's channel loop (dimension 1)
/// shared by the threads when the copy is as large as the smallest
/// distributed elementwise op. (Used where the contraction's tiles are not
/// packed from the input: kiln-codegen-lower-im2col.) Null: one thread.
static LoweringConfigAttr im2colConfig(kiln::codegen::Im2ColOp op) {
  if (op.getInput().getType().getDimSize(1) < 2 ||
      op.getType().getNumElements() < kiln::kMinDistributedElements)
    return {};
  return LoweringConfigAttr::get(op->getContext(), {}, {}, {1});
}

namespace {
struct KilnCPUSelectLoweringConfigPass
    : public kiln::impl::KilnCPUSelectLoweringConfigBase<
          KilnCPUSelectLoweringConfigPass> {
  using Base::Base;

  void runOnOperation() override {
    // The module's target, else a generic CPU (see the pass's description).
    kiln::CPUTargetDescription target;
    if (auto attr = kiln::codegen::CPUTargetAttr::lookup(getOperation()))
      target = kiln::CPUTargetDescription::fromAttr(attr);
    if (vectorBits)
      target.vectorBits = vectorBits;
    if (vectorRegisters)
      target.vectorRegisters = vectorRegisters;
    if (l2Bytes > 0)
      target.l2Bytes = l2Bytes;
    if (threads)
      target.threads = threads;

    // The copies the threads may share: pads, patch matrices.
    getOperation()->walk([&](Operation *op) {
      if (op->hasAttr(LoweringConfigAttr::kAttrName))
        return;
      LoweringConfigAttr config;
      if (auto pad = dyn_cast<tensor::PadOp>(op))
        config = padConfig(pad);
      else if (auto im2col = dyn_cast<kiln::codegen::Im2ColOp>(op))
        config = im2colConfig(im2col);
      if (config)
        op->setAttr(LoweringConfigAttr::kAttrName, config);
    });
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(LoweringConfigAttr::kAttrName) ||
          !op.hasPureTensorSemantics())
        return;
      // An empty iteration space (a dimension of size 0) does no work: the
      // loops it becomes never run, and tiles of size 0 mean "untiled".
      if (llvm::is_contained(op.getStaticLoopRanges(), 0))
        return;
      if (LoweringConfigAttr config = elementwiseConfig(op, target)) {
        op->setAttr(LoweringConfigAttr::kAttrName, config);
        return;
      }
      if (LoweringConfigAttr config = reductionConfig(op, target)) {
        op->setAttr(LoweringConfigAttr::kAttrName, config);
        return;
      }
      if (!linalg::isaContractionOpInterface(op))
        return;
      FailureOr<linalg::ContractionDimensions> dims =
          linalg::inferContractionDims(op);
      auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
      if (failed(dims) || !resultType ||
          !resultType.getElementType().isIntOrFloat())
        return;
      op->setAttr(LoweringConfigAttr::kAttrName,
                  kiln::heuristicContractionConfig(op, *dims, target));
    });
  }
};
} // namespace
