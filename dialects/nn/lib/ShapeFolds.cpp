//===- ShapeFolds.cpp - folders and canonicalizations of nn shape ops -----===//
//
// Part of Kiln. Data movement that moves nothing folds to its input; chains
// of reshapes or transposes collapse into one op; constants are reshaped or
// replicated at compile time when that is cheap (splats or small tensors).
//
//===----------------------------------------------------------------------===//

#include "VerifierSupport.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace kiln::nn;

/// Largest non-splat constant that a transpose is applied to at compile time.
static constexpr int64_t kMaxFoldedElements = 1024;

/// Folds an op that only reinterprets its input's row-major elements with
/// another shape (reshape, flatten): to the input when the type does not
/// change, to a retyped constant when the input is one (the bytes stay).
static OpFoldResult foldRowMajorReshape(Value input, Attribute constant,
                                        TensorType type) {
  if (input.getType() == type)
    return input;
  if (auto elements = dyn_cast_if_present<DenseElementsAttr>(constant))
    if (type.hasStaticShape())
      return elements.reshape(type);
  return {};
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  return foldRowMajorReshape(getInput(), adaptor.getInput(), getType());
}

namespace {
/// reshape(reshape(x)) -> reshape(x): only the last shape matters.
struct CollapseReshapeChain : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<ReshapeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "input is not a reshape");
    rewriter.modifyOpInPlace(
        op, [&] { op.getInputMutable().assign(inner.getInput()); });
    return success();
  }
};

/// transpose(transpose(x, p), q) -> transpose(x, p o q); an identity
/// composition then folds away.
struct ComposeTransposeChain : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "input is not a transpose");
    // Result dim i is inner's dim perm[i], which is x's dim innerPerm[perm[i]].
    SmallVector<int64_t> composed;
    for (int64_t dim : op.getPerm())
      composed.push_back(inner.getPerm()[dim]);
    rewriter.modifyOpInPlace(op, [&] {
      op.getInputMutable().assign(inner.getInput());
      op.setPerm(composed);
    });
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<CollapseReshapeChain>(context);
}

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *context) {
  patterns.add<ComposeTransposeChain>(context);
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  // (A declared result may be less static than the input: then the op stays
  // until nn-infer-shapes makes the types equal.)
  if (llvm::equal(getPerm(), llvm::seq<int64_t>(0, getPerm().size())) &&
      getInput().getType() == getType())
    return getInput();
  auto elements = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (!elements || !getType().hasStaticShape())
    return {};
  if (elements.isSplat())
    return elements.resizeSplat(getType());
  if (getType().getNumElements() > kMaxFoldedElements)
    return {};
  // Gather the input element of every result index in row-major order.
  ArrayRef<int64_t> inShape = getInput().getType().getShape();
  SmallVector<int64_t> inStrides(inShape.size(), 1);
  for (int64_t d = inShape.size() - 2; d >= 0; --d)
    inStrides[d] = inStrides[d + 1] * inShape[d + 1];
  ArrayRef<int64_t> shape = getType().getShape();
  SmallVector<int64_t> index(shape.size(), 0);
  SmallVector<Attribute> values;
  auto all = llvm::to_vector(elements.getValues<Attribute>());
  for (int64_t n = 0, e = getType().getNumElements(); n < e; ++n) {
    int64_t offset = 0;
    for (auto [d, dim] : llvm::enumerate(getPerm()))
      offset += index[d] * inStrides[dim];
    values.push_back(all[offset]);
    for (int64_t d = shape.size() - 1; d >= 0 && ++index[d] == shape[d]; --d)
      index[d] = 0;
  }
  return DenseElementsAttr::get(getType(), values);
}

OpFoldResult FlattenOp::fold(FoldAdaptor adaptor) {
  return foldRowMajorReshape(getInput(), adaptor.getInput(), getType());
}

OpFoldResult BroadcastToOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto elements = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (elements && elements.isSplat() && getType().hasStaticShape())
    return elements.resizeSplat(getType());
  return {};
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  // Same type with unit steps means every start is 0: the whole tensor.
  bool unitSteps = llvm::all_of(getSteps(), [](int64_t s) { return s == 1; });
  if (getInput().getType() == getType() && unitSteps &&
      getType().hasStaticShape())
    return getInput();
  return {};
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (llvm::all_of(getPads(), [](int64_t p) { return p == 0; }) &&
      getInput().getType() == getType())
    return getInput();
  return {};
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  return {};
}
