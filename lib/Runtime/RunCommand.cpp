//===- RunCommand.cpp - the run-a-model command line ----------------------===//
//
// Part of Kiln's runtime (no MLIR/LLVM dependency).
//
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/RunCommand.h"

#include "kiln/Runtime/Allocator.h"
#include "kiln/Runtime/Profiler.h"
#include "kiln/Runtime/ThreadPool.h"

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>

namespace kiln {

int64_t TensorSpec::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string TensorSpec::describe() const {
  return std::string(runtime::dtypeName(dtype)) + " " +
         runtime::formatShape(shape);
}

namespace runtime {
namespace {

/// "1 input", "3 inputs".
std::string count(size_t n, const std::string &noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

void printSummary(const TensorSpec &spec, const Array &array) {
  int64_t n = array.numElements();
  double lo = INFINITY, hi = -INFINITY, sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    double v = elementAsDouble(array, i);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    sum += v;
  }
  std::printf("%s: %s", spec.name.c_str(), spec.describe().c_str());
  if (n > 0)
    std::printf(" min %e max %e mean %e", lo, hi, sum / n);
  std::printf("\n  [");
  for (int64_t i = 0; i < std::min<int64_t>(n, 8); ++i)
    std::printf("%s%e", i ? ", " : "", elementAsDouble(array, i));
  std::printf(n > 8 ? ", ...]\n" : "]\n");
}

/// `0.412 ms`, or `85.3 us` under a millisecond.
std::string formatSeconds(double seconds) {
  char text[32];
  if (seconds < 1e-3)
    std::snprintf(text, sizeof text, "%.1f us", seconds * 1e6);
  else
    std::snprintf(text, sizeof text, "%.3f ms", seconds * 1e3);
  return text;
}

/// `12.0 MiB`, `840 KiB`, `512 B`.
std::string formatBytes(uint64_t bytes) {
  char text[32];
  if (bytes >= (uint64_t(1) << 20))
    std::snprintf(text, sizeof text, "%.1f MiB", bytes / 1048576.0);
  else if (bytes >= 1024)
    std::snprintf(text, sizeof text, "%.0f KiB", bytes / 1024.0);
  else
    std::snprintf(text, sizeof text, "%llu B", (unsigned long long)bytes);
  return text;
}

} // namespace

int runModelCommand(const char *tool, const RunnableModel &model,
                    const RunRequest &request) {
  auto fail = [&](const std::string &message) {
    std::fflush(stdout);
    std::fprintf(stderr, "%s: error: %s\n", tool, message.c_str());
    return 1;
  };
  std::string error;
  const std::string quoted = "'" + model.entry + "'";

  // Inputs: from files, or random.
  std::vector<Array> inputs(model.inputs.size());
  if (!request.inputPaths.empty() && request.random)
    return fail("give either --input files or --random SEED, not both");
  if (!request.inputPaths.empty()) {
    if (request.inputPaths.size() != inputs.size())
      return fail(quoted + " takes " + count(inputs.size(), "input") +
                  ", got " + count(request.inputPaths.size(), "--input file"));
    for (size_t i = 0; i < inputs.size(); ++i) {
      const std::string &path = request.inputPaths[i];
      if (!readNpy(path, inputs[i], error))
        return fail(error);
      const TensorSpec &spec = model.inputs[i];
      if (inputs[i].dtype != spec.dtype || inputs[i].shape != spec.shape)
        return fail(spec.name + " (" + path + "): expected " + spec.describe() +
                    ", got " + dtypeName(inputs[i].dtype) + " " +
                    formatShape(inputs[i].shape));
    }
  } else if (request.random) {
    std::mt19937 rng(request.seed);
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (!inputs[i].allocate(model.inputs[i].dtype, model.inputs[i].shape))
        return fail("input " + model.inputs[i].name + ": " +
                    allocationFailure(model.inputs[i].dtype,
                                      model.inputs[i].shape));
      fillRandom(inputs[i], rng);
    }
  } else if (!inputs.empty()) {
    return fail(quoted + " takes " + count(inputs.size(), "input") +
                ": give one --input FILE.npy each, or --random SEED");
  }
  if (!request.outputPaths.empty() &&
      request.outputPaths.size() != model.outputs.size())
    return fail(quoted + " has " + count(model.outputs.size(), "output") +
                ", got " + count(request.outputPaths.size(), "--output file"));

  std::vector<Array> outputs(model.outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i)
    if (!outputs[i].allocate(model.outputs[i].dtype, model.outputs[i].shape))
      return fail("output " + model.outputs[i].name + ": " +
                  allocationFailure(model.outputs[i].dtype,
                                    model.outputs[i].shape));
  std::vector<const void *> in;
  std::vector<void *> out;
  for (Array &a : inputs)
    in.push_back(a.data.get());
  for (Array &a : outputs)
    out.push_back(a.data.get());

  uint64_t inputOutputBytes = 0;
  for (Array &a : inputs)
    inputOutputBytes += a.numBytes();
  for (Array &a : outputs)
    inputOutputBytes += a.numBytes();
  kiln_reset_peak_memory();
  if (!model.run(in, out, error))
    return fail(error);
  uint64_t peakBytes = kiln_peak_memory_bytes();

  bool profile = request.profile || !request.profileTracePath.empty();
  if (profile)
    startProfile(!request.profileTracePath.empty());
  unsigned timedRuns = request.benchRuns > 0 ? request.benchRuns
                       : profile             ? 1
                                             : 0;
  std::vector<double> times;
  for (unsigned r = 0; r < timedRuns; ++r) {
    auto start = std::chrono::steady_clock::now();
    if (!model.run(in, out, error))
      return fail(error);
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count());
  }
  double totalSeconds = 0;
  for (double t : times)
    totalSeconds += t;
  if (profile) {
    stopProfile(timedRuns, totalSeconds);
    if (!profileRecordedAnything())
      return fail("--profile: this code times nothing: it was compiled "
                  "without profiling (kiln-compile --profile)");
  }

  if (request.benchRuns > 0) {
    std::sort(times.begin(), times.end());
    double median = times[times.size() / 2];
    int threads = kiln_get_num_threads();
    std::string where = model.device;
    if (where.empty())
      where = std::to_string(threads) + (threads == 1 ? " thread" : " threads");
    std::printf("bench: %u run%s on %s: median %s, min %s, max %s",
                request.benchRuns, request.benchRuns == 1 ? "" : "s",
                where.c_str(), formatSeconds(median).c_str(),
                formatSeconds(times.front()).c_str(),
                formatSeconds(times.back()).c_str());
    if (model.flops > 0)
      std::printf(", %.2f GFLOP/s", model.flops / median * 1e-9);
    // The compiled code's heap at its fullest in the first run (a GPU
    // model's device memory is not in it).
    if (model.device.empty())
      std::printf(", peak memory %s (+ %s inputs and outputs)",
                  formatBytes(peakBytes).c_str(),
                  formatBytes(inputOutputBytes).c_str());
    std::printf("\n");
  }
  if (profile) {
    std::printf("%s", formatProfile().c_str());
    if (!request.profileTracePath.empty()) {
      if (!writeProfileTrace(request.profileTracePath, error))
        return fail(error);
      std::printf("profile: trace written to %s (chrome://tracing, "
                  "Perfetto)\n",
                  request.profileTracePath.c_str());
    }
  }

  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!request.outputPaths.empty()) {
      if (!writeNpy(request.outputPaths[i], outputs[i], error))
        return fail(error);
    } else {
      printSummary(model.outputs[i], outputs[i]);
    }
  }
  // Summaries and timings are results too: a full disk or a closed pipe
  // must not pass as success.
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    int lost = errno;
    std::fprintf(stderr, "%s: error: cannot write the results to standard "
                         "output: %s\n",
                 tool, std::strerror(lost));
    return 1;
  }
  return 0;
}

} // namespace runtime
} // namespace kiln
