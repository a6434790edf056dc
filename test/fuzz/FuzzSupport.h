//===- FuzzSupport.h - what Kiln's fuzz harnesses share ---------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TEST_FUZZ_FUZZSUPPORT_H
#define KILN_TEST_FUZZ_FUZZSUPPORT_H

#include "kiln/InitAllDialects.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <memory>

namespace kiln::fuzz {

/// MLIR contexts keep what they parse (attributes, resource blobs) until
/// they die: a context serves 256 inputs, then a fresh one takes over, so
/// that a run of a million inputs stays within libFuzzer's memory limit.
/// Diagnostics are dropped (they are the expected outcome).
class ContextPool {
public:
  static ContextPool &get() {
    static ContextPool pool;
    return pool;
  }
  mlir::MLIRContext &next() {
    if (!context || ++uses > 256) {
      handler.reset();
      mlir::DialectRegistry registry;
      kiln::registerAllDialects(registry);
      context = std::make_unique<mlir::MLIRContext>(
          registry, mlir::MLIRContext::Threading::DISABLED);
      context->loadAllAvailableDialects();
      handler = std::make_unique<mlir::ScopedDiagnosticHandler>(
          context.get(), [](mlir::Diagnostic &) { return mlir::success(); });
      uses = 1;
    }
    return *context;
  }

private:
  std::unique_ptr<mlir::MLIRContext> context;
  std::unique_ptr<mlir::ScopedDiagnosticHandler> handler;
  int uses = 0;
};

} // namespace kiln::fuzz

#endif // KILN_TEST_FUZZ_FUZZSUPPORT_H
