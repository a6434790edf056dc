//===- VerifierSupport.cpp - checks shared by nn op verifiers -------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "VerifierSupport.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

namespace kiln::nn {

SmallVector<int64_t> valuesOrFill(ArrayRef<int64_t> values, size_t count,
                                  int64_t fill) {
  if (values.empty())
    return SmallVector<int64_t>(count, fill);
  return SmallVector<int64_t>(values);
}

LogicalResult checkArray(EmitErrorFn emitError, StringRef name,
                         ArrayRef<int64_t> values, size_t count,
                         int64_t minimum) {
  if (values.size() != count)
    return emitError() << "expects '" << name << "' to have " << count
                       << " values, got " << values.size();
  for (int64_t value : values)
    if (value < minimum)
      return emitError() << "expects '" << name << "' values to be "
                         << (minimum == 0 ? "non-negative" : "positive")
                         << ", got " << value;
  return success();
}

LogicalResult checkRank(EmitErrorFn emitError, StringRef name,
                        RankedTensorType type, int64_t rank, StringRef layout) {
  if (type.getRank() == rank)
    return success();
  InFlightDiagnostic diag = emitError()
                            << "expects " << name << " of rank " << rank;
  if (!layout.empty())
    diag << " (" << layout << ")";
  return diag << ", got rank " << type.getRank();
}

LogicalResult checkElementType(EmitErrorFn emitError, StringRef name, Type type,
                               StringRef reference, Type referenceType) {
  Type element = getElementTypeOrSelf(type);
  Type expected = getElementTypeOrSelf(referenceType);
  if (element == expected)
    return success();
  return emitError() << "expects " << name << " element type " << element
                     << " to match the " << reference << " element type "
                     << expected;
}

LogicalResult checkVector(EmitErrorFn emitError, StringRef name,
                          RankedTensorType type, int64_t size) {
  if (type.getRank() == 1 && sizesMatch(type.getDimSize(0), size))
    return success();
  return emitError() << "expects " << name << " of shape [" << formatShape(size)
                     << "], got [" << formatShape(type.getShape()) << "]";
}

LogicalResult checkWindow(EmitErrorFn emitError, const WindowDim &dim,
                          int64_t index) {
  if (!dim.fitsInt64())
    return emitError() << "expects the window of spatial dimension " << index
                       << " to fit in 64-bit arithmetic";
  if (ShapedType::isDynamic(dim.input) || ShapedType::isDynamic(dim.kernel) ||
      dim.effectiveKernel() <= dim.paddedInput())
    return success();
  return emitError() << "expects the dilated window (" << dim.effectiveKernel()
                     << ") to fit the padded input (" << dim.paddedInput()
                     << ") in spatial dimension " << index;
}

FailureOr<int64_t> checkAxis(EmitErrorFn emitError, StringRef name,
                             int64_t axis, int64_t rank) {
  if (std::optional<int64_t> normalized = normalizeAxis(axis, rank))
    return *normalized;
  return emitError() << "expects '" << name << "' in [" << -rank << ", " << rank
                     << ") for rank " << rank << ", got " << axis;
}

bool exceedsMaxTensorElements(ArrayRef<int64_t> shape) {
  int64_t elements = 1;
  for (int64_t d : shape) {
    if (ShapedType::isDynamic(d))
      continue;
    if (d > kMaxTensorElements || (d > 0 && elements > kMaxTensorElements / d))
      return true;
    elements *= d;
  }
  return false;
}

LogicalResult verifyBoundedTensorSizes(Operation *op) {
  auto check = [&](Type type, StringRef kind, unsigned index) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !exceedsMaxTensorElements(tensor.getShape()))
      return success();
    return op->emitOpError()
           << kind << " #" << index << " of type " << type
           << " has more elements than Kiln supports (at most 2^40 = "
           << kMaxTensorElements << ")";
  };
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(type, "operand", i)))
      return failure();
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(type, "result", i)))
      return failure();
  return success();
}

} // namespace kiln::nn
