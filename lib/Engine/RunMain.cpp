//===- RunMain.cpp - the kiln-run driver ----------------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Engine/RunMain.h"

#include "kiln/Codegen/GPUCommandLine.h"
#include "kiln/Engine/CUDADevice.h"
#include "kiln/Engine/CompiledModel.h"
#include "kiln/Engine/ModelLoader.h"
#include "kiln/Frontend/ONNX/ONNXImporter.h"
#include "kiln/InitAllDialects.h"
#include "kiln/Runtime/ThreadPool.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {
namespace cl = llvm::cl;

cl::OptionCategory category("kiln-run options");
cl::opt<std::string> modelPath(cl::Positional,
                               cl::desc("MODEL.mlir|MODEL.onnx"), cl::Required,
                               cl::cat(category));
cl::opt<std::string> entry("entry",
                           cl::desc("Function to run (default: the module's "
                                    "only public function)"),
                           cl::value_desc("NAME"), cl::cat(category));
cl::list<std::string>
    inputPaths("input",
               cl::desc("Input .npy file, one per model input, in order"),
               cl::value_desc("FILE.npy"), cl::cat(category));
cl::list<std::string> outputPaths(
    "output",
    cl::desc("Where to write each output (.npy), in order; without any, a "
             "summary of each output is printed"),
    cl::value_desc("FILE.npy"), cl::cat(category));
cl::opt<unsigned> randomSeed(
    "random",
    cl::desc("Random inputs from this seed (floats uniform in [-1, 1), "
             "integers in [0, 10)); not with --input"),
    cl::value_desc("SEED"), cl::cat(category));
cl::opt<unsigned> benchRuns(
    "bench",
    cl::desc("Time N runs after one warm-up; print median/min/max latency "
             "and GFLOP/s"),
    cl::value_desc("N"), cl::init(0), cl::cat(category));
cl::opt<bool> profile(
    "profile",
    cl::desc("Time each nn op's code over the --bench runs (else one run "
             "after the first) and print a table per op, slowest first "
             "(CPU only; the code is compiled with timers around each op)"),
    cl::cat(category));
cl::opt<std::string> profileJson(
    "profile-json",
    cl::desc("With or without --profile: also write every op's every timed "
             "call to FILE in the Chrome trace event format "
             "(chrome://tracing, Perfetto)"),
    cl::value_desc("FILE"), cl::cat(category));
cl::opt<bool> perfJitDump(
    "perf-jitdump",
    cl::desc("Tell perf about the compiled code: write a jitdump file "
             "($JITDUMPDIR, else ~/.debug/jit/) so that `perf record -k 1` "
             "then `perf inject --jit` names Kiln's functions in `perf "
             "report`"),
    cl::cat(category));
cl::list<std::string> bindings(
    "bind",
    cl::desc("ONNX models: give the graph input NAME the value in FILE.npy "
             "at compile time; it becomes a constant and is no longer an "
             "input (as kiln-compile --bind)"),
    cl::value_desc("NAME=FILE.npy"), cl::cat(category));
cl::opt<std::string> tuningDatabase(
    "tuning-db",
    cl::desc("Use the schedules this kiln-tune database holds for this "
             "machine where they measured at least 5% faster than the "
             "heuristic's; other ops get the heuristic's"),
    cl::value_desc("FILE"), cl::cat(category));
cl::opt<bool> verbose("v",
                      cl::desc("Say which ops got tuned schedules (and, "
                               "with --device=cuda, the GPU architecture)"),
                      cl::cat(category));
cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level (0-3)"),
                           cl::Prefix, cl::init(3), cl::cat(category));
cl::opt<std::string>
    cpu("cpu",
        cl::desc("Generate code and choose tiles for this CPU of this "
                 "machine's architecture, e.g. x86-64-v3 (default: native)"),
        cl::value_desc("NAME"), cl::cat(category));
cl::opt<std::string>
    features("features",
             cl::desc("LLVM target features to add or remove, e.g. -avx512f"),
             cl::value_desc("+F,-G,..."), cl::cat(category));
cl::opt<std::string> targetDesc(
    "target-desc",
    cl::desc("JSON file of target facts (vector_bits, vector_registers, "
             "l1_bytes, l2_bytes, cores, memory_bytes) that override the "
             "CPU's"),
    cl::value_desc("FILE"), cl::cat(category));

cl::opt<std::string> device(
    "device",
    cl::desc("Where to run: cpu (default); cuda[:N] (NVIDIA GPU N, default "
             "0, through the driver libcuda.so.1; inputs and outputs are "
             "copied to and from it on every run); emulated-cuda (the GPU "
             "schedule, run on this CPU one thread at a time: checks GPU "
             "code generation without a GPU)"),
    cl::value_desc("cpu|cuda[:N]|emulated-cuda"), cl::init("cpu"),
    cl::cat(category));

kiln::GPUCommandLineOptions gpuOptions(category);

cl::list<std::string> gpuArchs(
    "gpu-arch",
    cl::desc("NVIDIA architecture to compile for (--device=cuda: default "
             "the device's; --device=emulated-cuda runs its schedule, "
             "default sm_80)"),
    cl::value_desc("sm_XX"), cl::CommaSeparated, cl::cat(category));

int fail(const llvm::Twine &message) {
  llvm::errs() << "kiln-run: error: " << message << "\n";
  return 1;
}
} // namespace

int kiln::kilnRunMain(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // libLLVM registers a `-threads` option of its own (unrelated to running
  // models, hidden below anyway); ours replaces it, so it is made here,
  // after the other one is unregistered, not as a global.
  if (cl::Option *other = cl::getRegisteredOptions().lookup("threads"))
    other->removeArgument();
  static cl::opt<int> threads(
      "threads",
      cl::desc("Threads to run on (default: $KILN_NUM_THREADS, else every CPU "
               "this process may use)"),
      cl::value_desc("N"), cl::init(0), cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "kiln-run (Kiln " KILN_VERSION ") with LLVM/MLIR " LLVM_VERSION_STRING
          "\n";
  });
  cl::ParseCommandLineOptions(
      argc, argv,
      "kiln-run: compile an nn model for this CPU (or a GPU) and run it\n\n"
      "  kiln-run MODEL.mlir|MODEL.onnx [--entry NAME] [--input FILE.npy]... "
      "[--output FILE.npy]... [--random SEED] [--bench N] [--threads N] "
      "[--bind NAME=FILE.npy]... [--tuning-db FILE]\n"
      "           [--profile] [--profile-json FILE] [--perf-jitdump]\n"
      "           [--device cpu|cuda[:N]|emulated-cuda] [--gpu-arch sm_XX] "
      "[--precision fp32|tf32|fp16|bf16]\n"
      "           [--gpu-libraries cublas,cudnn]\n"
      "           [--cpu NAME] [--features LIST] [--target-desc FILE] "
      "[-O0..3] [-v]\n");

  if (optLevel > 3)
    return fail("-O must be 0 to 3, got " + llvm::Twine(optLevel));
  std::optional<int> cudaDevice;
  if (device != "cpu" && device != "emulated-cuda") {
    cudaDevice = parseCUDADeviceSpec(device);
    if (!cudaDevice)
      return fail("--device must be cpu, cuda, cuda:N or emulated-cuda, got '" +
                  device + "'");
    // The driver and the device first: on a machine without them, that is
    // what the user needs to hear.
    llvm::Expected<std::string> arch = prepareCUDADevice(*cudaDevice);
    if (!arch)
      return fail("--device=" + device + ": " +
                  llvm::toString(arch.takeError()));
    // Compiled for the device's architecture unless --gpu-arch says.
    if (gpuArchs.empty())
      gpuArchs.push_back(*arch);
    if (verbose) {
      std::string name = cudaDeviceName(*cudaDevice);
      llvm::errs() << "kiln-run: running on CUDA device " << *cudaDevice
                   << (name.empty() ? "" : " (" + name + ")")
                   << ", compiling for " << gpuArchs.front() << "\n";
    }
  }
  // (More threads than that only time-slice the same cores.)
  if (threads.getNumOccurrences() && (threads < 1 || threads > 1024))
    return fail("--threads must be 1 to 1024, got " + llvm::Twine(threads));
  if (threads > 0)
    kiln_set_num_threads(threads);
  else if (const char *problem = kiln_num_threads_env_error())
    return fail(llvm::Twine(problem) + "; unset it or use --threads N");
  CompileOptions options;
  options.entry = entry;
  options.pipeline.target.cpu = cpu;
  options.pipeline.target.features = features;
  options.pipeline.target.descriptionFile = targetDesc;
  if (device == "emulated-cuda")
    options.pipeline.device = Device::EmulatedCUDA;
  else if (cudaDevice)
    options.pipeline.device = Device::CUDA;
  options.pipeline.gpuArchs.assign(gpuArchs.begin(), gpuArchs.end());
  if (llvm::Error error = gpuOptions.apply(options.pipeline))
    return fail(llvm::toString(std::move(error)));
  options.pipeline.optLevel = optLevel;
  options.pipeline.tuningDatabase = tuningDatabase;
  options.pipeline.tuningReport = verbose;
  options.pipeline.profile = profile || !profileJson.empty();
  options.perfJitDump = perfJitDump;
  // Compiled for the threads it runs on (--threads, else every CPU).
  options.pipeline.threads = kiln_get_num_threads();
  // Checked before anything is compiled: a bad CPU or database path is one
  // clear error.
  if (llvm::Error err = checkPipelineOptions(options.pipeline))
    return fail(llvm::toString(std::move(err)));
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  auto bound = parseInputBindings(bindings);
  if (!bound)
    return fail(llvm::toString(bound.takeError()));
  // An ONNX model that needs an input's value at import (a Reshape whose
  // shape is a graph input, say) is compiled for the --input value it runs
  // on: the JIT specializes, as kiln-compile does with --bind.
  ModelLoadOptions load;
  load.boundInputs = std::move(*bound);
  load.argumentFiles = inputPaths;
  std::vector<std::string> specialized;
  load.specializedOn = &specialized;
  auto loaded = loadModel(modelPath, context, sourceMgr, load);
  if (!loaded)
    return fail(llvm::toString(loaded.takeError()));
  for (const std::string &name : specialized)
    llvm::errs() << "kiln-run: note: compiled for the value of input '" << name
                 << "' given with --input (the model needs it at compile "
                    "time)\n";
  OwningOpRef<ModuleOp> module = std::move(*loaded);

  auto compiled = CompiledModel::compile(*module, options);
  if (!compiled)
    return fail(llvm::toString(compiled.takeError()));
  const CompiledModel &model = **compiled;

  runtime::RunnableModel runnable;
  runnable.entry = model.entry();
  runnable.inputs = model.inputs();
  runnable.outputs = model.outputs();
  runnable.flops = model.flops();
  if (cudaDevice)
    runnable.device = "CUDA device " + std::to_string(*cudaDevice);
  runnable.run = [&](const std::vector<const void *> &in,
                     const std::vector<void *> &out, std::string &message) {
    if (llvm::Error err = model.run(in, out)) {
      message = llvm::toString(std::move(err));
      return false;
    }
    return true;
  };
  runtime::RunRequest request;
  request.inputPaths = inputPaths;
  request.outputPaths = outputPaths;
  request.random = randomSeed.getNumOccurrences() > 0;
  request.seed = randomSeed;
  request.benchRuns = benchRuns;
  request.profile = profile;
  request.profileTracePath = profileJson;
  llvm::outs().flush();
  return runtime::runModelCommand("kiln-run", runnable, request);
}
