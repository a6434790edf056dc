//===- ir_pipeline_fuzzer.cpp - libFuzzer harness: nn IR to LLVM dialect --===//
//
// Part of Kiln. Each input is nn IR text, read as kiln-run and
// kiln.compile read it (screened, parsed, verified), then compiled by the
// CPU code generator down to the LLVM dialect (the LLVM backend itself is
// left out: it is LLVM's, and slow). Diagnostics are fine; a crash, a
// sanitizer report or a hang is a bug.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "kiln/Engine/ModelLoader.h"
#include "kiln/Engine/ModelSignature.h"
#include "kiln/Codegen/Pipeline.h"

#include "mlir/Pass/PassManager.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  kiln::fuzz::ContextPool &pool = kiln::fuzz::ContextPool::get();
  mlir::MLIRContext &context = pool.next();
  llvm::SourceMgr sourceMgr;
  auto module = kiln::loadModelFromBuffer(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.mlir",
      /*isONNX=*/false, context, sourceMgr);
  if (!module) {
    llvm::consumeError(module.takeError());
    return 0;
  }
  // What kiln-run checks before compiling: one entry point, static shapes,
  // supported element types.
  auto signature = kiln::getModelSignature(**module, "");
  if (!signature) {
    llvm::consumeError(signature.takeError());
    return 0;
  }
  mlir::PassManager pm(&context);
  kiln::PipelineOptions options;
  // Temporaries and constants over 256 MB are rejected quickly instead of
  // tried.
  options.maxBufferBytes = int64_t(1) << 28;
  options.threads = 2;
  kiln::buildPipeline(pm, options);
  (void)pm.run(**module);
  return 0;
}
