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

/// The argument and result attribute with a frontend's name of an input or
/// output (the ONNX importer sets it); TensorSpec::name takes it.
inline constexpr const char kIONameAttr[] = "nn.name";

struct ModelSignature {
  mlir::func::FuncOp function;
  std::vector<TensorSpec> inputs, outputs;
  /// Floating-point operations per call (see countFlops).
  double flops = 0;
};

/// The function `entry` of `module`, or with an empty `entry` its only public
/// function, and its inputs and outputs: ranked tensors of static shapes and
/// supported element types, else an error that names the problem. Names are
/// the kIONameAttr attributes where present, else "input #i"/"output #i".
llvm::Expected<ModelSignature> getModelSignature(mlir::ModuleOp module,
                                                 llvm::StringRef entry);

/// The dtype of tensors of element type `type`, if the runtime has one.
std::optional<runtime::DType> toDType(mlir::Type type);
/// The element type of tensors of `dtype`.
mlir::Type toElementType(runtime::DType dtype, mlir::MLIRContext *context);

/// Removes the kIONameAttr attributes of `function`, once the signature has
/// been read (code generation has no use for them).
void removeIONames(mlir::func::FuncOp function);

} // namespace kiln

#endif // KILN_ENGINE_MODELSIGNATURE_H
