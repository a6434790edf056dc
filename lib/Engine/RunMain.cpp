//===- RunMain.cpp - the kiln-run driver ----------------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Engine/RunMain.h"

#include "kiln/Engine/CompiledModel.h"
#include "kiln/InitAllDialects.h"
#include "kiln/Runtime/ThreadPool.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

using namespace mlir;
using kiln::runtime::Array;
using kiln::runtime::DType;

namespace {
namespace cl = llvm::cl;

cl::OptionCategory category("kiln-run options");
cl::opt<std::string> modelPath(cl::Positional, cl::desc("MODEL.mlir"),
                               cl::Required, cl::cat(category));
cl::opt<std::string> entry("entry",
                           cl::desc("Function to run (default: the module's "
                                    "only public function)"),
                           cl::value_desc("NAME"), cl::cat(category));
cl::list<std::string> inputPaths(
    "input", cl::desc("Input .npy file, one per model input, in order"),
    cl::value_desc("FILE.npy"), cl::cat(category));
cl::list<std::string> outputPaths(
    "output",
    cl::desc("Where to write each output (.npy), in order; without any, a "
             "summary of each output is printed"),
    cl::value_desc("FILE.npy"), cl::cat(category));
cl::opt<unsigned> randomSeed(
    "random",
    cl::desc("Use random inputs from this seed instead of --input files "
             "(floats uniform in [-1, 1), integers in [0, 10))"),
    cl::value_desc("SEED"), cl::cat(category));
cl::opt<unsigned> benchRuns(
    "bench",
    cl::desc("Time N runs after one warm-up; print median/min/max latency "
             "and GFLOP/s"),
    cl::value_desc("N"), cl::init(0), cl::cat(category));
cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level (0-3)"),
                           cl::Prefix, cl::init(3), cl::cat(category));

int fail(const llvm::Twine &message) {
  llvm::errs() << "kiln-run: error: " << message << "\n";
  return 1;
}

/// Fills `array` with reproducible random values.
void fillRandom(Array &array, std::mt19937 &rng) {
  std::uniform_real_distribution<double> real(-1.0, 1.0);
  std::uniform_int_distribution<int> integer(0, 9);
  int64_t n = array.numElements();
  char *data = array.data.get();
  for (int64_t i = 0; i < n; ++i) {
    switch (array.dtype) {
    case DType::F32:
      reinterpret_cast<float *>(data)[i] = static_cast<float>(real(rng));
      break;
    case DType::F64:
      reinterpret_cast<double *>(data)[i] = real(rng);
      break;
    case DType::F16:
      // Random halves are uncommon: use 0.0 .. 0.9 as exact binary16
      // multiples of 1/16, built from their bit patterns (0x3c00 is 1.0).
      reinterpret_cast<uint16_t *>(data)[i] =
          integer(rng) == 0 ? 0 : static_cast<uint16_t>(0x3000 + integer(rng) * 64);
      break;
    case DType::Bool:
      reinterpret_cast<uint8_t *>(data)[i] = integer(rng) % 2;
      break;
    case DType::I8:
    case DType::U8:
      reinterpret_cast<int8_t *>(data)[i] = static_cast<int8_t>(integer(rng));
      break;
    case DType::I16:
      reinterpret_cast<int16_t *>(data)[i] = static_cast<int16_t>(integer(rng));
      break;
    case DType::I32:
      reinterpret_cast<int32_t *>(data)[i] = integer(rng);
      break;
    case DType::I64:
      reinterpret_cast<int64_t *>(data)[i] = integer(rng);
      break;
    }
  }
}

/// Element `i` as a double, for summaries.
double elementAsDouble(const Array &array, int64_t i) {
  const char *data = array.data.get();
  switch (array.dtype) {
  case DType::F32:
    return reinterpret_cast<const float *>(data)[i];
  case DType::F64:
    return reinterpret_cast<const double *>(data)[i];
  case DType::F16: {
    uint16_t h = reinterpret_cast<const uint16_t *>(data)[i];
    int exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
    double magnitude =
        exponent == 0    ? std::ldexp(mantissa, -24)
        : exponent == 31 ? (mantissa ? NAN : INFINITY)
                         : std::ldexp(mantissa + 1024, exponent - 25);
    return (h & 0x8000) ? -magnitude : magnitude;
  }
  case DType::Bool:
  case DType::U8:
    return reinterpret_cast<const uint8_t *>(data)[i];
  case DType::I8:
    return reinterpret_cast<const int8_t *>(data)[i];
  case DType::I16:
    return reinterpret_cast<const int16_t *>(data)[i];
  case DType::I32:
    return reinterpret_cast<const int32_t *>(data)[i];
  case DType::I64:
    return static_cast<double>(reinterpret_cast<const int64_t *>(data)[i]);
  }
  return 0;
}

void printSummary(const kiln::TensorSpec &spec, const Array &array) {
  int64_t n = array.numElements();
  double lo = INFINITY, hi = -INFINITY, sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    double v = elementAsDouble(array, i);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    sum += v;
  }
  llvm::outs() << spec.name << ": " << spec.describe();
  if (n > 0)
    llvm::outs() << " min " << lo << " max " << hi << " mean " << sum / n;
  llvm::outs() << "\n  [";
  for (int64_t i = 0; i < std::min<int64_t>(n, 8); ++i)
    llvm::outs() << (i ? ", " : "") << elementAsDouble(array, i);
  llvm::outs() << (n > 8 ? ", ...]\n" : "]\n");
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
  cl::ParseCommandLineOptions(
      argc, argv,
      "kiln-run: compile an nn model for this CPU and run it\n\n"
      "  kiln-run MODEL.mlir [--entry NAME] [--input FILE.npy]... "
      "[--output FILE.npy]... [--random SEED] [--bench N] [--threads N]\n");

  if (optLevel > 3)
    return fail("-O must be 0 to 3, got " + llvm::Twine(optLevel));
  // (More threads than that only time-slice the same cores.)
  if (threads.getNumOccurrences() && (threads < 1 || threads > 1024))
    return fail("--threads must be 1 to 1024, got " + llvm::Twine(threads));
  if (threads > 0)
    kiln_set_num_threads(threads);
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  std::string error;
  auto file = openInputFile(modelPath, &error);
  if (!file)
    return fail(error);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return fail("cannot parse " + modelPath);

  CompileOptions options;
  options.entry = entry;
  options.optLevel = optLevel;
  auto compiled = CompiledModel::compile(*module, options);
  if (!compiled)
    return fail(llvm::toString(compiled.takeError()));
  const CompiledModel &model = **compiled;

  // Inputs: from files, or random.
  std::vector<Array> inputs(model.inputs().size());
  if (!inputPaths.empty()) {
    if (inputPaths.size() != inputs.size())
      return fail("'" + model.entry() + "' takes " +
                  llvm::Twine(inputs.size()) + " inputs, got " +
                  llvm::Twine(inputPaths.size()) + " --input files");
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (!runtime::readNpy(inputPaths[i], inputs[i], error))
        return fail(error);
      const TensorSpec &spec = model.inputs()[i];
      if (inputs[i].dtype != spec.dtype || inputs[i].shape != spec.shape)
        return fail(spec.name + " (" + inputPaths[i] + "): expected " +
                    spec.describe() + ", got " +
                    runtime::dtypeName(inputs[i].dtype) + " " +
                    runtime::formatShape(inputs[i].shape));
    }
  } else if (randomSeed.getNumOccurrences()) {
    std::mt19937 rng(randomSeed);
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (!inputs[i].allocate(model.inputs()[i].dtype, model.inputs()[i].shape))
        return fail(model.inputs()[i].name + " is too large");
      fillRandom(inputs[i], rng);
    }
  } else if (!inputs.empty()) {
    return fail("'" + model.entry() + "' takes " + llvm::Twine(inputs.size()) +
                " inputs: give one --input FILE.npy each, or --random SEED");
  }
  if (!outputPaths.empty() && outputPaths.size() != model.outputs().size())
    return fail("'" + model.entry() + "' has " +
                llvm::Twine(model.outputs().size()) + " outputs, got " +
                llvm::Twine(outputPaths.size()) + " --output files");

  std::vector<Array> outputs(model.outputs().size());
  for (size_t i = 0; i < outputs.size(); ++i)
    if (!outputs[i].allocate(model.outputs()[i].dtype, model.outputs()[i].shape))
      return fail(model.outputs()[i].name + " is too large");
  std::vector<const void *> in;
  std::vector<void *> out;
  for (Array &a : inputs)
    in.push_back(a.data.get());
  for (Array &a : outputs)
    out.push_back(a.data.get());

  if (llvm::Error err = model.run(in, out))
    return fail(llvm::toString(std::move(err)));

  if (benchRuns > 0) {
    std::vector<double> times;
    for (unsigned r = 0; r < benchRuns; ++r) {
      auto start = std::chrono::steady_clock::now();
      if (llvm::Error err = model.run(in, out))
        return fail(llvm::toString(std::move(err)));
      times.push_back(std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start)
                          .count());
    }
    std::sort(times.begin(), times.end());
    double median = times[times.size() / 2];
    llvm::outs() << llvm::format(
        "bench: %u run%s on %d thread%s: median %.3f ms, min %.3f ms, "
        "max %.3f ms",
        static_cast<unsigned>(benchRuns), benchRuns == 1 ? "" : "s",
        kiln_get_num_threads(), kiln_get_num_threads() == 1 ? "" : "s",
        median * 1e3, times.front() * 1e3, times.back() * 1e3);
    if (model.flops() > 0)
      llvm::outs() << llvm::format(", %.2f GFLOP/s",
                                   model.flops() / median * 1e-9);
    llvm::outs() << "\n";
  }

  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!outputPaths.empty()) {
      if (!runtime::writeNpy(outputPaths[i], outputs[i], error))
        return fail(error);
    } else {
      printSummary(model.outputs()[i], outputs[i]);
    }
  }
  return 0;
}
