//===- Passes.h - passes that read tuning databases -------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TUNING_PASSES_H
#define KILN_TUNING_PASSES_H

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"

namespace kiln {

#define GEN_PASS_DECL
#include "kiln/Tuning/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "kiln/Tuning/Passes.h.inc"

} // namespace kiln

#endif // KILN_TUNING_PASSES_H
