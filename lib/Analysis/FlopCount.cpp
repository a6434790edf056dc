//===- FlopCount.cpp - floating-point work of an nn function --------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Analysis/FlopCount.h"

#include "kiln/Dialect/NN/NNOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace kiln::nn;

static double numElements(Type type) {
  auto shaped = dyn_cast<RankedTensorType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return 0;
  return static_cast<double>(shaped.getNumElements());
}

double kiln::countFlops(Operation *root) {
  double total = 0;
  root->walk([&](Operation *op) {
    if (!isa<NNDialect>(op->getDialect()) || op->getNumResults() != 1)
      return;
    double out = numElements(op->getResult(0).getType());
    total += llvm::TypeSwitch<Operation *, double>(op)
                 .Case([&](MatmulOp m) {
                   return 2 * out * m.getLhs().getType().getShape().back();
                 })
                 .Case([&](DenseOp d) {
                   return 2 * out * d.getWeight().getType().getDimSize(1);
                 })
                 .Case([&](Conv2DOp c) {
                   auto f = c.getFilter().getType();
                   return 2 * out * f.getDimSize(1) * f.getDimSize(2) *
                          f.getDimSize(3);
                 })
                 .Case<MaxPool2DOp, AvgPool2DOp>([&](auto p) {
                   ArrayRef<int64_t> k = p.getKernel();
                   return out * k[0] * k[1];
                 })
                 .Case<ConstantOp, ReshapeOp, FlattenOp, TransposeOp,
                       ConcatOp, SliceOp, PadOp, BroadcastToOp, GatherOp,
                       DropoutOp>([](auto) { return 0.0; })
                 .Default([&](Operation *other) {
                   // Elementwise ops, normalizations, reductions, losses: one
                   // operation per element read.
                   return std::max(out, numElements(other->getOperand(0).getType()));
                 });
  });
  return total;
}
