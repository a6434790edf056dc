//===- LoweringSupport.cpp - helpers of the nn-to-linalg patterns ---------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "LoweringSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;

namespace kiln::nn_to_linalg {

Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type,
                  ValueRange dynamicSizes) {
  return tensor::EmptyOp::create(b, loc, type, dynamicSizes);
}

Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value, ValueRange dynamicSizes) {
  Value empty = createEmpty(b, loc, type, dynamicSizes);
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

SmallVector<Value> broadcastDynamicSizes(OpBuilder &b, Location loc,
                                         RankedTensorType result,
                                         ValueRange operands) {
  SmallVector<Value> sizes;
  int64_t rank = result.getRank();
  for (int64_t d = 0; d < rank; ++d) {
    if (!result.isDynamicDim(d))
      continue;
    for (Value operand : operands) {
      auto type = cast<RankedTensorType>(operand.getType());
      int64_t od = d - (rank - type.getRank());
      if (od >= 0 && type.isDynamicDim(od)) {
        sizes.push_back(tensor::DimOp::create(b, loc, operand, od));
        break;
      }
    }
  }
  return sizes;
}

AffineMap broadcastMap(RankedTensorType operand, RankedTensorType result) {
  MLIRContext *context = result.getContext();
  int64_t rank = result.getRank(), lead = rank - operand.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t od = 0; od < operand.getRank(); ++od) {
    bool broadcasts = operand.getDimSize(od) == 1 &&
                      result.getDimSize(od + lead) != 1;
    exprs.push_back(broadcasts ? getAffineConstantExpr(0, context)
                               : getAffineDimExpr(od + lead, context));
  }
  return AffineMap::get(rank, 0, exprs, context);
}

Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange operands, ScalarBodyFn body) {
  SmallVector<AffineMap> maps;
  for (Value operand : operands)
    maps.push_back(
        broadcastMap(cast<RankedTensorType>(operand.getType()), resultType));
  return buildMapped(b, loc, resultType, operands, maps,
                     broadcastDynamicSizes(b, loc, resultType, operands), body);
}

Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> axes, Value init,
                     ScalarBodyFn combine) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (llvm::is_contained(axes, d))
      continue;
    shape.push_back(type.getDimSize(d));
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, input, d));
  }
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  Value acc = createFilled(b, loc, resultType, init, dynamicSizes);
  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(type.getRank()),
      reducedMap(b.getContext(), type.getRank(), axes)};
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < type.getRank(); ++d)
    iterators.push_back(llvm::is_contained(axes, d)
                            ? utils::IteratorType::reduction
                            : utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, input, acc, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                combine(nested, nestedLoc, args));
      });
  return generic.getResult(0);
}

AffineMap reducedMap(MLIRContext *context, int64_t rank,
                     ArrayRef<int64_t> axes) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(axes, d))
      exprs.push_back(getAffineDimExpr(d, context));
  return AffineMap::get(rank, 0, exprs, context);
}

Value buildMapped(OpBuilder &b, Location loc, RankedTensorType resultType,
                  ValueRange inputs, ArrayRef<AffineMap> maps,
                  ValueRange dynamicSizes, ScalarBodyFn body) {
  Value init = createEmpty(b, loc, resultType, dynamicSizes);
  SmallVector<AffineMap> allMaps(maps);
  allMaps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, allMaps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args.drop_back()));
      });
  return generic.getResult(0);
}

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
}

Value negativeInfinity(OpBuilder &b, Location loc, Type type) {
  return floatConstant(b, loc, type, -std::numeric_limits<double>::infinity());
}

} // namespace kiln::nn_to_linalg
