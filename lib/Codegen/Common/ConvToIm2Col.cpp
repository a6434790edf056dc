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
// A float convolution with a constant filter, at least as many filters as
// output positions and a reduction of at least 256 is computed
// positions-major (positionsMajorProduct): the patch matrix is then the
// contraction's left operand and the filter, read transposed, its right one
// (kiln-cpu-pack-tiles transposes the constant at compile time).
//
// Convolutions with dynamic sizes stay direct convolutions (slower, still
// correct); upstream's im2col (linalg::rewriteInIm2Col) does not take them
// either.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Codegen/Passes.h"
#include "kiln/Codegen/ReshapedConstants.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENCONVTOIM2COL
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// The shallowest reduction (C*KH*KW) computed positions-major. With less,
/// packing each tile of patches costs more than the full register tiles
/// save: ResNet-18's 128 -> 256 1x1/2 layer (a reduction of 128) took 0.18
/// ms positions-major, 0.10 filters-major, where its 256 -> 512 one (256)
/// took 0.11 and 0.13 (AVX-512 Xeon, 1 thread).
static constexpr int64_t kMinPositionsMajorDepth = 256;

/// The register tiles of the transposing sum (below): 8 x 8 blocks, read as
/// 8 rows, transposed in registers, written as 8 rows.
static constexpr int64_t kTransposeBlock = 8;

/// out[n, f, p] = acc[n, f, p] + sum_k P[n, k, p] * W[f, k], computed
/// positions-major: the contraction, loops (n, p, f, k), writes
/// T[n, p, f] from zero, and one elementwise op adds T transposed to the
/// accumulator. Register tiles then hold rows of output positions and
/// vectors of filters: a layer with few positions and many filters
/// (ResNet-18's 14x14 and 7x7 layers: 196 = 14 x 14 and 49 positions, 256
/// and 512 filters) fills whole 14 x 32 tiles, where filters-major it left
/// a 4-column (196 = 6 x 32 + 4) or 1-column (49 = 3 x 16 + 1) partial tile
/// in every row block. Measured on an AVX-512 Xeon, 1 / 2 threads: 256 x
/// 14 x 14 3x3 2.06 -> 1.81 ms / 1.27 -> 0.96 ms; 512 x 7 x 7 2.80 -> 2.40
/// / 1.63 -> 1.26 ms.
static Value positionsMajorProduct(
    RewriterBase &rewriter, Location loc, Value filterMatrix, Value patchMatrix,
    Value accumulator, ArrayRef<utils::IteratorType> iterators,
    function_ref<void(OpBuilder &, Location, ValueRange)> multiplyAdd) {
  MLIRContext *context = rewriter.getContext();
  auto accType = cast<RankedTensorType>(accumulator.getType());
  int64_t n = accType.getDimSize(0), f = accType.getDimSize(1),
          positions = accType.getDimSize(2);
  Type element = accType.getElementType();
  Value zero = arith::ConstantOp::create(rewriter, loc, element,
                                         rewriter.getZeroAttr(element));
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, {n, positions, f}, element);
  Value zeros = linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
  AffineExpr dn, dp, df, dk;
  bindDims(context, dn, dp, df, dk);
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {dn, dk, dp}, context),
                                 AffineMap::get(4, 0, {df, dk}, context),
                                 AffineMap::get(4, 0, {dn, dp, df}, context)};
  Value transposed =
      linalg::GenericOp::create(rewriter, loc, zeros.getType(),
                                ValueRange{patchMatrix, filterMatrix},
                                ValueRange{zeros}, maps, iterators, multiplyAdd)
          .getResult(0);
  // acc[n, f, p] += T[n, p, f], loops (n, f, p).
  AffineExpr en, ef, ep;
  bindDims(context, en, ef, ep);
  SmallVector<AffineMap> addMaps = {
      AffineMap::get(3, 0, {en, ep, ef}, context),
      AffineMap::get(3, 0, {en, ef, ep}, context)};
  auto add = linalg::GenericOp::create(
      rewriter, loc, accType, ValueRange{transposed}, ValueRange{accumulator},
      addMaps,
      SmallVector<utils::IteratorType>(3, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location loc, ValueRange args) {
        linalg::YieldOp::create(
            b, loc,
            arith::AddFOp::create(b, loc, args[1], args[0]).getResult());
      });
  SmallVector<int64_t> cache(3, 0),
      reg = {1, std::min(kTransposeBlock, f),
             std::min(kTransposeBlock, positions)};
  add->setAttr(kiln::codegen::LoweringConfigAttr::kAttrName,
               kiln::codegen::LoweringConfigAttr::get(context, cache, reg));
  return add.getResult(0);
}

/// Whether `value` is a constant, possibly reshaped (a filter of a model
/// compiled for inference). Positions-major, the filter is read transposed:
/// a constant one is transposed once, at compile time
/// (kiln-cpu-pack-tiles); any other would be transposed tile by tile on
/// every call, which cost about what positions-major saves.
static bool isConstant(Value value) {
  return kiln::reshapedConstant(value) != nullptr;
}

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
  int64_t f = filter[0], positions = oh * ow;
  Value product;
  if (!isFloat || f < positions || c * kh * kw < kMinPositionsMajorDepth ||
      !isConstant(conv.getInputs()[1])) {
    // out[n, f, p] += W[f, k] * P[n, k, p], loops (n, f, p, k).
    SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {d1, dk}, context),
                                   AffineMap::get(4, 0, {dn, dk, d2}, context),
                                   AffineMap::get(4, 0, {dn, d1, d2}, context)};
    product = linalg::GenericOp::create(rewriter, loc, accumulator.getType(),
                                        ValueRange{filterMatrix, patchMatrix},
                                        ValueRange{accumulator}, maps,
                                        iterators, multiplyAdd)
                  .getResult(0);
  } else {
    product = positionsMajorProduct(rewriter, loc, filterMatrix, patchMatrix,
                                    accumulator, iterators, multiplyAdd);
  }
  Value result = tensor::ExpandShapeOp::create(
      rewriter, loc, outputType, product,
      ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  rewriter.replaceOp(conv, result);
  return success();
}

namespace {
struct KilnCodegenConvToIm2ColPass
    : public kiln::impl::KilnCodegenConvToIm2ColBase<KilnCodegenConvToIm2ColPass> {
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
