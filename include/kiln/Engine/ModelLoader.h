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

#include <string>
#include <utility>
#include <vector>

namespace kiln {

/// How a model file is read (the ONNX-only parts are described with
/// ONNXImportOptions).
struct ModelLoadOptions {
  /// `--bind NAME=FILE.npy`: graph inputs that become constants (ONNX
  /// models only).
  std::vector<std::pair<std::string, std::string>> boundInputs;
  /// The .npy files the model will run on, in argument order: an ONNX model
  /// that needs an input's value at import is specialized on it.
  std::vector<std::string> argumentFiles;
  /// When not null, receives the inputs the model was specialized on.
  std::vector<std::string> *specializedOn = nullptr;
};

/// Parses the model at `path` ("-": stdin) into `context`. An ONNX model's
/// function is named after the file (resnet18.onnx: @resnet18). Diagnostics
/// with locations go to the context's handler (attach one for `sourceMgr`,
/// which keeps the buffer); the error says what failed.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
loadModel(llvm::StringRef path, mlir::MLIRContext &context,
          llvm::SourceMgr &sourceMgr, const ModelLoadOptions &options = {});

/// Parses a model held in memory: ONNX protobuf bytes when `isONNX`, else
/// nn IR text. `name` stands for the file name: it names the model in
/// diagnostics and, for ONNX, the function (as loadModel does); external
/// data of an ONNX model is looked up beside it.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
loadModelFromBuffer(llvm::StringRef contents, llvm::StringRef name, bool isONNX,
                    mlir::MLIRContext &context, llvm::SourceMgr &sourceMgr,
                    const ModelLoadOptions &options = {});

} // namespace kiln

#endif // KILN_ENGINE_MODELLOADER_H
