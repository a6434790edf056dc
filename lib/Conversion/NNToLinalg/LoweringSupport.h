//===- LoweringSupport.h - helpers of the nn-to-linalg patterns -*- C++ -*-===//
//
// Part of Kiln. Private to lib/Conversion/NNToLinalg: building blocks the
// op-family pattern files share (result tensors, numpy broadcasting maps,
// elementwise linalg.generic ops, constants).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_CONVERSION_NNTOLINALG_LOWERINGSUPPORT_H
#define KILN_LIB_CONVERSION_NNTOLINALG_LOWERINGSUPPORT_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace kiln::nn_to_linalg {

/// Builds the scalar computation of an elementwise op from its block
/// arguments (one per input, in order).
using ScalarBodyFn = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// `tensor.empty` of `type`; `dynamicSizes` holds one index value per `?`.
mlir::Value createEmpty(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type,
                        mlir::ValueRange dynamicSizes = {});

/// `tensor.empty` of `type` filled with `value` (for accumulators).
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType type, mlir::Value value,
                         mlir::ValueRange dynamicSizes = {});

/// The sizes of the `?` dimensions of `result`, an elementwise broadcast of
/// `operands`: each is read (tensor.dim) from an operand whose aligned
/// dimension is dynamic too. A dynamic operand dimension is taken to equal
/// the result's (it is never a broadcast 1).
llvm::SmallVector<mlir::Value>
broadcastDynamicSizes(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::RankedTensorType result, mlir::ValueRange operands);

/// The indexing map that reads `operand`, aligned with the trailing
/// dimensions of `result` (numpy rules), inside the loop nest over `result`:
/// missing leading dimensions are dropped and a static size 1 that
/// broadcasts reads index 0.
mlir::AffineMap broadcastMap(mlir::RankedTensorType operand,
                             mlir::RankedTensorType result);

/// A linalg.generic that computes `body` at each element of a new tensor of
/// `resultType` from the broadcast `operands`.
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::RankedTensorType resultType,
                             mlir::ValueRange operands, ScalarBodyFn body);

/// Reduces `input` over the sorted, distinct dimensions `axes` (dropping
/// them) with `combine(element, accumulator)`, starting from `init`.
mlir::Value buildReduction(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value input, llvm::ArrayRef<int64_t> axes,
                           mlir::Value init, ScalarBodyFn combine);

/// The indexing map that reads a tensor reduced over `axes` (as built by
/// buildReduction) inside the loop nest of the unreduced rank `rank`.
mlir::AffineMap reducedMap(mlir::MLIRContext *context, int64_t rank,
                           llvm::ArrayRef<int64_t> axes);

/// A linalg.generic over the full loop nest of `resultType` whose inputs are
/// read with `maps` (one per input); `body` gets one block argument per input.
mlir::Value buildMapped(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType resultType,
                        mlir::ValueRange inputs,
                        llvm::ArrayRef<mlir::AffineMap> maps,
                        mlir::ValueRange dynamicSizes, ScalarBodyFn body);

/// A scalar float constant of `type`.
mlir::Value floatConstant(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Type type, double value);

/// The identity of max for float `type`: -infinity, or the lowest finite
/// value where the type has no infinity (f8E4M3FN and the like, where
/// -infinity would become NaN).
mlir::Value maxIdentity(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Type type);

/// Normalizes an axis attribute (numpy-style negative values count from the
/// back); the verifier has checked the range.
inline int64_t normalizedAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// Like buildReduction, with more inputs: reduces over the sorted, distinct
/// dimensions `axes` of the loop nest of `input` (read with the identity
/// map), also reading `others` with `otherMaps` (one each). `combine` gets
/// the input element, one element per other input, then the accumulator.
/// The accumulator, and the result's element type, have the type of `init`;
/// the result drops `axes`.
mlir::Value buildMappedReduction(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value input, mlir::ValueRange others,
                                 llvm::ArrayRef<mlir::AffineMap> otherMaps,
                                 llvm::ArrayRef<int64_t> axes, mlir::Value init,
                                 ScalarBodyFn combine);

/// The number of elements in dimensions `dims` of the ranked tensor `value`
/// (1 for none), as a float scalar of `type`: a constant when those sizes
/// are static, else computed from tensor.dim.
mlir::Value floatElementCount(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value value, llvm::ArrayRef<int64_t> dims,
                              mlir::Type type);

/// `value` as `type` (a compatible tensor type, after signlessType): a
/// tensor.cast where the two differ in which sizes are static, `value`
/// itself where they are equal.
mlir::Value castToType(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value value, mlir::Type type);

/// `type` as the lowered code holds it: unsigned integers (ui8, and tensors
/// of them) become signless of the same width, as arith and linalg take
/// them; everything else is unchanged. The patterns read signedness from
/// the nn op's own types.
mlir::Type signlessType(mlir::Type type);

/// Whether `type` (a scalar or a shaped type's element) is an unsigned
/// integer.
bool isUnsignedElement(mlir::Type type);

} // namespace kiln::nn_to_linalg

//===- Shapes as mixed static/dynamic sizes (linear, convolution, pooling) ===//

namespace kiln::nn_to_linalg {

/// The ranked tensor type with `sizes` (static where a size is a constant)
/// and `element`.
mlir::RankedTensorType
tensorTypeOfSizes(llvm::ArrayRef<mlir::OpFoldResult> sizes, mlir::Type element);

/// `tensor.empty` with `sizes` (index values or attributes) filled with
/// `value` (for accumulators whose sizes come from several operands).
mlir::Value createFilledOfSizes(mlir::OpBuilder &b, mlir::Location loc,
                                llvm::ArrayRef<mlir::OpFoldResult> sizes,
                                mlir::Value value);

/// `tensor.expand_shape` of `source` into the tensor with `sizes`.
mlir::Value
expandToSizes(mlir::OpBuilder &b, mlir::Location loc, mlir::Value source,
              llvm::ArrayRef<mlir::ReassociationIndices> reassociation,
              llvm::ArrayRef<mlir::OpFoldResult> sizes);

/// `tensor.pad` of `source` by the static amounts `low` and `high` (one per
/// dimension) with the scalar `padValue`; `source` itself when all are 0.
mlir::Value padConstant(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value source, llvm::ArrayRef<int64_t> low,
                        llvm::ArrayRef<int64_t> high, mlir::Value padValue);

/// The `index` value as a float of `type` (index_cast to i64, sitofp).
mlir::Value indexToFloat(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value index, mlir::Type type);

/// The values of an optional array attribute (window strides, padding,
/// dilations), or `count` copies of `fill` when it is absent (empty).
llvm::SmallVector<int64_t> valuesOrDefault(llvm::ArrayRef<int64_t> values,
                                           size_t count, int64_t fill);

} // namespace kiln::nn_to_linalg

#endif // KILN_LIB_CONVERSION_NNTOLINALG_LOWERINGSUPPORT_H
