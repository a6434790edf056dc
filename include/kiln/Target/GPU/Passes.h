//===- Passes.h - NVIDIA GPU code generation passes -------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_GPU_PASSES_H
#define KILN_TARGET_GPU_PASSES_H

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace kiln {

#define GEN_PASS_DECL
#include "kiln/Target/GPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "kiln/Target/GPU/Passes.h.inc"

} // namespace kiln

#endif // KILN_TARGET_GPU_PASSES_H
