//===- ModelLoader.cpp - read a model file into an nn module --------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Engine/ModelLoader.h"

#include "kiln/Frontend/ONNX/ONNXImporter.h"

#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

using namespace mlir;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<OwningOpRef<ModuleOp>>
kiln::loadModel(llvm::StringRef path, MLIRContext &context,
                llvm::SourceMgr &sourceMgr, const ModelLoadOptions &load) {
  if (llvm::sys::path::extension(path).equals_insensitive(".onnx")) {
    // Exporters name graphs generically (torch_jit, main_graph): the file's
    // name makes a better function (and C library) name.
    ONNXImportOptions options;
    for (char c : llvm::sys::path::stem(path))
      options.functionName += llvm::isAlnum(c) ? c : '_';
    if (options.functionName.empty() || llvm::isDigit(options.functionName[0]))
      options.functionName = "model_" + options.functionName;
    options.boundInputs = load.boundInputs;
    options.argumentFiles = load.argumentFiles;
    options.specializedOn = load.specializedOn;
    return importONNXFile(path, context, options);
  }
  if (!load.boundInputs.empty())
    return makeError("--bind applies to ONNX models only; " + path +
                     " is nn IR (write the value as an nn.constant)");
  std::string error;
  auto file = openInputFile(path, &error);
  if (!file)
    return makeError(error);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return makeError("cannot parse " + path);
  return module;
}
