//===- AOTTarget.cpp - the machine kiln-compile compiles for --------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Compiler/AOTTarget.h"

#include "llvm/MC/TargetRegistry.h"
#include "llvm/TargetParser/Host.h"

using namespace kiln;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<AOTTarget>
kiln::createAOTTarget(const AOTTargetOptions &options) {
  llvm::Expected<CPUTargetDescription> description =
      resolveCPUTarget(options.target);
  if (!description)
    return description.takeError();
  return createAOTTarget(std::move(*description), options.optLevel);
}

llvm::Expected<AOTTarget>
kiln::createAOTTarget(CPUTargetDescription description, unsigned optLevel) {
  AOTTarget target;
  target.triple = llvm::Triple(description.triple);
  target.name = (target.triple.getArchName() + "-linux-gnu").str();
  target.isHost = target.triple.getArch() ==
                  llvm::Triple(llvm::sys::getProcessTriple()).getArch();
  target.cpu = description.cpu;
  target.features = description.features;
  target.description = std::move(description);

  std::string error;
  const llvm::Target *backend =
      llvm::TargetRegistry::lookupTarget(target.triple, error);
  if (!backend)
    return makeError("no LLVM backend for '" + target.triple.str() +
                     "': " + error);
  llvm::TargetOptions targetOptions;
  if (target.triple.getArch() == llvm::Triple::riscv64)
    targetOptions.MCOptions.ABIName = "lp64d";
  auto level = static_cast<llvm::CodeGenOptLevel>(std::min(optLevel, 3u));
  // Position-independent code serves executables and shared libraries alike.
  target.machine.reset(backend->createTargetMachine(
      target.triple, target.cpu, target.features, targetOptions,
      llvm::Reloc::PIC_, std::nullopt, level));
  if (!target.machine)
    return makeError("cannot create a target machine for " + target.name);
  return target;
}
