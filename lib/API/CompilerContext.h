//===- CompilerContext.h - MLIR contexts and diagnostics for the API ------===//
//
// Part of Kiln. Internal to lib/API: every model and graph of the embedding
// API owns an MLIRContext; these helpers make one and collect what the
// compiler reports on it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_API_COMPILERCONTEXT_H
#define KILN_LIB_API_COMPILERCONTEXT_H

#include "kiln/API/Failure.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/Twine.h"

#include <memory>

namespace kiln::api::detail {

/// A context with every dialect Kiln uses registered. Contexts share one
/// thread pool: a process may hold many models, each with its context.
std::unique_ptr<mlir::MLIRContext> createContext();

/// Records the diagnostics emitted on a context while it lives (instead of
/// printing them), for a Failure.
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(mlir::MLIRContext &context);

  /// Sets `failure` to `kind` with `message` and the diagnostics so far.
  void fail(Failure &failure, Failure::Kind kind, const llvm::Twine &message);

private:
  void record(mlir::Diagnostic &diagnostic);

  std::vector<Diagnostic> diagnostics;
  mlir::ScopedDiagnosticHandler handler;
};

} // namespace kiln::api::detail

#endif // KILN_LIB_API_COMPILERCONTEXT_H
