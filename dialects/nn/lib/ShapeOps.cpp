//===- ShapeOps.cpp - nn data movement ops: inference ---------------------===//
//
// Part of Kiln. Folders and canonicalization patterns of these ops are in
// ShapeFolds.cpp.
//
//===----------------------------------------------------------------------===//

#include "VerifierSupport.h"

#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace kiln::nn;

FailureOr<Type> ReshapeOp::inferResultType(Adaptor adaptor,
                                           EmitErrorFn emitError) {
  RankedTensorType input = tensorType(adaptor.getInput());
  SmallVector<int64_t> shape(adaptor.getShape());
  int64_t known = 1;
  std::optional<size_t> inferredDim;
  for (auto [i, size] : llvm::enumerate(shape)) {
    if (size == -1) {
      if (inferredDim)
        return emitError() << "expects at most one -1 in 'shape', got ["
                           << llvm::make_range(shape.begin(), shape.end())
                           << "]";
      inferredDim = i;
      continue;
    }
    // (Zero sizes are allowed: empty tensors, as ONNX has them.)
    if (size < 0)
      return emitError()
             << "expects 'shape' sizes to be non-negative or -1, got " << size;
    std::optional<int64_t> product = llvm::checkedMul(known, size);
    if (!product)
      return emitError() << "expects 'shape' to have fewer than 2^63 elements";
    known = *product;
  }
  // (Verified operands have at most 2^40 elements, BoundedTensorSizes;
  // only a builder given an unverified operand gets here with more.)
  std::optional<int64_t> inputCount = productOrDynamic(input.getShape());
  if (!inputCount)
    return failure();
  int64_t count = *inputCount;
  if (inferredDim) {
    if (known == 0)
      return emitError() << "cannot infer the -1 size next to a zero size";
    if (ShapedType::isDynamic(count))
      shape[*inferredDim] = ShapedType::kDynamic;
    else if (count % known != 0)
      return emitError() << "cannot infer the -1 size: " << count
                         << " elements are not a multiple of " << known;
    else
      shape[*inferredDim] = count / known;
  } else if (!ShapedType::isDynamic(count) && count != known) {
    return emitError() << "expects 'shape' to hold the input's " << count
                       << " elements, got " << known;
  }
  return Type(RankedTensorType::get(shape, input.getElementType()));
}

FailureOr<Type> TransposeOp::inferResultType(Adaptor adaptor,
                                             EmitErrorFn emitError) {
  RankedTensorType input = tensorType(adaptor.getInput());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  int64_t rank = input.getRank();
  if (static_cast<int64_t>(perm.size()) != rank)
    return emitError() << "expects 'perm' to have " << rank
                       << " values (the input rank), got " << perm.size();
  llvm::SmallBitVector seen(rank);
  SmallVector<int64_t> shape;
  for (int64_t dim : perm) {
    if (dim < 0 || dim >= rank || seen.test(dim))
      return emitError() << "expects 'perm' to be a permutation of [0, " << rank
                         << "), got ["
                         << llvm::make_range(perm.begin(), perm.end()) << "]";
    seen.set(dim);
    shape.push_back(input.getDimSize(dim));
  }
  return Type(RankedTensorType::get(shape, input.getElementType()));
}

FailureOr<Type> ConcatOp::inferResultType(Adaptor adaptor,
                                          EmitErrorFn emitError) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitError() << "expects at least one input";
  RankedTensorType first = tensorType(inputs.front());
  FailureOr<int64_t> axis =
      checkAxis(emitError, "axis", adaptor.getAxis(), first.getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(first.getShape());
  for (auto [i, value] : llvm::enumerate(inputs.drop_front())) {
    RankedTensorType type = tensorType(value);
    if (failed(checkElementType(emitError, "input #" + std::to_string(i + 1),
                                type, "first input", first)))
      return failure();
    if (type.getRank() != first.getRank())
      return emitError() << "expects inputs of equal rank, got input #" << i + 1
                         << " of rank " << type.getRank() << " and rank "
                         << first.getRank();
    for (int64_t d = 0; d < first.getRank(); ++d) {
      int64_t size = type.getDimSize(d);
      if (d == *axis) {
        if (ShapedType::isDynamic(shape[d]) || ShapedType::isDynamic(size)) {
          shape[d] = ShapedType::kDynamic;
          continue;
        }
        // (More than 2^40 in all is the result check's error; verified
        // operands cannot overflow before 2^23 of them.)
        std::optional<int64_t> sum = llvm::checkedAdd(shape[d], size);
        if (!sum)
          return failure();
        shape[d] = *sum;
      } else if (!sizesMatch(shape[d], size)) {
        return emitError() << "expects inputs to agree outside axis " << *axis
                           << ", got [" << formatShape(first.getShape())
                           << "] and [" << formatShape(type.getShape()) << "]";
      } else if (ShapedType::isDynamic(shape[d])) {
        shape[d] = size;
      }
    }
  }
  return Type(RankedTensorType::get(shape, first.getElementType()));
}

FailureOr<Type> SliceOp::inferResultType(Adaptor adaptor,
                                         EmitErrorFn emitError) {
  RankedTensorType input = tensorType(adaptor.getInput());
  size_t rank = input.getRank();
  ArrayRef<int64_t> starts = adaptor.getStarts();
  ArrayRef<int64_t> ends = adaptor.getEnds();
  SmallVector<int64_t> steps = valuesOrFill(adaptor.getSteps(), rank, 1);
  if (failed(checkArray(emitError, "starts", starts, rank, 0)) ||
      failed(checkArray(emitError, "ends", ends, rank, 0)) ||
      failed(checkArray(emitError, "steps", steps, rank, 1)))
    return failure();
  SmallVector<int64_t> shape;
  for (size_t d = 0; d < rank; ++d) {
    int64_t size = input.getDimSize(d);
    if (starts[d] > ends[d] || (!ShapedType::isDynamic(size) && ends[d] > size))
      return emitError() << "expects 0 <= start <= end <= size in dimension "
                         << d << ", got start " << starts[d] << ", end "
                         << ends[d] << ", size " << formatShape(size);
    shape.push_back(llvm::divideCeil(ends[d] - starts[d], steps[d]));
  }
  return Type(RankedTensorType::get(shape, input.getElementType()));
}

FailureOr<Type> FlattenOp::inferResultType(Adaptor adaptor,
                                           EmitErrorFn emitError) {
  RankedTensorType input = tensorType(adaptor.getInput());
  int64_t rank = input.getRank();
  int64_t axis = adaptor.getAxis();
  // Unlike other axes, the flatten axis may equal the rank (ONNX Flatten).
  if (axis < -rank || axis > rank)
    return emitError() << "expects 'axis' in [" << -rank << ", " << rank
                       << "] for rank " << rank << ", got " << axis;
  if (axis < 0)
    axis += rank;
  std::optional<int64_t> outer =
      productOrDynamic(input.getShape().take_front(axis));
  std::optional<int64_t> inner =
      productOrDynamic(input.getShape().drop_front(axis));
  // (Verified operands have at most 2^40 elements: BoundedTensorSizes.)
  if (!outer || !inner)
    return failure();
  int64_t shape[] = {*outer, *inner};
  return Type(RankedTensorType::get(shape, input.getElementType()));
}

FailureOr<Type> PadOp::inferResultType(Adaptor adaptor, EmitErrorFn emitError) {
  RankedTensorType input = tensorType(adaptor.getInput());
  int64_t rank = input.getRank();
  ArrayRef<int64_t> pads = adaptor.getPads();
  if (failed(checkArray(emitError, "pads", pads, 2 * rank, 0)))
    return failure();
  PadMode mode = adaptor.getMode().value_or(PadMode::Constant);
  if (mode != PadMode::Constant && !adaptor.getValue().isZero())
    return emitError() << "expects no 'value' with mode "
                       << stringifyPadMode(mode)
                       << " (only constant padding uses it)";
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size = input.getDimSize(d);
    int64_t before = pads[d], after = pads[rank + d];
    if (!ShapedType::isDynamic(size)) {
      // Reflection mirrors around the edge element, so it can add at most
      // size - 1 elements; edge mode needs one element to repeat.
      if (mode == PadMode::Reflect && (before >= size || after >= size))
        return emitError() << "expects reflect pads smaller than the size ("
                           << size << ") of dimension " << d << ", got "
                           << before << " and " << after;
      if (mode == PadMode::Edge && size == 0 && before + after > 0)
        return emitError() << "cannot edge-pad the empty dimension " << d;
    }
    if (ShapedType::isDynamic(size)) {
      shape.push_back(size);
      continue;
    }
    std::optional<int64_t> padded = llvm::checkedAdd(size, before);
    padded = padded ? llvm::checkedAdd(*padded, after) : std::nullopt;
    if (!padded)
      return emitError() << "expects a padded size below 2^63 in dimension "
                         << d;
    shape.push_back(*padded);
  }
  return Type(RankedTensorType::get(shape, input.getElementType()));
}

FailureOr<Type> BroadcastToOp::inferResultType(Adaptor adaptor,
                                               EmitErrorFn emitError) {
  RankedTensorType input = tensorType(adaptor.getInput());
  ArrayRef<int64_t> shape = adaptor.getShape();
  if (failed(checkArray(emitError, "shape", shape, shape.size(), 1)))
    return failure();
  size_t offset =
      shape.size() - std::min(shape.size(), size_t(input.getRank()));
  bool compatible = shape.size() >= size_t(input.getRank());
  for (int64_t d = 0; compatible && d < input.getRank(); ++d) {
    int64_t size = input.getDimSize(d);
    compatible = size == 1 || sizesMatch(size, shape[offset + d]);
  }
  if (!compatible)
    return emitError() << "cannot broadcast [" << formatShape(input.getShape())
                       << "] to [" << formatShape(shape) << "]";
  return Type(RankedTensorType::get(shape, input.getElementType()));
}

FailureOr<Type> GatherOp::inferResultType(Adaptor adaptor,
                                          EmitErrorFn emitError) {
  RankedTensorType data = tensorType(adaptor.getData());
  RankedTensorType indices = tensorType(adaptor.getIndices());
  if (data.getRank() < 1)
    return emitError() << "expects data of rank 1 or more, got rank 0";
  FailureOr<int64_t> axis =
      checkAxis(emitError, "axis", adaptor.getAxis(), data.getRank());
  if (failed(axis))
    return failure();
  // No index is valid in an empty dimension.
  if (data.getDimSize(*axis) == 0 && indices.getNumElements() != 0)
    return emitError() << "expects a non-empty dimension " << *axis
                       << " to gather from";
  SmallVector<int64_t> shape(data.getShape().take_front(*axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, data.getShape().drop_front(*axis + 1));
  return Type(RankedTensorType::get(shape, data.getElementType()));
}
