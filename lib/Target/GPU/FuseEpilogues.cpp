//===- FuseEpilogues.cpp - elementwise consumers in their producers' kernels
//===//
//
// Part of Kiln. See kiln-gpu-fuse-epilogues in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Mapping.h"
#include "kiln/Target/GPU/Passes.h"
#include "kiln/Target/GPU/TileLevels.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUFUSEEPILOGUES
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;

/// `op`'s SIMT config (workgroup and thread levels, no library), if any.
static LoweringConfigAttr simtConfig(Operation *op) {
  auto config =
      op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
  if (!config || !config.getLibrary().empty() ||
      !config.getLevel(kiln::gpu::kWorkgroupLevel) ||
      !config.getLevel(kiln::gpu::kThreadLevel))
    return {};
  return config;
}

namespace {
/// A consumer and the producer whose kernel it joins.
struct Epilogue {
  linalg::GenericOp consumer;
  linalg::LinalgOp producer;
  /// The operand of `consumer` that is the producer's result.
  OpOperand *input = nullptr;
  /// The producer's tiles (workgroup, thread) on the consumer's loops.
  SmallVector<int64_t> workgroup, thread;
};
} // namespace

/// Whether `op` has only parallel loops and projected-permutation maps, the
/// output's the identity, its output's value unused by its body: an
/// elementwise op (with broadcasts) that writes every element once.
static bool isElementwise(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op->getNumResults() != 1 ||
      op.getNumReductionLoops() != 0 || !op.hasPureTensorSemantics())
    return false;
  for (AffineMap map : op.getIndexingMapsArray())
    if (!map.isProjectedPermutation())
      return false;
  OpOperand *init = op.getDpsInitOperand(0);
  return op.getMatchingIndexingMap(init).isIdentity() &&
         !op.payloadUsesValueFromOperand(init);
}

/// The epilogue `consumer` makes with a producer, if it makes one: an
/// operand of the consumer (identity map, its output's type) is the only
/// use of a SIMT-scheduled linalg op with reductions (a matmul, a
/// convolution, a sum), whose output map is a projected permutation.
static std::optional<Epilogue> findEpilogue(linalg::GenericOp consumer) {
  if (!isElementwise(consumer) || !simtConfig(consumer))
    return std::nullopt;
  Type resultType = consumer->getResult(0).getType();
  for (OpOperand *input : consumer.getDpsInputOperands()) {
    auto producer = input->get().getDefiningOp<linalg::LinalgOp>();
    if (!producer || !producer.hasPureTensorSemantics() ||
        producer->getNumResults() != 1 || !producer->hasOneUse() ||
        producer.getNumReductionLoops() == 0 ||
        input->get().getType() != resultType ||
        !consumer.getMatchingIndexingMap(input).isIdentity())
      continue;
    LoweringConfigAttr config = simtConfig(producer);
    AffineMap output =
        producer.getMatchingIndexingMap(producer.getDpsInitOperand(0));
    if (!config || !output.isProjectedPermutation() ||
        config.getNumLoops() != producer.getNumLoops())
      continue;
    // The consumer's loop i is the producer's loop that its output's
    // dimension i is indexed by.
    Epilogue epilogue;
    epilogue.consumer = consumer;
    epilogue.producer = producer;
    epilogue.input = input;
    ArrayRef<int64_t> workgroup = config.getTiles(kiln::gpu::kWorkgroupLevel);
    ArrayRef<int64_t> thread = config.getTiles(kiln::gpu::kThreadLevel);
    for (AffineExpr result : output.getResults()) {
      unsigned loop = cast<AffineDimExpr>(result).getPosition();
      epilogue.workgroup.push_back(workgroup[loop]);
      epilogue.thread.push_back(thread[loop]);
    }
    return epilogue;
  }
  return std::nullopt;
}

/// Tiles `consumer` at `sizes` into an scf.forall mapped with
/// `MappingAttr`, fusing into it the producers in `fusable` of its
/// destination's tile (and of theirs); returns the tiled consumer, or null.
template <typename MappingAttr>
static linalg::LinalgOp
tileAndFuse(RewriterBase &rewriter, linalg::LinalgOp consumer,
            ArrayRef<int64_t> sizes, const llvm::DenseSet<Operation *> &fusable,
            llvm::DenseSet<Operation *> &fused) {
  int64_t tiled = llvm::count_if(sizes, [](int64_t s) { return s != 0; });
  if (tiled == 0 || tiled > 10)
    return {};
  scf::SCFTilingOptions tiling;
  tiling.setTileSizes(getAsIndexOpFoldResult(consumer->getContext(), sizes));
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  tiling.setMapping(
      kiln::gpu::linearMapping<MappingAttr>(consumer->getContext(), tiled));
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  // (Through destinations only: the producer is the consumer's, its
  // initialization the producer's.)
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer, bool isDestination)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (!isDestination || !fusable.contains(producer.getOwner()))
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  rewriter.setInsertionPoint(consumer);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(consumer.getOperation()), options);
  if (failed(result) || result->tiledAndFusedOps.empty())
    return {};
  for (auto [original, replacement] : result->replacements)
    rewriter.replaceAllUsesWith(original, replacement);
  for (Operation *op : result->tiledAndFusedOps)
    fused.insert(op);
  return dyn_cast<linalg::LinalgOp>(result->tiledAndFusedOps.front());
}

namespace {
struct KilnGPUFuseEpiloguesPass
    : public kiln::impl::KilnGPUFuseEpiloguesBase<KilnGPUFuseEpiloguesPass> {
  void runOnOperation() override {
    SmallVector<Epilogue> epilogues;
    getOperation().walk([&](linalg::GenericOp op) {
      if (op->getParentOfType<scf::ForallOp>())
        return;
      if (std::optional<Epilogue> epilogue = findEpilogue(op))
        epilogues.push_back(*epilogue);
    });
    IRRewriter rewriter(&getContext());
    for (Epilogue &epilogue : epilogues)
      fuse(rewriter, epilogue);
  }

  /// The consumer as an update of the producer's result in place: that
  /// result its destination, the value it read from it its output's
  /// (tiling then fuses the producer through the destination only, into
  /// the same tile: computed once, in the output's memory).
  linalg::GenericOp inPlace(RewriterBase &rewriter, Epilogue &epilogue) {
    linalg::GenericOp consumer = epilogue.consumer;
    unsigned k = epilogue.input->getOperandNumber();
    Block &body = consumer.getRegion().front();
    body.getArgument(k).replaceAllUsesWith(body.getArguments().back());
    body.eraseArgument(k);
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (OpOperand *input : consumer.getDpsInputOperands())
      if (input != epilogue.input) {
        inputs.push_back(input->get());
        maps.push_back(consumer.getMatchingIndexingMap(input));
      }
    maps.push_back(
        consumer.getMatchingIndexingMap(consumer.getDpsInitOperand(0)));
    rewriter.setInsertionPoint(consumer);
    auto updated = linalg::GenericOp::create(
        rewriter, consumer.getLoc(), consumer->getResultTypes(), inputs,
        ValueRange{epilogue.producer->getResult(0)}, maps,
        consumer.getIteratorTypesArray());
    rewriter.inlineRegionBefore(consumer.getRegion(), updated.getRegion(),
                                updated.getRegion().end());
    updated->setDiscardableAttrs(consumer->getDiscardableAttrDictionary());
    rewriter.replaceOp(consumer, updated->getResults());
    return updated;
  }

  /// The consumer updates the producer's result in place (its destination
  /// becomes the producer's), then both, and the op that initializes the
  /// producer's output (a fill, a bias's broadcast), are tiled together:
  /// blocks, then threads, each thread computing its tile of the producer
  /// and applying the consumer to it, with no buffer between them.
  void fuse(RewriterBase &rewriter, Epilogue &epilogue) {
    linalg::GenericOp consumer = inPlace(rewriter, epilogue);
    linalg::LinalgOp producer = epilogue.producer;
    llvm::DenseSet<Operation *> fusable = {producer};
    Operation *init = producer.getDpsInitOperand(0)->get().getDefiningOp();
    // (Its only use is the producer: nothing else sees it computed per
    // tile.)
    if (auto initOp = dyn_cast_or_null<linalg::LinalgOp>(init);
        initOp && initOp->hasOneUse() && initOp.getNumReductionLoops() == 0)
      fusable.insert(initOp);
    llvm::DenseSet<Operation *> blockFused, threadFused;
    linalg::LinalgOp blockTile = tileAndFuse<mlir::gpu::GPUBlockMappingAttr>(
        rewriter, consumer, epilogue.workgroup, fusable, blockFused);
    // (Untouched but for its destination, which computes the same: the
    // two stay kernels of their own.)
    if (!blockTile)
      return;
    rewriter.eraseOp(consumer);
    // The tiles of the fused ops within the block: the producer's and its
    // initialization's, fused again at the threads' tiles.
    llvm::DenseSet<Operation *> blockFusable;
    for (Operation *op : blockFused)
      if (op != blockTile)
        blockFusable.insert(op);
    linalg::LinalgOp threadTile = tileAndFuse<mlir::gpu::GPUThreadMappingAttr>(
        rewriter, blockTile, epilogue.thread, blockFusable, threadFused);
    if (!threadTile) {
      blockTile->emitError() << "could not be tiled onto the threads with its "
                                "producer";
      return signalPassFailure();
    }
    rewriter.eraseOp(blockTile);
    // The block's tiles the threads' replace (the producer's first: it uses
    // its initialization's), and the untiled producer and initialization.
    SmallVector<Operation *> dead(blockFusable.begin(), blockFusable.end());
    dead.append(fusable.begin(), fusable.end());
    for (bool erased = true; erased;) {
      erased = false;
      for (Operation *&op : dead)
        if (op && op->use_empty()) {
          rewriter.eraseOp(op);
          op = nullptr;
          erased = true;
        }
    }
    for (Operation *op : threadFused)
      op->removeAttr(LoweringConfigAttr::kAttrName);
  }
};
} // namespace
