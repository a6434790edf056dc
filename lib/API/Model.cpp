//===- Model.cpp - compile a model in-process, run it, inspect it ---------===//
//
// Part of Kiln.
//
// A Model keeps its context and the nn module it was compiled from: `ir`
// lowers a copy of that module to the stage asked for (weights are shared
// resources, so copies are cheap), and the AOT compiler is handed its text.
//
//===----------------------------------------------------------------------===//

#include "kiln/API/Model.h"
#include "kiln/API/GraphBuilder.h"

#include "CompilerContext.h"

#include "kiln/Codegen/Pipeline.h"
#include "kiln/Engine/CUDADevice.h"
#include "kiln/Engine/CompiledModel.h"
#include "kiln/Engine/ModelLoader.h"
#include "kiln/Engine/ModelSignature.h"
#include "kiln/Runtime/ThreadPool.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>

using namespace mlir;

namespace kiln::api {

using detail::DiagnosticCollector;

static const char *const kStageNames[] = {"nn", "linalg", "tiled", "bufferized",
                                          "llvm"};

std::optional<Stage> parseStage(const std::string &name) {
  for (auto [index, stageName] : llvm::enumerate(kStageNames))
    if (name == stageName)
      return Stage(index);
  return std::nullopt;
}

std::vector<std::string> stageNames() {
  return std::vector<std::string>(std::begin(kStageNames),
                                  std::end(kStageNames));
}

struct Model::Impl {
  std::unique_ptr<MLIRContext> context;
  /// The module as read, before any lowering.
  OwningOpRef<ModuleOp> source;
  std::unique_ptr<CompiledModel> compiled;
  int threads = 0;
  std::string entry;
  /// The options the model was compiled with: ir() lowers with them too.
  PipelineOptions pipeline;
  /// Guards the context (ir() lowers copies in it).
  mutable std::mutex mutex;
};

Model::Model(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
Model::~Model() = default;

/// Compiles a copy of `impl.source`; false with `failure` set on failure.
/// (`impl` outlives `collector`, which unregisters from its context.)
static bool compileSource(Model::Impl &impl, const CompileSettings &settings,
                          DiagnosticCollector &collector, Failure &failure) {
  if (settings.optLevel > 3) {
    failure.kind = Failure::Kind::Usage;
    failure.message = "the optimization level must be 0 to 3, got " +
                      std::to_string(settings.optLevel);
    return false;
  }
  if (settings.threads < 0 || settings.threads > 1024) {
    failure.kind = Failure::Kind::Usage;
    failure.message =
        "threads must be 1 to 1024, got " + std::to_string(settings.threads);
    return false;
  }
  OwningOpRef<ModuleOp> lowered = impl.source->clone();
  CompileOptions options;
  options.entry = settings.entry;
  options.pipeline.optLevel = settings.optLevel;
  options.pipeline.tuningDatabase = settings.tuningDatabase;
  options.pipeline.target.cpu = settings.cpu;
  options.pipeline.target.features = settings.features;
  options.pipeline.target.descriptionFile = settings.targetDescription;
  std::string deviceName = settings.device.empty() ? "cpu" : settings.device;
  std::optional<int> cudaDevice = parseCUDADeviceSpec(deviceName);
  std::optional<Device> device =
      cudaDevice ? Device::CUDA : parseDevice(deviceName);
  if (!device || (*device == Device::CUDA && !cudaDevice)) {
    failure.kind = Failure::Kind::Usage;
    failure.message = "device must be 'cpu', 'cuda', 'cuda:N' or "
                      "'emulated-cuda', got '" +
                      settings.device + "'";
    return false;
  }
  options.pipeline.device = *device;
  options.pipeline.gpuArchs = settings.gpuArchs;
  options.pipeline.gpuLibraries = settings.gpuLibraries;
  std::string precisionText =
      settings.precision.empty() ? "fp32" : settings.precision;
  std::optional<Precision> precision = parsePrecision(precisionText);
  if (!precision) {
    failure.kind = Failure::Kind::Usage;
    failure.message = "precision must be 'fp32', 'tf32', 'fp16' or 'bf16', "
                      "got '" +
                      settings.precision + "'";
    return false;
  }
  options.pipeline.precision = *precision;
  if (cudaDevice) {
    // The driver and the device first; compiled for the device's
    // architecture unless gpu_arch says.
    llvm::Expected<std::string> arch = prepareCUDADevice(*cudaDevice);
    if (!arch) {
      failure.kind = Failure::Kind::Device;
      failure.message =
          "device '" + deviceName + "': " + llvm::toString(arch.takeError());
      return false;
    }
    if (options.pipeline.gpuArchs.empty())
      options.pipeline.gpuArchs.push_back(*arch);
  }
  // (The tuning database is checked by the compilation: a compile error.)
  PipelineOptions checked = options.pipeline;
  checked.tuningDatabase.clear();
  if (llvm::Error err = checkPipelineOptions(checked)) {
    failure.kind = Failure::Kind::Usage;
    failure.message = llvm::toString(std::move(err));
    return false;
  }
  // The model runs in this process: on `threads`, else on the pool's.
  options.pipeline.threads =
      settings.threads > 0 ? settings.threads : kiln_get_num_threads();
  // A target that does not resolve is the caller's mistake; a tuning
  // database that cannot be read is reported by the compilation (as a
  // compile error, as before).
  if (llvm::Expected<CPUTargetDescription> target =
          resolveCPUTarget(options.pipeline.target);
      !target) {
    failure.kind = Failure::Kind::Usage;
    failure.message = llvm::toString(target.takeError());
    return false;
  }
  auto compiled = CompiledModel::compile(*lowered, options);
  if (!compiled) {
    collector.fail(failure, Failure::Kind::Compile,
                   llvm::toString(compiled.takeError()));
    return false;
  }
  impl.compiled = std::move(*compiled);
  impl.threads = settings.threads;
  impl.entry = options.entry;
  impl.pipeline = options.pipeline;
  return true;
}

std::unique_ptr<Model> Model::compile(const ModelSource &source,
                                      const CompileSettings &settings,
                                      Failure &failure) {
  auto impl = std::make_unique<Impl>();
  impl->context = detail::createContext();
  DiagnosticCollector collector(*impl->context);
  llvm::SourceMgr sourceMgr;
  ModelLoadOptions load;
  load.boundInputs = source.boundInputs;
  llvm::Expected<OwningOpRef<ModuleOp>> loaded =
      source.kind == ModelSource::Kind::File
          ? loadModel(source.data, *impl->context, sourceMgr, load)
          : loadModelFromBuffer(source.data, source.name,
                                source.kind == ModelSource::Kind::ONNXBytes,
                                *impl->context, sourceMgr, load);
  if (!loaded) {
    // A file that is not there is the caller's problem, not the model's.
    bool missing = source.kind == ModelSource::Kind::File &&
                   source.data != "-" && !llvm::sys::fs::exists(source.data);
    collector.fail(failure,
                   missing ? Failure::Kind::Input : Failure::Kind::Compile,
                   llvm::toString(loaded.takeError()));
    return nullptr;
  }
  impl->source = std::move(*loaded);
  if (!compileSource(*impl, settings, collector, failure))
    return nullptr;
  return std::unique_ptr<Model>(new Model(std::move(impl)));
}

std::unique_ptr<Model> Model::compile(const GraphBuilder &builder,
                                      const CompileSettings &settings,
                                      Failure &failure) {
  // The model gets a context of its own (a builder may go on building in
  // its context while the model runs or shows its IR): the module moves
  // over as text, weights included.
  ModelSource source;
  source.kind = ModelSource::Kind::IRText;
  source.data = builder.text(/*weights=*/true);
  source.name = "graph";
  return compile(source, settings, failure);
}

const std::string &Model::entry() const { return impl->compiled->entry(); }
const std::vector<TensorSpec> &Model::inputs() const {
  return impl->compiled->inputs();
}
const std::vector<TensorSpec> &Model::outputs() const {
  return impl->compiled->outputs();
}
double Model::flops() const { return impl->compiled->flops(); }
int Model::threads() const { return impl->threads; }

bool Model::run(const void *const *inputs, void *const *outputs,
                std::string &error) const {
  if (impl->threads > 0)
    kiln_set_num_threads(impl->threads);
  const CompiledModel &compiled = *impl->compiled;
  if (llvm::Error err = compiled.run(
          llvm::ArrayRef<const void *>(inputs, compiled.inputs().size()),
          llvm::ArrayRef<void *>(outputs, compiled.outputs().size()))) {
    error = llvm::toString(std::move(err));
    return false;
  }
  return true;
}

double Model::lastRunSeconds() { return CompiledModel::lastRunSeconds(); }

std::optional<std::string> Model::ir(Stage stage, Failure &failure) const {
  std::lock_guard<std::mutex> lock(impl->mutex);
  DiagnosticCollector collector(*impl->context);
  OwningOpRef<ModuleOp> module = impl->source->clone();
  if (stage != Stage::NN) {
    // As compiled: the entry's signature read and its I/O names dropped,
    // then the same pipeline, stopped at `stage`.
    llvm::Expected<ModelSignature> signature =
        getModelSignature(*module, impl->entry);
    if (!signature) {
      collector.fail(failure, Failure::Kind::Compile,
                     llvm::toString(signature.takeError()));
      return std::nullopt;
    }
    removeIONames(signature->function);
    PassManager pm(impl->context.get());
    PipelineOptions options = impl->pipeline;
    options.stopAfter = stage == Stage::Linalg       ? PipelineStage::Linalg
                        : stage == Stage::Tiled      ? PipelineStage::Tiled
                        : stage == Stage::Bufferized ? PipelineStage::Bufferized
                                                     : PipelineStage::LLVM;
    buildPipeline(pm, options);
    if (failed(pm.run(*module))) {
      collector.fail(failure, Failure::Kind::Compile,
                     "lowering to the " + std::string(kStageNames[int(stage)]) +
                         " stage failed");
      return std::nullopt;
    }
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  OpPrintingFlags flags;
  flags.elideLargeResourceString(1024);
  flags.elideLargeElementsAttrs(64);
  module->print(os, flags);
  return text;
}

std::string Model::nnText() const {
  std::lock_guard<std::mutex> lock(impl->mutex);
  std::string text;
  llvm::raw_string_ostream os(text);
  impl->source->print(os);
  return text;
}

} // namespace kiln::api
