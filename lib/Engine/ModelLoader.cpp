//===- ModelLoader.cpp - read a model file into an nn module --------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Engine/ModelLoader.h"

#include "kiln/Frontend/ONNX/ONNXImporter.h"

#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/Path.h"

using namespace mlir;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<OwningOpRef<ModuleOp>>
kiln::loadModel(llvm::StringRef path, MLIRContext &context,
                llvm::SourceMgr &sourceMgr) {
  if (llvm::sys::path::extension(path).equals_insensitive(".onnx"))
    return importONNXFile(path, context);
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
