//===- GPUKernels.h - a model's GPU kernels as PTX, cubins, a fatbin -*- C++
//-*-===//
//
// Part of Kiln. After the pipeline for --device=cuda, the module holds one
// gpu.binary of PTX per architecture (LLVM's NVPTX backend made it). These
// write it out as kiln-compile --emit=ptx|cubin|fatbin asks, through the
// CUDA toolkit's ptxas and fatbinary for the last two.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_GPUKERNELS_H
#define KILN_COMPILER_GPUKERNELS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace kiln::compiler {

/// One architecture's kernels.
struct KernelPTX {
  /// `sm_80`, `sm_90a`, ...
  std::string chip;
  std::string ptx;
};

/// The PTX of every architecture in `module`'s gpu.binary; an error if
/// there is none, or if the PTX calls a libdevice function that was not
/// linked (no CUDA toolkit was found).
llvm::Expected<std::vector<KernelPTX>> collectKernelPTX(mlir::ModuleOp module);

/// What to write: PTX text (one architecture), a cubin (one architecture,
/// ptxas), or a fatbin of every architecture's cubin and PTX (ptxas,
/// fatbinary).
enum class KernelFormat { PTX, Cubin, Fatbin };

/// Writes `kernels` to `output` ('-': stdout, PTX only) in `format`.
/// `verbose` shows the tools' command lines and ptxas's register counts.
llvm::Error writeKernels(const std::vector<KernelPTX> &kernels,
                         KernelFormat format, llvm::StringRef output,
                         bool verbose, llvm::raw_ostream &log);

/// For a program that runs the kernels (kiln-compile --device=cuda
/// --emit=exe|lib|shared|obj): replaces the module's gpu.binary objects by
/// one fatbin of every architecture's cubin and PTX, which the program
/// loads with cuModuleLoadData. Without the toolkit's ptxas and fatbinary
/// the first architecture's PTX stays, for the driver to compile when the
/// program starts (said in -v).
llvm::Error embedKernels(mlir::ModuleOp module, bool verbose,
                         llvm::raw_ostream &log);

} // namespace kiln::compiler

#endif // KILN_COMPILER_GPUKERNELS_H
