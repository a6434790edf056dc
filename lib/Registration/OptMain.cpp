//===- OptMain.cpp - kiln-opt's driver ------------------------------------===//
//
// Part of Kiln. Parses, verifies, transforms and prints Kiln IR: every flag
// of mlir-opt, the nn dialect, Kiln's passes and pipelines, and the
// upstream passes they build on. The input is screened (ScreenIRText.h)
// before MLIR's parser sees it, as every other Kiln tool does.
//
//===----------------------------------------------------------------------===//

#include "kiln/OptMain.h"

#include "kiln/Frontend/IR/ScreenIRText.h"
#include "kiln/InitAllDialects.h"
#include "kiln/InitAllPasses.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

int kiln::kilnOptMain(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  DialectRegistry registry;
  kiln::registerAllDialects(registry);
  mlir::registerAllPasses();
  kiln::registerAllPasses();
  auto [inputPath, outputPath] = registerAndParseCLIOptions(
      argc, argv, "Kiln optimizer driver: nn IR in, transformed IR out\n",
      registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  // These print and exit before any input is read.
  if (config.shouldShowDialects() || config.shouldListPasses())
    return asMainReturnCode(
        MlirOptMain(argc, argv, inputPath, outputPath, registry));

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input = openInputFile(inputPath, &error);
  if (!input) {
    llvm::errs() << "kiln-opt: " << error << "\n";
    return 1;
  }
  {
    llvm::SourceMgr sourceMgr;
    unsigned bufferId = sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBuffer(input->getMemBufferRef(),
                                         /*RequiresNullTerminator=*/false),
        llvm::SMLoc());
    MLIRContext context(MLIRContext::Threading::DISABLED);
    SourceMgrDiagnosticHandler handler(sourceMgr, &context);
    if (failed(screenIRText(sourceMgr, bufferId, &context)))
      return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputPath, &error);
  if (!output) {
    llvm::errs() << "kiln-opt: " << error << "\n";
    return 1;
  }
  if (failed(MlirOptMain(output->os(), std::move(input), registry, config)))
    return 1;
  output->keep();
  output->os().flush();
  if (output->os().has_error()) {
    llvm::errs() << "kiln-opt: cannot write " << outputPath << ": "
                 << output->os().error().message() << "\n";
    output->os().clear_error();
    return 1;
  }
  return 0;
}
