//===- Translation.cpp - kiln-translate --import-onnx ---------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Frontend/ONNX/ONNXImporter.h"

#include "kiln/Dialect/NN/NNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

void kiln::registerONNXImportTranslation() {
  TranslateToMLIRRegistration registration(
      "import-onnx", "Import an ONNX model (.onnx) into the nn dialect",
      [](llvm::SourceMgr &sourceMgr, MLIRContext *context)
          -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        auto module = importONNX(buffer->getBuffer(),
                                 buffer->getBufferIdentifier(), *context);
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
