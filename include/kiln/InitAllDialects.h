//===- InitAllDialects.h - every dialect Kiln's tools parse -----*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_INITALLDIALECTS_H
#define KILN_INITALLDIALECTS_H

#include "mlir/IR/DialectRegistry.h"

namespace kiln {

/// Registers `nn` and the upstream dialects (with their interface
/// extensions) that Kiln's pipelines produce, from linalg down to llvm/nvvm.
void registerAllDialects(mlir::DialectRegistry &registry);

} // namespace kiln

#endif // KILN_INITALLDIALECTS_H
