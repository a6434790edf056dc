//===- TuneMain.cpp - the kiln-tune driver --------------------------------===//
//
// Part of Kiln.
//
// For each tunable op of the model (one per signature): print its search
// space and the pruning steps, measure the heuristic's schedule (its output
// is the reference), then candidates in the strategy's order until the
// budget or the time is spent, recording every measurement in the database
// as it is made. Candidates the database already holds for this target and
// compiler are not measured again, so an interrupted run resumes where it
// stopped. Ends with a table: op, loops, heuristic time, tuned time,
// speed-up.
//
//===----------------------------------------------------------------------===//

#include "kiln/Tuning/TuneMain.h"

#include "kiln/Codegen/GPUCommandLine.h"
#include "kiln/Engine/CUDADevice.h"
#include "kiln/Engine/ModelLoader.h"
#include "kiln/InitAllDialects.h"
#include "kiln/Runtime/ThreadPool.h"
#include "kiln/Target/CPU/ContractionConfig.h"
#include "kiln/Target/CPU/TargetDescription.h"
#include "kiln/Target/GPU/ConfigHeuristic.h"
#include "kiln/Target/GPU/GPUTarget.h"
#include "kiln/Tuning/GPUSearchSpace.h"
#include "kiln/Tuning/Harness.h"
#include "kiln/Tuning/OpSignature.h"
#include "kiln/Tuning/SearchSpace.h"
#include "kiln/Tuning/SearchStrategy.h"
#include "kiln/Tuning/TuningDatabase.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/TargetParser/Host.h"

#include <chrono>
#include <cmath>
#include <unistd.h>

using namespace mlir;

namespace {
namespace cl = llvm::cl;

cl::OptionCategory category("kiln-tune options");
cl::opt<std::string> modelPath(cl::Positional,
                               cl::desc("MODEL.mlir|MODEL.onnx"),
                               cl::cat(category));
cl::opt<std::string>
    databasePath("db",
                 cl::desc("The tuning database (SQLite; created when missing)"),
                 cl::value_desc("FILE"), cl::cat(category));
cl::opt<unsigned> budget(
    "budget",
    cl::desc("New measurements per op, the heuristic's included (default 24)"),
    cl::value_desc("N"), cl::init(24), cl::cat(category));
cl::opt<std::string> timeBudget(
    "time",
    cl::desc("Stop starting measurements after this long, e.g. 90s, 10m, 1h "
             "(default: no limit)"),
    cl::value_desc("DURATION"), cl::cat(category));
cl::opt<kiln::tuning::StrategyKind> strategy(
    "strategy", cl::desc("How candidates are chosen"),
    cl::init(kiln::tuning::StrategyKind::Random),
    cl::values(
        clEnumValN(kiln::tuning::StrategyKind::Exhaustive, "exhaustive",
                   "every candidate of the pruned space, in order (until "
                   "the budget)"),
        clEnumValN(kiln::tuning::StrategyKind::Random, "random",
                   "a random sample of the pruned space (default)"),
        clEnumValN(kiln::tuning::StrategyKind::Guided, "guided",
                   "the candidates a cost model trained on the measurements "
                   "so far ranks fastest")),
    cl::cat(category));
cl::opt<unsigned>
    seed("seed",
         cl::desc("Seed of the random and guided strategies (default 0)"),
         cl::value_desc("N"), cl::init(0), cl::cat(category));
cl::list<std::string> constraints(
    "constraint",
    cl::desc("Exclude candidates: NAME OP VALUE, e.g. \"tile.m <= 64\" "
             "(NAME: reg.m reg.n tile.m tile.n tile.k pack parallel)"),
    cl::value_desc("EXPR"), cl::cat(category));
cl::opt<unsigned>
    runs("runs",
         cl::desc("Timed runs per candidate, of which the median counts "
                  "(default 10)"),
         cl::value_desc("N"), cl::init(10), cl::cat(category));
cl::opt<unsigned> warmup("warmup",
                         cl::desc("Untimed runs before them (default 2)"),
                         cl::value_desc("N"), cl::init(2), cl::cat(category));
cl::opt<unsigned> timeLimit(
    "time-limit",
    cl::desc("Seconds a candidate may take, compiling included (default 60; "
             "0: no limit); at most 3x the heuristic's + 10 s"),
    cl::value_desc("S"), cl::init(60), cl::cat(category));
cl::opt<unsigned> finalists(
    "finalists",
    cl::desc("Measure the fastest N schedules of each op again in fresh "
             "processes before choosing (default 3; 0: no)"),
    cl::value_desc("N"), cl::init(3), cl::cat(category));
cl::opt<bool> warmCheck(
    "warm-check",
    cl::desc("Time the finalists again with warm inputs; one that is not "
             "faster than the heuristic's there keeps its time but is marked "
             "as having lost, and is never used (default true)"),
    cl::init(true), cl::cat(category));
cl::opt<std::string> device(
    "device",
    cl::desc("Whose schedules: cpu (default: this machine's); cuda[:N] "
             "(NVIDIA GPU N, default 0: Kiln's kernels and, where they "
             "compute the op, cuBLAS and cuDNN, timed on the device with "
             "inputs and outputs in its memory); emulated-cuda (the GPU "
             "schedules run on this CPU: checks every candidate computes "
             "the right result, its times are the CPU's)"),
    cl::value_desc("cpu|cuda[:N]|emulated-cuda"), cl::init("cpu"),
    cl::cat(category));
cl::opt<std::string> gpuArch(
    "gpu-arch",
    cl::desc("NVIDIA architecture the GPU schedules are for (--device=cuda: "
             "default the device's; emulated-cuda: default sm_80)"),
    cl::value_desc("sm_XX"), cl::cat(category));
kiln::GPUCommandLineOptions gpuOptions(category);
cl::list<std::string> mergeInputs(
    "merge",
    cl::desc("Merge these databases into --db (faster measurements win) "
             "instead of tuning"),
    cl::value_desc("FILE"), cl::cat(category));
cl::opt<bool> list("list",
                   cl::desc("Print the best schedule of every op in --db"),
                   cl::cat(category));

// The measuring process (run by kiln-tune itself).
cl::opt<std::string> measureKernel("measure", cl::Hidden);
cl::opt<std::string> measureData("data", cl::Hidden);
cl::opt<bool> writeReference("write-reference", cl::Hidden);
cl::opt<std::string> measureBaseline("baseline", cl::Hidden);
cl::opt<bool> measureWarm("warm", cl::Hidden);

/// Extra processes each finalist is measured in.
constexpr unsigned kFinalistProcesses = 2;

int fail(const llvm::Twine &message) {
  llvm::errs() << "kiln-tune: error: " << message << "\n";
  return 1;
}

/// The device options as `--device`, `--gpu-arch` and `--precision` say
/// (checked, for the GPU, with the architecture resolved); `cudaDevice` is
/// the real GPU's number, -1 for none. The driver is loaded and the device
/// made ready for cuda.
llvm::Error parseDeviceOptions(kiln::PipelineOptions &options,
                               int &cudaDevice) {
  cudaDevice = -1;
  if (device == "cpu") {
    if (!gpuArch.empty() || !gpuOptions.libraries.empty() ||
        gpuOptions.precision != "fp32")
      return llvm::createStringError(
          "--gpu-arch, --gpu-libraries and --precision are for GPU schedules "
          "(--device=cuda or emulated-cuda)");
    return llvm::Error::success();
  }
  std::string arch = gpuArch;
  if (device == "emulated-cuda") {
    options.device = kiln::Device::EmulatedCUDA;
  } else {
    std::optional<int> ordinal = kiln::parseCUDADeviceSpec(device);
    if (!ordinal)
      return llvm::createStringError(
          "--device must be cpu, cuda, cuda:N or emulated-cuda, got '" +
          device + "'");
    // The driver and the device first: without them nothing can be timed.
    llvm::Expected<std::string> deviceArch = kiln::prepareCUDADevice(*ordinal);
    if (!deviceArch)
      return llvm::createStringError("--device=" + device + ": " +
                                     llvm::toString(deviceArch.takeError()));
    if (arch.empty())
      arch = *deviceArch;
    options.device = kiln::Device::CUDA;
    cudaDevice = *ordinal;
  }
  options.gpuArchs = {arch.empty() ? std::string("sm_80") : arch};
  if (llvm::Error err = gpuOptions.apply(options))
    return err;
  return kiln::checkPipelineOptions(options);
}

/// "90s", "10m", "1h", "30" (seconds) in seconds; -1 when malformed.
double parseDuration(llvm::StringRef text) {
  double scale = 1;
  if (text.consume_back("h"))
    scale = 3600;
  else if (text.consume_back("m"))
    scale = 60;
  else
    text.consume_back("s");
  double value;
  if (text.getAsDouble(value) || value <= 0)
    return -1;
  return value * scale;
}

std::string machineName() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + " " + llvm::sys::getHostCPUName().str();
}

std::string formatSeconds(double seconds) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (seconds < 1e-3)
    os << llvm::format("%.1f us", seconds * 1e6);
  else
    os << llvm::format("%.3f ms", seconds * 1e3);
  return text;
}

int mergeDatabases() {
  std::string error;
  auto db = kiln::tuning::TuningDatabase::open(databasePath, false, error);
  if (!db)
    return fail(error);
  for (const std::string &input : mergeInputs) {
    int64_t changed = db->merge(input, error);
    if (changed < 0)
      return fail(error);
    llvm::outs() << "merged " << input << ": " << changed
                 << " measurements added or improved\n";
  }
  return 0;
}

int listDatabase() {
  std::string error;
  auto db = kiln::tuning::TuningDatabase::open(databasePath, true, error);
  if (!db)
    return fail(error);
  auto all = db->bestOfAll(error);
  if (!error.empty())
    return fail(error);
  for (const kiln::tuning::Measurement &m : all)
    llvm::outs() << m.key.signature << "\n  target: " << m.key.target
                 << "\n  compiler: " << m.key.compilerVersion
                 << "\n  best: " << formatSeconds(m.seconds) << " "
                 << m.schedule << " (on " << m.machine
                 << (m.warmCheck == kiln::tuning::WarmCheck::Passed
                         ? ", faster than the heuristic's with warm inputs too"
                         : "")
                 << ")\n";
  llvm::outs() << all.size() << " ops\n";
  return 0;
}

} // namespace

int kiln::kilnTuneMain(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // (kiln-tune measures the libraries anyway on a GPU: the option only
  // changes the heuristic's schedule, the reference.)
  gpuOptions.libraries.setDescription(
      "Libraries the GPU heuristic's schedule (the reference) calls: cublas, "
      "cudnn. On --device=cuda the library that computes an op is one of "
      "its candidates regardless");
  cl::HideUnrelatedOptions(category);
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "kiln-tune (Kiln " KILN_VERSION
          ") with LLVM/MLIR " LLVM_VERSION_STRING "\n";
  });
  cl::ParseCommandLineOptions(
      argc, argv,
      "kiln-tune: measure schedules for a model's ops on this machine and "
      "keep the fastest in a tuning database\n\n"
      "  kiln-tune MODEL.mlir|MODEL.onnx --db FILE [--budget N] [--time D] "
      "[--strategy exhaustive|random|guided] [--constraint EXPR]...\n"
      "  kiln-tune MODEL --db FILE --device cuda[:N]|emulated-cuda "
      "[--gpu-arch sm_XX] [--precision P] [--budget N] [--time D]\n"
      "  kiln-tune --db FILE --merge OTHER.db...\n"
      "  kiln-tune --db FILE --list\n\n"
      "kiln-compile, kiln-run (--tuning-db FILE) and kiln.compile(..., "
      "tuning_db=FILE) use the database's schedules.\n");

  if (!measureKernel.empty()) {
    tuning::MeasureDevice measureDevice;
    if (llvm::Error err = parseDeviceOptions(measureDevice.pipeline,
                                             measureDevice.cudaDevice)) {
      llvm::errs() << llvm::toString(std::move(err)) << "\n";
      return 2;
    }
    return tuning::measureMain(measureKernel, measureBaseline, measureData,
                               runs, warmup, writeReference, measureWarm,
                               measureDevice);
  }
  if (databasePath.empty())
    return fail("--db FILE is required (the tuning database to write)");
  if (!mergeInputs.empty())
    return mergeDatabases();
  if (list)
    return listDatabase();
  if (modelPath.empty())
    return fail("no model given (kiln-tune MODEL --db FILE)");
  if (budget < 1)
    return fail("--budget must be at least 1");
  if (runs < 1)
    return fail("--runs must be at least 1 (the median of no run is no "
                "measurement)");
  if (const char *problem = kiln_num_threads_env_error())
    return fail(llvm::Twine(problem) +
                "; candidates run on $KILN_NUM_THREADS threads, else every CPU");
  double seconds = -1;
  if (!timeBudget.empty() && (seconds = parseDuration(timeBudget)) < 0)
    return fail("--time must be a duration like 90s, 10m or 1h, got '" +
                timeBudget + "'");
  PipelineOptions pipeline;
  int cudaDevice = -1;
  if (llvm::Error err = parseDeviceOptions(pipeline, cudaDevice))
    return fail(llvm::toString(std::move(err)));
  bool gpu = pipeline.device != Device::CPU;
  if (gpu && !constraints.empty())
    return fail("--constraint names CPU schedule parameters; GPU schedules "
                "take none");
  if (gpu && strategy == tuning::StrategyKind::Guided)
    return fail("--strategy=guided's cost model is the CPU's; GPU schedules "
                "are searched with random or exhaustive");
  std::vector<tuning::Constraint> parsed;
  for (const std::string &text : constraints) {
    auto c = tuning::Constraint::parse(text);
    if (!c)
      return fail(llvm::toString(c.takeError()));
    parsed.push_back(*c);
  }

  std::string error;
  auto db = tuning::TuningDatabase::open(databasePath, false, error);
  if (!db)
    return fail(error);
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  auto model = loadModel(modelPath, context, sourceMgr);
  if (!model)
    return fail(llvm::toString(model.takeError()));
  // Candidates run on the threads this process would (the pool's count:
  // $KILN_NUM_THREADS, else every CPU); the heuristic and the key are for
  // as many, on this machine.
  pipeline.threads = kiln_get_num_threads();
  llvm::Expected<CPUTargetDescription> resolved =
      resolveCPUTarget(pipeline.target);
  if (!resolved)
    return fail(llvm::toString(resolved.takeError()));
  CPUTargetDescription target = std::move(*resolved);
  target.threads = pipeline.threads;
  auto kernels = tuning::extractKernels(**model, pipeline);
  if (!kernels)
    return fail(llvm::toString(kernels.takeError()));
  if (kernels->empty()) {
    llvm::outs() << "kiln-tune: " << modelPath
                 << " has no tunable ops (matmuls, convolutions)\n";
    return 0;
  }

  // The GPU's description, its heuristic and its space's options.
  codegen::GPUTargetAttr gpuTarget;
  gpu::HeuristicOptions gpuHeuristic;
  tuning::GPUSpaceOptions gpuSpace;
  if (gpu) {
    llvm::Expected<GPUTargetDescription> described =
        resolveGPUTarget(pipeline.gpuArchs.front());
    if (!described)
      return fail(llvm::toString(described.takeError()));
    gpuTarget = described->toAttr(&context);
    gpuHeuristic.wgmma = gpuSpace.wgmma = pipeline.device == Device::CUDA;
    gpuHeuristic.tf32 = gpuSpace.tf32 = pipeline.precision == Precision::TF32;
    gpuHeuristic.libraries = pipeline.gpuLibraries;
    gpuSpace.libraries = pipeline.device == Device::CUDA;
  }

  tuning::HarnessOptions harness;
  if (gpu) {
    harness.deviceArguments = {
        "--device",    device,
        "--gpu-arch",  pipeline.gpuArchs.front(),
        "--precision", precisionName(pipeline.precision).str()};
  }
  harness.tool = llvm::sys::fs::getMainExecutable(argv[0], (void *)&fail);
  harness.runs = runs;
  harness.warmup = warmup;
  harness.timeLimitSeconds = timeLimit;
  llvm::SmallString<128> work;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("kiln-tune", work))
    return fail("cannot create a work directory: " + ec.message());
  harness.workDir = std::string(work);

  std::string targetKey =
      gpu ? GPUTargetDescription::fromAttr(gpuTarget).tuningKey(
                deviceName(pipeline.device), precisionName(pipeline.precision),
                target.tuningKey())
          : target.tuningKey();
  std::string machine = machineName();
  if (cudaDevice >= 0) {
    std::string name = cudaDeviceName(cudaDevice);
    machine += " CUDA device " + std::to_string(cudaDevice) +
               (name.empty() ? "" : " (" + name + ")");
  }
  auto start = std::chrono::steady_clock::now();
  auto outOfTime = [&] {
    return seconds > 0 && std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                                  .count() > seconds;
  };
  llvm::outs() << "kiln-tune: " << kernels->size() << " tunable ops in "
               << modelPath << "; target " << targetKey << "\n";

  struct Row {
    std::string loops;
    double heuristic = 0, tuned = 0;
    unsigned measured = 0, skipped = 0, failed = 0;
  };
  std::vector<Row> rows;
  for (auto [index, kernel] : llvm::enumerate(*kernels)) {
    linalg::LinalgOp op = kernel.op();
    llvm::outs() << "\n[" << index + 1 << "/" << kernels->size() << "] "
                 << kernel.signature << " (x" << kernel.occurrences << ")\n";
    tuning::SearchSpace space =
        gpu ? tuning::buildGPUSearchSpace(op, gpuTarget, gpuSpace)
            : tuning::buildSearchSpace(op, target, parsed);
    llvm::outs() << "  space:";
    for (auto [i, step] : llvm::enumerate(space.steps))
      llvm::outs() << (i ? " -> " : " ") << step.first << " " << step.second;
    llvm::outs() << "\n";
    if (llvm::Error err = tuning::prepareInputs(kernel, harness)) {
      llvm::outs() << "  skipped: " << llvm::toString(std::move(err)) << "\n";
      continue;
    }

    tuning::TuningKey key{kernel.signature, targetKey,
                          tuning::compilerVersionKey()};
    Row row;
    row.loops = kernel.loops;
    codegen::LoweringConfigAttr heuristic =
        gpu ? gpu::heuristicConfig(op, gpuTarget, gpuHeuristic)
            : heuristicContractionConfig(op, *linalg::inferContractionDims(op),
                                         target);

    // The heuristic's schedule: always measured (its output is the
    // reference), recorded like any other.
    std::string detail;
    harness.timeLimitSeconds = timeLimit;
    auto started = std::chrono::steady_clock::now();
    tuning::Measurement m =
        tuning::measure(kernel, heuristic, /*writeReference=*/true,
                        /*baselineSeconds=*/0, harness, detail);
    // A candidate's process compiles and runs the baseline too: about twice
    // the heuristic's. One that takes three times that plus 10 s is far
    // slower than the heuristic and not worth waiting for (some register
    // tiles make LLVM's code 20-40x slower).
    double heuristicWall = std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - started)
                               .count();
    if (timeLimit > 0)
      harness.timeLimitSeconds = std::min<unsigned>(
          timeLimit, static_cast<unsigned>(std::ceil(3 * heuristicWall)) + 10);
    m.key = key;
    m.schedule = tuning::scheduleText(heuristic);
    m.machine = machine;
    if (m.status != tuning::MeasurementStatus::Ok)
      return fail("the heuristic's schedule of " + kernel.signature +
                  " does not run (" + detail + ")");
    if (!db->record(m, error))
      return fail(error);
    row.heuristic = m.seconds;
    ++row.measured;
    llvm::outs() << "  heuristic " << m.schedule << ": "
                 << formatSeconds(m.seconds) << "\n";

    std::unique_ptr<tuning::SearchStrategy> search =
        tuning::makeSearchStrategy(strategy, space, op, target, seed + index);
    std::string heuristicSchedule = tuning::scheduleText(heuristic);
    // What the database knows of this op (the heuristic's time just
    // measured, and an earlier run's measurements) teaches the strategy
    // before it proposes anything: a guided search starts from the
    // heuristic's neighbourhood, and a resumed one where it stopped.
    llvm::StringMap<size_t> indexOf;
    for (auto [i, candidate] : llvm::enumerate(space.candidates))
      indexOf[tuning::scheduleText(candidate.config)] = i;
    std::vector<tuning::Measurement> known = db->measurements(key, error);
    if (!error.empty())
      return fail(error);
    llvm::StringSet<> observed;
    for (const tuning::Measurement &x : known) {
      auto it = indexOf.find(x.schedule);
      if (it == indexOf.end())
        continue;
      bool ok = x.status == tuning::MeasurementStatus::Ok;
      double seconds =
          x.schedule == heuristicSchedule ? row.heuristic : x.seconds;
      search->observe(it->second, ok ? seconds : INFINITY);
      observed.insert(x.schedule);
      if (x.schedule != heuristicSchedule)
        ++row.skipped;
    }
    while (row.measured < budget && !outOfTime()) {
      std::optional<size_t> i = search->next();
      if (!i)
        break;
      const tuning::Candidate &candidate = space.candidates[*i];
      std::string schedule = tuning::scheduleText(candidate.config);
      if (schedule == heuristicSchedule) {
        search->observe(*i, row.heuristic);
        continue;
      }
      // Measured by an earlier run (and observed above).
      if (observed.contains(schedule))
        continue;
      tuning::Measurement c =
          tuning::measure(kernel, candidate.config, /*writeReference=*/false,
                          row.heuristic, harness, detail);
      c.key = key;
      c.schedule = schedule;
      c.machine = machine;
      if (!db->record(c, error))
        return fail(error);
      ++row.measured;
      bool ok = c.status == tuning::MeasurementStatus::Ok;
      if (!ok)
        ++row.failed;
      search->observe(*i, ok ? c.seconds : INFINITY);
      llvm::outs() << "  " << row.measured << "/" << budget << " " << schedule
                   << ": "
                   << (ok ? formatSeconds(c.seconds)
                          : std::string(tuning::statusName(c.status)) + " (" +
                                detail + ")")
                   << "\n";
      llvm::outs().flush();
    }
    // A process's median moves by ~10% from one process to the next (where
    // buffers land), about as much as good schedules differ: the fastest
    // few are measured again in fresh processes, side by side, and each is
    // recorded with the median over its processes.
    std::vector<tuning::Measurement> ok = db->measurements(key, error);
    if (!error.empty())
      return fail(error);
    llvm::erase_if(ok, [](const tuning::Measurement &x) {
      return x.status != tuning::MeasurementStatus::Ok;
    });
    if (ok.size() > finalists)
      ok.resize(finalists);
    if (ok.size() > 1) {
      std::vector<std::vector<double>> samples(ok.size());
      for (auto [i, x] : llvm::enumerate(ok))
        samples[i].push_back(x.seconds);
      for (unsigned round = 0; round < kFinalistProcesses; ++round)
        for (auto [i, x] : llvm::enumerate(ok)) {
          auto config = dyn_cast_or_null<codegen::LoweringConfigAttr>(
              parseAttribute(x.schedule, &context));
          if (!config)
            continue;
          tuning::Measurement again =
              tuning::measure(kernel, config, /*writeReference=*/false,
                              row.heuristic, harness, detail);
          if (again.status == tuning::MeasurementStatus::Ok)
            samples[i].push_back(again.seconds);
        }
      llvm::outs() << "  finalists in " << kFinalistProcesses + 1
                   << " processes:";
      for (auto [i, x] : llvm::enumerate(ok)) {
        std::sort(samples[i].begin(), samples[i].end());
        x.seconds = samples[i][samples[i].size() / 2];
        if (x.schedule == heuristicSchedule)
          row.heuristic = x.seconds;
        llvm::outs() << " " << formatSeconds(x.seconds);
      }
      llvm::outs() << "\n";
      // The inputs rotated out of the caches are one regime; a model's
      // activations, just written by the op before, are in them. A
      // finalist that is not faster than the heuristic's schedule with
      // warm inputs too is marked as having lost the warm check, and is
      // then never the database's best: on
      // ResNet-18's 1x1 stride-2 convolutions (2 threads), 2-thread
      // schedules 7-19% faster with cold inputs were 11-25% slower in the
      // model.
      // Each alone in its process, run after run on one input set, as
      // `kiln-run --bench` times a model: alternating with the heuristic's
      // kernel in one process (the cold regime's guard against the
      // machine's slow phases) moves the inputs between the cores' caches,
      // and a 2-thread schedule of a small convolution measured faster
      // than the heuristic's there too.
      tuning::HarnessOptions warm = harness;
      warm.warmInputs = true;
      std::optional<double> heuristicWarm;
      bool printed = false;
      for (tuning::Measurement &x : ok) {
        if (!warmCheck || x.schedule == heuristicSchedule)
          continue;
        if (!heuristicWarm) {
          tuning::Measurement h =
              tuning::measure(kernel, heuristic, /*writeReference=*/false,
                              /*baselineSeconds=*/0, warm, detail);
          heuristicWarm =
              h.status == tuning::MeasurementStatus::Ok ? h.seconds : 0.0;
        }
        auto config = dyn_cast_or_null<codegen::LoweringConfigAttr>(
            parseAttribute(x.schedule, &context));
        tuning::Measurement inCache =
            config ? tuning::measure(kernel, config, /*writeReference=*/false,
                                     /*baselineSeconds=*/0, warm, detail)
                   : tuning::Measurement();
        bool warmOk = inCache.status == tuning::MeasurementStatus::Ok &&
                      *heuristicWarm > 0;
        double ratio = warmOk ? inCache.seconds / *heuristicWarm : 0;
        if (!printed)
          llvm::outs() << "  with warm inputs, to the heuristic's:";
        printed = true;
        llvm::outs() << " "
                     << (warmOk ? llvm::formatv("{0:f2}", ratio).str()
                                : std::string("failed"));
        // Recorded with the time it measured, and whether it held up
        // (best() passes over one that lost).
        x.warmCheck = warmOk && ratio < 1 ? tuning::WarmCheck::Passed
                                          : tuning::WarmCheck::Lost;
      }
      if (printed)
        llvm::outs() << "\n";
      for (const tuning::Measurement &x : ok)
        if (!db->record(x, error))
          return fail(error);
    }
    std::optional<tuning::Measurement> best = db->best(key, error);
    row.tuned = best ? best->seconds : row.heuristic;
    llvm::outs() << "  best " << (best ? best->schedule : "") << ": "
                 << formatSeconds(row.tuned) << "\n";
    rows.push_back(row);
  }
  llvm::sys::fs::remove_directories(harness.workDir);

  llvm::outs() << "\n| op | loops | heuristic | tuned | speed-up | "
                  "measured (resumed, failed) |\n| --- | --- | --- | --- | "
                  "--- | --- |\n";
  for (auto [i, row] : llvm::enumerate(rows))
    llvm::outs() << "| " << i + 1 << " | " << row.loops << " | "
                 << formatSeconds(row.heuristic) << " | "
                 << formatSeconds(row.tuned) << " | "
                 << llvm::format("%.2fx", row.heuristic / row.tuned) << " | "
                 << row.measured << " (" << row.skipped << ", " << row.failed
                 << ") |\n";
  llvm::outs() << "database: " << databasePath << "\n";
  return 0;
}
