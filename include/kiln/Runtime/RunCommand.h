//===- RunCommand.h - the run-a-model command line --------------*- C++ -*-===//
//
// Part of Kiln's runtime (no MLIR/LLVM dependency). What `kiln-run MODEL ...`
// and an executable from `kiln-compile` do after they have a model: read or
// generate its inputs, check them against its signature, run it, time it,
// write or summarize its outputs. One implementation, so the two commands
// accept the same files and print the same messages.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_RUNCOMMAND_H
#define KILN_RUNTIME_RUNCOMMAND_H

#include "kiln/Runtime/Npy.h"

#include <functional>
#include <string>
#include <vector>

namespace kiln {

/// One input or output of a compiled function.
struct TensorSpec {
  std::string name; // "input #0", or the frontend's name when it has one
  runtime::DType dtype;
  std::vector<int64_t> shape;

  int64_t numElements() const;
  /// `float32 [1, 3, 8, 8]`.
  std::string describe() const;
};

namespace runtime {

/// A model ready to run: its signature and how to run it once on dense
/// C-ordered buffers (false and a message on failure).
struct RunnableModel {
  std::string entry;
  std::vector<TensorSpec> inputs, outputs;
  double flops = 0;
  /// Where it runs, for the bench line ("CUDA device 0"); empty: the CPU
  /// threads.
  std::string device;
  std::function<bool(const std::vector<const void *> &inputs,
                     const std::vector<void *> &outputs, std::string &error)>
      run;
};

/// What the command line asked for.
struct RunRequest {
  std::vector<std::string> inputPaths, outputPaths;
  /// Random inputs from `seed` instead of files: floats uniform in [-1, 1),
  /// integers in [0, 10), the same on every target.
  bool random = false;
  unsigned seed = 0;
  unsigned benchRuns = 0;
  /// Time each op of the code (compiled with profiling) over the bench
  /// runs, else over one run after the first, and print the table.
  bool profile = false;
  /// Also write every timed call as a Chrome trace (implies profile).
  std::string profileTracePath;
};

/// Runs `model` as `request` says. Problems are reported on stderr as
/// `TOOL: error: MESSAGE`; returns the process exit code (0 or 1).
int runModelCommand(const char *tool, const RunnableModel &model,
                    const RunRequest &request);

} // namespace runtime
} // namespace kiln

#endif // KILN_RUNTIME_RUNCOMMAND_H
