//===- GPUCommandLine.h - GPU options the drivers share ---------*- C++ -*-===//
//
// Part of Kiln. The command-line options kiln-run and kiln-compile both
// take for GPU code, defined once: their text, their parsing and where they
// go in PipelineOptions. (Each driver keeps its own --device and
// --gpu-arch, whose meaning differs: a device to run on, a kernel to emit.)
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_GPUCOMMANDLINE_H
#define KILN_CODEGEN_GPUCOMMANDLINE_H

#include "kiln/Codegen/Pipeline.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"

#include <string>

namespace kiln {

/// --precision and --gpu-libraries, registered in `category` when
/// constructed (define one at namespace scope, before the command line is
/// parsed).
struct GPUCommandLineOptions {
  explicit GPUCommandLineOptions(llvm::cl::OptionCategory &category);

  /// Writes the options into `options`; an error for a precision Kiln does
  /// not know (libraries are checked with the rest: checkPipelineOptions).
  llvm::Error apply(PipelineOptions &options) const;

  llvm::cl::opt<std::string> precision;
  llvm::cl::list<std::string> libraries;
};

} // namespace kiln

#endif // KILN_CODEGEN_GPUCOMMANDLINE_H
