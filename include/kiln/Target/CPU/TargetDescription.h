//===- TargetDescription.h - what the tiling heuristic knows ----*- C++ -*-===//
//
// Part of Kiln. The one place tile sizes come from: a description of the CPU
// (vector width, register count, cache sizes) that the heuristic turns into
// lowering_config attributes. The autotuner replaces the heuristic, not this.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_TARGETDESCRIPTION_H
#define KILN_TARGET_CPU_TARGETDESCRIPTION_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace kiln {

/// Elementwise work on fewer elements stays on one thread (64K floats:
/// about 10 microseconds of loads and stores, the order of a thread pool
/// hand-off): elementwise ops' configs, padding's border loops.
inline constexpr int64_t kMinDistributedElements = int64_t(1) << 16;

struct CPUTargetDescription {
  std::string name = "generic";
  /// Width of the widest vector register the code may use.
  unsigned vectorBits = 128;
  /// Number of such registers.
  unsigned vectorRegisters = 16;
  /// Per-core data caches; host() reads them from the CPU where the C
  /// library can (glibc's sysconf), else these defaults stay.
  int64_t l1DataBytes = 32 * 1024;
  int64_t l2Bytes = 1024 * 1024;
  /// Threads the code will run on, when known (kiln-run and kiln.compile:
  /// the threads the model runs on; kiln-compile: --threads, else this
  /// machine's CPUs for a binary of its architecture; kiln-tune: the threads
  /// it measures on); 0: not known, distributed loops are balanced for 1, 2
  /// and 4 threads. Part of the tuning key: a schedule is as fast as it was
  /// measured only on as many threads.
  unsigned threads = 0;

  /// From LLVM's names of the target's features (as getHostCPUFeatures
  /// returns them) and the target triple's architecture.
  static CPUTargetDescription
  fromFeatures(llvm::StringRef arch, const llvm::StringMap<bool> &features);
  /// The machine this process runs on.
  static CPUTargetDescription host();

  /// The target part of a tuning database key: the architecture, the CPU
  /// and the figures the tile sizes depend on, e.g. `x86_64 cpu=znver2
  /// vector=256x16 l1=32768 l2=524288 threads=2` (without `threads=` when
  /// the count is not known; the JIT and kiln-compile for this machine and
  /// thread count have the same key).
  std::string tuningKey(llvm::StringRef arch, llvm::StringRef cpu) const;
  /// The key of the machine this process runs on, as the JIT compiles for
  /// it, for code that runs on `threads` threads (0: not known).
  static std::string hostTuningKey(unsigned threads = 0);
};

} // namespace kiln

#endif // KILN_TARGET_CPU_TARGETDESCRIPTION_H
