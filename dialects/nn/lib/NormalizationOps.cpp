//===- NormalizationOps.cpp - nn.batch_norm and nn.layer_norm -------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "VerifierSupport.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace kiln::nn;

static LogicalResult checkEpsilon(EmitErrorFn emitError, double epsilon) {
  // A negative epsilon can make the denominator sqrt(var + eps) imaginary.
  // (Written so that NaN fails too.)
  if (!(epsilon >= 0))
    return emitError() << "expects 'epsilon' to be non-negative, got "
                       << epsilon;
  return success();
}

FailureOr<Type> BatchNormOp::inferResultType(Adaptor adaptor,
                                             EmitErrorFn emitError) {
  RankedTensorType input = tensorType(adaptor.getInput());
  if (input.getRank() < 2)
    return emitError()
           << "expects input of rank 2 or more (N, C, ...), got rank "
           << input.getRank();
  int64_t channels = input.getDimSize(1);
  std::pair<StringRef, Value> params[] = {{"scale", adaptor.getScale()},
                                          {"bias", adaptor.getBias()},
                                          {"mean", adaptor.getMean()},
                                          {"variance", adaptor.getVariance()}};
  for (auto [name, value] : params) {
    if (failed(checkVector(emitError, name, tensorType(value), channels)) ||
        failed(
            checkElementType(emitError, name, value.getType(), "input", input)))
      return failure();
  }
  if (failed(checkEpsilon(emitError, adaptor.getEpsilon().convertToDouble())))
    return failure();
  // The statistics may know the channel count the input leaves open.
  SmallVector<int64_t> shape(input.getShape());
  for (auto [name, value] : params)
    shape[1] = meetShapes(shape[1], tensorType(value).getShape())[0];
  return Type(RankedTensorType::get(shape, input.getElementType()));
}

FailureOr<Type> LayerNormOp::inferResultType(Adaptor adaptor,
                                             EmitErrorFn emitError) {
  RankedTensorType input = tensorType(adaptor.getInput());
  FailureOr<int64_t> axis =
      checkAxis(emitError, "axis", adaptor.getAxis(), input.getRank());
  if (failed(axis))
    return failure();
  ArrayRef<int64_t> normalized = input.getShape().drop_front(*axis);
  std::pair<StringRef, Value> params[] = {{"scale", adaptor.getScale()},
                                          {"bias", adaptor.getBias()}};
  for (auto [name, value] : params) {
    if (!value)
      continue;
    RankedTensorType type = tensorType(value);
    if (failed(verifyCompatibleShape(type.getShape(), normalized)))
      return emitError() << "expects " << name << " of shape ["
                         << formatShape(normalized)
                         << "] (the normalized dimensions), got ["
                         << formatShape(type.getShape()) << "]";
    if (failed(checkElementType(emitError, name, type, "input", input)))
      return failure();
  }
  if (failed(checkEpsilon(emitError, adaptor.getEpsilon().convertToDouble())))
    return failure();
  // scale and bias may know normalized sizes the input leaves open.
  SmallVector<int64_t> shape(input.getShape());
  for (auto [name, value] : params) {
    if (!value)
      continue;
    SmallVector<int64_t> known = meetShapes(ArrayRef(shape).drop_front(*axis),
                                            tensorType(value).getShape());
    llvm::copy(known, shape.begin() + *axis);
  }
  return Type(RankedTensorType::get(shape, input.getElementType()));
}
