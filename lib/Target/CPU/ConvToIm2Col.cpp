//===- ConvToIm2Col.cpp - NCHW convolutions as im2col + matmul ------------===//
//
// Part of Kiln. A convolution
//
//   out[n, f, oh, ow] += x[n, c, oh*sh + kh*dh, ow*sw + kw*dw] * w[f, c, kh,
//   kw]
//
// becomes a copy of the input patches into P[N, C, KH, KW, OH, OW] (im2col)
// and a contraction out[n, f, p] += W[f, k] * P[n, k, p] on the collapsed
// views (k = (c, kh, kw), p = (oh, ow)), which takes the tiled, packed,
// vectorized and multithreaded matmul path.
//
// The patch copy is written here as loops of vector row copies: each
// P[n, c, kh, kw, oh, :] is OW consecutive input elements (every sw-th, for
// strided convolutions) of one input row. Upstream's im2col
// (linalg::rewriteInIm2Col) gathers element by element through
// tensor.extract, which stays scalar and cost more than the matmul itself
// on ResNet-18's first layers. The loop over channels is distributed over
// the thread pool (each channel's patches are disjoint).
//
// Convolutions with dynamic sizes stay direct convolutions (slower, still
// correct); upstream's im2col (linalg::rewriteInIm2Col) does not take them
// either.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPUCONVTOIM2COL
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// Patch copies smaller than this many elements stay on one thread.
static constexpr int64_t kMinDistributedCopy = int64_t(1) << 16;

/// P[N, C, KH, KW, OH, OW] for `conv`, built as a loop nest over (n, c, kh,
/// kw, oh) of vector row copies.
static Value buildPatches(RewriterBase &rewriter, linalg::Conv2DNchwFchwOp conv,
                          ArrayRef<int64_t> patchShape, int64_t sh, int64_t sw,
                          int64_t dh, int64_t dw) {
  Location loc = conv.getLoc();
  Value input = conv.getInputs()[0];
  auto inputType = cast<RankedTensorType>(input.getType());
  Type element = inputType.getElementType();
  int64_t ow = patchShape.back();
  Value patches = tensor::EmptyOp::create(rewriter, loc, patchShape, element);

  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  Value zero = index(0), one = index(1);
  SmallVector<Value> lbs(5, zero), steps(5, one), ubs;
  for (int64_t size : patchShape.drop_back())
    ubs.push_back(index(size));
  auto vectorType = VectorType::get({ow}, element);
  Value padding = arith::ConstantOp::create(rewriter, loc, element,
                                            rewriter.getZeroAttr(element));
  scf::LoopNest nest = scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps, ValueRange{patches},
      [&](OpBuilder &b, Location loc, ValueRange ivs,
          ValueRange args) -> scf::ValueVector {
        Value n = ivs[0], c = ivs[1], kh = ivs[2], kw = ivs[3], oh = ivs[4];
        auto mulAdd = [&](Value x, int64_t scale, Value y, int64_t yScale) {
          Value lhs = arith::MulIOp::create(b, loc, x, index(scale));
          Value rhs = arith::MulIOp::create(b, loc, y, index(yScale));
          return arith::AddIOp::create(b, loc, lhs, rhs).getResult();
        };
        Value row = mulAdd(oh, sh, kh, dh);
        Value column = arith::MulIOp::create(b, loc, kw, index(dw));
        SmallVector<Value> at = {n, c, row, column};
        Value vector;
        if (sw == 1) {
          vector = vector::TransferReadOp::create(b, loc, vectorType, input,
                                                  at, padding,
                                                  ArrayRef<bool>{true});
        } else {
          // Every sw-th element of the row: the (ow - 1) * sw + 1 elements
          // that span them, read as one contiguous vector, then picked out
          // by a shuffle. (A transfer_read of a strided slice becomes one
          // scalar load and insert per element: the 7x7/2 stem of ResNet-18
          // ran at 1.6 GFLOP/s.)
          int64_t span = (ow - 1) * sw + 1;
          auto spanType = VectorType::get({span}, element);
          Value whole = vector::TransferReadOp::create(
              b, loc, spanType, input, at, padding, ArrayRef<bool>{true});
          SmallVector<int64_t> mask;
          for (int64_t i = 0; i < ow; ++i)
            mask.push_back(i * sw);
          vector = vector::ShuffleOp::create(b, loc, whole, whole, mask);
        }
        Value written =
            vector::TransferWriteOp::create(b, loc, vector, args[0],
                                            ValueRange{n, c, kh, kw, oh, zero},
                                            ArrayRef<bool>{true})
                .getResult();
        return {written};
      });
  int64_t elements = 1;
  for (int64_t size : patchShape)
    elements *= size;
  if (patchShape[1] > 1 && elements >= kMinDistributedCopy)
    nest.loops[1]->setAttr(kiln::codegen::kDistributedLoopAttrName,
                           rewriter.getUnitAttr());
  return nest.results.front();
}

/// Rewrites `conv` (static shapes only) as im2col + contraction.
static LogicalResult rewriteConv(RewriterBase &rewriter,
                                 linalg::Conv2DNchwFchwOp conv) {
  auto inputType = dyn_cast<RankedTensorType>(conv.getInputs()[0].getType());
  auto filterType = dyn_cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto outputType = dyn_cast<RankedTensorType>(conv.getOutputs()[0].getType());
  if (!inputType || !filterType || !outputType || !inputType.hasStaticShape() ||
      !filterType.hasStaticShape() || !outputType.hasStaticShape() ||
      !conv.hasPureTensorSemantics())
    return failure();
  Location loc = conv.getLoc();
  Type element = outputType.getElementType();
  auto strides = llvm::to_vector(conv.getStrides().getValues<int64_t>());
  auto dilations = llvm::to_vector(conv.getDilations().getValues<int64_t>());
  ArrayRef<int64_t> in = inputType.getShape(), filter = filterType.getShape(),
                    out = outputType.getShape();
  int64_t n = in[0], c = in[1], kh = filter[2], kw = filter[3], oh = out[2],
          ow = out[3];

  rewriter.setInsertionPoint(conv);
  Value patches =
      buildPatches(rewriter, conv, {n, c, kh, kw, oh, ow}, strides[0],
                   strides[1], dilations[0], dilations[1]);
  auto collapse = [&](Value v, ArrayRef<ReassociationIndices> groups) {
    return tensor::CollapseShapeOp::create(rewriter, loc, v, groups)
        .getResult();
  };
  Value patchMatrix = collapse(patches, {{0}, {1, 2, 3}, {4, 5}});
  Value filterMatrix = collapse(conv.getInputs()[1], {{0}, {1, 2, 3}});
  Value accumulator = collapse(conv.getOutputs()[0], {{0}, {1}, {2, 3}});

  // out[n, f, p] += W[f, k] * P[n, k, p], loops (n, f, p, k).
  MLIRContext *context = rewriter.getContext();
  AffineExpr dn, df, dp, dk;
  bindDims(context, dn, df, dp, dk);
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {df, dk}, context),
                                 AffineMap::get(4, 0, {dn, dk, dp}, context),
                                 AffineMap::get(4, 0, {dn, df, dp}, context)};
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  bool isFloat = isa<FloatType>(element);
  auto product = linalg::GenericOp::create(
      rewriter, loc, accumulator.getType(),
      ValueRange{filterMatrix, patchMatrix}, ValueRange{accumulator}, maps,
      iterators, [&](OpBuilder &b, Location loc, ValueRange args) {
        Value mul =
            isFloat
                ? arith::MulFOp::create(b, loc, args[0], args[1]).getResult()
                : arith::MulIOp::create(b, loc, args[0], args[1]).getResult();
        Value sum =
            isFloat ? arith::AddFOp::create(b, loc, args[2], mul).getResult()
                    : arith::AddIOp::create(b, loc, args[2], mul).getResult();
        linalg::YieldOp::create(b, loc, sum);
      });
  Value result = tensor::ExpandShapeOp::create(
      rewriter, loc, outputType, product.getResult(0),
      ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  rewriter.replaceOp(conv, result);
  return success();
}

namespace {
struct KilnCPUConvToIm2ColPass
    : public kiln::impl::KilnCPUConvToIm2ColBase<KilnCPUConvToIm2ColPass> {
  void runOnOperation() override {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation()->walk(
        [&](linalg::Conv2DNchwFchwOp conv) { convs.push_back(conv); });
    IRRewriter rewriter(&getContext());
    for (linalg::Conv2DNchwFchwOp conv : convs)
      (void)rewriteConv(rewriter, conv);
  }
};
} // namespace
