//===- CodegenDialect.h - kiln_codegen dialect and attributes ---*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_IR_CODEGENDIALECT_H
#define KILN_CODEGEN_IR_CODEGENDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "kiln/Codegen/IR/CodegenDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "kiln/Codegen/IR/CodegenAttrs.h.inc"

#define GET_OP_CLASSES
#include "kiln/Codegen/IR/CodegenOps.h.inc"

namespace kiln::codegen {
/// Unit attribute on the scf.for of a distributed loop's cache tiles (set by
/// kiln-codegen-tile from a lowering_config's `distribute`).
inline constexpr llvm::StringLiteral kDistributedLoopAttrName =
    "kiln_codegen.distributed";
/// Unit attribute on the scf.for that fills a padded tensor's border (set by
/// kiln-codegen-decompose-pads, read by kiln-codegen-read-padded-interiors).
inline constexpr llvm::StringLiteral kPaddingBorderAttrName =
    "kiln_codegen.padding_border";
/// Unit attribute on a function that holds the body of a distributed loop
/// (set by kiln-cpu-outline-parallel-loops, read by kiln-cpu-call-thread-pool).
inline constexpr llvm::StringLiteral kParallelBodyAttrName =
    "kiln_codegen.parallel_body";
} // namespace kiln::codegen

#endif // KILN_CODEGEN_IR_CODEGENDIALECT_H
