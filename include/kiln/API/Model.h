//===- Model.h - compile a model in-process, run it, inspect it -*- C++ -*-===//
//
// Part of Kiln. The coarse C++ API the Python bindings wrap (as Triton's
// bindings wrap its compiler): compile a model given as a file, ONNX bytes,
// nn IR text or a GraphBuilder; describe its inputs and outputs; run it on
// caller-owned buffers; show its IR at each stage of the CPU pipeline.
//
// Its headers use only the standard library and Kiln's runtime types: the
// bindings are built with RTTI and exceptions for pybind11, the compiler
// without RTTI like LLVM, and the two meet at this interface.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_API_MODEL_H
#define KILN_API_MODEL_H

#include "kiln/API/Failure.h"
#include "kiln/Runtime/RunCommand.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kiln::api {

class GraphBuilder;

/// Where a model comes from.
struct ModelSource {
  enum class Kind {
    /// `data` is a path: .onnx files are imported, anything else is nn IR.
    File,
    /// `data` holds an ONNX model (protobuf bytes).
    ONNXBytes,
    /// `data` holds nn IR text.
    IRText,
  };
  Kind kind = Kind::File;
  std::string data;
  /// For bytes and text: the name diagnostics use for the model (and, for
  /// ONNX, the function's name, as a file name would be).
  std::string name;
  /// ONNX graph inputs given a value at compile time (NAME, .npy path), as
  /// kiln-compile's --bind.
  std::vector<std::pair<std::string, std::string>> boundInputs;
};

/// How to compile.
struct CompileSettings {
  /// The function to compile; empty: the module's only public function.
  std::string entry;
  /// LLVM optimization level, 0 to 3.
  unsigned optLevel = 3;
  /// Threads the model runs on (the runtime's pool is set to this before each
  /// run); 0: the runtime's default ($KILN_NUM_THREADS, else every CPU).
  int threads = 0;
  /// A kiln-tune database whose schedules replace the heuristic's where it
  /// has them.
  std::string tuningDatabase;
  /// The CPU (of this machine's architecture) to generate code and choose
  /// tiles for, LLVM features to add or remove, a JSON file of target facts
  /// (as kiln-run's --cpu, --features, --target-desc); empty: this machine.
  std::string cpu, features, targetDescription;
  /// What runs the model: "cpu" (empty too), "cuda" or "cuda:N" (NVIDIA GPU
  /// N through its driver; a Device failure without one), or
  /// "emulated-cuda" (the GPU schedule, run on this CPU: kiln-run
  /// --device=emulated-cuda).
  std::string device;
  /// The NVIDIA architectures of the GPU schedule (empty: the device's for
  /// "cuda", sm_80 for "emulated-cuda").
  std::vector<std::string> gpuArchs;
  /// GPU matmul and convolution inputs: "fp32" (empty too), "tf32",
  /// "fp16", "bf16" (kiln-run --precision).
  std::string precision;
  /// Vendor libraries GPU matmuls call ("cublas"; kiln-run
  /// --gpu-libraries).
  std::vector<std::string> gpuLibraries;
};

/// The stages `Model::ir` can show: the model as given, then the stages of
/// the compilation pipeline (kiln::PipelineStage; kiln-compile --stage).
enum class Stage { NN, Linalg, Tiled, Bufferized, LLVM };

/// The stage called `name` ("nn", "linalg", "tiled", "bufferized", "llvm").
std::optional<Stage> parseStage(const std::string &name);
/// Every stage's name, in pipeline order.
std::vector<std::string> stageNames();

/// A model compiled to native code for this machine, with its nn IR kept for
/// inspection. Safe to run from several threads at once.
class Model {
public:
  ~Model();

  /// Reads and compiles a model; null and `failure` set when that fails.
  static std::unique_ptr<Model> compile(const ModelSource &source,
                                        const CompileSettings &settings,
                                        Failure &failure);
  /// Compiles the graph `builder` has built (the builder stays usable).
  static std::unique_ptr<Model> compile(const GraphBuilder &builder,
                                        const CompileSettings &settings,
                                        Failure &failure);

  const std::string &entry() const;
  const std::vector<TensorSpec> &inputs() const;
  const std::vector<TensorSpec> &outputs() const;
  /// Floating-point operations per run.
  double flops() const;
  int threads() const;

  /// Runs once. `inputs` and `outputs` hold one pointer per input and
  /// output, to dense C-ordered buffers matching inputs() and outputs().
  /// False and `error` set on failure.
  bool run(const void *const *inputs, void *const *outputs,
           std::string &error) const;

  /// Seconds the compiled code itself took in this thread's last run (the
  /// call's own work excluded).
  static double lastRunSeconds();

  /// The module's IR at `stage` as text, weights over 1 KiB elided.
  std::optional<std::string> ir(Stage stage, Failure &failure) const;
  /// The nn module as text with every weight: what the AOT compiler reads.
  std::string nnText() const;

  /// The model's state (lib/API only).
  struct Impl;

private:
  explicit Model(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace kiln::api

#endif // KILN_API_MODEL_H
