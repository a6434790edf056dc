//===- ResolveTarget.cpp - a target's description from its names ---------===//
//
// Part of Kiln. --target/--cpu/--features/--target-desc to the description
// code generation reads from the IR: the one place the host is consulted
// (for `native`), and where LLVM's names are checked, so that a misspelt
// CPU is an error rather than LLVM's warning and a generic CPU.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/TargetDescription.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace kiln;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::StringRef kiln::supportedCPUTargetTriples() {
  return "x86_64-linux-gnu, aarch64-linux-gnu, riscv64-linux-gnu";
}

/// Every LLVM target Debian's libLLVM has, once.
static void initializeTargets() {
  static bool done = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    llvm::InitializeAllAsmParsers();
    return true;
  }();
  (void)done;
}

llvm::Expected<CPUTargetDescription>
kiln::resolveCPUTarget(const CPUTargetOptions &options) {
  initializeTargets();
  llvm::Triple host(llvm::sys::getProcessTriple());
  llvm::Triple triple(options.triple.empty()
                          ? host.str()
                          : llvm::Triple::normalize(options.triple));
  std::string archName = (triple.getArchName() + "-linux-gnu").str();
  if (!triple.isOSLinux() || (triple.getArch() != llvm::Triple::x86_64 &&
                              triple.getArch() != llvm::Triple::aarch64 &&
                              triple.getArch() != llvm::Triple::riscv64))
    return makeError("unsupported target '" +
                     (options.triple.empty() ? triple.str() : options.triple) +
                     "'; supported: " + supportedCPUTargetTriples());
  bool hostArch = triple.getArch() == host.getArch();
  std::string error;
  const llvm::Target *backend =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!backend)
    return makeError("no LLVM backend for '" + triple.str() + "': " + error);

  // `native` reads the host; otherwise LLVM's CPU (or the architecture's
  // baseline) plus what Debian's toolchain assumes.
  std::string cpu = options.cpu;
  bool native = cpu == "native" || (cpu.empty() && hostArch);
  const KnownCPU *known = native ? nullptr : lookupKnownCPU(cpu);
  if (known && known->arch != triple.getArchName())
    return makeError("CPU '" + cpu + "' is for " + known->arch +
                     ", not for " + archName);
  CPUTargetDescription d;
  if (native) {
    if (!hostArch)
      return makeError("--cpu=native describes this machine (" + host.str() +
                       "), not the target " + archName);
    d = CPUTargetDescription::host();
  } else {
    if (cpu.empty())
      cpu = triple.getArch() == llvm::Triple::x86_64    ? "x86-64"
            : triple.getArch() == llvm::Triple::aarch64 ? "generic"
                                                        : "generic-rv64";
    if (known && known->llvmCPU)
      cpu = known->llvmCPU;
    d.cpu = cpu;
    if (known && *known->features)
      d.features = known->features;
  }
  if (triple.getArch() == llvm::Triple::riscv64)
    // rv64gc: Debian's riscv64 port (and its libraries' lp64d ABI) need it.
    d.features = "+m,+a,+f,+d,+c,+zicsr,+zifencei" +
                 (d.features.empty() ? "" : "," + d.features);
  if (!options.features.empty())
    d.features += (d.features.empty() ? "" : ",") + options.features;

  // Reject CPU and feature names LLVM does not know (it would only warn on
  // stderr and compile for a generic CPU).
  std::unique_ptr<llvm::MCSubtargetInfo> probe(
      backend->createMCSubtargetInfo(triple, "", ""));
  if (!probe->isCPUStringValid(d.cpu))
    return makeError("unknown CPU '" + options.cpu + "' for " + archName +
                     " (see `llc -mtriple=" + archName + " -mcpu=help`" +
                     (triple.getArch() == llvm::Triple::riscv64
                          ? "; Kiln also knows rv64gcv)"
                          : ")"));
  for (llvm::StringRef f : llvm::split(options.features, ',')) {
    f = f.trim();
    if (f.empty())
      continue;
    if (f[0] != '+' && f[0] != '-')
      return makeError("feature '" + f + "' must start with '+' or '-'");
    llvm::StringRef name = f.drop_front();
    if (llvm::none_of(probe->getAllProcessorFeatures(),
                      [&](const llvm::SubtargetFeatureKV &kv) {
                        return name == kv.Key;
                      }))
      return makeError("unknown feature '" + name + "' for " + archName +
                       " (see `llc -mtriple=" + archName + " -mattr=help`)");
  }

  if (!native) {
    // The vector facts from what the CPU and features give the code.
    std::unique_ptr<llvm::MCSubtargetInfo> info(
        backend->createMCSubtargetInfo(triple, d.cpu, d.features));
    llvm::StringMap<bool> has;
    // (checkFeatures aborts on names the target does not have.)
    std::vector<const char *> names =
        triple.getArch() == llvm::Triple::x86_64
            ? std::vector<const char *>{"avx512f", "avx2", "avx"}
        : triple.getArch() == llvm::Triple::riscv64
            ? std::vector<const char *>{"v"}
            : std::vector<const char *>{};
    for (const char *name : names)
      has[name] = info->checkFeatures(std::string("+") + name);
    CPUTargetDescription facts =
        CPUTargetDescription::fromFeatures(triple.getArchName(), has);
    d.name = facts.name;
    d.vectorBits = facts.vectorBits;
    d.vectorRegisters = facts.vectorRegisters;
    if (known) {
      d.l1DataBytes = known->l1DataBytes;
      d.l2Bytes = known->l2Bytes;
    }
    // A machine Kiln only knows by name: its CPUs and memory are not known.
  }
  d.triple = triple.str();

  if (!options.descriptionFile.empty()) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
        llvm::MemoryBuffer::getFile(options.descriptionFile, /*IsText=*/true);
    if (!file)
      return makeError("cannot read the target description " +
                       options.descriptionFile + ": " +
                       file.getError().message());
    if (llvm::Error err = applyTargetDescriptionJSON(
            (*file)->getBuffer(), options.descriptionFile, d))
      return std::move(err);
  }
  return d;
}
