//===- CompilerContext.cpp - MLIR contexts and diagnostics for the API ----===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "CompilerContext.h"

#include "kiln/InitAllDialects.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace kiln::api {

std::string Failure::describe() const {
  std::string text = message;
  for (const Diagnostic &d : diagnostics) {
    text += "\n";
    if (!d.location.empty())
      text += d.location + ": ";
    text += d.severity + ": " + d.message;
  }
  return text;
}

namespace detail {

std::unique_ptr<MLIRContext> createContext() {
  // Never destroyed: a context may still use it while the process exits.
  static llvm::DefaultThreadPool *pool = new llvm::DefaultThreadPool();
  DialectRegistry registry;
  registerAllDialects(registry);
  auto context =
      std::make_unique<MLIRContext>(registry, MLIRContext::Threading::DISABLED);
  context->setThreadPool(*pool);
  // Diagnostics carry locations; the op in generic form adds only noise.
  context->printOpOnDiagnostic(false);
  return context;
}

/// "model.mlir:3:5", "model.onnx: node 'conv1'", or "".
static std::string describeLocation(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    std::string text = file.getFilename().str();
    // The ONNX importer's file locations have no line.
    if (file.getLine() != 0)
      text += ":" + std::to_string(file.getLine());
    // Python lines (kiln.nn) have no column.
    if (file.getLine() != 0 && file.getColumn() != 0)
      text += ":" + std::to_string(file.getColumn());
    return text;
  }
  if (auto name = dyn_cast<NameLoc>(loc)) {
    std::string inner = describeLocation(name.getChildLoc());
    std::string node = "'" + name.getName().str() + "'";
    // nn IR text: the name is an SSA name hint, the file position matters.
    if (!inner.empty() && inner.find(':') != std::string::npos)
      return inner;
    return inner.empty() ? node : inner + ": node " + node;
  }
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location part : fused.getLocations())
      if (std::string text = describeLocation(part); !text.empty())
        return text;
    return "";
  }
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return describeLocation(callSite.getCallee());
  return "";
}

static const char *severityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}

DiagnosticCollector::DiagnosticCollector(MLIRContext &context)
    : handler(&context, [this](mlir::Diagnostic &diagnostic) {
        record(diagnostic);
        return success();
      }) {}

void DiagnosticCollector::record(mlir::Diagnostic &diagnostic) {
  diagnostics.push_back({severityName(diagnostic.getSeverity()),
                         describeLocation(diagnostic.getLocation()),
                         diagnostic.str()});
  for (mlir::Diagnostic &note : diagnostic.getNotes())
    record(note);
}

void DiagnosticCollector::fail(Failure &failure, Failure::Kind kind,
                               const llvm::Twine &message) {
  failure.kind = kind;
  failure.message = message.str();
  // Failure::describe and Python's CompileError print the message first and
  // the diagnostics after it, not above it as a command line tool does.
  llvm::StringRef above = " (see the diagnostics above)";
  if (llvm::StringRef(failure.message).ends_with(above))
    failure.message.resize(failure.message.size() - above.size());
  failure.diagnostics = std::move(diagnostics);
  diagnostics.clear();
}

} // namespace detail
} // namespace kiln::api
