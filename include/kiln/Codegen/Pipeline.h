//===- Pipeline.h - the one compilation pipeline ----------------*- C++ -*-===//
//
// Part of Kiln. Every way in (kiln-run, kiln-compile, kiln-tune's harness,
// the embedding API and Python) compiles with buildPipeline from one
// PipelineOptions: the same options give the same IR at every stage, which
// is what `Model::ir(stage)` shows. The target goes into the IR first
// (kiln-cpu-attach-target); every later pass reads it from there.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_PIPELINE_H
#define KILN_CODEGEN_PIPELINE_H

#include "kiln/Target/CPU/TargetDescription.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace kiln {

/// Where the pipeline stops: each stage's IR is what `kiln-compile
/// --emit=mlir --stage=STAGE` prints and `Model::ir(stage)` returns.
enum class PipelineStage {
  /// nn lowered to linalg on tensors, chains of elementwise ops fused.
  Linalg,
  /// The hot ops in the forms schedules are chosen for (convolutions as
  /// im2col + matmul, pooling as elementwise ops, broadcasts generalized):
  /// what kiln-tune extracts its kernels from.
  Tunable,
  /// Hot ops tiled, packed and vectorized (still on tensors).
  Tiled,
  /// Tensors turned into buffers; results are out-parameters.
  Bufferized,
  /// The LLVM dialect (the whole pipeline).
  LLVM,
};

/// `linalg`, `tunable`, `tiled`, `bufferized`, `llvm`.
llvm::StringRef stageName(PipelineStage stage);
std::optional<PipelineStage> parseStage(llvm::StringRef name);

/// Where the model's kernels run.
enum class Device {
  /// This machine's (or `target`'s) CPU.
  CPU,
  /// An NVIDIA GPU: kernels as PTX for `gpuArchs`, the host code for
  /// `target`.
  CUDA,
  /// The GPU schedule (the same tiles and buffers) run on the CPU, the
  /// block and thread loops as CPU loops: GPU code generation checked
  /// without a GPU.
  EmulatedCUDA,
};

/// `cpu`, `cuda`, `emulated-cuda`.
llvm::StringRef deviceName(Device device);
std::optional<Device> parseDevice(llvm::StringRef name);

/// The inputs of matmuls and convolutions (the sums are f32 always).
enum class Precision {
  FP32,
  /// f32 matmuls on the tensor cores, which read their inputs as tf32.
  TF32,
  FP16,
  BF16,
};

/// `fp32`, `tf32`, `fp16`, `bf16`.
llvm::StringRef precisionName(Precision precision);
std::optional<Precision> parsePrecision(llvm::StringRef name);

struct PipelineOptions {
  /// The machine the code is for (default: this one); with a GPU, the
  /// host's.
  CPUTargetOptions target;
  Device device = Device::CPU;
  /// NVIDIA architectures the kernels are compiled for (`sm_80`, ...;
  /// empty: sm_80). The first one's facts choose the schedule.
  std::vector<std::string> gpuArchs;
  /// Matmul and convolution inputs on a GPU (kiln-gpu-reduce-precision).
  Precision precision = Precision::FP32;
  /// Vendor libraries GPU ops call instead of Kiln's kernels (`cublas`:
  /// matmuls, `cudnn`: convolutions; kiln-gpu-library-calls).
  std::vector<std::string> gpuLibraries;
  /// With a GPU: the model function's memref arguments (its inputs and
  /// outputs) are device memory the caller owns, used without copies in
  /// or out (kiln-tune's harness; kiln-gpu-device-buffers).
  bool gpuArgumentsOnDevice = false;
  /// Threads the code will run on (0: not known; the tiles threads share
  /// are balanced for 1, 2 and 4). Part of the target in the IR and of the
  /// tuning key.
  unsigned threads = 0;
  /// LLVM's optimization level (0-3) for the code generated from the LLVM
  /// dialect (the JIT's and kiln-compile's; the MLIR passes do not read it).
  unsigned optLevel = 3;
  /// A kiln-tune database whose schedules replace the heuristic's.
  std::string tuningDatabase;
  /// Remark on every tunable op: tuned or heuristic.
  bool tuningReport = false;
  /// Calls around the code of each nn op that time it while the runtime
  /// takes a profile (kiln-run --profile; CPU only).
  bool profile = false;
  PipelineStage stopAfter = PipelineStage::LLVM;
  /// Compile for inference: remove dropout.
  bool inference = true;
  /// Largest buffer the model may need (0: the target's memory).
  int64_t maxBufferBytes = 0;
};

/// The options' errors a user made (a target that does not resolve, a
/// thread count or level out of range, a tuning database that cannot be
/// opened), found before anything is compiled.
llvm::Error checkPipelineOptions(const PipelineOptions &options);

/// nn on tensors to `options.stopAfter` for `options.target`.
void buildPipeline(mlir::OpPassManager &pm, const PipelineOptions &options);

/// Registers `kiln-codegen`, the pipeline with its options as text (for
/// kiln-opt).
void registerCodegenPipeline();

} // namespace kiln

#endif // KILN_CODEGEN_PIPELINE_H
