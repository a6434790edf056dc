//===- Packaging.h - executables, libraries and headers ---------*- C++ -*-===//
//
// Part of Kiln. The last stages of kiln-compile: a model object becomes a
// static executable or a shared library (linked by the target's Debian
// toolchain driver, <triple>-g++, against Kiln's runtime built for that
// target), a static library (the object plus the runtime's members), and a
// C header for the libraries.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_PACKAGING_H
#define KILN_COMPILER_PACKAGING_H

#include "kiln/Compiler/AOTTarget.h"
#include "kiln/Compiler/ModelGlue.h"

#include "llvm/Support/Error.h"

#include <string>

namespace kiln {

struct PackagingOptions {
  /// Directory holding <triple>/libkiln_runtime.a.
  std::string runtimeDir;
  /// The linker driver; empty: <triple>-g++ from PATH (g++ for the host
  /// when that is missing).
  std::string linker;
  /// Print the commands run.
  bool verbose = false;
  /// The program loads a shared library at run time (a CUDA model: the
  /// NVIDIA driver), which a static executable cannot: link the C library
  /// dynamically.
  bool loadsLibraries = false;
};

/// The runtime archive for `target`, or an error saying how to get one.
llvm::Expected<std::string> findRuntimeArchive(const AOTTarget &target,
                                               const PackagingOptions &options);

/// Links `object` into a static executable (dynamically linked to the C
/// library when `options.loadsLibraries`; `shared`: a shared library
/// exporting the ABI) at `output`.
llvm::Error linkModel(const AOTTarget &target, llvm::StringRef object,
                      llvm::StringRef output, bool shared,
                      llvm::StringRef modelName,
                      const PackagingOptions &options);

/// Writes a static library: `object` plus the members of the runtime.
llvm::Error writeStaticLibrary(const AOTTarget &target, llvm::StringRef object,
                               llvm::StringRef output,
                               const PackagingOptions &options);

/// The C header of a model: the ABI (ModelABI.h) plus NAME_create and a
/// description of its inputs and outputs.
std::string makeCHeader(const ModelGlueOptions &model, const AOTTarget &target,
                        llvm::StringRef source, bool externalWeights);

} // namespace kiln

#endif // KILN_COMPILER_PACKAGING_H
