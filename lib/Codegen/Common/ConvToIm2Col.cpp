//===- ConvToIm2Col.cpp - NCHW convolutions as im2col + matmul ------------===//
//
// Part of Kiln. A convolution
//
//   out[n, f, oh, ow] += x[n, c, oh*sh + kh*dh, ow*sw + kw*dw] * w[f, c, kh,
//   kw]
//
// becomes the patch matrix P[N, C*KH*KW, OH*OW] of the input
// (kiln_codegen.im2col) and a contraction out[n, f, p] += W[f, k] * P[n, k,
// p] on the collapsed views (k = (c, kh, kw), p = (oh, ow)), which takes the
// tiled, packed, vectorized and multithreaded matmul path. The patch matrix
// stays an op until the contraction is tiled: kiln-cpu-pack-tiles copies
// each cache tile of it straight from the input into the packed tile, and
// kiln-codegen-lower-im2col writes what is left as loops of vector row copies.
//
// Its lowering_config may compute the contraction positions-major instead
// (`transposed`, kiln-codegen-transpose-contractions).
//
// Convolutions with dynamic sizes stay direct convolutions (slower, still
// correct); upstream's im2col (linalg::rewriteInIm2Col) does not take them
// either.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENCONVTOIM2COL
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// The convolution's accumulator `init` [N, F, OH, OW] as [N, F, OH * OW].
/// A fill or a broadcast of one value per filter (a bias) is made again on
/// the collapsed tensor rather than collapsed after it: kiln-codegen-tile then
/// computes its tiles inside the contraction's tile loops, which a collapse
/// between the two would stop.
static Value collapsedAccumulator(RewriterBase &rewriter, Location loc,
                                  Value init) {
  SmallVector<ReassociationIndices> groups = {{0}, {1}, {2, 3}};
  // (A collapse of the result's empty tensor, not an empty tensor of the
  // collapsed shape: the result is then the empty tensor's buffer, and a
  // function that returns it writes it straight into its out-parameter.)
  auto collapse = [&](Value v) {
    return tensor::CollapseShapeOp::create(rewriter, loc, v, groups)
        .getResult();
  };
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return linalg::FillOp::create(rewriter, loc, fill.getInputs()[0],
                                  collapse(fill.getOutputs()[0]))
        .getResult(0);
  if (auto broadcast = init.getDefiningOp<linalg::BroadcastOp>();
      broadcast && broadcast.getDimensions() == ArrayRef<int64_t>{0, 2, 3})
    return linalg::BroadcastOp::create(rewriter, loc, broadcast.getInput(),
                                       collapse(broadcast.getInit()),
                                       ArrayRef<int64_t>{0, 2})
        ->getResult(0);
  return collapse(init);
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
  auto patchType = RankedTensorType::get({n, c * kh * kw, oh * ow}, element);
  Value patchMatrix = kiln::codegen::Im2ColOp::create(
      rewriter, loc, patchType, conv.getInputs()[0], ArrayRef<int64_t>{kh, kw},
      strides, dilations);
  auto collapse = [&](Value v, ArrayRef<ReassociationIndices> groups) {
    return tensor::CollapseShapeOp::create(rewriter, loc, v, groups)
        .getResult();
  };
  Value filterMatrix = collapse(conv.getInputs()[1], {{0}, {1, 2, 3}});
  Value accumulator = collapsedAccumulator(rewriter, loc, conv.getOutputs()[0]);

  MLIRContext *context = rewriter.getContext();
  AffineExpr dn, d1, d2, dk;
  bindDims(context, dn, d1, d2, dk);
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  bool isFloat = isa<FloatType>(element);
  auto multiplyAdd = [&](OpBuilder &b, Location loc, ValueRange args) {
    Value mul =
        isFloat ? arith::MulFOp::create(b, loc, args[0], args[1]).getResult()
                : arith::MulIOp::create(b, loc, args[0], args[1]).getResult();
    Value sum = isFloat
                    ? arith::AddFOp::create(b, loc, args[2], mul).getResult()
                    : arith::AddIOp::create(b, loc, args[2], mul).getResult();
    linalg::YieldOp::create(b, loc, sum);
  };
  // out[n, f, p] += W[f, k] * P[n, k, p], loops (n, f, p, k).
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {d1, dk}, context),
                                 AffineMap::get(4, 0, {dn, dk, d2}, context),
                                 AffineMap::get(4, 0, {dn, d1, d2}, context)};
  Value product = linalg::GenericOp::create(
                      rewriter, loc, accumulator.getType(),
                      ValueRange{filterMatrix, patchMatrix},
                      ValueRange{accumulator}, maps, iterators, multiplyAdd)
                      .getResult(0);
  Value result = tensor::ExpandShapeOp::create(
      rewriter, loc, outputType, product,
      ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  rewriter.replaceOp(conv, result);
  return success();
}

namespace {
struct KilnCodegenConvToIm2ColPass
    : public kiln::impl::KilnCodegenConvToIm2ColBase<
          KilnCodegenConvToIm2ColPass> {
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
