//===- ModelSignature.h - the function a model compiles ---------*- C++ -*-===//
//
// Part of Kiln. Both ways of compiling a model, the JIT (CompiledModel) and
// the AOT driver (kiln-compile), start by choosing the function to compile
// and describing its inputs and outputs; this is that step.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_ENGINE_MODELSIGNATURE_H
#define KILN_ENGINE_MODELSIGNATURE_H

#include "kiln/Runtime/RunCommand.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace kiln {

struct ModelSignature {
  mlir::func::FuncOp function;
  std::vector<TensorSpec> inputs, outputs;
  /// Floating-point operations per call (see countFlops).
  double flops = 0;
};

/// The function `entry` of `module`, or with an empty `entry` its only public
/// function, and its inputs and outputs: ranked tensors of static shapes and
/// supported element types, else an error that names the problem.
llvm::Expected<ModelSignature> getModelSignature(mlir::ModuleOp module,
                                                 llvm::StringRef entry);

} // namespace kiln

#endif // KILN_ENGINE_MODELSIGNATURE_H
