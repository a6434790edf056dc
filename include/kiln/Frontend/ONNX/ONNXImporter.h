//===- ONNXImporter.h - ONNX models into the nn dialect ---------*- C++ -*-===//
//
// Part of Kiln. Reads an ONNX model file (protobuf, with external data
// beside it) and builds one func.func of nn ops: graph inputs become
// arguments (initializers do not), initializers become nn.constant weights
// held as dense resources, and shape computations on constants are folded
// at import so that static shapes survive. Input and output names are kept
// as `nn.name` argument and result attributes.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTEND_ONNX_ONNXIMPORTER_H
#define KILN_FRONTEND_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace kiln {

struct ONNXImportOptions {
  /// Name of the imported function (empty: the graph's name, made a valid
  /// symbol, else "main").
  std::string functionName;
  /// Graph inputs given a value at import (`--bind NAME=FILE.npy`), as
  /// (input name, .npy path) pairs: each becomes a constant and is no longer
  /// an argument of the function. This is how a model whose shape-defining
  /// inputs (Reshape's shape, Slice's bounds, ...) are graph inputs gets
  /// static shapes. The file's dtype and shape must be the input's.
  std::vector<std::pair<std::string, std::string>> boundInputs;
  /// .npy files with the values the function's arguments will have when it
  /// runs, in argument order (kiln-run's --input files). When the model
  /// needs an argument's value at import (and only then), it is read from
  /// here: the function is specialized on that value and the argument
  /// stays, so it must be given the same value at run time.
  std::vector<std::string> argumentFiles;
  /// When not null, receives the names of the arguments the function was
  /// specialized on (from `argumentFiles`).
  std::vector<std::string> *specializedOn = nullptr;
};

/// Imports the ONNX model at `path`. Problems in the model (unsupported op,
/// opset, data type or attribute; corrupt file; missing initializer or
/// external data) are reported as diagnostics on the context with the
/// node's name and op type, and the error says that the import failed.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importONNXFile(llvm::StringRef path, mlir::MLIRContext &context,
               const ONNXImportOptions &options = {});

/// Imports a model from `bytes`; `path` names it in diagnostics and its
/// directory holds external data.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importONNX(llvm::StringRef bytes, llvm::StringRef path,
           mlir::MLIRContext &context, const ONNXImportOptions &options = {});

/// Splits `--bind` arguments of the form NAME=FILE.npy (for
/// ONNXImportOptions::boundInputs); the error names the malformed one.
llvm::Expected<std::vector<std::pair<std::string, std::string>>>
parseInputBindings(llvm::ArrayRef<std::string> arguments);

/// Registers the `import-onnx` translation (kiln-translate).
void registerONNXImportTranslation();

/// kiln-translate's main: mlir-translate with Kiln's translations. Imported
/// models printed to stdout have their large weights elided (they are kept
/// with -o FILE).
int kilnTranslateMain(int argc, char **argv);

/// The op types the importer supports, sorted, comma-separated.
std::string supportedONNXOps();

} // namespace kiln

#endif // KILN_FRONTEND_ONNX_ONNXIMPORTER_H
