//===- PoolingToElementwise.cpp - small pooling windows as elementwise ops ===//
//
// Part of Kiln. A max or sum pooling
//
//   out[n, c, oh, ow] = max over (kh, kw) of x[n, c, oh*sh + kh*dh, ow*sw +
//   kw*dw]
//
// is, for each window position (kh, kw), a strided view of the input of the
// output's shape: x[:, :, kh*dh :: sh, kw*dw :: sw]. With one such
// tensor.extract_slice per position, the pooling becomes one elementwise
// linalg.generic that combines KH*KW inputs with the accumulator, which
// kiln-cpu-select-lowering-config and kiln-cpu-vectorize turn into vector
// code (linalg's pooling ops, whose input maps are not permutations, stay
// scalar loops). The combining op is the pooling op's own body, applied
// once per window position, so max/sum and their NaN and integer semantics
// carry over unchanged.
//
// Windows of more than kMaxWindow positions (e.g. large average pools) and
// dynamic shapes are left alone.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENPOOLINGTOELEMENTWISE
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// Windows with more positions than this stay pooling ops: the generic would
/// take one operand per position.
static constexpr int64_t kMaxWindow = 16;

/// Rewrites a static NCHW pooling op (max or sum) as described above.
template <typename PoolingOp>
static LogicalResult rewritePooling(RewriterBase &rewriter, PoolingOp op) {
  Value input = op.getInputs()[0];
  auto inputType = dyn_cast<RankedTensorType>(input.getType());
  auto windowType = dyn_cast<RankedTensorType>(op.getInputs()[1].getType());
  auto outputType = dyn_cast<RankedTensorType>(op.getOutputs()[0].getType());
  if (!inputType || !windowType || !outputType || !inputType.hasStaticShape() ||
      !windowType.hasStaticShape() || !outputType.hasStaticShape() ||
      windowType.getNumElements() > kMaxWindow || !op.hasPureTensorSemantics())
    return failure();
  auto strides = llvm::to_vector(op.getStrides().template getValues<int64_t>());
  auto dilations =
      llvm::to_vector(op.getDilations().template getValues<int64_t>());
  ArrayRef<int64_t> out = outputType.getShape();
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);

  SmallVector<Value> views;
  for (int64_t kh = 0; kh < windowType.getDimSize(0); ++kh)
    for (int64_t kw = 0; kw < windowType.getDimSize(1); ++kw) {
      SmallVector<OpFoldResult> offsets = {
          rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
          rewriter.getIndexAttr(kh * dilations[0]),
          rewriter.getIndexAttr(kw * dilations[1])};
      SmallVector<OpFoldResult> sizes =
          getAsIndexOpFoldResult(rewriter.getContext(), out);
      SmallVector<OpFoldResult> steps = {
          rewriter.getIndexAttr(1), rewriter.getIndexAttr(1),
          rewriter.getIndexAttr(strides[0]), rewriter.getIndexAttr(strides[1])};
      views.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, outputType, input, offsets, sizes, steps));
    }

  Block *body = op.getBlock();
  SmallVector<AffineMap> maps(
      views.size() + 1, rewriter.getMultiDimIdentityMap(outputType.getRank()));
  SmallVector<utils::IteratorType> iterators(outputType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, outputType, views, op.getOutputs(), maps, iterators,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        // args: one element per window position, then the accumulator. The
        // pooling body takes (input, window, accumulator).
        Value acc = args.back();
        for (Value element : args.drop_back()) {
          IRMapping mapping;
          mapping.map(body->getArgument(0), element);
          mapping.map(body->getArgument(1), element); // the window: unused
          mapping.map(body->getArgument(2), acc);
          for (Operation &inner : body->without_terminator())
            b.clone(inner, mapping);
          acc = mapping.lookup(body->getTerminator()->getOperand(0));
        }
        linalg::YieldOp::create(b, loc, acc);
      });
  rewriter.replaceOp(op, generic.getResults());
  return success();
}

namespace {
struct KilnCodegenPoolingToElementwisePass
    : public kiln::impl::KilnCodegenPoolingToElementwiseBase<
          KilnCodegenPoolingToElementwisePass> {
  void runOnOperation() override {
    SmallVector<Operation *> pools;
    getOperation()->walk([&](Operation *op) {
      if (isa<linalg::PoolingNchwMaxOp, linalg::PoolingNchwSumOp>(op))
        pools.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : pools) {
      if (auto max = dyn_cast<linalg::PoolingNchwMaxOp>(op))
        (void)rewritePooling(rewriter, max);
      else
        (void)rewritePooling(rewriter, cast<linalg::PoolingNchwSumOp>(op));
    }
  }
};
} // namespace
