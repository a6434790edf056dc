//===- ReductionOps.cpp - nn reductions -----------------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "VerifierSupport.h"

#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace kiln::nn;

static FailureOr<Type> inferReduction(EmitErrorFn emitError, Value inputValue,
                                      ArrayRef<int64_t> axes, bool keepdims) {
  RankedTensorType input = tensorType(inputValue);
  int64_t rank = input.getRank();
  if (axes.empty())
    return emitError() << "expects at least one axis in 'axes'";
  llvm::SmallBitVector reduced(rank);
  for (int64_t axis : axes) {
    FailureOr<int64_t> normalized = checkAxis(emitError, "axes", axis, rank);
    if (failed(normalized))
      return failure();
    if (reduced.test(*normalized))
      return emitError() << "expects distinct 'axes', got dimension "
                         << *normalized << " twice";
    reduced.set(*normalized);
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    if (!reduced.test(d))
      shape.push_back(input.getDimSize(d));
    else if (keepdims)
      shape.push_back(1);
  }
  return Type(RankedTensorType::get(shape, input.getElementType()));
}

#define KILN_NN_REDUCTION_INFERENCE(Op)                                        \
  FailureOr<Type> Op::inferResultType(Adaptor adaptor,                         \
                                      EmitErrorFn emitError) {                 \
    return inferReduction(emitError, adaptor.getInput(), adaptor.getAxes(),    \
                          adaptor.getKeepdims());                              \
  }
KILN_NN_REDUCTION_INFERENCE(ReduceSumOp)
KILN_NN_REDUCTION_INFERENCE(ReduceMeanOp)
KILN_NN_REDUCTION_INFERENCE(ReduceMaxOp)
KILN_NN_REDUCTION_INFERENCE(ReduceProdOp)
#undef KILN_NN_REDUCTION_INFERENCE

/// arg_max and arg_min: the input's shape without `axis` (or with size 1),
/// as i64.
static FailureOr<Type> inferArgReduction(EmitErrorFn emitError,
                                         Value inputValue, int64_t axis,
                                         bool keepdims) {
  RankedTensorType input = tensorType(inputValue);
  FailureOr<int64_t> normalized =
      checkAxis(emitError, "axis", axis, input.getRank());
  if (failed(normalized))
    return failure();
  if (input.getDimSize(*normalized) == 0)
    return emitError() << "expects a non-empty dimension " << *normalized;
  SmallVector<int64_t> shape(input.getShape());
  if (keepdims)
    shape[*normalized] = 1;
  else
    shape.erase(shape.begin() + *normalized);
  return Type(
      RankedTensorType::get(shape, IntegerType::get(input.getContext(), 64)));
}

FailureOr<Type> ArgMaxOp::inferResultType(Adaptor adaptor,
                                          EmitErrorFn emitError) {
  return inferArgReduction(emitError, adaptor.getInput(), adaptor.getAxis(),
                           adaptor.getKeepdims());
}

FailureOr<Type> ArgMinOp::inferResultType(Adaptor adaptor,
                                          EmitErrorFn emitError) {
  return inferArgReduction(emitError, adaptor.getInput(), adaptor.getAxis(),
                           adaptor.getKeepdims());
}
