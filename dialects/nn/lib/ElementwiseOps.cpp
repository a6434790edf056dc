//===- ElementwiseOps.cpp - nn broadcasting binary ops --------------------===//
//
// Part of Kiln. Shape inference for the binary elementwise ops; their folders
// are in ElementwiseFolds.cpp.
//
//===----------------------------------------------------------------------===//

#include "VerifierSupport.h"

using namespace mlir;
using namespace kiln::nn;

/// The broadcast shape of `values` with `element` as the element type.
static FailureOr<Type> inferBroadcastOf(EmitErrorFn emitError,
                                        ArrayRef<Value> values, Type element) {
  SmallVector<int64_t> shape;
  for (Value v : values) {
    std::optional<SmallVector<int64_t>> next =
        broadcastShapes(shape, tensorType(v).getShape());
    if (!next)
      return emitError() << "expects broadcast-compatible shapes, got ["
                         << formatShape(shape) << "] and ["
                         << formatShape(tensorType(v).getShape()) << "]";
    shape = *next;
  }
  return Type(RankedTensorType::get(shape, element));
}

/// The numpy broadcast of two operands with equal element types.
static FailureOr<Type> inferBroadcast(EmitErrorFn emitError, Value lhsValue,
                                      Value rhsValue) {
  RankedTensorType lhs = tensorType(lhsValue);
  RankedTensorType rhs = tensorType(rhsValue);
  if (failed(checkElementType(emitError, "rhs", rhs, "lhs", lhs)))
    return failure();
  return inferBroadcastOf(emitError, {lhsValue, rhsValue},
                          lhs.getElementType());
}

#define KILN_NN_BROADCAST_INFERENCE(Op)                                        \
  FailureOr<Type> Op::inferResultType(Adaptor adaptor,                         \
                                      EmitErrorFn emitError) {                 \
    return inferBroadcast(emitError, adaptor.getLhs(), adaptor.getRhs());      \
  }
KILN_NN_BROADCAST_INFERENCE(AddOp)
KILN_NN_BROADCAST_INFERENCE(SubOp)
KILN_NN_BROADCAST_INFERENCE(MulOp)
KILN_NN_BROADCAST_INFERENCE(DivOp)
KILN_NN_BROADCAST_INFERENCE(PowOp)
KILN_NN_BROADCAST_INFERENCE(MaximumOp)
KILN_NN_BROADCAST_INFERENCE(MinimumOp)
KILN_NN_BROADCAST_INFERENCE(RemOp)
KILN_NN_BROADCAST_INFERENCE(ShiftLeftOp)
KILN_NN_BROADCAST_INFERENCE(ShiftRightOp)
#undef KILN_NN_BROADCAST_INFERENCE

#define KILN_NN_COMPARE_INFERENCE(Op)                                          \
  FailureOr<Type> Op::inferResultType(Adaptor adaptor,                         \
                                      EmitErrorFn emitError) {                 \
    FailureOr<Type> shape =                                                    \
        inferBroadcast(emitError, adaptor.getLhs(), adaptor.getRhs());         \
    if (failed(shape))                                                         \
      return failure();                                                        \
    return Type(cast<RankedTensorType>(*shape).clone(                          \
        IntegerType::get(shape->getContext(), 1)));                            \
  }
KILN_NN_COMPARE_INFERENCE(EqualOp)
KILN_NN_COMPARE_INFERENCE(LessOp)
KILN_NN_COMPARE_INFERENCE(LessEqualOp)
KILN_NN_COMPARE_INFERENCE(GreaterOp)
KILN_NN_COMPARE_INFERENCE(GreaterEqualOp)
#undef KILN_NN_COMPARE_INFERENCE

FailureOr<Type> SelectOp::inferResultType(Adaptor adaptor,
                                          EmitErrorFn emitError) {
  RankedTensorType onTrue = tensorType(adaptor.getOnTrue());
  RankedTensorType onFalse = tensorType(adaptor.getOnFalse());
  if (failed(
          checkElementType(emitError, "on_false", onFalse, "on_true", onTrue)))
    return failure();
  return inferBroadcastOf(
      emitError,
      {adaptor.getCondition(), adaptor.getOnTrue(), adaptor.getOnFalse()},
      onTrue.getElementType());
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  // A cast to the same type is the identity.
  if (getInput().getType() == getType())
    return getInput();
  return {};
}
