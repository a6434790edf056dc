//===- ContiguousStridedReads.cpp - strided vector reads as shuffles ------===//
//
// Part of Kiln. A vector read of a tensor slice whose innermost stride is
// s > 1 (a stride-2 max pooling reads x[..., kw :: 2]) lowers, after
// bufferization, to one scalar load and one insert per element: ResNet-18's
// 3x3/2 max pooling took 5.7 ms that way on this machine (and 40 ms under
// kiln-run's JIT), more than the convolution before it. Read instead the
// (v - 1) * s + 1 consecutive elements that span the v wanted ones, as one
// contiguous vector, and pick every s-th with a vector.shuffle: a few wide
// loads and permutes. Strided convolutions' patch rows (kiln-cpu-lower-
// im2col, kiln-cpu-pack-tiles) are read the same way.
//
// Only reads whose vector is one row (every dimension but the innermost 1),
// fully in bounds, unmasked and unpermuted are rewritten; the slices between
// the read and the strided one are composed into a single slice of the
// unstrided tensor, so tiled reads of strided views qualify too.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPUCONTIGUOUSSTRIDEDREADS
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// Strides above this stay element reads: the span would hold mostly
/// elements nobody asked for.
static constexpr int64_t kMaxStride = 4;
/// Spans longer than this (elements) stay element reads: LLVM splits a
/// vector into registers, and a very long one into very many.
static constexpr int64_t kMaxSpan = 1024;

namespace {
struct ContiguousStridedRead : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    VectorType vectorType = read.getVectorType();
    int64_t vectorRank = vectorType.getRank();
    if (!isa<RankedTensorType>(read.getBase().getType()) || read.getMask() ||
        vectorRank == 0 || vectorType.isScalable() ||
        !read.getPermutationMap().isMinorIdentity() ||
        !llvm::all_of(read.getInBoundsValues(), [](bool b) { return b; }))
      return failure();
    if (llvm::any_of(vectorType.getShape().drop_back(),
                     [](int64_t size) { return size != 1; }))
      return failure();

    // The chain of (rank-preserving) slices below the read, and the stride
    // of the vector's elements in the tensor under it.
    SmallVector<tensor::ExtractSliceOp> chain;
    int64_t stride = 1;
    Value base = read.getBase();
    while (auto slice = base.getDefiningOp<tensor::ExtractSliceOp>()) {
      std::optional<int64_t> innermost =
          getConstantIntValue(slice.getMixedStrides().back());
      if (slice.getSourceType().getRank() != slice.getType().getRank() ||
          !innermost)
        break;
      chain.push_back(slice);
      stride *= *innermost;
      base = slice.getSource();
    }
    int64_t length = vectorType.getShape().back();
    int64_t span = (length - 1) * stride + 1;
    if (stride == 1 || stride > kMaxStride || span > kMaxSpan || length == 1)
      return failure();

    // Where the vector's first element is in that tensor.
    Location loc = read.getLoc();
    SmallVector<OpFoldResult> position =
        getAsOpFoldResult(ValueRange(read.getIndices()));
    AffineExpr offset, index, step;
    bindSymbols(rewriter.getContext(), offset, index, step);
    for (tensor::ExtractSliceOp slice : chain)
      for (auto [d, at] : llvm::enumerate(position))
        at = affine::makeComposedFoldedAffineApply(
            rewriter, loc, offset + index * step,
            {slice.getMixedOffsets()[d], at, slice.getMixedStrides()[d]});

    auto baseType = cast<RankedTensorType>(base.getType());
    SmallVector<OpFoldResult> sizes(baseType.getRank(),
                                    rewriter.getIndexAttr(1));
    sizes.back() = rewriter.getIndexAttr(span);
    SmallVector<OpFoldResult> unit(baseType.getRank(),
                                   rewriter.getIndexAttr(1));
    Value contiguous = tensor::ExtractSliceOp::create(rewriter, loc, base,
                                                      position, sizes, unit);
    auto spanType = VectorType::get({span}, vectorType.getElementType());
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    SmallVector<Value> origin(baseType.getRank(), zero);
    Value whole = vector::TransferReadOp::create(
        rewriter, loc, spanType, contiguous, origin, read.getPadding(),
        ArrayRef<bool>{true});
    SmallVector<int64_t> mask;
    for (int64_t i = 0; i < length; ++i)
      mask.push_back(i * stride);
    Value picked = vector::ShuffleOp::create(rewriter, loc, whole, whole, mask);
    if (vectorRank > 1)
      picked = vector::ShapeCastOp::create(rewriter, loc, vectorType, picked);
    rewriter.replaceOp(read, picked);
    return success();
  }
};

struct KilnCPUContiguousStridedReadsPass
    : public kiln::impl::KilnCPUContiguousStridedReadsBase<
          KilnCPUContiguousStridedReadsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ContiguousStridedRead>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
