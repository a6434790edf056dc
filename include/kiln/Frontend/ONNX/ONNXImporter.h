//===- ONNXImporter.h - ONNX models into the nn dialect ----------*- C++
//-*-===//
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

namespace kiln {

struct ONNXImportOptions {
  /// Name of the imported function (empty: the graph's name, made a valid
  /// symbol, else "main").
  std::string functionName;
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
