//===- CodegenDialect.h - kiln_codegen dialect and attributes ---*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_IR_CODEGENDIALECT_H
#define KILN_CODEGEN_IR_CODEGENDIALECT_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"

#include "kiln/Codegen/IR/CodegenDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "kiln/Codegen/IR/CodegenAttrs.h.inc"

#endif // KILN_CODEGEN_IR_CODEGENDIALECT_H
