//===- InferShapes.cpp - refine nn result types from operands -------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/NNOps.h"
#include "kiln/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace kiln {
#define GEN_PASS_DEF_NNINFERSHAPES
#include "kiln/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// True when `refined` keeps `current`'s element type and rank and knows at
/// least every size `current` knows, and more.
static bool isRefinement(Type refined, Type current) {
  auto newType = dyn_cast<RankedTensorType>(refined);
  auto oldType = dyn_cast<RankedTensorType>(current);
  if (!newType || !oldType || newType == oldType ||
      newType.getElementType() != oldType.getElementType() ||
      newType.getRank() != oldType.getRank())
    return false;
  for (auto [n, o] : llvm::zip(newType.getShape(), oldType.getShape()))
    if (!ShapedType::isDynamic(o) && n != o)
      return false;
  return true;
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
    updateFunctionResults(function);
  }

  /// Gives `value` the type `type` if it refines the current one; users
  /// outside nn (other than returns) keep seeing the old type through a cast.
  void refine(Value value, Type type) {
    Type old = value.getType();
    if (!isRefinement(type, old))
      return;
    value.setType(type);
    OpBuilder builder(value.getContext());
    builder.setInsertionPointAfterValue(value);
    tensor::CastOp cast;
    for (OpOperand &use : llvm::make_early_inc_range(value.getUses())) {
      Operation *user = use.getOwner();
      if (isa<kiln::nn::NNDialect>(user->getDialect()) ||
          isa<func::ReturnOp>(user))
        continue;
      if (!cast)
        cast = tensor::CastOp::create(builder, value.getLoc(), old, value);
      use.set(cast);
    }
  }

  /// A func.func returns what its func.return ops return.
  void updateFunctionResults(FunctionOpInterface function) {
    auto func = dyn_cast<func::FuncOp>(function.getOperation());
    if (!func || func.isExternal())
      return;
    auto returns = llvm::to_vector(func.getOps<func::ReturnOp>());
    if (returns.size() != 1)
      return;
    SmallVector<Type> results(returns.front().getOperandTypes());
    if (results != func.getFunctionType().getResults())
      func.setType(FunctionType::get(func.getContext(),
                                     func.getArgumentTypes(), results));
  }
};
} // namespace
