//===- ConvolutionOps.cpp - nn.conv2d -------------------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "VerifierSupport.h"

using namespace mlir;
using namespace kiln::nn;

FailureOr<Type> Conv2DOp::inferResultType(Adaptor adaptor,
                                          EmitErrorFn emitError) {
  RankedTensorType input = tensorType(adaptor.getInput());
  RankedTensorType filter = tensorType(adaptor.getFilter());
  if (failed(checkRank(emitError, "input", input, 4, "NCHW")) ||
      failed(checkRank(emitError, "filter", filter, 4,
                       "F x C/groups x KH x KW")) ||
      failed(checkElementType(emitError, "filter", filter, "input", input)))
    return failure();

  SmallVector<int64_t> strides = valuesOrFill(adaptor.getStrides(), 2, 1);
  SmallVector<int64_t> padding = valuesOrFill(adaptor.getPadding(), 4, 0);
  SmallVector<int64_t> dilations = valuesOrFill(adaptor.getDilations(), 2, 1);
  int64_t groups = adaptor.getGroups();
  if (failed(checkArray(emitError, "strides", strides, 2, 1)) ||
      failed(checkArray(emitError, "padding", padding, 4, 0)) ||
      failed(checkArray(emitError, "dilations", dilations, 2, 1)))
    return failure();
  if (groups < 1)
    return emitError() << "expects 'groups' to be positive, got " << groups;

  // Channels: the filter sees C/groups input channels, and F output channels
  // split evenly over the groups.
  int64_t channels = input.getDimSize(1);
  int64_t features = filter.getDimSize(0);
  if (!ShapedType::isDynamic(channels) && channels % groups != 0)
    return emitError() << "expects 'groups' (" << groups
                       << ") to divide the input channels (" << channels << ")";
  if (!ShapedType::isDynamic(features) && features % groups != 0)
    return emitError() << "expects 'groups' (" << groups
                       << ") to divide the filter count (" << features << ")";
  if (!ShapedType::isDynamic(channels) &&
      !sizesMatch(filter.getDimSize(1), channels / groups))
    return emitError() << "expects filter dimension 1 to be input channels / "
                          "groups = "
                       << channels / groups << ", got "
                       << formatShape(filter.getDimSize(1));
  if (Value bias = adaptor.getBias()) {
    if (failed(checkVector(emitError, "bias", tensorType(bias), features)) ||
        failed(checkElementType(emitError, "bias", bias.getType(), "input",
                                input)))
      return failure();
  }

  SmallVector<int64_t> shape = {input.getDimSize(0), features};
  for (int i = 0; i < 2; ++i) {
    WindowDim dim{input.getDimSize(2 + i),
                  filter.getDimSize(2 + i),
                  strides[i],
                  dilations[i],
                  padding[i],
                  padding[2 + i]};
    if (failed(checkWindow(emitError, dim, i)))
      return failure();
    shape.push_back(dim.outputSize());
  }
  return Type(RankedTensorType::get(shape, input.getElementType()));
}
