//===- KnownCPUs.cpp - caches of the CPUs Kiln knows by name --------------===//
//
// Part of Kiln. LLVM knows a CPU's instruction set (and so its vector
// width) but not its caches, which the tile sizes depend on. Per core: the
// L1 data cache and the L2 (a shared L2 divided by the cores sharing it).
// Figures from the vendors' manuals and product briefs; where a design
// lets the chip maker choose (Neoverse, Cortex), the common configuration
// (AWS Graviton, Raspberry Pi, NVIDIA Grace). A board that differs is
// described with --target-desc.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/TargetDescription.h"

using namespace kiln;

static constexpr int64_t KiB = 1024, MiB = 1024 * 1024;

static const KnownCPU kKnownCPUs[] = {
    // x86-64 microarchitecture levels: the caches of the oldest CPUs of
    // each level (Nehalem, Haswell, Skylake-SP).
    {"x86-64-v2", "x86_64", 32 * KiB, 256 * KiB},
    {"x86-64-v3", "x86_64", 32 * KiB, 256 * KiB},
    {"x86-64-v4", "x86_64", 32 * KiB, 1 * MiB},
    {"skylake-avx512", "x86_64", 32 * KiB, 1 * MiB},
    {"cascadelake", "x86_64", 32 * KiB, 1 * MiB},
    {"icelake-server", "x86_64", 48 * KiB, 1280 * KiB},
    {"sapphirerapids", "x86_64", 48 * KiB, 2 * MiB},
    {"znver2", "x86_64", 32 * KiB, 512 * KiB},
    {"znver3", "x86_64", 32 * KiB, 512 * KiB},
    {"znver4", "x86_64", 32 * KiB, 1 * MiB},
    // Arm: Graviton2 (N1), Graviton3 (V1), NVIDIA Grace (V2), Cobalt 100 /
    // Yitian (N2); Raspberry Pi 4 (A72, 1 MiB L2 for 4 cores) and 5 (A76).
    {"neoverse-n1", "aarch64", 64 * KiB, 1 * MiB},
    {"neoverse-n2", "aarch64", 64 * KiB, 1 * MiB},
    {"neoverse-v1", "aarch64", 64 * KiB, 1 * MiB},
    {"neoverse-v2", "aarch64", 64 * KiB, 1 * MiB},
    {"cortex-a72", "aarch64", 32 * KiB, 256 * KiB},
    {"cortex-a76", "aarch64", 64 * KiB, 512 * KiB},
    // A performance core: 128 KiB L1D, 12 MiB L2 for 4 cores.
    {"apple-m1", "aarch64", 128 * KiB, 3 * MiB},
    // RISC-V: the JH7110 (VisionFive 2: 2 MiB L2 for 4 cores), and the
    // vector extension on LLVM's generic rv64 at its minimum VLEN.
    {"sifive-u74", "riscv64", 32 * KiB, 512 * KiB},
    {"rv64gcv", "riscv64", 32 * KiB, 512 * KiB, "+v", "generic-rv64"},
};

const KnownCPU *kiln::lookupKnownCPU(llvm::StringRef name) {
  for (const KnownCPU &cpu : kKnownCPUs)
    if (name == cpu.name)
      return &cpu;
  return nullptr;
}
