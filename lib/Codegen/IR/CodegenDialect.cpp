//===- CodegenDialect.cpp - kiln_codegen dialect and attributes -----------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace kiln::codegen;

#include "kiln/Codegen/IR/CodegenDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "kiln/Codegen/IR/CodegenAttrs.cpp.inc"

void KilnCodegenDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "kiln/Codegen/IR/CodegenAttrs.cpp.inc"
      >();
}

LogicalResult
LoweringConfigAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                           ArrayRef<int64_t> cache, ArrayRef<int64_t> reg) {
  if (cache.size() != reg.size())
    return emitError() << "expects 'cache' and 'register' tiles for the same "
                          "number of loops, got "
                       << cache.size() << " and " << reg.size();
  for (auto [c, r] : llvm::zip(cache, reg)) {
    if (c < 0 || r < 0)
      return emitError() << "expects non-negative tile sizes";
    // A register tile is a piece of a cache tile.
    if (c > 0 && r > c)
      return emitError() << "expects each register tile to fit its cache "
                            "tile, got "
                         << r << " > " << c;
  }
  return success();
}
