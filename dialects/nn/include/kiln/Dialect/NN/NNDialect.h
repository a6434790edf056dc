//===- NNDialect.h - nn dialect declaration ---------------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_NNDIALECT_H
#define KILN_DIALECT_NN_NNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "kiln/Dialect/NN/NNOpsDialect.h.inc"

#endif // KILN_DIALECT_NN_NNDIALECT_H
