//===- TargetDescription.cpp - what the tiling heuristic knows ------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/TargetDescription.h"

#include "llvm/ADT/Twine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#ifdef __linux__
#include <unistd.h>
#endif

using namespace kiln;

CPUTargetDescription
CPUTargetDescription::fromFeatures(llvm::StringRef arch,
                                   const llvm::StringMap<bool> &features) {
  auto has = [&](llvm::StringRef f) { return features.lookup(f); };
  CPUTargetDescription d;
  if (arch == "x86_64") {
    if (has("avx512f")) {
      d = {"x86-64-avx512", 512, 32};
    } else if (has("avx2") || has("avx")) {
      d = {"x86-64-avx2", 256, 16};
    } else {
      d = {"x86-64", 128, 16};
    }
  } else if (arch == "aarch64") {
    // NEON: 32 registers of 128 bits (SVE's width is only known at run time).
    d = {"aarch64", 128, 32};
  } else if (arch == "riscv64") {
    // Without a known VLEN, plan for the V extension's minimum of 128 bits.
    d = {"riscv64", has("v") ? 128u : 64u, 32};
  }
  return d;
}

CPUTargetDescription CPUTargetDescription::host() {
  llvm::Triple triple(llvm::sys::getProcessTriple());
  llvm::StringMap<bool> features;
  for (const auto &entry : llvm::sys::getHostCPUFeatures())
    features[entry.getKey()] = entry.getValue();
  CPUTargetDescription d = fromFeatures(triple.getArchName(), features);
#if defined(__linux__) && defined(_SC_LEVEL2_CACHE_SIZE)
  // glibc reads these from the CPU (0 or -1 when it cannot tell).
  if (long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE); l1 > 0)
    d.l1DataBytes = l1;
  if (long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE); l2 > 0)
    d.l2Bytes = l2;
#endif
  return d;
}

std::string CPUTargetDescription::tuningKey(llvm::StringRef arch,
                                            llvm::StringRef cpu) const {
  return (arch + " cpu=" + cpu + " vector=" + llvm::Twine(vectorBits) + "x" +
          llvm::Twine(vectorRegisters) + " l1=" + llvm::Twine(l1DataBytes) +
          " l2=" + llvm::Twine(l2Bytes) +
          (threads ? " threads=" + llvm::Twine(threads) : llvm::Twine()))
      .str();
}

std::string CPUTargetDescription::hostTuningKey(unsigned threads) {
  CPUTargetDescription target = host();
  target.threads = threads;
  return target.tuningKey(
      llvm::Triple(llvm::sys::getProcessTriple()).getArchName(),
      llvm::sys::getHostCPUName());
}
