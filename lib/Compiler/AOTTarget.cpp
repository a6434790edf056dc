//===- AOTTarget.cpp - the machine kiln-compile compiles for --------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Compiler/AOTTarget.h"

#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace kiln;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::StringRef kiln::supportedAOTTargets() {
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

/// The host's features as an LLVM feature string.
static std::string hostFeatures() {
  llvm::SubtargetFeatures features;
  for (const auto &entry : llvm::sys::getHostCPUFeatures())
    features.AddFeature(entry.getKey(), entry.getValue());
  return features.getString();
}

llvm::Expected<AOTTarget>
kiln::createAOTTarget(const AOTTargetOptions &options) {
  initializeTargets();
  llvm::Triple host(llvm::sys::getProcessTriple());
  llvm::Triple triple(options.triple.empty()
                          ? host.str()
                          : llvm::Triple::normalize(options.triple));
  if (!triple.isOSLinux() || (triple.getArch() != llvm::Triple::x86_64 &&
                              triple.getArch() != llvm::Triple::aarch64 &&
                              triple.getArch() != llvm::Triple::riscv64))
    return makeError("unsupported target '" +
                     (options.triple.empty() ? triple.str() : options.triple) +
                     "'; supported: " + supportedAOTTargets());
  AOTTarget target;
  target.triple = triple;
  target.name = (triple.getArchName() + "-linux-gnu").str();
  target.isHost = triple.getArch() == host.getArch();

  std::string error;
  const llvm::Target *backend =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!backend)
    return makeError("no LLVM backend for '" + triple.str() + "': " + error);

  // CPU and features: `native` reads the host; otherwise the architecture's
  // baseline plus what Debian's toolchain assumes.
  std::string cpu = options.cpu;
  std::string features;
  bool native = cpu == "native" || (cpu.empty() && target.isHost);
  if (native) {
    if (!target.isHost)
      return makeError("--cpu=native describes this machine (" + host.str() +
                       "), not the target " + target.name);
    cpu = llvm::sys::getHostCPUName().str();
    features = hostFeatures();
  } else if (cpu.empty()) {
    cpu = triple.getArch() == llvm::Triple::x86_64    ? "x86-64"
          : triple.getArch() == llvm::Triple::aarch64 ? "generic"
                                                      : "generic-rv64";
  }
  if (triple.getArch() == llvm::Triple::riscv64)
    // rv64gc: Debian's riscv64 port (and its libraries' lp64d ABI) need it.
    features = "+m,+a,+f,+d,+c,+zicsr,+zifencei" +
               (features.empty() ? "" : "," + features);
  if (!options.features.empty())
    features += (features.empty() ? "" : ",") + options.features;

  // Reject CPU and feature names LLVM does not know (it would only warn on
  // stderr and compile for a generic CPU).
  {
    std::unique_ptr<llvm::MCSubtargetInfo> probe(
        backend->createMCSubtargetInfo(triple, "", ""));
    if (!probe->isCPUStringValid(cpu))
      return makeError("unknown CPU '" + cpu + "' for " + target.name +
                       " (see `llc -mtriple=" + target.name + " -mcpu=help`)");
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
        return makeError("unknown feature '" + f.drop_front() + "' for " +
                         target.name + " (see `llc -mtriple=" + target.name +
                         " -mattr=help`)");
    }
  }

  llvm::TargetOptions targetOptions;
  if (triple.getArch() == llvm::Triple::riscv64)
    targetOptions.MCOptions.ABIName = "lp64d";
  auto level =
      static_cast<llvm::CodeGenOptLevel>(std::min(options.optLevel, 3u));
  // Position-independent code serves executables and shared libraries alike.
  target.machine.reset(
      backend->createTargetMachine(triple, cpu, features, targetOptions,
                                   llvm::Reloc::PIC_, std::nullopt, level));
  if (!target.machine)
    return makeError("cannot create a target machine for " + target.name);
  target.cpu = cpu;
  target.features = features;

  // What the tiling heuristic reads.
  const llvm::MCSubtargetInfo *info = target.machine->getMCSubtargetInfo();
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
  target.description =
      native ? CPUTargetDescription::host()
             : CPUTargetDescription::fromFeatures(triple.getArchName(), has);
  return target;
}
