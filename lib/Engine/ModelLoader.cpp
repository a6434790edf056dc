//===- ModelLoader.cpp - read a model file into an nn module --------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Engine/ModelLoader.h"

#include "kiln/Frontend/IR/ScreenIRText.h"
#include "kiln/Frontend/ONNX/ONNXImporter.h"

#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

using namespace mlir;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The ONNX import options for the model file `path` (which need not exist).
static kiln::ONNXImportOptions onnxOptions(llvm::StringRef path,
                                           const kiln::ModelLoadOptions &load) {
  // Exporters name graphs generically (torch_jit, main_graph): the file's
  // name makes a better function (and C library) name.
  kiln::ONNXImportOptions options;
  // A model held in memory is named like "<ONNX bytes>": no file name.
  if (path.starts_with("<"))
    path = "model";
  for (char c : llvm::sys::path::stem(path))
    options.functionName += llvm::isAlnum(c) ? c : '_';
  if (options.functionName.empty() || llvm::isDigit(options.functionName[0]))
    options.functionName = "model_" + options.functionName;
  options.boundInputs = load.boundInputs;
  options.argumentFiles = load.argumentFiles;
  options.specializedOn = load.specializedOn;
  return options;
}

static llvm::Expected<OwningOpRef<ModuleOp>>
parseIR(std::unique_ptr<llvm::MemoryBuffer> buffer, llvm::StringRef name,
        MLIRContext &context, llvm::SourceMgr &sourceMgr,
        const kiln::ModelLoadOptions &load) {
  if (!load.boundInputs.empty())
    return makeError("--bind applies to ONNX models only; " + name +
                     " is nn IR (write the value as an nn.constant)");
  unsigned bufferId =
      sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  if (failed(kiln::screenIRText(sourceMgr, bufferId, &context)))
    return makeError("cannot parse " + name);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return makeError("cannot parse " + name);
  return module;
}

llvm::Expected<OwningOpRef<ModuleOp>>
kiln::loadModel(llvm::StringRef path, MLIRContext &context,
                llvm::SourceMgr &sourceMgr, const ModelLoadOptions &load) {
  if (llvm::sys::path::extension(path).equals_insensitive(".onnx"))
    return importONNXFile(path, context, onnxOptions(path, load));
  std::string error;
  auto file = openInputFile(path, &error);
  if (!file)
    return makeError(error);
  return parseIR(std::move(file), path, context, sourceMgr, load);
}

llvm::Expected<OwningOpRef<ModuleOp>>
kiln::loadModelFromBuffer(llvm::StringRef contents, llvm::StringRef name,
                          bool isONNX, MLIRContext &context,
                          llvm::SourceMgr &sourceMgr,
                          const ModelLoadOptions &load) {
  if (isONNX)
    return importONNX(contents, name, context, onnxOptions(name, load));
  return parseIR(llvm::MemoryBuffer::getMemBufferCopy(contents, name), name,
                 context, sourceMgr, load);
}
