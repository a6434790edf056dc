//===- ModelLoader.h - read a model file into an nn module ------*- C++ -*-===//
//
// Part of Kiln. The one place kiln-run and kiln-compile (and later the
// Python bindings) read models: ONNX files (.onnx, through the importer)
// and nn IR text (anything else).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_ENGINE_MODELLOADER_H
#define KILN_ENGINE_MODELLOADER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SourceMgr.h"

namespace kiln {

/// Parses the model at `path` ("-": stdin) into `context`. An ONNX model's
/// function is named after the file (resnet18.onnx: @resnet18). Diagnostics with
/// locations go to the context's handler (attach one for `sourceMgr`, which
/// keeps the buffer); the error says what failed.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
loadModel(llvm::StringRef path, mlir::MLIRContext &context,
          llvm::SourceMgr &sourceMgr);

} // namespace kiln

#endif // KILN_ENGINE_MODELLOADER_H
