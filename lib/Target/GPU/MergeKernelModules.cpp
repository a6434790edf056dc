//===- MergeKernelModules.cpp - one gpu.module for all kernels ------------===//
//
// Part of Kiln. See kiln-gpu-merge-kernel-modules in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Passes.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringMap.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUMERGEKERNELMODULES
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// The name of the gpu.module that holds every kernel.
static constexpr llvm::StringLiteral kKernelModuleName = "kiln_kernels";

namespace {
struct KilnGPUMergeKernelModulesPass
    : public kiln::impl::KilnGPUMergeKernelModulesBase<
          KilnGPUMergeKernelModulesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<mlir::gpu::GPUModuleOp> kernelModules(
        module.getOps<mlir::gpu::GPUModuleOp>());
    if (kernelModules.empty())
      return;
    mlir::gpu::GPUModuleOp merged = kernelModules.front();
    SymbolTable symbols(module);
    if (Operation *other = symbols.lookup(kKernelModuleName);
        other && other != merged) {
      other->emitError() << "the symbol '" << kKernelModuleName
                         << "' is Kiln's kernel module's";
      return signalPassFailure();
    }
    if (failed(symbols.rename(merged, kKernelModuleName)))
      return signalPassFailure();
    SymbolTable mergedSymbols(merged);
    for (mlir::gpu::GPUModuleOp from : llvm::drop_begin(kernelModules)) {
      // Each outlined module names its kernel after the function it came
      // from: a moved kernel whose name is taken gets its module's name
      // (unique), and the launches follow.
      llvm::StringMap<StringAttr> renamed;
      for (Operation &op :
           llvm::make_early_inc_range(from.getBody()->getOperations())) {
        auto symbol = dyn_cast<SymbolOpInterface>(op);
        if (symbol && mergedSymbols.lookup(symbol.getName())) {
          // A declaration (a libdevice function) is kept once.
          if (symbol.isDeclaration()) {
            op.erase();
            continue;
          }
          StringAttr oldName = symbol.getNameAttr();
          op.moveBefore(merged.getBody(), merged.getBody()->end());
          // insert() makes the name unique, from the module's.
          symbol.setName(from.getSymNameAttr());
          renamed[oldName.getValue()] = mergedSymbols.insert(&op);
          continue;
        }
        op.moveBefore(merged.getBody(), merged.getBody()->end());
        if (symbol)
          mergedSymbols.insert(&op);
      }
      // Launches of the moved kernels name the merged module.
      StringAttr oldModule = from.getSymNameAttr();
      module.walk([&](mlir::gpu::LaunchFuncOp launch) {
        SymbolRefAttr kernel = launch.getKernel();
        if (kernel.getRootReference() != oldModule)
          return;
        StringAttr name = kernel.getLeafReference();
        if (StringAttr newName = renamed.lookup(name.getValue()))
          name = newName;
        launch.setKernelAttr(SymbolRefAttr::get(
            merged.getSymNameAttr(), {FlatSymbolRefAttr::get(name)}));
      });
      from.erase();
    }
  }
};
} // namespace
