//===- Translation.cpp - kiln-translate --import-onnx ---------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Frontend/ONNX/ONNXImporter.h"

#include "kiln/Dialect/NN/NNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

/// kiln-translate's --bind (a tool option, as kiln-compile's).
static llvm::cl::list<std::string> bindings(
    "bind",
    llvm::cl::desc("With --import-onnx: give the graph input NAME the value "
                   "in FILE.npy; it becomes a constant and is no longer an "
                   "argument"),
    llvm::cl::value_desc("NAME=FILE.npy"));

void kiln::registerONNXImportTranslation() {
  TranslateToMLIRRegistration registration(
      "import-onnx", "Import an ONNX model (.onnx) into the nn dialect",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        ONNXImportOptions options;
        auto bound = parseInputBindings(bindings);
        if (!bound) {
          llvm::errs() << "kiln-translate: error: "
                       << llvm::toString(bound.takeError()) << "\n";
          return {};
        }
        options.boundInputs = std::move(*bound);
        auto module =
            importONNX(buffer->getBuffer(), buffer->getBufferIdentifier(),
                       *context, options);
        if (!module) {
          // (The diagnostics with locations came first.)
          llvm::errs() << "kiln-translate: error: "
                       << llvm::toString(module.takeError()) << "\n";
          return {};
        }
        return OwningOpRef<Operation *>(module->release());
      },
      [](DialectRegistry &registry) {
        registry.insert<kiln::nn::NNDialect, func::FuncDialect>();
      });
}

int kiln::kilnTranslateMain(int argc, char **argv) {
  registerONNXImportTranslation();
  // A model's weights printed in full are twice the model's size in hex:
  // printed to stdout they are elided unless asked for (-o FILE writes them,
  // as does an explicit --mlir-elide-resource-strings-if-larger).
  bool toFile = false, chosen = false, importing = false;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if ((arg == "-o" && i + 1 < argc && llvm::StringRef(argv[i + 1]) != "-") ||
        (arg.starts_with("-o") && arg.size() > 2 && arg != "-o-" &&
         arg != "-o=-"))
      toFile = true;
    if (arg.contains("mlir-elide-resource-strings-if-larger"))
      chosen = true;
    if (arg == "--import-onnx" || arg == "-import-onnx")
      importing = true;
  }
  std::vector<char *> args(argv, argv + argc);
  static char elide[] = "--mlir-elide-resource-strings-if-larger=2048";
  if (importing && !toFile && !chosen) {
    args.push_back(elide);
    llvm::errs() << "kiln-translate: note: weights over 1 KiB are elided "
                    "from the printout; write them with -o FILE\n";
  }
  return failed(mlir::mlirTranslateMain(int(args.size()), args.data(),
                                        "Kiln translation driver"));
}
