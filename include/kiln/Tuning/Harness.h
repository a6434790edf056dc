//===- Harness.h - measuring candidate schedules ----------------*- C++ -*-===//
//
// Part of Kiln. kiln-tune's execution harness. Each tunable op of a model
// becomes a kernel of its own (a function holding only that op); each
// candidate schedule of it is compiled and timed in a separate process (a
// hidden mode of kiln-tune itself) under a time limit, with a warm-up,
// repetitions and the median, on inputs rotated between runs so that the
// caches do not flatter, and its output is compared with the heuristic
// schedule's: a fast but wrong schedule is rejected, and one that crashes,
// hangs or miscompiles is recorded as such while the search goes on.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TUNING_HARNESS_H
#define KILN_TUNING_HARNESS_H

#include "kiln/Codegen/Pipeline.h"
#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Tuning/TuningDatabase.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace kiln::tuning {

/// A tunable op of a model as a module of its own: `func.func @kernel` takes
/// the op's operands and returns its result.
struct Kernel {
  std::string signature;
  /// The loop ranges, `64x784x512`, for tables.
  std::string loops;
  /// How many ops of the model have this signature.
  unsigned occurrences = 0;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  /// Where the kernel's inputs and the reference output are kept.
  std::string dataDir;
  /// A kernel for a GPU (its tunable op: isTunable(op, /*gpu=*/true)).
  bool gpu = false;

  mlir::linalg::LinalgOp op() const;
};

/// The tunable ops of `model` (an nn module, not modified), one kernel per
/// signature, in the order they first occur: the model goes through the
/// pipeline (with `options`) up to the point where lowering configs are
/// chosen, its `tunable` stage.
llvm::Expected<std::vector<Kernel>>
extractKernels(mlir::ModuleOp model, const PipelineOptions &options);

struct HarnessOptions {
  /// kiln-tune's own path (the measuring process runs it).
  std::string tool;
  /// Where kernels' files go.
  std::string workDir;
  unsigned warmup = 2, runs = 10;
  /// A candidate that takes longer (compiling included) is a timeout.
  unsigned timeLimitSeconds = 60;
  /// Run on one input set, run after run, so that the inputs stay in the
  /// caches (as a model's activations do, just written by the op before),
  /// instead of rotating copies of them out of the caches.
  bool warmInputs = false;
  /// The device options the measuring process gets (`--device cuda:0
  /// --gpu-arch sm_80 --precision fp16`; none for the CPU).
  std::vector<std::string> deviceArguments;
};

/// Where the measuring process compiles and runs kernels: the pipeline's
/// device options, and the CUDA device of a real GPU (-1: none). On a GPU,
/// the inputs and the output stay in device memory (copied once, not per
/// run: the kernels are timed, not the copies).
struct MeasureDevice {
  PipelineOptions pipeline;
  int cudaDevice = -1;
};

/// Writes random inputs for `kernel` into its data directory.
llvm::Error prepareInputs(Kernel &kernel, const HarnessOptions &options);

/// Compiles and times `kernel` with `config` in a child process. With
/// `writeReference` (the heuristic's schedule), its output becomes the
/// reference the later candidates' are checked against, and its kernel
/// their baseline: each later candidate's process runs the baseline between
/// its runs, and the candidate's time is the median ratio of its runs to
/// the neighbouring baseline runs, times `baselineSeconds` (the baseline's
/// own time; 0: the candidate's median instead). The machine's slow phases,
/// which last seconds and slow both kernels alike, then cancel out. The
/// measurement's status says how it went; `detail` says why when it is not
/// Ok.
Measurement measure(const Kernel &kernel, codegen::LoweringConfigAttr config,
                    bool writeReference, double baselineSeconds,
                    const HarnessOptions &options, std::string &detail);

/// The measuring process: `kiln-tune --measure KERNEL.mlir --data DIR --runs N
/// --warmup W [--write-reference | --baseline BASELINE.mlir] [--warm]
/// [DEVICE OPTIONS]`. Prints `seconds=S error=E ratio=R` (R: the median
/// ratio to the baseline, 0 without one); returns the exit code.
int measureMain(const std::string &kernelPath, const std::string &baselinePath,
                const std::string &dataDir, unsigned runs, unsigned warmup,
                bool writeReference, bool warmInputs,
                const MeasureDevice &device);

} // namespace kiln::tuning

#endif // KILN_TUNING_HARNESS_H
