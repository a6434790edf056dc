//===- TargetDescription.h - the CPU code is generated for ------*- C++ -*-===//
//
// Part of Kiln. What code generation knows of the machine the code will run
// on (vector width, register count, cache sizes, cores, memory): the
// heuristic turns it into lowering_config attributes, kiln-cpu-check-buffers
// into a buffer limit. It travels in the IR as the module's
// #kiln_codegen.cpu_target (fromAttr); resolveCPUTarget builds it
// from --target/--cpu/--features/--target-desc, the only place the host
// machine is read.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_TARGETDESCRIPTION_H
#define KILN_TARGET_CPU_TARGETDESCRIPTION_H

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace kiln {

/// Elementwise work on fewer elements stays on one thread (64K floats:
/// about 10 microseconds of loads and stores, the order of a thread pool
/// hand-off): elementwise ops' configs, padding's border loops.
inline constexpr int64_t kMinDistributedElements = int64_t(1) << 16;

struct CPUTargetDescription {
  /// LLVM's target triple, CPU and feature names (e.g.
  /// `x86_64-unknown-linux-gnu`, `skylake-avx512`, `+avx2,...`).
  std::string triple = "x86_64-unknown-linux-gnu";
  std::string cpu = "generic";
  std::string features;
  /// What the vector facts were derived from, for messages:
  /// `x86-64-avx512`, `aarch64`, ...
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
  /// CPUs of the machine (0: not known).
  unsigned cores = 0;
  /// Memory the largest buffer must fit in (0: not known).
  int64_t memoryBytes = 0;

  /// The description the IR carries (kiln-cpu-attach-target builds the
  /// attribute).
  static CPUTargetDescription fromAttr(codegen::CPUTargetAttr attr);

  /// From LLVM's names of the target's features (as getHostCPUFeatures
  /// returns them) and the target triple's architecture.
  static CPUTargetDescription
  fromFeatures(llvm::StringRef arch, const llvm::StringMap<bool> &features);
  /// The machine this process runs on (its CPU, features, caches, CPUs
  /// and memory).
  static CPUTargetDescription host();

  /// The target part of a tuning database key: the architecture, the CPU
  /// and the figures the tile sizes depend on, e.g. `x86_64 cpu=znver2
  /// vector=256x16 l1=32768 l2=524288 threads=2` (without `threads=` when
  /// the count is not known; the JIT and kiln-compile for this machine and
  /// thread count have the same key).
  std::string tuningKey() const;
};

/// How a user names a target (kiln-compile's --target/--cpu/--features/
/// --target-desc, the kiln-codegen pipeline's options).
struct CPUTargetOptions {
  /// Empty: the host's.
  std::string triple;
  /// Empty: `native` for the host's architecture, else the architecture's
  /// baseline (x86-64, generic, generic-rv64).
  std::string cpu;
  /// LLVM features to add or remove, e.g. "+avx2,-avx512f".
  std::string features;
  /// A JSON file whose facts override the table's and LLVM's (a board Kiln
  /// does not know): vector_bits, vector_registers, l1_bytes, l2_bytes,
  /// cores, memory_bytes.
  std::string descriptionFile;

  bool isDefault() const {
    return triple.empty() && cpu.empty() && features.empty() &&
           descriptionFile.empty();
  }
};

/// The targets kiln-compile supports, for messages.
llvm::StringRef supportedCPUTargetTriples();

/// The description `options` name: the host's for `native` (the default on
/// the host's architecture), else LLVM's facts of the CPU and features
/// (vector width and registers), the known-CPU table's (caches), then the
/// description file's. An unsupported triple, an unknown CPU or feature, a
/// bad file is an error that names it.
llvm::Expected<CPUTargetDescription>
resolveCPUTarget(const CPUTargetOptions &options);

/// Caches of a CPU Kiln knows (KnownCPUs.cpp), by LLVM's CPU name.
struct KnownCPU {
  const char *name;
  /// `x86_64`, `aarch64` or `riscv64`.
  const char *arch;
  int64_t l1DataBytes, l2Bytes;
  /// Features the name implies beyond LLVM's CPU (the generic rv64gcv's
  /// vector extension), and the LLVM CPU it stands for when it is not one.
  const char *features = "";
  const char *llvmCPU = nullptr;
};
const KnownCPU *lookupKnownCPU(llvm::StringRef name);

/// Applies the JSON object in `text` (a --target-desc file, named `path` in
/// messages) to `description`.
llvm::Error applyTargetDescriptionJSON(llvm::StringRef text,
                                       llvm::StringRef path,
                                       CPUTargetDescription &description);

} // namespace kiln

#endif // KILN_TARGET_CPU_TARGETDESCRIPTION_H
