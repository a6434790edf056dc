//===- InferShapes.cpp - refine nn result types from operands -------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/NNOps.h"
#include "kiln/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace kiln {
#define GEN_PASS_DEF_NNINFERSHAPES
#include "kiln/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// The type that knows every size `inferred` or `declared` knows, or null
/// when the two are not compatible ranked tensors of one element type (the
/// verifier reports those) or when it would be `declared` itself.
static RankedTensorType refinedType(Type inferred, Type declared) {
  auto newType = dyn_cast<RankedTensorType>(inferred);
  auto oldType = dyn_cast<RankedTensorType>(declared);
  if (!newType || !oldType ||
      newType.getElementType() != oldType.getElementType() ||
      failed(verifyCompatibleShape(newType, oldType)))
    return {};
  SmallVector<int64_t> shape(oldType.getShape());
  for (auto [size, known] : llvm::zip(shape, newType.getShape()))
    if (ShapedType::isDynamic(size))
      size = known;
  auto refined = RankedTensorType::get(shape, oldType.getElementType(),
                                       oldType.getEncoding());
  return refined == oldType ? RankedTensorType() : refined;
}

namespace {
struct NNInferShapesPass
    : public kiln::impl::NNInferShapesBase<NNInferShapesPass> {
  void runOnOperation() override {
    FunctionOpInterface function = getOperation();
    // Program order visits producers before consumers, so refinements
    // propagate through a whole chain in one walk.
    function->walk([&](InferTypeOpInterface op) {
      if (!isa<kiln::nn::NNDialect>(op->getDialect()))
        return;
      SmallVector<Type> inferred;
      if (failed(op.inferReturnTypes(
              op->getContext(), op->getLoc(), op->getOperands(),
              op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
              op->getRegions(), inferred)))
        return;
      for (auto [result, type] : llvm::zip(op->getResults(), inferred))
        refine(result, type);
    });
  }

  /// Gives `value` the refined type; users outside nn keep seeing the old
  /// type through one tensor.cast. (Returns are such users: the function's
  /// signature, and so its callers, stay as they are.)
  void refine(Value value, Type inferred) {
    Type old = value.getType();
    RankedTensorType type = refinedType(inferred, old);
    if (!type)
      return;
    value.setType(type);
    OpBuilder builder(value.getContext());
    builder.setInsertionPointAfterValue(value);
    tensor::CastOp cast;
    for (OpOperand &use : llvm::make_early_inc_range(value.getUses())) {
      Operation *user = use.getOwner();
      if (isa<kiln::nn::NNDialect>(user->getDialect()))
        continue;
      if (!cast)
        cast = tensor::CastOp::create(builder, value.getLoc(), old, value);
      use.set(cast);
    }
  }
};
} // namespace
