//===- Pipeline.cpp - the one compilation pipeline ------------------------===//
//
// Part of Kiln. The stages in order: the target into the IR; nn to linalg
// on tensors, fused (target-neutral); the hot ops' tunable forms
// (target-neutral); tiling and vectorization (the target's); bufferization
// (target-neutral); the target's lowering to the LLVM dialect.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Pipeline.h"

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Codegen/Passes.h"
#include "kiln/Conversion/Passes.h"
#include "kiln/Target/CPU/Passes.h"
#include "kiln/Target/GPU/GPUTarget.h"
#include "kiln/Target/GPU/Passes.h"
#include "kiln/Transforms/Passes.h"
#include "kiln/Tuning/Passes.h"
#include "kiln/Tuning/TuningDatabase.h"

#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace kiln {

static constexpr llvm::StringLiteral kStageNames[] = {
    "linalg", "tunable", "tiled", "bufferized", "llvm"};

llvm::StringRef stageName(PipelineStage stage) {
  return kStageNames[static_cast<int>(stage)];
}

std::optional<PipelineStage> parseStage(llvm::StringRef name) {
  for (auto [i, known] : llvm::enumerate(kStageNames))
    if (name == known)
      return static_cast<PipelineStage>(i);
  return std::nullopt;
}

llvm::StringRef deviceName(Device device) {
  switch (device) {
  case Device::CPU:
    return "cpu";
  case Device::CUDA:
    return "cuda";
  case Device::EmulatedCUDA:
    return "emulated-cuda";
  }
  llvm_unreachable("unknown device");
}

std::optional<Device> parseDevice(llvm::StringRef name) {
  for (Device device : {Device::CPU, Device::CUDA, Device::EmulatedCUDA})
    if (name == deviceName(device))
      return device;
  return std::nullopt;
}

llvm::StringRef precisionName(Precision precision) {
  switch (precision) {
  case Precision::FP32:
    return "fp32";
  case Precision::TF32:
    return "tf32";
  case Precision::FP16:
    return "fp16";
  case Precision::BF16:
    return "bf16";
  }
  llvm_unreachable("unknown precision");
}

std::optional<Precision> parsePrecision(llvm::StringRef name) {
  for (Precision precision :
       {Precision::FP32, Precision::TF32, Precision::FP16, Precision::BF16})
    if (name == precisionName(precision))
      return precision;
  return std::nullopt;
}

static bool isGPU(const PipelineOptions &options) {
  return options.device != Device::CPU;
}

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Error checkPipelineOptions(const PipelineOptions &options) {
  if (options.optLevel > 3)
    return makeError("the optimization level must be 0 to 3, got " +
                     llvm::Twine(options.optLevel));
  if (options.threads > 1024)
    return makeError("threads must be 1 to 1024, got " +
                     llvm::Twine(options.threads));
  if (llvm::Expected<CPUTargetDescription> target =
          resolveCPUTarget(options.target);
      !target)
    return target.takeError();
  SmallVector<GPUTargetDescription> gpus;
  for (const std::string &arch : options.gpuArchs) {
    llvm::Expected<GPUTargetDescription> gpu = resolveGPUTarget(arch);
    if (!gpu)
      return gpu.takeError();
    gpus.push_back(std::move(*gpu));
  }
  // The schedule is the first architecture's: its tensor-core kernels
  // cannot be compiled for the others unless they have those instructions
  // too (wgmma GPUs have mma.sync as well).
  auto tensorCores = [](const GPUTargetDescription &gpu) {
    return gpu.mma == "wgmma" ? 2 : gpu.mma == "mma_sync" ? 1 : 0;
  };
  if (options.device == Device::CUDA && !gpus.empty())
    for (const GPUTargetDescription &other : llvm::drop_begin(gpus))
      if (tensorCores(other) < tensorCores(gpus.front()))
        return makeError(
            "--gpu-arch: the schedule is the first architecture's, and " +
            gpus.front().chip + "'s matmuls use " +
            (gpus.front().mma == "wgmma" ? "wgmma" : "mma.sync") + ", which " +
            other.chip + " does not have: put " + other.chip + " first");
  if (!options.gpuArchs.empty() && !isGPU(options))
    return makeError("--gpu-arch needs a GPU device (cuda or "
                     "emulated-cuda)");
  for (const std::string &library : options.gpuLibraries)
    if (library != codegen::LoweringConfigAttr::kCuBLAS &&
        library != codegen::LoweringConfigAttr::kCuDNN)
      return makeError("--gpu-libraries: Kiln calls 'cublas' (matmuls) and "
                       "'cudnn' (convolutions), got '" +
                       library + "'");
  if (!options.gpuLibraries.empty() && !isGPU(options))
    return makeError("--gpu-libraries needs a GPU device (cuda or "
                     "emulated-cuda)");
  if (options.precision != Precision::FP32 && !isGPU(options))
    return makeError("--precision needs a GPU device (cuda or "
                     "emulated-cuda): the CPU computes in fp32");
  if (options.profile && options.device != Device::CPU)
    return makeError("profiling times the ops of CPU code: --profile needs "
                     "--device=cpu");
  if (!options.tuningDatabase.empty()) {
    std::string error;
    if (!tuning::TuningDatabase::open(options.tuningDatabase,
                                      /*readOnly=*/true, error))
      return makeError(error);
  }
  return llvm::Error::success();
}

/// nn -> linalg on tensors, fused.
static void addTensorPasses(OpPassManager &pm, const PipelineOptions &options) {
  NNSimplifyPipelineOptions simplify;
  simplify.inference = options.inference;
  buildNNSimplifyPipeline(pm, simplify);
  pm.addPass(createConvertNNToLinalg());
  pm.addPass(createCanonicalizerPass());
  // Fusing producer/consumer generics removes the intermediate tensors of
  // chains of elementwise ops (bias + relu, softmax's steps).
  pm.addNestedPass<func::FuncOp>(createKilnCodegenFuseElementwise());
  // After fusion, so that a sum's fused producers (a square, an exp) are
  // computed inside the blocks.
  pm.addNestedPass<func::FuncOp>(createKilnCodegenSplitReductions());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// The hot ops in the forms schedules are chosen for.
static void addTunableFormPasses(OpPassManager &pm,
                                 const PipelineOptions &options) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  // A dense layer over [1, S, K] activations as the S x N x K matmul that
  // every target's contraction schedule (and cuBLAS) takes. (Before
  // im2col: a convolution's product keeps its batch loop, which the patch
  // packing expects.)
  func.addPass(createKilnCodegenDropUnitContractionDims());
  // A GPU's threads compute convolutions directly (each its outputs' sums),
  // without a patch matrix in memory.
  if (!isGPU(options))
    func.addPass(createKilnCodegenConvToIm2Col());
  func.addPass(createKilnCodegenPoolingToElementwise());
  func.addPass(createKilnCodegenDepthwiseToElementwise());
  func.addPass(createKilnCodegenGeneralizeBroadcasts());
  func.addPass(createCanonicalizerPass());
  if (isGPU(options))
    addGPUTunableFormPasses(pm, options);
}

/// Tensors -> buffers. Results become caller-allocated out-parameters, so a
/// caller (kiln-run, an AOT binary) owns every buffer it sees; temporaries
/// are freed by the ownership-based deallocation pipeline.
static void addBufferizationPasses(OpPassManager &pm) {
  // Each result needs a buffer of its own to become an out-parameter.
  pm.addNestedPass<func::FuncOp>(createKilnCodegenCopyRepeatedResults());
  pm.addNestedPass<func::FuncOp>(createKilnCodegenDuplicateSharedInits());
  pm.addNestedPass<func::FuncOp>(createKilnCodegenDecomposePads());
  // tensor.empty only describes a shape: reuse a destination where one
  // exists, and allocate the rest.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.addPass(bufferization::createEmptyTensorToAllocTensorPass());
  pm.addNestedPass<func::FuncOp>(createKilnCodegenReadPaddedInteriors());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Without CSE first, bufferization leaves self-copies of the same slice
  // (../shared/notes/cpu-matmul-findings.md).
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.modifyPublicFunctions = true;
  // Write results straight into the caller's buffers instead of copying.
  outParams.hoistStaticAllocs = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::BufferDeallocationPipelineOptions dealloc;
  bufferization::buildBufferDeallocationPipeline(pm, dealloc);
}

void buildPipeline(OpPassManager &pm, const PipelineOptions &options) {
  // The target first: every later pass that depends on the machine reads
  // it from the IR.
  KilnCPUAttachTargetOptions target;
  target.triple = options.target.triple;
  target.cpu = options.target.cpu;
  target.features = options.target.features;
  target.descriptionFile = options.target.descriptionFile;
  target.threads = options.threads;
  pm.addPass(createKilnCPUAttachTarget(target));
  if (isGPU(options)) {
    KilnGPUAttachTargetOptions gpu;
    gpu.arch = options.gpuArchs.empty() ? "" : options.gpuArchs.front();
    pm.addPass(createKilnGPUAttachTarget(gpu));
  }
  // Each nn op numbered, so that the code it becomes can be found again.
  if (options.profile)
    pm.addPass(createKilnTagProfiledOps());
  addTensorPasses(pm, options);
  if (options.stopAfter == PipelineStage::Linalg)
    return;
  addTunableFormPasses(pm, options);
  if (options.stopAfter == PipelineStage::Tunable)
    return;
  // Tuned schedules first: the heuristic leaves ops that have one alone.
  if (!options.tuningDatabase.empty()) {
    KilnApplyTuningDatabaseOptions tuned;
    tuned.database = options.tuningDatabase;
    tuned.report = options.tuningReport;
    tuned.device = deviceName(options.device).str();
    tuned.precision = precisionName(options.precision).str();
    tuned.libraries.assign(options.gpuLibraries.begin(),
                           options.gpuLibraries.end());
    pm.addNestedPass<func::FuncOp>(createKilnApplyTuningDatabase(tuned));
  }
  if (isGPU(options))
    addGPUTilingPasses(pm, options);
  else
    addCPUTilingPasses(pm, options);
  if (options.stopAfter == PipelineStage::Tiled)
    return;
  addBufferizationPasses(pm);
  // A GPU's schedule is tiled on buffers: every op, copies included.
  if (isGPU(options))
    addGPUDistributionPasses(pm, options);
  // Timers around the code of each nn op (CPU only: checkPipelineOptions).
  if (options.profile)
    pm.addPass(createKilnInstrumentProfile());
  if (options.stopAfter == PipelineStage::Bufferized)
    return;
  switch (options.device) {
  case Device::CPU:
    addCPULoweringPasses(pm, options);
    break;
  case Device::CUDA:
    addGPUKernelPasses(pm, options);
    break;
  case Device::EmulatedCUDA:
    addEmulatedGPULoweringPasses(pm, options);
    break;
  }
}

namespace {
/// buildPipeline's options as text: `kiln-codegen{cpu=neoverse-n1 ...}`.
struct CodegenPipelineTextOptions
    : public PassPipelineOptions<CodegenPipelineTextOptions> {
  Option<std::string> triple{
      *this, "triple",
      llvm::cl::desc("Target triple (default: this machine's)"),
      llvm::cl::init("")};
  Option<std::string> cpu{
      *this, "cpu",
      llvm::cl::desc("LLVM CPU name, or native (default: native on this "
                     "machine's architecture)"),
      llvm::cl::init("")};
  Option<std::string> features{
      *this, "features",
      llvm::cl::desc("LLVM features to add or remove, e.g. +avx2,-avx512f"),
      llvm::cl::init("")};
  Option<std::string> targetDesc{
      *this, "target-desc",
      llvm::cl::desc("JSON file of target facts overriding the CPU's"),
      llvm::cl::init("")};
  Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Threads the code will run on (0: not known; "
                     "distributed loops are balanced for 1, 2 and 4)"),
      llvm::cl::init(0)};
  Option<std::string> device{
      *this, "device",
      llvm::cl::desc("cpu (default), cuda (PTX kernels and the host code "
                     "that launches them) or emulated-cuda (the GPU schedule "
                     "run on the CPU)"),
      llvm::cl::init("cpu")};
  Option<Precision> precision{
      *this, "precision",
      llvm::cl::desc("GPU matmul and convolution inputs (sums in f32)"),
      llvm::cl::init(Precision::FP32),
      llvm::cl::values(
          clEnumValN(Precision::FP32, "fp32", "as they are (default)"),
          clEnumValN(Precision::TF32, "tf32", "rounded to tf32"),
          clEnumValN(Precision::FP16, "fp16", "rounded to f16"),
          clEnumValN(Precision::BF16, "bf16", "rounded to bf16"))};
  ListOption<std::string> gpuArch{
      *this, "gpu-arch",
      llvm::cl::desc("NVIDIA architectures of the kernels (default sm_80)")};
  ListOption<std::string> gpuLibraries{
      *this, "gpu-libraries",
      llvm::cl::desc("Vendor libraries GPU ops call instead of Kiln's "
                     "kernels (cublas, cudnn)")};
  Option<bool> inference{
      *this, "inference",
      llvm::cl::desc("Compile for inference: remove dropout"),
      llvm::cl::init(true)};
  Option<int64_t> maxBufferBytes{
      *this, "max-buffer-bytes",
      llvm::cl::desc("Largest temporary buffer a model may need, in bytes "
                     "(0: the target's memory; kiln-cpu-check-buffers)"),
      llvm::cl::init(0)};
  Option<bool> profile{
      *this, "profile",
      llvm::cl::desc("Time the code of each nn op (kiln-tag-profiled-ops, "
                     "kiln-instrument-profile; CPU only)"),
      llvm::cl::init(false)};
  Option<std::string> tuningDatabase{
      *this, "tuning-db",
      llvm::cl::desc("Schedules from this kiln-tune database where it has "
                     "them (kiln-apply-tuning-db), else the heuristic's"),
      llvm::cl::init("")};
  Option<bool> tuningReport{
      *this, "tuning-report",
      llvm::cl::desc("Remark on every tunable op: tuned or heuristic"),
      llvm::cl::init(false)};
  Option<PipelineStage> stopAfter{
      *this, "stop-after",
      llvm::cl::desc("Last stage to run (default: llvm, the whole pipeline)"),
      llvm::cl::init(PipelineStage::LLVM),
      llvm::cl::values(
          clEnumValN(PipelineStage::Linalg, "linalg",
                     "nn lowered to linalg on tensors, elementwise ops fused"),
          clEnumValN(PipelineStage::Tunable, "tunable",
                     "hot ops in the forms schedules are chosen for"),
          clEnumValN(PipelineStage::Tiled, "tiled",
                     "hot ops tiled, packed and vectorized, on tensors"),
          clEnumValN(PipelineStage::Bufferized, "bufferized",
                     "on buffers, results as out-parameters"),
          clEnumValN(PipelineStage::LLVM, "llvm", "the LLVM dialect"))};
};
} // namespace

void registerCodegenPipeline() {
  PassPipelineRegistration<CodegenPipelineTextOptions>(
      "kiln-codegen",
      "Compile nn IR for a CPU (default: this machine) or an NVIDIA GPU",
      [](OpPassManager &pm, const CodegenPipelineTextOptions &text) {
        PipelineOptions options;
        options.target.triple = text.triple;
        options.target.cpu = text.cpu;
        options.target.features = text.features;
        options.target.descriptionFile = text.targetDesc;
        options.threads = text.threads;
        // (An unknown device name is the CPU's: kiln-opt users get the
        // device they typed through kiln-compile's checked flags.)
        options.device = parseDevice(text.device).value_or(Device::CPU);
        options.gpuArchs.assign(text.gpuArch.begin(), text.gpuArch.end());
        options.gpuLibraries.assign(text.gpuLibraries.begin(),
                                    text.gpuLibraries.end());
        options.precision = text.precision;
        options.inference = text.inference;
        options.maxBufferBytes = text.maxBufferBytes;
        options.tuningDatabase = text.tuningDatabase;
        options.tuningReport = text.tuningReport;
        options.profile = text.profile;
        options.stopAfter = text.stopAfter;
        buildPipeline(pm, options);
      });
}

} // namespace kiln
