//===- CodegenDialect.h - kiln_codegen dialect and attributes ---*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_IR_CODEGENDIALECT_H
#define KILN_CODEGEN_IR_CODEGENDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/Hashing.h"

namespace kiln::codegen {
/// One tile level of a lowering_config: its name (the target's: `cache`,
/// `register` on a CPU), one tile size per loop, and the order of its tile
/// loops (null: the op's).
struct TileLevel {
  mlir::StringAttr name;
  mlir::DenseI64ArrayAttr sizes;
  mlir::DenseI64ArrayAttr order;

  llvm::ArrayRef<int64_t> getSizes() const { return sizes.asArrayRef(); }
  llvm::ArrayRef<int64_t> getOrder() const {
    return order ? order.asArrayRef() : llvm::ArrayRef<int64_t>();
  }
  bool operator==(const TileLevel &other) const {
    return name == other.name && sizes == other.sizes && order == other.order;
  }
};

inline llvm::hash_code hash_value(const TileLevel &level) {
  return llvm::hash_combine(mlir::Attribute(level.name),
                            mlir::Attribute(level.sizes),
                            mlir::Attribute(level.order));
}

/// A level named `name` with `sizes` and, if not empty, `order`.
TileLevel makeTileLevel(mlir::MLIRContext *context, llvm::StringRef name,
                        llvm::ArrayRef<int64_t> sizes,
                        llvm::ArrayRef<int64_t> order = {});
} // namespace kiln::codegen

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
