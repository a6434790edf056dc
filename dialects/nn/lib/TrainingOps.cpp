//===- TrainingOps.cpp - nn dropout and losses ----------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "VerifierSupport.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace kiln::nn;

LogicalResult DropoutOp::verify() {
  // ratio 1 would scale the survivors by 1 / 0.
  double ratio = getRatio().convertToDouble();
  if (!(ratio >= 0 && ratio < 1))
    return emitOpError() << "expects 'ratio' in [0, 1), got " << ratio;
  return success();
}

/// Rank-0 result for mean/sum reductions, `perSample` otherwise.
static Type lossType(Reduction reduction, ArrayRef<int64_t> perSample,
                     Type element) {
  if (reduction == Reduction::None)
    return RankedTensorType::get(perSample, element);
  return RankedTensorType::get({}, element);
}

FailureOr<Type> CrossEntropyOp::inferResultType(Adaptor adaptor,
                                                EmitErrorFn emitError) {
  RankedTensorType logits = tensorType(adaptor.getLogits());
  RankedTensorType targets = tensorType(adaptor.getTargets());
  if (logits.getRank() < 2)
    return emitError() << "expects logits of rank 2 or more (N, C, ...), got "
                          "rank "
                       << logits.getRank();
  // Per-sample shape: the logits without the class dimension.
  SmallVector<int64_t> perSample(logits.getShape());
  perSample.erase(perSample.begin() + 1);
  if (isa<IntegerType>(targets.getElementType())) {
    if (failed(verifyCompatibleShape(targets.getShape(), perSample)))
      return emitError() << "expects class-index targets of shape ["
                         << formatShape(perSample) << "], got ["
                         << formatShape(targets.getShape()) << "]";
    perSample = meetShapes(perSample, targets.getShape());
  } else {
    if (failed(verifyCompatibleShape(targets.getShape(), logits.getShape())))
      return emitError() << "expects probability targets of the logits' shape ["
                         << formatShape(logits.getShape()) << "], got ["
                         << formatShape(targets.getShape()) << "]";
    SmallVector<int64_t> known =
        meetShapes(logits.getShape(), targets.getShape());
    known.erase(known.begin() + 1);
    perSample = known;
    if (failed(
            checkElementType(emitError, "targets", targets, "logits", logits)))
      return failure();
  }
  return lossType(adaptor.getReduction().value_or(Reduction::Mean), perSample,
                  logits.getElementType());
}

FailureOr<Type> MseOp::inferResultType(Adaptor adaptor, EmitErrorFn emitError) {
  RankedTensorType prediction = tensorType(adaptor.getPrediction());
  RankedTensorType target = tensorType(adaptor.getTarget());
  if (failed(checkElementType(emitError, "target", target, "prediction",
                              prediction)))
    return failure();
  if (failed(verifyCompatibleShape(prediction.getShape(), target.getShape())))
    return emitError() << "expects target of the prediction's shape ["
                       << formatShape(prediction.getShape()) << "], got ["
                       << formatShape(target.getShape()) << "]";
  return lossType(adaptor.getReduction().value_or(Reduction::Mean),
                  meetShapes(prediction.getShape(), target.getShape()),
                  prediction.getElementType());
}
