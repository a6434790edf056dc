//===- ActivationOps.cpp - nn activation verifiers ------------------------===//
//
// Part of Kiln. Activations keep their operand's type
// (SameOperandsAndResultType), so only their attributes need checking. Folders
// are in ElementwiseFolds.cpp.
//
//===----------------------------------------------------------------------===//

#include "VerifierSupport.h"

using namespace mlir;
using namespace kiln::nn;

LogicalResult SoftmaxOp::verify() {
  return checkAxis([&] { return emitOpError(); }, "axis", getAxis(),
                   getInput().getType().getRank());
}

LogicalResult LogSoftmaxOp::verify() {
  return checkAxis([&] { return emitOpError(); }, "axis", getAxis(),
                   getInput().getType().getRank());
}

LogicalResult ClipOp::verify() {
  for (auto [name, bound] : {std::pair{"min", getMin()}, {"max", getMax()}})
    if (bound && bound->isNaN())
      return emitOpError() << "expects '" << name << "' to be a number";
  if (!getMin() || !getMax())
    return success();
  double lo = getMin()->convertToDouble(), hi = getMax()->convertToDouble();
  if (lo > hi)
    return emitOpError() << "expects 'min' (" << lo << ") not to exceed 'max' ("
                         << hi << ")";
  return success();
}
