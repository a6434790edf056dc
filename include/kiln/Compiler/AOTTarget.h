//===- AOTTarget.h - the machine kiln-compile compiles for ------*- C++ -*-===//
//
// Part of Kiln. Turns kiln-compile's --target/--cpu/--features into an LLVM
// TargetMachine and the CPU description the tiling heuristic reads, with the
// defaults each supported Linux target needs (RISC-V's rv64gc and lp64d
// ABI, which Debian's toolchain and libraries use).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_AOTTARGET_H
#define KILN_COMPILER_AOTTARGET_H

#include "kiln/Target/CPU/TargetDescription.h"

#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Triple.h"

#include <memory>
#include <string>

namespace kiln {

struct AOTTargetOptions {
  /// --target, --cpu, --features, --target-desc.
  CPUTargetOptions target;
  unsigned optLevel = 3;
};

struct AOTTarget {
  /// `aarch64-linux-gnu`: the Debian toolchain prefix, and the directory of
  /// the matching Kiln runtime.
  std::string name;
  llvm::Triple triple;
  std::string cpu, features;
  bool isHost = false;
  std::unique_ptr<llvm::TargetMachine> machine;
  CPUTargetDescription description;
};

/// Resolves `options` (resolveCPUTarget); an unsupported triple, an unknown
/// CPU or feature is an error that names it and the alternatives.
llvm::Expected<AOTTarget> createAOTTarget(const AOTTargetOptions &options);
/// The target `description` (resolved already, e.g. a module's
/// kiln_codegen.target) names.
llvm::Expected<AOTTarget> createAOTTarget(CPUTargetDescription description,
                                          unsigned optLevel);

} // namespace kiln

#endif // KILN_COMPILER_AOTTARGET_H
