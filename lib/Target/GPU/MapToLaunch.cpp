//===- MapToLaunch.cpp - mapped foralls to gpu.launch ---------------------===//
//
// Part of Kiln. See kiln-gpu-map-to-launch in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/GPUTarget.h"
#include "kiln/Target/GPU/Passes.h"
#include "kiln/Target/GPU/TileLevels.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUMAPTOLAUNCH
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// The linear_dim_N of each loop of `forall`, if all its mappings are
/// `MappingAttr` linear dimensions.
template <typename MappingAttr>
static std::optional<SmallVector<int64_t>> linearDims(scf::ForallOp forall) {
  std::optional<ArrayAttr> mapping = forall.getMapping();
  if (!mapping || static_cast<int64_t>(mapping->size()) != forall.getRank())
    return std::nullopt;
  SmallVector<int64_t> dims;
  for (Attribute attr : mapping->getValue()) {
    auto m = dyn_cast<MappingAttr>(attr);
    if (!m || !m.isLinearMapping())
      return std::nullopt;
    dims.push_back(m.getRelativeIndex());
  }
  return dims;
}

/// The iteration numbers of `forall`'s loops: `id` delinearized over
/// `bounds`, linear_dim_0 fastest.
static SmallVector<Value> delinearizedIterations(RewriterBase &rewriter,
                                                 scf::ForallOp forall,
                                                 ArrayRef<int64_t> dims,
                                                 ArrayRef<int64_t> bounds,
                                                 Value id) {
  int64_t rank = forall.getRank();
  if (rank == 1)
    return {id};
  // Loops ordered slowest to fastest: by descending linear dim.
  SmallVector<int64_t> order = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  llvm::sort(order, [&](int64_t a, int64_t b) { return dims[a] > dims[b]; });
  SmallVector<int64_t> basis;
  for (int64_t loop : order)
    basis.push_back(bounds[loop]);
  auto delinearized = affine::AffineDelinearizeIndexOp::create(
      rewriter, forall.getLoc(), id, basis, /*hasOuterBound=*/true);
  SmallVector<Value> ids(rank);
  for (auto [position, loop] : llvm::enumerate(order))
    ids[loop] = delinearized.getResult(position);
  return ids;
}

/// The induction variables of `forall`, one per loop: `id` delinearized
/// over the trip counts `bounds` (one per loop), linear_dim_0 fastest, then
/// scaled by the loop's step and offset by its lower bound.
static SmallVector<Value> delinearizedIds(RewriterBase &rewriter,
                                          scf::ForallOp forall,
                                          ArrayRef<int64_t> dims,
                                          ArrayRef<int64_t> bounds, Value id) {
  SmallVector<Value> ids =
      delinearizedIterations(rewriter, forall, dims, bounds, id);
  // (As affine maps, not arith ops: convert-vector-to-gpu takes elementwise
  // arith ops near a contraction for vector code it must convert.)
  Location loc = forall.getLoc();
  for (auto [i, lb, step] :
       llvm::enumerate(forall.getMixedLowerBound(), forall.getMixedStep())) {
    if (isConstantIntValue(step, 1) && isConstantIntValue(lb, 0))
      continue;
    AffineExpr id, s0, s1;
    bindDims(rewriter.getContext(), id);
    bindSymbols(rewriter.getContext(), s0, s1);
    ids[i] = getValueOrCreateConstantIndexOp(
        rewriter, loc,
        affine::makeComposedFoldedAffineApply(rewriter, loc, id * s0 + s1,
                                              {ids[i], step, lb}));
  }
  return ids;
}

/// The trip count of each loop of `forall` whose bounds and step are
/// constants; nullopt if any is not.
static std::optional<SmallVector<int64_t>>
constantTripCounts(scf::ForallOp forall) {
  SmallVector<int64_t> counts;
  for (auto [lb, ub, step] :
       llvm::zip_equal(forall.getMixedLowerBound(), forall.getMixedUpperBound(),
                       forall.getMixedStep())) {
    std::optional<int64_t> l = getConstantIntValue(lb),
                           u = getConstantIntValue(ub),
                           s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    counts.push_back(std::max<int64_t>(0, llvm::divideCeil(*u - *l, *s)));
  }
  return counts;
}

/// The static trip count of each loop of `forall`: its constant one, or,
/// for a normalized forall, the constant bound of a dynamic one (a partial
/// tile's).
static FailureOr<SmallVector<int64_t>> staticBounds(scf::ForallOp forall) {
  if (std::optional<SmallVector<int64_t>> counts = constantTripCounts(forall))
    return *counts;
  if (!forall.isNormalized())
    return failure();
  SmallVector<int64_t> bounds;
  for (OpFoldResult ub : forall.getMixedUpperBound()) {
    if (std::optional<int64_t> c = getConstantIntValue(ub)) {
      bounds.push_back(*c);
      continue;
    }
    FailureOr<int64_t> bound = ValueBoundsConstraintSet::computeConstantBound(
        presburger::BoundType::UB, ValueBoundsConstraintSet::Variable(ub),
        /*stopCondition=*/nullptr, /*closedUB=*/true);
    if (failed(bound))
      return failure();
    bounds.push_back(*bound);
  }
  return bounds;
}

namespace {
/// A thread- or warp-mapped forall inside a thread block.
struct InnerLoop {
  scf::ForallOp forall;
  /// The linear_dim of each loop, and its static trip count.
  SmallVector<int64_t> dims, bounds;
  /// 1 for threads, 32 for warps.
  int64_t threadsPerIteration;
};

struct KilnGPUMapToLaunchPass
    : public kiln::impl::KilnGPUMapToLaunchBase<KilnGPUMapToLaunchPass> {
  /// Replaces block forall `forall` by a gpu.launch.
  LogicalResult mapBlock(RewriterBase &rewriter, scf::ForallOp forall,
                         int64_t maxThreads) {
    std::optional<SmallVector<int64_t>> dims =
        linearDims<mlir::gpu::GPUBlockMappingAttr>(forall);
    std::optional<SmallVector<int64_t>> counts = constantTripCounts(forall);
    if (!dims || !counts)
      return forall.emitError()
             << "must be a forall of static trip counts mapped to "
                "#gpu.block<linear_dim_N> to become a kernel";
    SmallVector<int64_t> grid = *counts;
    int64_t blocks = 1;
    for (int64_t n : grid)
      blocks *= n;
    if (blocks > std::numeric_limits<int32_t>::max())
      return forall.emitError()
             << "needs " << blocks << " thread blocks, more than a grid holds";

    // The thread and warp foralls, each with its static bounds.
    SmallVector<InnerLoop> innerLoops;
    int64_t blockSize = 1;
    WalkResult walk = forall.getBody()->walk([&](scf::ForallOp inner) {
      InnerLoop loop{inner, {}, {}, 1};
      std::optional<SmallVector<int64_t>> innerDims =
          linearDims<mlir::gpu::GPUThreadMappingAttr>(inner);
      if (!innerDims) {
        // A warp's iteration takes all of its 32 threads.
        innerDims = linearDims<mlir::gpu::GPUWarpMappingAttr>(inner);
        loop.threadsPerIteration = kiln::gpu::kWarpSize;
      }
      FailureOr<SmallVector<int64_t>> bounds = staticBounds(inner);
      if (!innerDims || failed(bounds)) {
        inner.emitError() << "inside a thread block must be a forall with "
                             "static bounds mapped to "
                             "#gpu.thread<linear_dim_N> or "
                             "#gpu.warp<linear_dim_N>";
        return WalkResult::interrupt();
      }
      loop.dims = *innerDims;
      loop.bounds = *bounds;
      int64_t threads = loop.threadsPerIteration;
      for (int64_t n : *bounds)
        threads *= n;
      blockSize = std::max(blockSize, threads);
      innerLoops.push_back(std::move(loop));
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();
    if (blockSize > maxThreads)
      return forall.emitError()
             << "needs " << blockSize << " threads per block; the target "
             << "allows " << maxThreads;

    Location loc = forall.getLoc();
    rewriter.setInsertionPoint(forall);
    auto constant = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(rewriter, loc, v);
    };
    Value one = constant(1);
    auto launch =
        mlir::gpu::LaunchOp::create(rewriter, loc, constant(blocks), one, one,
                                    constant(blockSize), one, one);
    Block &body = launch.getBody().front();
    rewriter.setInsertionPointToStart(&body);
    SmallVector<Value> ids =
        delinearizedIds(rewriter, forall, *dims, grid, launch.getBlockIds().x);
    // The forall's body, less its terminator, becomes the kernel's.
    rewriter.eraseOp(forall.getBody()->getTerminator());
    rewriter.inlineBlockBefore(forall.getBody(), &body, body.end(), ids);
    rewriter.setInsertionPointToEnd(&body);
    mlir::gpu::TerminatorOp::create(rewriter, loc);
    rewriter.eraseOp(forall);
    // Shared buffers: an alloca in workgroup memory is not one (it lowers
    // to a thread's stack), a workgroup attribution of the launch is.
    SmallVector<memref::AllocaOp> shared;
    for (auto alloca : body.getOps<memref::AllocaOp>())
      if (auto space = dyn_cast_or_null<mlir::gpu::AddressSpaceAttr>(
              alloca.getType().getMemorySpace());
          space && space.getValue() == mlir::gpu::AddressSpace::Workgroup)
        shared.push_back(alloca);
    for (memref::AllocaOp alloca : shared) {
      BlockArgument buffer =
          launch.addWorkgroupAttribution(alloca.getType(), alloca.getLoc());
      rewriter.replaceOp(alloca, buffer);
    }

    Value threadId = launch.getThreadIds().x;
    for (InnerLoop &loop : innerLoops)
      mapThreads(rewriter, loop, threadId, blockSize);
    return success();
  }

  /// Replaces thread (or warp) forall `loop` by the thread (warp) id,
  /// delinearized, and a guard where the forall has fewer iterations than
  /// the block has threads (warps).
  void mapThreads(RewriterBase &rewriter, InnerLoop &loop, Value threadId,
                  int64_t blockSize) {
    scf::ForallOp forall = loop.forall;
    ArrayRef<int64_t> bounds = loop.bounds;
    Location loc = forall.getLoc();
    rewriter.setInsertionPoint(forall);
    Value id = threadId;
    if (loop.threadsPerIteration > 1) {
      AffineExpr t;
      bindDims(rewriter.getContext(), t);
      id = affine::AffineApplyOp::create(
          rewriter, loc, t.floorDiv(loop.threadsPerIteration), threadId);
    }
    int64_t iterations = 1;
    for (int64_t n : bounds)
      iterations *= n;
    // The guard: the thread (warp) is one of the forall's first
    // `iterations`, and inside each dynamic (partial) bound.
    Value guard;
    auto conjoin = [&](Value condition) {
      guard = guard ? arith::AndIOp::create(rewriter, loc, guard, condition)
                          .getResult()
                    : condition;
    };
    if (iterations * loop.threadsPerIteration < blockSize)
      conjoin(arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::ult, id,
          arith::ConstantIndexOp::create(rewriter, loc, iterations)));
    // (A dynamic bound is a normalized forall's: its iterations are its
    // ids.)
    SmallVector<Value> ids =
        delinearizedIds(rewriter, forall, loop.dims, bounds, id);
    for (auto [loop, ub] : llvm::enumerate(forall.getMixedUpperBound()))
      if (!getConstantIntValue(ub))
        conjoin(arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ult,
                                      ids[loop], cast<Value>(ub)));
    rewriter.eraseOp(forall.getBody()->getTerminator());
    if (!guard) {
      rewriter.inlineBlockBefore(forall.getBody(), forall, ids);
      rewriter.eraseOp(forall);
      return;
    }
    auto ifOp = scf::IfOp::create(rewriter, loc, guard, /*withElse=*/false);
    rewriter.inlineBlockBefore(forall.getBody(),
                               ifOp.thenBlock()->getTerminator(), ids);
    rewriter.eraseOp(forall);
  }

  void runOnOperation() override {
    auto target = kiln::codegen::GPUTargetAttr::lookup(getOperation());
    int64_t maxThreads = target ? target.getMaxThreadsPerBlock() : 1024;
    SmallVector<scf::ForallOp> blocks;
    getOperation().walk([&](scf::ForallOp forall) {
      if (!forall->getParentOfType<scf::ForallOp>() &&
          !forall->getParentOfType<mlir::gpu::LaunchOp>())
        blocks.push_back(forall);
    });
    IRRewriter rewriter(&getContext());
    for (scf::ForallOp forall : blocks)
      if (failed(mapBlock(rewriter, forall, maxThreads)))
        return signalPassFailure();
  }
};
} // namespace
