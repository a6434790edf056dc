//===- LoweringSupport.cpp - helpers of the nn-to-linalg patterns ---------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "LoweringSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"

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
    bool broadcasts =
        operand.getDimSize(od) == 1 && result.getDimSize(od + lead) != 1;
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
                     ArrayRef<int64_t> axes, Value init, ScalarBodyFn combine) {
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

Value maxIdentity(OpBuilder &b, Location loc, Type type) {
  const llvm::fltSemantics &semantics =
      cast<FloatType>(type).getFloatSemantics();
  APFloat value = APFloat::semanticsHasInf(semantics)
                      ? APFloat::getInf(semantics, /*Negative=*/true)
                      : APFloat::getLargest(semantics, /*Negative=*/true);
  return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
}

Value buildMappedReduction(OpBuilder &b, Location loc, Value input,
                           ValueRange others, ArrayRef<AffineMap> otherMaps,
                           ArrayRef<int64_t> axes, Value init,
                           ScalarBodyFn combine) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < rank; ++d) {
    if (llvm::is_contained(axes, d))
      continue;
    shape.push_back(type.getDimSize(d));
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, input, d));
  }
  auto resultType = RankedTensorType::get(shape, init.getType());
  Value acc = createFilled(b, loc, resultType, init, dynamicSizes);
  SmallVector<Value> inputs = {input};
  llvm::append_range(inputs, others);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  llvm::append_range(maps, otherMaps);
  maps.push_back(reducedMap(b.getContext(), rank, axes));
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d)
    iterators.push_back(llvm::is_contained(axes, d)
                            ? utils::IteratorType::reduction
                            : utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, acc, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                combine(nested, nestedLoc, args));
      });
  return generic.getResult(0);
}

Value floatElementCount(OpBuilder &b, Location loc, Value value,
                        ArrayRef<int64_t> dims, Type type) {
  auto tensorType = cast<RankedTensorType>(value.getType());
  int64_t known = 1;
  Value dynamic;
  for (int64_t d : dims) {
    if (!tensorType.isDynamicDim(d)) {
      known *= tensorType.getDimSize(d);
      continue;
    }
    Value size = tensor::DimOp::create(b, loc, value, d);
    dynamic = dynamic ? arith::MulIOp::create(b, loc, dynamic, size) : size;
  }
  if (!dynamic)
    return floatConstant(b, loc, type, static_cast<double>(known));
  if (known != 1)
    dynamic = arith::MulIOp::create(
        b, loc, dynamic, arith::ConstantIndexOp::create(b, loc, known));
  Value count = arith::IndexCastUIOp::create(b, loc, b.getI64Type(), dynamic);
  return arith::UIToFPOp::create(b, loc, type, count);
}

Value castToType(OpBuilder &b, Location loc, Value value, Type type) {
  type = signlessType(type);
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

Type signlessType(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type))
    return tensor.clone(signlessType(tensor.getElementType()));
  if (auto integer = dyn_cast<IntegerType>(type);
      integer && integer.isUnsigned())
    return IntegerType::get(type.getContext(), integer.getWidth());
  return type;
}

bool isUnsignedElement(Type type) {
  return getElementTypeOrSelf(type).isUnsignedInteger();
}

} // namespace kiln::nn_to_linalg

//===- Shapes as mixed static/dynamic sizes (linear, convolution, pooling) ===//

namespace kiln::nn_to_linalg {

RankedTensorType tensorTypeOfSizes(ArrayRef<OpFoldResult> sizes, Type element) {
  SmallVector<int64_t> shape;
  for (OpFoldResult size : sizes)
    shape.push_back(getConstantIntValue(size).value_or(ShapedType::kDynamic));
  return RankedTensorType::get(shape, element);
}

Value createFilledOfSizes(OpBuilder &b, Location loc,
                          ArrayRef<OpFoldResult> sizes, Value value) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, value.getType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value expandToSizes(OpBuilder &b, Location loc, Value source,
                    ArrayRef<ReassociationIndices> reassociation,
                    ArrayRef<OpFoldResult> sizes) {
  Type element = cast<RankedTensorType>(source.getType()).getElementType();
  return tensor::ExpandShapeOp::create(
      b, loc, tensorTypeOfSizes(sizes, element), source, reassociation, sizes);
}

Value padConstant(OpBuilder &b, Location loc, Value source,
                  ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                  Value padValue) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return source;
  SmallVector<OpFoldResult> lowSizes, highSizes;
  for (int64_t v : low)
    lowSizes.push_back(b.getIndexAttr(v));
  for (int64_t v : high)
    highSizes.push_back(b.getIndexAttr(v));
  return tensor::PadOp::create(b, loc, /*resultType=*/Type(), source, lowSizes,
                               highSizes, padValue);
}

Value indexToFloat(OpBuilder &b, Location loc, Value index, Type type) {
  Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
  return arith::SIToFPOp::create(b, loc, type, i64);
}

SmallVector<int64_t> valuesOrDefault(ArrayRef<int64_t> values, size_t count,
                                     int64_t fill) {
  if (values.empty())
    return SmallVector<int64_t>(count, fill);
  return SmallVector<int64_t>(values);
}

} // namespace kiln::nn_to_linalg
