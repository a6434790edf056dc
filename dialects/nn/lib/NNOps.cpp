//===- NNOps.cpp - nn op definitions and type-inference glue --------------===//
//
// Part of Kiln. The generated op classes are defined here; each op family's
// inference, verifiers and folders live in their own file (LinearOps.cpp,
// ConvolutionOps.cpp, ...).
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace kiln::nn;

InFlightDiagnostic kiln::nn::silentEmitter() { return InFlightDiagnostic(); }

LogicalResult kiln::nn::detail::inferOrUnranked(FailureOr<Type> inferred,
                                                ValueRange operands,
                                                SmallVectorImpl<Type> &types) {
  if (succeeded(inferred)) {
    types.push_back(*inferred);
    return success();
  }
  // A broken op (the verifier names the problem) takes its first operand's
  // type: code that builds more ops on its result (a frontend importing one
  // node as several ops) still sees a ranked tensor, and only the verifier
  // has to deal with the error.
  if (operands.empty())
    return failure();
  Type first = operands[0].getType();
  if (isa<RankedTensorType>(first)) {
    types.push_back(first);
    return success();
  }
  Type element = getElementTypeOrSelf(first);
  if (!element)
    return failure();
  types.push_back(UnrankedTensorType::get(element));
  return success();
}

bool kiln::nn::detail::hasUnrankedOperand(ValueRange operands) {
  return llvm::any_of(operands, [](Value v) {
    return v && !isa<RankedTensorType>(v.getType());
  });
}

bool kiln::nn::detail::areCompatibleResultTypes(TypeRange lhs, TypeRange rhs) {
  if (lhs.size() != rhs.size())
    return false;
  for (auto [l, r] : llvm::zip(lhs, rhs)) {
    if (getElementTypeOrSelf(l) != getElementTypeOrSelf(r) ||
        failed(verifyCompatibleShape(l, r)))
      return false;
  }
  return true;
}

LogicalResult kiln::nn::detail::verifyInferredResult(Operation *op,
                                                     FailureOr<Type> inferred) {
  if (failed(inferred))
    return failure();
  // A declared type that contradicts the inferred one was reported by
  // InferTypeOpInterface's verifier, which runs before this one.
  if (!isa<RankedTensorType>(op->getResult(0).getType()))
    return op->emitOpError()
           << "expects a ranked result type, inferred " << *inferred;
  // The declared result may leave sizes dynamic that inference knows; a
  // pass refining it (nn-infer-shapes) must not make the op invalid.
  if (auto type = dyn_cast<RankedTensorType>(*inferred);
      type && exceedsMaxTensorElements(type.getShape()))
    return op->emitOpError()
           << "infers a result of type " << *inferred
           << " with more elements than Kiln supports (at most 2^40 = "
           << kMaxTensorElements << ")";
  return success();
}

#include "kiln/Dialect/NN/NNOpsEnums.cpp.inc"

#define GET_OP_CLASSES
#include "kiln/Dialect/NN/NNOps.cpp.inc"
