//===- ReshapedConstants.h - constants seen through reshapes ----*- C++ -*-===//
//
// Part of Kiln. A convolution's filter reaches its contraction as a
// constant collapsed to a matrix. Code that treats constant operands
// specially (transposed at compile time, computed positions-major, kept
// constant in a tuning kernel) looks through such reshapes: they keep the
// bytes.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_RESHAPEDCONSTANTS_H
#define KILN_CODEGEN_RESHAPEDCONSTANTS_H

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace kiln {

/// The arith.constant `value` is, through any chain of
/// tensor.collapse_shape / tensor.expand_shape ops; null if it is not one.
mlir::arith::ConstantOp reshapedConstant(mlir::Value value);

} // namespace kiln

#endif // KILN_CODEGEN_RESHAPEDCONSTANTS_H
