//===- KnownGPUs.cpp - the NVIDIA architectures Kiln knows ----------------===//
//
// Part of Kiln. One representative data-center part per architecture (its
// SM count and memory; the launch limits and shared memory are the
// architecture's, from NVIDIA's CUDA C++ Programming Guide, "Technical
// Specifications per Compute Capability"). PTX 8.0 where the chip needs it
// (wgmma); elsewhere the lowest PTX the chip takes (LLVM chooses it).
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/GPUTarget.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"

using namespace kiln;

static constexpr int64_t KiB = 1024, GiB = int64_t(1) << 30;

static const GPUTargetDescription kKnownGPUs[] = {
    // chip, features, part, SMs, threads/block, registers/SM, shared
    // memory/block (opt-in), tensor-core instructions Kiln uses, memory.
    {"sm_70", "", "V100", 80, 1024, 65536, 96 * KiB, "none", 16 * GiB},
    {"sm_75", "", "T4", 40, 1024, 65536, 64 * KiB, "none", 16 * GiB},
    {"sm_80", "", "A100", 108, 1024, 65536, 163 * KiB, "mma_sync", 40 * GiB},
    {"sm_86", "", "A10", 72, 1024, 65536, 99 * KiB, "mma_sync", 24 * GiB},
    {"sm_89", "", "L4", 58, 1024, 65536, 99 * KiB, "mma_sync", 24 * GiB},
    {"sm_90", "+ptx80", "H100", 132, 1024, 65536, 227 * KiB, "mma_sync",
     80 * GiB},
    {"sm_90a", "+ptx80", "H100", 132, 1024, 65536, 227 * KiB, "wgmma",
     80 * GiB},
};

llvm::ArrayRef<GPUTargetDescription> kiln::knownGPUs() { return kKnownGPUs; }

llvm::Expected<GPUTargetDescription>
kiln::resolveGPUTarget(llvm::StringRef chip) {
  for (const GPUTargetDescription &gpu : kKnownGPUs)
    if (gpu.chip == chip)
      return gpu;
  std::string known;
  for (const GPUTargetDescription &gpu : kKnownGPUs)
    known += (known.empty() ? "" : ", ") + gpu.chip;
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "unknown GPU architecture '" + chip.str() +
                                     "' (Kiln knows " + known + ")");
}

GPUTargetDescription
GPUTargetDescription::fromAttr(codegen::GPUTargetAttr attr) {
  GPUTargetDescription d;
  d.chip = attr.getChip().str();
  d.features = attr.getFeatures().str();
  d.part = d.chip;
  d.smCount = attr.getSmCount();
  d.maxThreadsPerBlock = attr.getMaxThreadsPerBlock();
  d.registersPerSM = attr.getRegistersPerSm();
  d.sharedMemoryBytes = attr.getSharedMemoryBytes();
  d.mma = attr.getMma().str();
  d.memoryBytes = attr.getMemoryBytes();
  return d;
}

codegen::GPUTargetAttr
GPUTargetDescription::toAttr(mlir::MLIRContext *context) const {
  return codegen::GPUTargetAttr::get(context, chip, features, smCount,
                                     maxThreadsPerBlock, registersPerSM,
                                     sharedMemoryBytes, mma, memoryBytes);
}

std::string GPUTargetDescription::tuningKey(llvm::StringRef device,
                                            llvm::StringRef precision,
                                            llvm::StringRef hostKey) const {
  std::string key = (device + " " + chip + " sms=" + llvm::Twine(smCount) +
                     " precision=" + precision)
                        .str();
  // The emulated GPU's times are the CPU's.
  if (device == "emulated-cuda")
    key += (" on " + hostKey).str();
  return key;
}
