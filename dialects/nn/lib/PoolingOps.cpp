//===- PoolingOps.cpp - nn pooling ops ------------------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "VerifierSupport.h"

using namespace mlir;
using namespace kiln::nn;

/// Shared by max and average pooling: checks the window attributes and
/// computes [N, C, OH, OW].
static FailureOr<Type>
inferPool2D(EmitErrorFn emitError, RankedTensorType input,
            ArrayRef<int64_t> kernel, ArrayRef<int64_t> stridesAttr,
            ArrayRef<int64_t> paddingAttr, ArrayRef<int64_t> dilationsAttr,
            RoundingMode rounding) {
  SmallVector<int64_t> strides = valuesOrFill(stridesAttr, 2, 1);
  SmallVector<int64_t> padding = valuesOrFill(paddingAttr, 4, 0);
  SmallVector<int64_t> dilations = valuesOrFill(dilationsAttr, 2, 1);
  if (failed(checkRank(emitError, "input", input, 4, "NCHW")) ||
      failed(checkArray(emitError, "kernel", kernel, 2, 1)) ||
      failed(checkArray(emitError, "strides", strides, 2, 1)) ||
      failed(checkArray(emitError, "padding", padding, 4, 0)) ||
      failed(checkArray(emitError, "dilations", dilations, 2, 1)))
    return failure();

  SmallVector<int64_t> shape(input.getShape().take_front(2));
  for (int i = 0; i < 2; ++i) {
    WindowDim dim{input.getDimSize(2 + i),
                  kernel[i],
                  strides[i],
                  dilations[i],
                  padding[i],
                  padding[2 + i],
                  rounding == RoundingMode::Ceil};
    if (failed(checkWindow(emitError, dim, i)))
      return failure();
    // A pad as large as the window, or an empty input, would allow windows
    // made only of padding, whose max or mean is undefined. (With dilation a
    // window can still straddle the input; it then sees padding only, as in
    // PyTorch and ONNX.)
    if (dim.padBefore >= dim.effectiveKernel() ||
        dim.padAfter >= dim.effectiveKernel())
      return emitError() << "expects padding smaller than the window ("
                         << dim.effectiveKernel() << ") in spatial dimension "
                         << i << ", got " << dim.padBefore << " and "
                         << dim.padAfter;
    if (dim.input == 0)
      return emitError() << "expects a non-empty input in spatial dimension "
                         << i;
    shape.push_back(dim.outputSize());
  }
  return Type(RankedTensorType::get(shape, input.getElementType()));
}

FailureOr<Type> MaxPool2DOp::inferResultType(Adaptor adaptor,
                                             EmitErrorFn emitError) {
  return inferPool2D(emitError, tensorType(adaptor.getInput()),
                     adaptor.getKernel(), adaptor.getStrides(),
                     adaptor.getPadding(), adaptor.getDilations(),
                     adaptor.getRounding().value_or(RoundingMode::Floor));
}

FailureOr<Type> MaxPool2DIndicesOp::inferResultType(Adaptor adaptor,
                                                    EmitErrorFn emitError) {
  FailureOr<Type> pooled = inferPool2D(
      emitError, tensorType(adaptor.getInput()), adaptor.getKernel(),
      adaptor.getStrides(), adaptor.getPadding(), adaptor.getDilations(),
      adaptor.getRounding().value_or(RoundingMode::Floor));
  if (failed(pooled))
    return failure();
  auto type = cast<RankedTensorType>(*pooled);
  return Type(type.clone(IntegerType::get(type.getContext(), 64)));
}

FailureOr<Type> AvgPool2DOp::inferResultType(Adaptor adaptor,
                                             EmitErrorFn emitError) {
  return inferPool2D(emitError, tensorType(adaptor.getInput()),
                     adaptor.getKernel(), adaptor.getStrides(),
                     adaptor.getPadding(), /*dilationsAttr=*/{},
                     adaptor.getRounding().value_or(RoundingMode::Floor));
}

FailureOr<Type> GlobalAvgPoolOp::inferResultType(Adaptor adaptor,
                                                 EmitErrorFn emitError) {
  RankedTensorType input = tensorType(adaptor.getInput());
  if (input.getRank() < 3)
    return emitError() << "expects input of rank 3 or more (N, C, spatial...), "
                          "got rank "
                       << input.getRank();
  SmallVector<int64_t> shape(input.getShape());
  std::fill(shape.begin() + 2, shape.end(), 1);
  return Type(RankedTensorType::get(shape, input.getElementType()));
}
