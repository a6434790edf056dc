//===- CompiledModel.h - compile nn IR and run it in-process ----*- C++ -*-===//
//
// Part of Kiln. The coarse C++ API that kiln-run (and later the Python
// bindings) use: compile a function of an nn module for the host CPU through
// the JIT, inspect its inputs and outputs, run it on caller-owned buffers.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_ENGINE_COMPILEDMODEL_H
#define KILN_ENGINE_COMPILEDMODEL_H

#include "kiln/Codegen/Pipeline.h"
#include "kiln/Runtime/RunCommand.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace kiln {

/// How to compile.
struct CompileOptions {
  /// Name of the function to compile; empty means the module's only public
  /// function.
  std::string entry;
  /// Target, threads, optimization level, tuning database (buildPipeline's;
  /// the JIT generates code for this machine: its target must be the
  /// host's architecture). `stopAfter` must be the whole pipeline.
  PipelineOptions pipeline;
  /// Tell perf about the generated code: LLVM's listener writes a jitdump
  /// file per process ($JITDUMPDIR, else ~/.debug/jit/) for `perf inject
  /// --jit`. Off by default: every run would leave one behind.
  bool perfJitDump = false;
};

/// A function of an nn module compiled to native code for this machine.
class CompiledModel {
public:
  ~CompiledModel();

  /// Compiles `options.entry` of `module` (which is lowered in place).
  /// Compiler diagnostics go to the module's context's handler; the returned
  /// error says what failed.
  static llvm::Expected<std::unique_ptr<CompiledModel>>
  compile(mlir::ModuleOp module, const CompileOptions &options);

  const std::string &entry() const { return entryName; }
  const std::vector<TensorSpec> &inputs() const { return inputSpecs; }
  const std::vector<TensorSpec> &outputs() const { return outputSpecs; }
  /// Floating-point operations per call (see countFlops).
  double flops() const { return flopCount; }

  /// Runs once. `inputs` and `outputs` point to dense C-ordered buffers that
  /// match inputs() and outputs(); the outputs are overwritten.
  llvm::Error run(llvm::ArrayRef<const void *> inputs,
                  llvm::ArrayRef<void *> outputs) const;

  /// Seconds the compiled code itself took in this thread's last run()
  /// (without the call's own work): what callers' overheads are measured
  /// against (benchmarks/python_overhead.py).
  static double lastRunSeconds() { return lastEntrySeconds; }

private:
  CompiledModel() = default;

  static thread_local double lastEntrySeconds;

  std::string entryName;
  std::vector<TensorSpec> inputSpecs, outputSpecs;
  double flopCount = 0;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  /// The packed wrapper of the entry point: takes pointers to the
  /// arguments' descriptor pointers.
  void (*entryPoint)(void **) = nullptr;
  /// The kernels run on a GPU: runs check the CUDA runtime for failures.
  bool cuda = false;
  /// Every argument's memref descriptor, pointers left 0, and where each
  /// starts.
  std::vector<int64_t> descriptorWords;
  std::vector<size_t> descriptorOffsets;
};

} // namespace kiln

#endif // KILN_ENGINE_COMPILEDMODEL_H
