//===- Tile.cpp - tile linalg ops to their lowering_config ----------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENTILE
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;

/// The dims of the tile loops `tileUsingSCF` made for `sizes` (the first
/// level's), outermost first: one loop per non-zero size, in the level's
/// order (else the op's).
static SmallVector<int64_t> tiledLoopDims(LoweringConfigAttr config,
                                          ArrayRef<int64_t> sizes) {
  SmallVector<int64_t> order(config.getLevels().front().getOrder());
  if (order.empty())
    order = llvm::to_vector(llvm::seq<int64_t>(0, sizes.size()));
  SmallVector<int64_t> dims;
  for (int64_t d : order)
    if (sizes[d] != 0)
      dims.push_back(d);
  return dims;
}

/// Marks the loop of the config's distributed loop, if any, with
/// `kiln_codegen.distributed`, which kiln-cpu-outline-parallel-loops reads
/// after bufferization. Peeling keeps the mark on the main loop.
static LogicalResult markDistributedLoop(linalg::LinalgOp op,
                                         LoweringConfigAttr config,
                                         ArrayRef<int64_t> sizes,
                                         ArrayRef<LoopLikeOpInterface> loops) {
  SmallVector<int64_t> dims = tiledLoopDims(config, sizes);
  for (int64_t dim : config.getDistributedLoops()) {
    if (op.getIteratorTypesArray()[dim] != utils::IteratorType::parallel)
      return op->emitError()
             << "lowering_config distributes loop " << dim
             << ", which is a reduction: only parallel loops can be spread "
                "over threads";
    // (The attribute's verifier makes it a tiled loop, one of `dims`.)
    auto index = llvm::find(dims, dim) - dims.begin();
    if (index < static_cast<int64_t>(loops.size()))
      loops[index]->setAttr(kiln::codegen::kDistributedLoopAttrName,
                            UnitAttr::get(op->getContext()));
  }
  return success();
}

/// The all-parallel linalg op that computes the initial value of the tile
/// loops' accumulator that `slice` reads (through the loops' iter_args), if
/// any: a fill, a bias broadcast. `loopInit` is set to the outermost loop's
/// operand that takes it in.
static linalg::LinalgOp accumulatorInit(tensor::ExtractSliceOp slice,
                                        OpOperand *&loopInit) {
  Value value = slice.getSource();
  loopInit = nullptr;
  while (auto arg = dyn_cast<BlockArgument>(value)) {
    auto loop = dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp());
    if (!loop || arg.getArgNumber() < loop.getNumInductionVars())
      return {};
    loopInit = loop.getTiedLoopInit(arg);
    value = loopInit->get();
  }
  auto init = value.getDefiningOp<linalg::LinalgOp>();
  if (!loopInit || !init || init->getNumResults() != 1 ||
      !init.hasPureTensorSemantics() ||
      init.getNumParallelLoops() != init.getNumLoops() ||
      init.payloadUsesValueFromOperand(init.getDpsInitOperand(0)))
    return {};
  return init;
}

/// Gives `operand` a tensor.empty of its own (and reshapes of it) if it
/// takes one that other ops take too: one-shot bufferization would copy
/// one loop's results out of the shared buffer before the next wrote it.
static void ownEmptyTensor(RewriterBase &rewriter, OpOperand &operand) {
  SmallVector<Operation *> chain; // from the empty tensor to the operand
  bool shared = false;
  for (Value v = operand.get(); v;) {
    Operation *def = v.getDefiningOp();
    if (!def || def->getNumResults() != 1)
      return;
    shared |= !v.hasOneUse();
    chain.insert(chain.begin(), def);
    if (isa<tensor::EmptyOp>(def))
      break;
    if (!isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def))
      return;
    v = def->getOperand(0);
  }
  if (!shared || chain.empty() || !isa<tensor::EmptyOp>(chain.front()))
    return;
  rewriter.setInsertionPoint(operand.getOwner());
  IRMapping mapping;
  Operation *clone = nullptr;
  for (Operation *op : chain)
    clone = rewriter.clone(*op, mapping);
  rewriter.modifyOpInPlace(operand.getOwner(),
                           [&] { operand.set(clone->getResult(0)); });
}

/// Computes the accumulator's initial value tile by tile inside the cache
/// tile loops of a tiled contraction, right before each tile's reduction,
/// instead of whole before them: with the threads sharing the tiles, a
/// fill shared out by another loop (a convolution's output by channels,
/// its tiles by positions) left half of every thread's accumulator in the
/// other core's cache (64->128 3x3/2 on 2 threads: 0.43 -> 0.39 ms). Only
/// inside loops over parallel dims: inside a reduction loop the tile would
/// be reset on every iteration. Returns the fused init's original op if it
/// has no uses left.
static Operation *
fuseAccumulatorInit(RewriterBase &rewriter, StringRef level,
                    ArrayRef<utils::IteratorType> iterators,
                    LoweringConfigAttr config, ArrayRef<int64_t> sizes,
                    MutableArrayRef<LoopLikeOpInterface> loops) {
  SmallVector<int64_t> dims = tiledLoopDims(config, sizes);
  if (dims.size() != loops.size() || loops.empty())
    return nullptr;
  // Nothing to do (and no loop to restructure) unless the nest starts from
  // a linalg op's result.
  auto outer = dyn_cast<scf::ForOp>(loops.front().getOperation());
  if (!outer || llvm::none_of(outer.getInitArgs(), [](Value v) {
        return v.getDefiningOp<linalg::LinalgOp>() != nullptr;
      }))
    return nullptr;
  // The accumulator's tile is taken and put back inside the innermost loop;
  // out of the reduction loops, whose iterations all update the same tile,
  // it is taken once before them.
  for (size_t i = loops.size(); i-- > 0;)
    if (iterators[dims[i]] == utils::IteratorType::reduction)
      loops[i] = hoistLoopInvariantSubsets(rewriter, loops[i]);
  // The slice of an iter_arg in the deepest loop whose enclosing tile loops
  // are all over parallel dims.
  tensor::ExtractSliceOp candidate;
  size_t depth = 0;
  for (size_t i = 0; i < loops.size(); ++i) {
    if (iterators[dims[i]] != utils::IteratorType::parallel)
      break;
    auto loop = dyn_cast<scf::ForOp>(loops[i].getOperation());
    if (!loop)
      break;
    for (auto slice : loop.getBody()->getOps<tensor::ExtractSliceOp>())
      if (llvm::is_contained(loop.getRegionIterArgs(), slice.getSource())) {
        candidate = slice;
        depth = i + 1;
      }
  }
  if (!candidate)
    return nullptr;
  OpOperand *loopInit;
  linalg::LinalgOp init = accumulatorInit(candidate, loopInit);
  if (!init)
    return nullptr;
  auto initConfig =
      init->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
  std::optional<scf::SCFFuseProducerOfSliceResult> fused =
      scf::tileAndFuseProducerOfSlice(rewriter, candidate,
                                      loops.take_front(depth));
  if (!fused)
    return nullptr;
  // (The loop now takes the init's destination in.)
  ownEmptyTensor(rewriter, *loopInit);
  // The tile is computed in the loops it now lies in: no tiles of this
  // level (and no distributed loop) of its own, those of the levels after
  // it it had.
  for (Operation *tiled : fused->tiledOps) {
    if (!initConfig || !initConfig.getLevel(level)) {
      tiled->removeAttr(LoweringConfigAttr::kAttrName);
      continue;
    }
    SmallVector<kiln::codegen::TileLevel> levels;
    bool inner = false;
    for (const kiln::codegen::TileLevel &l : initConfig.getLevels()) {
      SmallVector<int64_t> sizes(l.getSizes().size(), 0);
      if (inner)
        sizes.assign(l.getSizes().begin(), l.getSizes().end());
      inner |= l.name.getValue() == level;
      levels.push_back(kiln::codegen::makeTileLevel(rewriter.getContext(),
                                                    l.name.getValue(), sizes));
    }
    tiled->setAttr(
        LoweringConfigAttr::kAttrName,
        LoweringConfigAttr::get(rewriter.getContext(), levels, {}, {}));
  }
  return init->use_empty() ? init.getOperation() : nullptr;
}

namespace {
struct KilnCodegenTilePass
    : public kiln::impl::KilnCodegenTileBase<KilnCodegenTilePass> {
  using Base::Base;

  void runOnOperation() override {
    if (level.empty()) {
      getOperation()->emitError()
          << "kiln-codegen-tile: no tile level given (level=NAME)";
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> targets;
    // Whether the level is the ops' first: the outermost tiles, which are
    // the ones distributed and into which accumulator inits are fused.
    bool outermost = false;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (!op->hasAttr(LoweringConfigAttr::kAttrName))
        return;
      targets.push_back(op);
      auto config =
          op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
      outermost |= config && !config.getLevels().empty() &&
                   config.getLevels().front().name.getValue() == level;
    });
    IRRewriter rewriter(&getContext());
    // Consumers first: a contraction's accumulator init (which comes before
    // it) is then still whole when the contraction's tiles take it in.
    if (outermost)
      std::reverse(targets.begin(), targets.end());
    DenseSet<Operation *> erased;
    for (linalg::LinalgOp op : targets) {
      if (erased.contains(op))
        continue;
      auto config =
          op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
      if (!config) {
        op->emitError() << "expects '" << LoweringConfigAttr::kAttrName
                        << "' to be a #kiln_codegen.lowering_config";
        return signalPassFailure();
      }
      const kiln::codegen::TileLevel *tileLevel = config.getLevel(level);
      if (!tileLevel) {
        op->emitOpError() << "has a lowering_config without a '" << level
                          << "' tile level: " << config;
        return signalPassFailure();
      }
      ArrayRef<int64_t> sizes = tileLevel->getSizes();
      bool first = tileLevel == &config.getLevels().front();
      if (sizes.size() != op.getNumLoops()) {
        op->emitError() << "has " << op.getNumLoops()
                        << " loops but its lowering_config has " << sizes.size()
                        << " tile sizes";
        return signalPassFailure();
      }
      if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
        continue;
      scf::SCFTilingOptions options;
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
      ArrayRef<int64_t> order = tileLevel->getOrder();
      // (The attribute's verifier makes an order a permutation of as many
      // loops as it has tiles, which the op has, as checked above.)
      if (!order.empty())
        options.setInterchange(order);
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled)) {
        op->emitError() << "could not be tiled to " << config;
        return signalPassFailure();
      }
      if (first && failed(markDistributedLoop(op, config, sizes, tiled->loops)))
        return signalPassFailure();
      SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
      rewriter.replaceOp(op, tiled->replacements);
      if (first &&
          llvm::is_contained(iterators, utils::IteratorType::reduction))
        if (Operation *init = fuseAccumulatorInit(
                rewriter, level, iterators, config, sizes, tiled->loops)) {
          erased.insert(init);
          rewriter.eraseOp(init);
        }
      // Peel the last, partial iteration off each loop: the main loops then
      // have tiles of static size, which vectorize without masks; the
      // partial tiles have smaller static sizes (or dynamic ones, which stay
      // scalar). A peeled iteration holds copies of the inner loops, which
      // need peeling too: repeat until no loop has a partial iteration left.
      if (tiled->loops.empty())
        continue;
      Operation *nest = tiled->loops.front().getOperation();
      Block *block = nest->getBlock();
      // Every loop is tried once; partial iterations are never peeled again.
      DenseSet<Operation *> tried;
      bool peeled = true;
      while (peeled) {
        peeled = false;
        SmallVector<scf::ForOp> loops;
        // The nest and the partial iterations peeled off it (which land right
        // after it in the same block).
        for (Operation *op = nest; op && op->getBlock() == block;
             op = op->getNextNode()) {
          if (!isa<scf::ForOp>(op))
            break;
          op->walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
            if (!tried.contains(loop))
              loops.push_back(loop);
          });
        }
        for (scf::ForOp loop : loops) {
          tried.insert(loop);
          scf::ForOp partial;
          rewriter.setInsertionPoint(loop);
          if (succeeded(
                  scf::peelForLoopAndSimplifyBounds(rewriter, loop, partial))) {
            tried.insert(partial);
            peeled = true;
          }
        }
      }
    }
  }
};
} // namespace
