//===- Compiler.h - the ahead-of-time compiler as a library -----*- C++ -*-===//
//
// Part of Kiln. What kiln-compile does, callable in-process: read a model,
// compile it with the one pipeline (buildPipeline) for a target, and write
// an executable, a library and its header, an object file or a text stage.
// kiln-compile is a thin main over it.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_COMPILER_H
#define KILN_COMPILER_COMPILER_H

#include "kiln/Codegen/Pipeline.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace kiln::compiler {

/// What to produce; each stops after its stage. Ptx, Cubin and Fatbin are
/// the GPU kernels of --device=cuda.
enum class Emit {
  Exe,
  Obj,
  Lib,
  Shared,
  Header,
  LLVM,
  Asm,
  MLIR,
  Ptx,
  Cubin,
  Fatbin
};

/// The Emit named `exe`, `obj`, `lib`, `shared`, `header`, `llvm`, `asm`,
/// `mlir`, `ptx`, `cubin` or `fatbin`, if any.
std::optional<Emit> parseEmit(llvm::StringRef name);

struct AOTOptions {
  /// MODEL.mlir or MODEL.onnx ('-': nn IR on stdin).
  std::string inputPath;
  /// Empty: from the model's file name and `emit` (MODEL, MODEL.o,
  /// libMODEL.a, libMODEL.so, MODEL.h, MODEL.ll, MODEL.s, MODEL.STAGE.mlir,
  /// MODEL.ptx, MODEL.cubin, MODEL.fatbin);
  /// '-' writes a text stage to stdout.
  std::string outputPath;
  Emit emit = Emit::Exe;
  /// Target (--target/--cpu/--features/--target-desc), optimization level,
  /// tuning database, the last stage for Emit::MLIR; `threads` is the count
  /// compiled into the model (0: not given: every CPU at run time, tiles
  /// sized for this machine's CPUs on its architecture, else for 1, 2, 4).
  PipelineOptions pipeline;
  /// The function to compile (empty: the module's only public function).
  std::string entry;
  /// The model's C name (empty: from the function's name).
  std::string name;
  /// Where the weights go instead of the binary (empty: into it).
  std::string weightsPath;
  /// The linker driver for exe/shared (empty: TRIPLE-g++ from PATH).
  std::string linker;
  /// ONNX models: NAME=FILE.npy values bound at compile time.
  std::vector<std::string> bindings;
  /// The folder of the Kiln runtimes (`lib/kiln` of an installation).
  std::string runtimeDir;
  /// Say the target, each stage and its time, which ops got tuned
  /// schedules, the link command.
  bool verbose = false;
};

/// Compiles as `options` say. Located diagnostics (the model's errors, -v's
/// progress, remarks) go to `log`; the returned error is the one-line
/// reason it failed (after those diagnostics). Bad options are errors too,
/// before anything is compiled.
llvm::Error compile(const AOTOptions &options, llvm::raw_ostream &log);

} // namespace kiln::compiler

#endif // KILN_COMPILER_COMPILER_H
