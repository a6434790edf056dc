//===- SplitReductions.cpp - long float sums as trees of blocked sums -----===//
//
// Part of Kiln. See kiln-codegen-split-reductions in Passes.td.
//
// For a reduction generic whose reduction loops (outermost first) are
// r_1 .. r_k, the innermost loops whose sizes multiply to at most the block
// size stay a reduction; the loop r_j where the block fills up is split
// into an outer part, which becomes parallel with r_1 .. r_{j-1}, and an
// inner part of f iterations, which stays in the block:
//
//   partials[out..., r_1..r_{j-1}, r_j / f] = sum over (r_j % f, r_{j+1..k})
//   result[out...] = init + sum over partials' extra dimensions
//
// r_j is reshaped (tensor.expand_shape) in every input it indexes. When f
// does not divide r_j, the last r_j % f iterations are summed by the
// original op, on slices of its inputs, into the result.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENSPLITREDUCTIONS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

/// Where the reduction loops of an op are cut (see the file comment).
struct Split {
  /// The loop that is split (r_j), its size, and the size of its inner part
  /// (f: 1 makes the whole loop parallel).
  unsigned dim = 0;
  int64_t size = 0, inner = 1;
  /// The reduction loops outside `dim` (r_1 .. r_{j-1}), outermost first.
  SmallVector<unsigned> outerReductions;
  /// Iterations of `dim` the blocks cover (a multiple of `inner`); the rest
  /// is the remainder.
  int64_t covered() const { return size / inner * inner; }
};

/// The cut for reduction loops of `sizes` (all loops) where `reductions`
/// lists the reduction loops, outermost first; none when the chain is short.
std::optional<Split> chooseSplit(ArrayRef<int64_t> sizes,
                                 ArrayRef<unsigned> reductions,
                                 int64_t blockSize) {
  int64_t chain = 1;
  for (unsigned r : reductions)
    chain = chain > blockSize ? chain : chain * sizes[r];
  if (chain <= blockSize)
    return std::nullopt;
  // The innermost loops that fit in a block.
  int64_t block = 1;
  int j = int(reductions.size()) - 1;
  while (j >= 0 && block * sizes[reductions[j]] <= blockSize) {
    block *= sizes[reductions[j]];
    --j;
  }
  Split split;
  split.dim = reductions[j];
  split.size = sizes[split.dim];
  split.outerReductions.assign(reductions.begin(), reductions.begin() + j);
  int64_t room = blockSize / block; // >= 1
  if (room < 2)
    return split; // the whole loop becomes parallel
  // The largest divisor of the loop's size that fits, if it fills at least
  // half the room; else blocks of `room` and a remainder. (A small divisor
  // would make the next level nearly as long as this one.)
  int64_t divisor = 1;
  for (int64_t f = room; f >= 2; --f)
    if (split.size % f == 0) {
      divisor = f;
      break;
    }
  split.inner = divisor >= std::max<int64_t>(2, room / 2) ? divisor : room;
  return split;
}

struct SplitLongSum : OpRewritePattern<linalg::GenericOp> {
  SplitLongSum(MLIRContext *context, int64_t blockSize)
      : OpRewritePattern(context), blockSize(blockSize) {}

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
        op.getNumReductionLoops() == 0)
      return rewriter.notifyMatchFailure(op, "not a one-result reduction");
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    if (!isa<FloatType>(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "not a floating-point sum");
    if (linalg::isaContractionOpInterface(op) ||
        linalg::isaConvolutionOpInterface(op))
      return rewriter.notifyMatchFailure(op, "contractions are tiled instead");
    if (!op.getBody()->getOps<linalg::IndexOp>().empty())
      return rewriter.notifyMatchFailure(op, "reads loop indices");
    for (AffineMap map : op.getIndexingMapsArray())
      if (!map.isProjectedPermutation(/*allowZeroInResults=*/false))
        return rewriter.notifyMatchFailure(op, "indexing map not a projection");
    SmallVector<Operation *, 4> combiners;
    if (!matchReduction(op.getRegionOutputArgs(), 0, combiners) ||
        combiners.size() != 1 || !isa<arith::AddFOp>(combiners[0]))
      return rewriter.notifyMatchFailure(op, "combiner is not arith.addf");

    SmallVector<int64_t> sizes = op.getStaticLoopRanges();
    SmallVector<unsigned> reductions;
    op.getReductionDims(reductions);
    for (unsigned r : reductions)
      if (ShapedType::isDynamic(sizes[r]))
        return rewriter.notifyMatchFailure(op, "dynamic reduction size");
    std::optional<Split> split = chooseSplit(sizes, reductions, blockSize);
    if (!split)
      return rewriter.notifyMatchFailure(op, "chain within a block");

    Value partials = buildPartialSums(rewriter, op, *split);
    Value result = sumPartials(rewriter, op, partials,
                               cast<arith::AddFOp>(combiners[0]));
    if (split->covered() < split->size)
      result = sumRemainder(rewriter, op, *split, result);
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  /// The first level: the partial sums over blocks.
  Value buildPartialSums(PatternRewriter &rewriter, linalg::GenericOp op,
                         const Split &split) const;
  /// The second level: the partial sums added into the op's accumulator.
  Value sumPartials(PatternRewriter &rewriter, linalg::GenericOp op,
                    Value partials, arith::AddFOp combiner) const;
  /// The iterations of the split loop the blocks do not cover, added by the
  /// original op on slices of its inputs.
  Value sumRemainder(PatternRewriter &rewriter, linalg::GenericOp op,
                     const Split &split, Value accumulator) const;

  int64_t blockSize;
};

/// `value`'s dimension `position`, sliced to [offset, offset + size).
Value sliceDim(OpBuilder &b, Location loc, Value value, int64_t position,
               int64_t offset, int64_t size) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, value);
  SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
  offsets[position] = b.getIndexAttr(offset);
  sizes[position] = b.getIndexAttr(size);
  return tensor::ExtractSliceOp::create(b, loc, value, offsets, sizes, strides);
}

Value SplitLongSum::buildPartialSums(PatternRewriter &rewriter,
                                     linalg::GenericOp op,
                                     const Split &split) const {
  Location loc = op.getLoc();
  MLIRContext *context = op.getContext();
  unsigned numLoops = op.getNumLoops();
  bool reshape = split.inner > 1;
  // Loop k of the op becomes loop newDim(k); the split loop becomes
  // (outer, inner) = (split.dim, split.dim + 1) when it is reshaped.
  auto newDim = [&](unsigned k) {
    return reshape && k > split.dim ? k + 1 : k;
  };
  unsigned newLoops = numLoops + (reshape ? 1 : 0);
  auto dimExpr = [&](unsigned k) { return getAffineDimExpr(k, context); };

  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (OpOperand *operand : op.getDpsInputOperands()) {
    Value value = operand->get();
    AffineMap map = op.getMatchingIndexingMap(operand);
    SmallVector<AffineExpr> results;
    for (auto [position, expr] : llvm::enumerate(map.getResults())) {
      unsigned k = cast<AffineDimExpr>(expr).getPosition();
      if (k != split.dim || !reshape) {
        results.push_back(dimExpr(newDim(k)));
        continue;
      }
      // [size] -> [covered / inner, inner] at `position`. (At the input's
      // location: a constant folded with the reshape keeps its own.)
      Location at = value.getLoc();
      if (split.covered() < split.size)
        value = sliceDim(rewriter, at, value, position, 0, split.covered());
      auto type = cast<RankedTensorType>(value.getType());
      SmallVector<int64_t> shape(type.getShape());
      shape[position] = split.covered() / split.inner;
      shape.insert(shape.begin() + position + 1, split.inner);
      SmallVector<ReassociationIndices> groups;
      for (int64_t d = 0; d < type.getRank(); ++d) {
        int64_t first = d <= int64_t(position) ? d : d + 1;
        if (d == int64_t(position))
          groups.push_back({first, first + 1});
        else
          groups.push_back({first});
      }
      value = tensor::ExpandShapeOp::create(
          rewriter, at, RankedTensorType::get(shape, type.getElementType()),
          value, groups);
      results.push_back(dimExpr(split.dim));
      results.push_back(dimExpr(split.dim + 1));
    }
    inputs.push_back(value);
    maps.push_back(AffineMap::get(newLoops, 0, results, context));
  }

  // Partial sums: the accumulator's dimensions, then one per loop that
  // became parallel (the outer reductions and the split loop's outer part).
  Value init = op.getDpsInitOperand(0)->get();
  auto initType = cast<RankedTensorType>(init.getType());
  AffineMap initMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  SmallVector<AffineExpr> partialResults;
  for (AffineExpr expr : initMap.getResults())
    partialResults.push_back(
        dimExpr(newDim(cast<AffineDimExpr>(expr).getPosition())));
  SmallVector<OpFoldResult> partialSizes =
      tensor::getMixedSizes(rewriter, loc, init);
  SmallVector<unsigned> parallelized(split.outerReductions);
  parallelized.push_back(split.dim);
  SmallVector<int64_t> staticSizes = op.getStaticLoopRanges();
  for (unsigned k : parallelized) {
    partialResults.push_back(dimExpr(newDim(k)));
    int64_t size = k == split.dim && reshape
                       ? split.covered() / split.inner
                       : staticSizes[k];
    partialSizes.push_back(rewriter.getIndexAttr(size));
  }
  maps.push_back(AffineMap::get(newLoops, 0, partialResults, context));
  Type element = initType.getElementType();
  Value empty = tensor::EmptyOp::create(rewriter, loc, partialSizes, element);
  Value zero = arith::ConstantOp::create(rewriter, loc, element,
                                         rewriter.getFloatAttr(element, 0.0));
  Value zeros =
      linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);

  SmallVector<utils::IteratorType> iterators;
  for (unsigned k = 0; k < numLoops; ++k) {
    utils::IteratorType type = op.getIteratorTypesArray()[k];
    if (llvm::is_contained(split.outerReductions, k) || k == split.dim)
      type = utils::IteratorType::parallel;
    iterators.push_back(type);
    if (k == split.dim && reshape)
      iterators.push_back(utils::IteratorType::reduction);
  }
  auto partial = linalg::GenericOp::create(rewriter, loc, zeros.getType(),
                                           inputs, ValueRange{zeros}, maps,
                                           iterators);
  rewriter.cloneRegionBefore(op.getRegion(), partial.getRegion(),
                             partial.getRegion().end());
  return partial.getResult(0);
}

Value SplitLongSum::sumPartials(PatternRewriter &rewriter,
                                linalg::GenericOp op, Value partials,
                                arith::AddFOp combiner) const {
  Location loc = op.getLoc();
  Value init = op.getDpsInitOperand(0)->get();
  int64_t rank = cast<RankedTensorType>(init.getType()).getRank();
  int64_t partialRank = cast<RankedTensorType>(partials.getType()).getRank();
  // The accumulator's dimensions are the partial sums' leading ones.
  SmallVector<AffineExpr> leading;
  for (int64_t d = 0; d < rank; ++d)
    leading.push_back(rewriter.getAffineDimExpr(d));
  SmallVector<AffineMap> maps = {
      rewriter.getMultiDimIdentityMap(partialRank),
      AffineMap::get(partialRank, 0, leading, op.getContext())};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators.append(partialRank - rank, utils::IteratorType::reduction);
  arith::FastMathFlags flags = combiner.getFastmath();
  auto sum = linalg::GenericOp::create(
      rewriter, loc, init.getType(), ValueRange{partials}, ValueRange{init},
      maps, iterators, [&](OpBuilder &b, Location l, ValueRange args) {
        linalg::YieldOp::create(
            b, l, ValueRange{arith::AddFOp::create(b, l, args[0], args[1],
                                                   flags)});
      });
  return sum.getResult(0);
}

Value SplitLongSum::sumRemainder(PatternRewriter &rewriter,
                                 linalg::GenericOp op, const Split &split,
                                 Value accumulator) const {
  Location loc = op.getLoc();
  int64_t covered = split.covered(), rest = split.size - covered;
  SmallVector<Value> inputs;
  for (OpOperand *operand : op.getDpsInputOperands()) {
    Value value = operand->get();
    AffineMap map = op.getMatchingIndexingMap(operand);
    for (auto [position, expr] : llvm::enumerate(map.getResults()))
      if (cast<AffineDimExpr>(expr).getPosition() == split.dim)
        value = sliceDim(rewriter, loc, value, position, covered, rest);
    inputs.push_back(value);
  }
  auto remainder = linalg::GenericOp::create(
      rewriter, loc, accumulator.getType(), inputs, ValueRange{accumulator},
      op.getIndexingMapsArray(), op.getIteratorTypesArray());
  rewriter.cloneRegionBefore(op.getRegion(), remainder.getRegion(),
                             remainder.getRegion().end());
  return remainder.getResult(0);
}

struct KilnCodegenSplitReductionsPass
    : public kiln::impl::KilnCodegenSplitReductionsBase<KilnCodegenSplitReductionsPass> {
  using Base::Base;
  void runOnOperation() override {
    if (blockSize < 2) {
      emitError(getOperation()->getLoc())
          << "kiln-codegen-split-reductions: block-size must be at least 2, got "
          << static_cast<int64_t>(blockSize);
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    kiln::populateSplitReductionPatterns(patterns, blockSize);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace

void kiln::populateSplitReductionPatterns(RewritePatternSet &patterns,
                                          int64_t blockSize) {
  patterns.add<SplitLongSum>(patterns.getContext(), blockSize);
}
