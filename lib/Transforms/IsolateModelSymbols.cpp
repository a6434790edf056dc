//===- IsolateModelSymbols.cpp - model functions out of the C namespace ---===//
//
// Part of Kiln. See kiln-isolate-model-symbols in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace kiln {
#define GEN_PASS_DEF_KILNISOLATEMODELSYMBOLS
#include "kiln/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;

std::string kiln::modelSymbolName(llvm::StringRef name) {
  return ("nn." + name).str();
}

namespace {
struct KilnIsolateModelSymbolsPass
    : public kiln::impl::KilnIsolateModelSymbolsBase<
          KilnIsolateModelSymbolsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<FunctionOpInterface> defined;
    for (auto function : module.getOps<FunctionOpInterface>())
      if (!function.isExternal())
        defined.push_back(function);
    // Every defined function moves, so the new names are unique too; a
    // function already named "nn.f" must move to "nn.nn.f" before "f" takes
    // its name: the most prefixed go first.
    auto prefixes = [](FunctionOpInterface function) {
      llvm::StringRef name = function.getName();
      int count = 0;
      while (name.consume_front("nn."))
        ++count;
      return count;
    };
    llvm::stable_sort(defined, [&](FunctionOpInterface a,
                                   FunctionOpInterface b) {
      return prefixes(a) > prefixes(b);
    });
    SymbolTable symbols(module);
    for (FunctionOpInterface function : defined) {
      StringAttr name = function.getNameAttr();
      StringAttr renamed =
          StringAttr::get(&getContext(), kiln::modelSymbolName(name.getValue()));
      if (failed(symbols.rename(function, renamed))) {
        function.emitError() << "cannot rename @" << name.getValue()
                             << " to @" << renamed.getValue();
        return signalPassFailure();
      }
    }
  }
};
} // namespace
