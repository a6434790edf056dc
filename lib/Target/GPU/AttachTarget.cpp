//===- AttachTarget.cpp - the module's GPU target in the IR ---------------===//
//
// Part of Kiln. See kiln-gpu-attach-target in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/GPUTarget.h"
#include "kiln/Target/GPU/Passes.h"

#include "mlir/IR/BuiltinOps.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUATTACHTARGET
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::GPUTargetAttr;

namespace {
struct KilnGPUAttachTargetPass
    : public kiln::impl::KilnGPUAttachTargetBase<KilnGPUAttachTargetPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // A target already in the IR stays unless one is asked for.
    if (arch.empty() && module->hasAttr(GPUTargetAttr::kAttrName))
      return;
    llvm::Expected<kiln::GPUTargetDescription> target = kiln::resolveGPUTarget(
        arch.empty() ? std::string("sm_80") : std::string(arch));
    if (!target) {
      module.emitError() << llvm::toString(target.takeError());
      return signalPassFailure();
    }
    module->setAttr(GPUTargetAttr::kAttrName,
                    target->toAttr(module.getContext()));
  }
};
} // namespace
