//===- VectorizeContractions.cpp - contractions as tensor-core tiles ------===//
//
// Part of Kiln. See kiln-gpu-vectorize-contractions in Passes.td. The
// recipe (tile to blocks and warps, vectorize the warp's K step into one
// contraction, unroll it to the instruction's shape, keep the accumulators
// in registers across K) is the one ../shared/notes/gpu verified with
// transform scripts; here it is driven by the op's lowering_config.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Mapping.h"
#include "kiln/Target/GPU/Passes.h"
#include "kiln/Target/GPU/TileLevels.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUVECTORIZECONTRACTIONS
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;

/// Tiles `op` at `sizes` into an scf.forall with `mapping` (or an scf.for
/// when `mapping` is empty), replaces it; returns the tiled op.
static FailureOr<TilingInterface> tile(RewriterBase &rewriter,
                                       TilingInterface op,
                                       ArrayRef<int64_t> sizes,
                                       ArrayRef<Attribute> mapping) {
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), sizes));
  if (!mapping.empty()) {
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    options.setMapping(mapping);
  }
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result =
      scf::tileUsingSCF(rewriter, op, options);
  if (failed(result) || result->tiledOps.size() != 1)
    return failure();
  rewriter.replaceOp(op, result->replacements);
  return cast<TilingInterface>(result->tiledOps.front());
}

/// The shape each op unrolls to for the tensor cores' instructions:
/// contractions to (m, n, k) of their operands' type; accumulator writes
/// to (m, n) (both instructions have m16n8); reads and extensions to the
/// slices their users take.
static std::optional<SmallVector<int64_t>> instructionShape(Operation *op) {
  int64_t m = kiln::gpu::kMmaSyncF16Shape[0],
          n = kiln::gpu::kMmaSyncF16Shape[1];
  if (auto contract = dyn_cast<vector::ContractionOp>(op)) {
    int64_t rank = contract.getIteratorTypes().size();
    std::optional<std::array<int64_t, 3>> mma =
        kiln::gpu::mmaSyncShape(contract.getLhsType().getElementType());
    if (rank < 3 || !mma)
      return std::nullopt;
    SmallVector<int64_t> shape(rank - 3, 1);
    shape.append(mma->begin(), mma->end());
    return shape;
  }
  if (auto write = dyn_cast<vector::TransferWriteOp>(op)) {
    int64_t rank = write.getVectorType().getRank();
    if (rank < 2)
      return std::nullopt;
    SmallVector<int64_t> shape(rank - 2, 1);
    shape.append({m, n});
    return shape;
  }
  bool elementwise =
      OpTrait::hasElementwiseMappableTraits(op) && op->getNumResults() == 1;
  if (!isa<vector::TransferReadOp>(op) && !elementwise)
    return std::nullopt;
  auto type = dyn_cast<VectorType>(op->getResultTypes().front());
  if (!type || type.getRank() < 2)
    return std::nullopt;
  // The slice every user extracts (an operand's piece of one instruction).
  VectorType slice;
  for (Operation *user : op->getUsers()) {
    auto extract = dyn_cast<vector::ExtractStridedSliceOp>(user);
    if (!extract || (slice && slice != extract.getResult().getType()))
      return std::nullopt;
    slice = extract.getResult().getType();
  }
  if (slice)
    return llvm::to_vector(slice.getShape());
  if (isa<vector::TransferReadOp>(op))
    return std::nullopt;
  SmallVector<int64_t> shape(type.getRank() - 2, 1);
  shape.append({m, n});
  return shape;
}

/// The order in which a contraction's unrolled pieces are visited:
/// reductions first, then the loops of its left operand (reused), then the
/// rest.
static std::optional<SmallVector<int64_t>> unrollOrder(Operation *op) {
  auto contract = dyn_cast<vector::ContractionOp>(op);
  if (!contract)
    return std::nullopt;
  SmallVector<int64_t> order;
  auto iterators = contract.getIteratorTypes();
  for (auto [i, iterator] : llvm::enumerate(iterators))
    if (vector::isReductionIterator(iterator))
      order.push_back(i);
  llvm::SmallDenseSet<int64_t> lhsDims;
  for (AffineExpr e : contract.getIndexingMapsArray().front().getResults())
    lhsDims.insert(cast<AffineDimExpr>(e).getPosition());
  for (auto [i, iterator] : llvm::enumerate(iterators))
    if (vector::isParallelIterator(iterator) && lhsDims.contains(i))
      order.push_back(i);
  for (auto [i, iterator] : llvm::enumerate(iterators))
    if (vector::isParallelIterator(iterator) && !lhsDims.contains(i))
      order.push_back(i);
  return order;
}

namespace {
struct KilnGPUVectorizeContractionsPass
    : public kiln::impl::KilnGPUVectorizeContractionsBase<
          KilnGPUVectorizeContractionsPass> {
  /// Tiles and vectorizes `op`; false after an error.
  bool schedule(RewriterBase &rewriter, linalg::LinalgOp op,
                LoweringConfigAttr config) {
    using namespace kiln::gpu;
    ArrayRef<int64_t> workgroup = config.getTiles(kWorkgroupLevel),
                      warp = config.getTiles(kWarpLevel),
                      reduction = config.getTiles(kReductionLevel),
                      mma = config.getTiles(kMmaLevel);
    if (!linalg::isaContractionOpInterface(op) || op.getNumLoops() != 3 ||
        !op.hasPureTensorSemantics()) {
      op->emitError() << "has a tensor-core schedule, but only a matmul-like "
                         "contraction (loops m, n, k) on tensors can have one";
      return false;
    }
    if (reduction.empty() || mma.size() != 3) {
      op->emitError() << "has a tensor-core schedule without its "
                         "`reduction` and `mma` = [m, n, k] levels";
      return false;
    }
    Type operand = getElementTypeOrSelf(op.getDpsInputs().front().getType());
    std::optional<std::array<int64_t, 3>> expected = mmaSyncShape(operand);
    if (!expected || mma != ArrayRef<int64_t>(*expected)) {
      op->emitError() << "has mma = [" << mma
                      << "]: the mma.sync instructions Kiln uses are "
                         "m16n8k16 for f16 operands, mma = [16, 8, 16], and "
                         "m16n8k8 (tf32) for f32 ones, mma = [16, 8, 8]";
      return false;
    }
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    // (The levels nest: the verifier checked that each fits the one before.)
    for (auto [d, range] : llvm::enumerate(ranges)) {
      int64_t outer = range;
      for (ArrayRef<int64_t> level : {workgroup, warp, reduction, mma}) {
        int64_t size = level[d] ? level[d] : outer;
        if (ShapedType::isDynamic(outer) || outer % size != 0) {
          op->emitError() << "loop " << d << " (" << range
                          << ") is not divided evenly by its tensor-core "
                             "tiles: the schedule has no partial tiles";
          return false;
        }
        outer = size;
      }
    }
    MLIRContext *context = op->getContext();
    auto tiled = cast<TilingInterface>(op.getOperation());
    auto countTiled = [](ArrayRef<int64_t> sizes) {
      return llvm::count_if(sizes, [](int64_t s) { return s != 0; });
    };
    FailureOr<TilingInterface> blockTile =
        tile(rewriter, tiled, workgroup,
             kiln::gpu::linearMapping<mlir::gpu::GPUBlockMappingAttr>(
                 context, countTiled(workgroup)));
    FailureOr<TilingInterface> warpTile = failure(), kTile = failure();
    if (succeeded(blockTile))
      warpTile = tile(rewriter, *blockTile, warp,
                      kiln::gpu::linearMapping<mlir::gpu::GPUWarpMappingAttr>(
                          context, countTiled(warp)));
    if (succeeded(warpTile))
      kTile = tile(rewriter, *warpTile, reduction, {});
    if (failed(kTile)) {
      op->emitError() << "could not be tiled onto blocks and warps";
      return false;
    }
    Operation *step = kTile->getOperation();
    step->removeAttr(LoweringConfigAttr::kAttrName);
    rewriter.setInsertionPoint(step);
    FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
        rewriter, step, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
        /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
        /*assumeDynamicDimsMatchVecSizes=*/false,
        /*createNamedContraction=*/true);
    if (failed(vectorized)) {
      step->emitError() << "could not be vectorized for tensor cores";
      return false;
    }
    rewriter.replaceOp(step, vectorized->replacements);
    return true;
  }

  void runOnOperation() override {
    using namespace kiln::gpu;
    func::FuncOp func = getOperation();
    SmallVector<std::pair<linalg::LinalgOp, LoweringConfigAttr>> ops;
    func.walk([&](linalg::LinalgOp op) {
      auto config =
          op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
      if (config && config.getLevel(kWarpLevel))
        ops.push_back({op, config});
    });
    if (ops.empty())
      return;
    IRRewriter rewriter(&getContext());
    for (auto [op, config] : ops)
      if (!schedule(rewriter, op, config))
        return signalPassFailure();
    // The warps' contractions: operand extensions folded in, unrolled to
    // the instruction's shape.
    RewritePatternSet patterns(&getContext());
    vector::populateFoldArithExtensionPatterns(patterns);
    vector::populateVectorUnrollPatterns(
        patterns, vector::UnrollVectorOptions()
                      .setNativeShapeFn(instructionShape)
                      .setUnrollTraversalOrderFn(unrollOrder));
    vector::ContractionOp::getCanonicalizationPatterns(patterns, &getContext());
    vector::TransferReadOp::getCanonicalizationPatterns(patterns,
                                                        &getContext());
    vector::TransferWriteOp::getCanonicalizationPatterns(patterns,
                                                         &getContext());
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
    // The accumulators leave the K loops: read before, written after, in
    // registers (iteration arguments) between.
    SmallVector<scf::ForOp> loops;
    func.walk([&](scf::ForOp loop) {
      if (loop->getParentOfType<scf::ForallOp>())
        loops.push_back(loop);
    });
    for (scf::ForOp loop : loops)
      (void)hoistLoopInvariantSubsets(rewriter, loop);
  }
};
} // namespace
