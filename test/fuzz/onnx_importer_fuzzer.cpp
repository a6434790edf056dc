//===- onnx_importer_fuzzer.cpp - libFuzzer harness: the ONNX importer ----===//
//
// Part of Kiln. Each input is a serialized ONNX model, imported as
// kiln.compile(bytes) and kiln-translate would; the resulting module is
// verified. Any outcome but success or diagnostics (a crash, a sanitizer
// report, a hang) is a bug. See docs/development.md, "Fuzzing".
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "kiln/Frontend/ONNX/ONNXImporter.h"

#include "mlir/IR/Verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  kiln::fuzz::ContextPool &pool = kiln::fuzz::ContextPool::get();
  mlir::MLIRContext &context = pool.next();
  auto module = kiln::importONNX(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.onnx",
      context);
  if (module)
    (void)mlir::verify(**module);
  else
    llvm::consumeError(module.takeError());
  return 0;
}
