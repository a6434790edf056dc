//===- ModelMain.cpp - main() of executables from kiln-compile ------------===//
//
// Part of Kiln's runtime (no MLIR/LLVM dependency). An executable compiled
// by `kiln-compile --emit=exe` takes kiln-run's command line without the
// model (the same RunCommand does the work):
//
//   ./model [--input FILE.npy]... [--output FILE.npy]... [--random SEED]
//           [--bench N] [--threads N] [--profile] [--profile-json FILE]
//           [--weights FILE] [--help]
//
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/ModelInfo.h"
#include "kiln/Runtime/RunCommand.h"
#include "kiln/Runtime/ThreadPool.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using kiln::TensorSpec;
using kiln::runtime::DType;

namespace {

void printHelp(const char *tool, const kiln_model_info &info) {
  std::printf(
      "%s: run the compiled model '%s' (function '%s')\n\n"
      "USAGE: %s [--input FILE.npy]... [--output FILE.npy]... "
      "[--random SEED] [--bench N] [--threads N] [--profile] "
      "[--profile-json FILE]%s\n\n"
      "OPTIONS:\n"
      "  --input FILE.npy    An input, one per model input, in order\n"
      "  --output FILE.npy   Where to write each output, in order; without "
      "any, a summary of each output is printed\n"
      "  --random SEED       Random inputs from this seed (floats uniform in "
      "[-1, 1), integers in [0, 10)); not with --input\n"
      "  --bench N           Time N runs after one warm-up; print "
      "median/min/max latency and GFLOP/s\n"
      "  --threads N         Threads to run on (default: $KILN_NUM_THREADS, "
      "else %s)\n"
      "  --profile           Time each nn op over the --bench runs (else one "
      "run after the first) and print a table per op; needs an executable "
      "made with kiln-compile --profile\n"
      "  --profile-json FILE Also write every op's every timed call as a "
      "Chrome trace (chrome://tracing, Perfetto)\n",
      tool, info.name, info.entry, tool,
      info.weights_file ? " [--weights FILE]" : "",
      info.default_threads > 0
          ? (std::to_string(info.default_threads) + ", as compiled").c_str()
          : "every CPU this process may use");
  if (info.weights_file)
    std::printf("  --weights FILE      The weights file (default: %s beside "
                "this executable)\n",
                info.weights_file);
  std::printf("  --help              This text\n\nINPUTS:\n");
  auto list = [](const kiln_tensor_info *tensors, int32_t n) {
    for (int32_t i = 0; i < n; ++i) {
      std::printf("  %s: %s [", tensors[i].name,
                  kiln_dtype_name(tensors[i].dtype));
      for (int32_t d = 0; d < tensors[i].rank; ++d)
        std::printf("%s%lld", d ? ", " : "",
                    static_cast<long long>(tensors[i].shape[d]));
      std::printf("]\n");
    }
  };
  list(info.inputs, info.num_inputs);
  std::printf("OUTPUTS:\n");
  list(info.outputs, info.num_outputs);
}

/// A whole decimal number in [lo, hi].
bool parseNumber(const char *text, long lo, long hi, long &value) {
  char *end = nullptr;
  errno = 0;
  value = std::strtol(text, &end, 10);
  return end != text && *end == '\0' && errno == 0 && value >= lo &&
         value <= hi;
}

std::vector<TensorSpec> specs(const kiln_tensor_info *tensors, int32_t n) {
  std::vector<TensorSpec> result;
  for (int32_t i = 0; i < n; ++i)
    result.push_back(
        {tensors[i].name, static_cast<DType>(tensors[i].dtype),
         std::vector<int64_t>(tensors[i].shape,
                              tensors[i].shape + tensors[i].rank)});
  return result;
}

} // namespace

extern "C" int kiln_model_main(const kiln_model_info *info, int argc,
                               char **argv) {
  const char *slash = argc > 0 ? std::strrchr(argv[0], '/') : nullptr;
  std::string tool = argc > 0 ? (slash ? slash + 1 : argv[0]) : info->name;
  auto fail = [&](const std::string &message) {
    std::fprintf(stderr, "%s: error: %s\n", tool.c_str(), message.c_str());
    return 1;
  };

  kiln::runtime::RunRequest request;
  std::string weights;
  long threads = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h" || arg == "-help") {
      printHelp(tool.c_str(), *info);
      return 0;
    }
    if (arg == "--profile") {
      request.profile = true;
      continue;
    }
    // --name VALUE and --name=VALUE.
    std::string name = arg, value;
    bool hasValue = false;
    if (size_t eq = arg.find('=');
        arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      hasValue = true;
    }
    bool known = name == "--input" || name == "--output" ||
                 name == "--random" || name == "--bench" ||
                 name == "--threads" || name == "--profile-json" ||
                 (name == "--weights" && info->weights_file);
    if (!known)
      return fail("unknown argument '" + arg + "' (try --help)");
    if (!hasValue) {
      if (i + 1 >= argc)
        return fail(name + " needs a value (try --help)");
      value = argv[++i];
    }
    long number = 0;
    if (name == "--input") {
      request.inputPaths.push_back(value);
    } else if (name == "--output") {
      request.outputPaths.push_back(value);
    } else if (name == "--profile-json") {
      request.profileTracePath = value;
    } else if (name == "--weights") {
      weights = value;
    } else if (name == "--random") {
      if (!parseNumber(value.c_str(), 0, 4294967295l, number))
        return fail("--random needs a seed from 0 to 4294967295, got '" +
                    value + "'");
      request.random = true;
      request.seed = static_cast<unsigned>(number);
    } else if (name == "--bench") {
      if (!parseNumber(value.c_str(), 0, 1000000000l, number))
        return fail("--bench needs a run count, got '" + value + "'");
      request.benchRuns = static_cast<unsigned>(number);
    } else if (name == "--threads") {
      if (!parseNumber(value.c_str(), -1000000, 1000000, threads) ||
          threads < 1 || threads > 1024)
        return fail("--threads must be 1 to 1024, got " + value);
    }
  }

  if (threads == 0)
    if (const char *problem = kiln_num_threads_env_error())
      return fail(std::string(problem) + "; unset it or use --threads N");

  // The device first: a missing GPU is the one error to report.
  if (kiln_model_init_device(info) != 0)
    return fail(kiln_last_error());
  kiln_model *model =
      kiln_model_create(info, weights.empty() ? nullptr : weights.c_str());
  if (!model)
    return fail(std::string(kiln_last_error()) +
                (info->weights_file && weights.empty()
                     ? " (give the weights file's path with --weights FILE)"
                     : ""));
  if (threads > 0)
    kiln_set_num_threads(static_cast<int32_t>(threads));

  kiln::runtime::RunnableModel runnable;
  runnable.entry = info->entry;
  runnable.inputs = specs(info->inputs, info->num_inputs);
  runnable.outputs = specs(info->outputs, info->num_outputs);
  runnable.flops = info->flops;
  if (info->device == KILN_DEVICE_CUDA) {
    const char *chosen = std::getenv("KILN_CUDA_DEVICE");
    runnable.device = std::string("CUDA device ") + (chosen ? chosen : "0");
  }
  runnable.run = [&](const std::vector<const void *> &in,
                     const std::vector<void *> &out, std::string &error) {
    for (size_t i = 0; i < in.size(); ++i)
      kiln_model_bind_input(model, static_cast<int32_t>(i), in[i],
                            kiln_tensor_bytes(&info->inputs[i]));
    for (size_t i = 0; i < out.size(); ++i)
      kiln_model_bind_output(model, static_cast<int32_t>(i), out[i],
                             kiln_tensor_bytes(&info->outputs[i]));
    if (kiln_model_run(model) != 0) {
      error = kiln_last_error();
      return false;
    }
    return true;
  };
  int status = kiln::runtime::runModelCommand(tool.c_str(), runnable, request);
  kiln_model_free(model);
  return status;
}
