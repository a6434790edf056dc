//===- ElementwiseOps.cpp - nn broadcasting binary ops --------------------===//
//
// Part of Kiln. Shape inference for the binary elementwise ops; their folders
// are in ElementwiseFolds.cpp.
//
//===----------------------------------------------------------------------===//

#include "VerifierSupport.h"

using namespace mlir;
using namespace kiln::nn;

/// The numpy broadcast of two operands with equal element types.
static FailureOr<Type> inferBroadcast(EmitErrorFn emitError, Value lhsValue,
                                      Value rhsValue) {
  RankedTensorType lhs = tensorType(lhsValue);
  RankedTensorType rhs = tensorType(rhsValue);
  if (failed(checkElementType(emitError, "rhs", rhs, "lhs", lhs)))
    return failure();
  std::optional<SmallVector<int64_t>> shape =
      broadcastShapes(lhs.getShape(), rhs.getShape());
  if (!shape)
    return emitError() << "expects broadcast-compatible shapes, got ["
                       << formatShape(lhs.getShape()) << "] and ["
                       << formatShape(rhs.getShape()) << "]";
  return Type(RankedTensorType::get(*shape, lhs.getElementType()));
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
#undef KILN_NN_BROADCAST_INFERENCE
