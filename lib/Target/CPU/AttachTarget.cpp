//===- AttachTarget.cpp - the module's CPU target in the IR ---------------===//
//
// Part of Kiln. See kiln-cpu-attach-target in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/Passes.h"
#include "kiln/Target/CPU/TargetDescription.h"

#include "mlir/IR/BuiltinOps.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPUATTACHTARGET
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::CPUTargetAttr;

namespace {
struct KilnCPUAttachTargetPass
    : public kiln::impl::KilnCPUAttachTargetBase<KilnCPUAttachTargetPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    kiln::CPUTargetOptions options;
    options.triple = triple;
    options.cpu = cpu;
    options.features = features;
    options.descriptionFile = descriptionFile;
    // The machine the IR was written for stays; how many threads the code
    // runs on is this compilation's (when it is known).
    if (auto kept =
            module->getAttrOfType<CPUTargetAttr>(CPUTargetAttr::kAttrName);
        kept && options.isDefault()) {
      if (threads)
        module->setAttr(CPUTargetAttr::kAttrName,
                        CPUTargetAttr::get(
                            module.getContext(), kept.getTriple(),
                            kept.getCpu(), kept.getFeatures(),
                            kept.getVectorBits(), kept.getVectorRegisters(),
                            kept.getL1Bytes(), kept.getL2Bytes(),
                            kept.getCores(), threads, kept.getMemoryBytes()));
      return;
    }
    llvm::Expected<kiln::CPUTargetDescription> target =
        kiln::resolveCPUTarget(options);
    if (!target) {
      module.emitError() << llvm::toString(target.takeError());
      return signalPassFailure();
    }
    target->threads = threads;
    // (getChecked: a description file's facts may be out of the
    // attribute's range, which is a diagnostic, not an abort.)
    auto emitError = [&] { return module.emitError(); };
    auto attr = CPUTargetAttr::getChecked(
        emitError, module.getContext(), llvm::StringRef(target->triple),
        llvm::StringRef(target->cpu), llvm::StringRef(target->features),
        target->vectorBits, target->vectorRegisters, target->l1DataBytes,
        target->l2Bytes, target->cores, target->threads, target->memoryBytes);
    if (!attr)
      return signalPassFailure();
    module->setAttr(CPUTargetAttr::kAttrName, attr);
  }
};
} // namespace
