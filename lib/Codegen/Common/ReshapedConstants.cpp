//===- ReshapedConstants.cpp - constants seen through reshapes ------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/ReshapedConstants.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

arith::ConstantOp kiln::reshapedConstant(Value value) {
  while (isa_and_nonnull<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
      value.getDefiningOp()))
    value = value.getDefiningOp()->getOperand(0);
  return value.getDefiningOp<arith::ConstantOp>();
}
