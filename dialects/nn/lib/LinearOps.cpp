//===- LinearOps.cpp - nn.matmul and nn.dense -----------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "VerifierSupport.h"

using namespace mlir;
using namespace kiln::nn;

FailureOr<Type> MatmulOp::inferResultType(Adaptor adaptor,
                                          EmitErrorFn emitError) {
  RankedTensorType lhs = tensorType(adaptor.getLhs());
  RankedTensorType rhs = tensorType(adaptor.getRhs());
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return emitError() << "expects operands of rank 2 or more, got ranks "
                       << lhs.getRank() << " and " << rhs.getRank();
  if (failed(checkElementType(emitError, "rhs", rhs, "lhs", lhs)))
    return failure();
  int64_t k = lhs.getShape().back();
  int64_t rhsK = rhs.getShape()[rhs.getRank() - 2];
  if (!sizesMatch(k, rhsK))
    return emitError() << "expects the contraction sizes to match, got lhs ["
                       << formatShape(lhs.getShape()) << "] and rhs ["
                       << formatShape(rhs.getShape()) << "]";
  std::optional<SmallVector<int64_t>> batch =
      broadcastShapes(lhs.getShape().drop_back(2), rhs.getShape().drop_back(2));
  if (!batch)
    return emitError() << "expects broadcast-compatible batch dimensions, got ["
                       << formatShape(lhs.getShape().drop_back(2)) << "] and ["
                       << formatShape(rhs.getShape().drop_back(2)) << "]";
  SmallVector<int64_t> shape = *batch;
  shape.push_back(lhs.getShape()[lhs.getRank() - 2]);
  shape.push_back(rhs.getShape().back());
  return Type(RankedTensorType::get(shape, lhs.getElementType()));
}

FailureOr<Type> DenseOp::inferResultType(Adaptor adaptor,
                                         EmitErrorFn emitError) {
  RankedTensorType input = tensorType(adaptor.getInput());
  RankedTensorType weight = tensorType(adaptor.getWeight());
  if (input.getRank() < 1)
    return emitError() << "expects input of rank 1 or more, got rank 0";
  if (failed(checkRank(emitError, "weight", weight, 2, "out x in")) ||
      failed(checkElementType(emitError, "weight", weight, "input", input)))
    return failure();
  if (!sizesMatch(input.getShape().back(), weight.getDimSize(1)))
    return emitError() << "expects weight [out x in] to have in = "
                       << formatShape(input.getShape().back())
                       << " (the input's last dimension), got weight ["
                       << formatShape(weight.getShape()) << "]";
  if (Value bias = adaptor.getBias()) {
    if (failed(checkVector(emitError, "bias", tensorType(bias),
                           weight.getDimSize(0))) ||
        failed(checkElementType(emitError, "bias", bias.getType(), "input",
                                input)))
      return failure();
  }
  SmallVector<int64_t> shape(input.getShape());
  shape.back() = weight.getDimSize(0);
  return Type(RankedTensorType::get(shape, input.getElementType()));
}
