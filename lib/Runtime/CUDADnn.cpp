//===- CUDADnn.cpp - convolutions through cuDNN, loaded at run time -------===//
//
// Part of Kiln. kiln_cuda_conv2d is what a convolution whose
// lowering_config says `library = "cudnn"` calls on the host
// (kiln-gpu-library-calls): cuDNN's convolution API
// (cudnnConvolutionForward, which cuDNN 9 still ships, deprecated, beside
// its graph API), loaded with dlopen on the first call ($KILN_CUDNN_LIBRARY,
// else the soname). Each convolution shape's descriptors and algorithm
// (cuDNN's heuristic's first choice) are made once and kept. Failures are
// recorded like the driver's (kiln_cuda_error()).
//
//===----------------------------------------------------------------------===//

#include "CUDAErrors.h"
#include "CUDALibraries.h"
#include "kiln/Runtime/CUDARuntime.h"

#include <array>
#include <climits>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <type_traits>

using namespace kiln::cuda;

namespace {
using Handle = void *;
using Descriptor = void *;
using Status = int;

constexpr Status kDnnSuccess = 0;
constexpr int kDataFloat = 0;        // CUDNN_DATA_FLOAT
constexpr int kFormatNCHW = 0;       // CUDNN_TENSOR_NCHW
constexpr int kCrossCorrelation = 1; // CUDNN_CROSS_CORRELATION
constexpr int kDefaultMath = 0;      // CUDNN_DEFAULT_MATH (tf32 allowed)
constexpr int kFmaMath = 3;          // CUDNN_FMA_MATH (f32 only)

/// cudnnConvolutionFwdAlgoPerf_t.
struct AlgorithmPerformance {
  int algorithm;
  Status status;
  float time;
  size_t memory;
  int determinism;
  int mathType;
  int reserved[3];
};

/// The cuDNN functions Kiln calls.
struct Dnn {
  OpenedLibrary library;
  Status (*create)(Handle *);
  Status (*setStream)(Handle, CUstream);
  const char *(*errorString)(Status);
  Status (*createTensor)(Descriptor *);
  Status (*setTensor)(Descriptor, int, int, int, int, int, int, int, int, int);
  Status (*createFilter)(Descriptor *);
  Status (*setFilter)(Descriptor, int, int, int, int, int, int);
  Status (*createConvolution)(Descriptor *);
  Status (*setConvolution)(Descriptor, int, int, int, int, int, int, int, int);
  Status (*setMathType)(Descriptor, int);
  Status (*getAlgorithm)(Handle, Descriptor, Descriptor, Descriptor, Descriptor,
                         int, int *, AlgorithmPerformance *);
  Status (*workspaceSize)(Handle, Descriptor, Descriptor, Descriptor,
                          Descriptor, int, size_t *);
  Status (*forward)(Handle, const void *, Descriptor, const void *, Descriptor,
                    const void *, Descriptor, int, void *, size_t, const void *,
                    Descriptor, void *);

  std::string describe(const char *call, Status status) const {
    return describeFailure("cuDNN", call, status, errorString);
  }
};

Dnn &loadedDnn() {
  static Dnn dnn;
  static std::once_flag once;
  std::call_once(once, [] {
    OpenedLibrary &l = dnn.library;
    l = openLibrary(
        "KILN_CUDNN_LIBRARY",
        {"libcudnn.so.9", "libcudnn.so", "/usr/local/cuda/lib64/libcudnn.so.9"},
        "cuDNN", "its convolutions (compiled with --gpu-libraries=cudnn)");
    if (!l.handle)
      return;
    auto resolve = [&](auto &field, const char *symbol) {
      field = reinterpret_cast<std::remove_reference_t<decltype(field)>>(
          l.resolve(symbol));
    };
    resolve(dnn.create, "cudnnCreate");
    resolve(dnn.setStream, "cudnnSetStream");
    resolve(dnn.errorString, "cudnnGetErrorString");
    resolve(dnn.createTensor, "cudnnCreateTensorDescriptor");
    resolve(dnn.setTensor, "cudnnSetTensor4dDescriptorEx");
    resolve(dnn.createFilter, "cudnnCreateFilterDescriptor");
    resolve(dnn.setFilter, "cudnnSetFilter4dDescriptor");
    resolve(dnn.createConvolution, "cudnnCreateConvolutionDescriptor");
    resolve(dnn.setConvolution, "cudnnSetConvolution2dDescriptor");
    resolve(dnn.setMathType, "cudnnSetConvolutionMathType");
    resolve(dnn.getAlgorithm, "cudnnGetConvolutionForwardAlgorithm_v7");
    resolve(dnn.workspaceSize, "cudnnGetConvolutionForwardWorkspaceSize");
    resolve(dnn.forward, "cudnnConvolutionForward");
  });
  return dnn;
}

/// A convolution's arguments but its addresses, in kiln_cuda_conv2d's
/// order: tf32; n, c, h, w and x's 4 strides; k, r, s; the 2 strides and
/// 2 dilations; p, q and y's 4 strides; the 2 paddings.
using Shape = std::array<int64_t, 24>;

/// What one convolution shape needs, made once: descriptors, the
/// algorithm, its workspace.
struct Plan {
  Descriptor input = nullptr, filter = nullptr, output = nullptr,
             convolution = nullptr;
  int algorithm = 0;
  size_t workspaceBytes = 0;
  void *workspace = nullptr;
};

/// A handle and its stream per device, and the plans made on it.
struct Session {
  Handle handle = nullptr;
  CUstream stream = nullptr;
  std::map<Shape, Plan> plans;
};

/// Makes the plan of `shape` (the layout of kiln_cuda_conv2d's arguments),
/// or records why not.
bool makePlan(Dnn &dnn, Session &session, const Shape &s, Plan &plan) {
  auto ok = [&](const char *call, Status status) {
    if (status != kDnnSuccess)
      recordError(dnn.describe(call, status));
    return status == kDnnSuccess;
  };
  auto i = [&](int index) { return static_cast<int>(s[index]); };
  if (!ok("cudnnCreateTensorDescriptor", dnn.createTensor(&plan.input)) ||
      !ok("cudnnSetTensor4dDescriptorEx",
          dnn.setTensor(plan.input, kDataFloat, i(1), i(2), i(3), i(4), i(5),
                        i(6), i(7), i(8))) ||
      !ok("cudnnCreateFilterDescriptor", dnn.createFilter(&plan.filter)) ||
      !ok("cudnnSetFilter4dDescriptor",
          dnn.setFilter(plan.filter, kDataFloat, kFormatNCHW, i(9), i(2), i(10),
                        i(11))) ||
      !ok("cudnnCreateConvolutionDescriptor",
          dnn.createConvolution(&plan.convolution)) ||
      !ok("cudnnSetConvolution2dDescriptor",
          dnn.setConvolution(plan.convolution, i(22), i(23), i(12), i(13),
                             i(14), i(15), kCrossCorrelation, kDataFloat)) ||
      !ok("cudnnSetConvolutionMathType",
          dnn.setMathType(plan.convolution, s[0] ? kDefaultMath : kFmaMath)) ||
      !ok("cudnnCreateTensorDescriptor", dnn.createTensor(&plan.output)) ||
      !ok("cudnnSetTensor4dDescriptorEx",
          dnn.setTensor(plan.output, kDataFloat, i(1), i(9), i(16), i(17),
                        i(18), i(19), i(20), i(21))))
    return false;
  AlgorithmPerformance best{};
  int returned = 0;
  if (!ok("cudnnGetConvolutionForwardAlgorithm_v7",
          dnn.getAlgorithm(session.handle, plan.input, plan.filter,
                           plan.convolution, plan.output, 1, &returned, &best)))
    return false;
  if (returned < 1 || best.status != kDnnSuccess) {
    recordError("cuDNN: no algorithm computes the convolution of " +
                std::to_string(s[1]) + "x" + std::to_string(s[2]) + "x" +
                std::to_string(s[3]) + "x" + std::to_string(s[4]) + " with " +
                std::to_string(s[9]) + " filters");
    return false;
  }
  plan.algorithm = best.algorithm;
  if (!ok("cudnnGetConvolutionForwardWorkspaceSize",
          dnn.workspaceSize(session.handle, plan.input, plan.filter,
                            plan.convolution, plan.output, plan.algorithm,
                            &plan.workspaceBytes)))
    return false;
  if (plan.workspaceBytes) {
    // Kept with the plan, from the caching allocator.
    plan.workspace = kiln_cuda_alloc(plan.workspaceBytes);
    if (!plan.workspace)
      return false;
  }
  return true;
}
} // namespace

extern "C" void kiln_cuda_conv2d(
    int32_t tf32, int64_t n, int64_t c, int64_t h, int64_t w, uint64_t x,
    int64_t xStrideN, int64_t xStrideC, int64_t xStrideH, int64_t xStrideW,
    int64_t k, int64_t r, int64_t s, uint64_t filter, int64_t strideH,
    int64_t strideW, int64_t dilationH, int64_t dilationW, int64_t p, int64_t q,
    uint64_t y, int64_t yStrideN, int64_t yStrideK, int64_t yStrideP,
    int64_t yStrideQ, int64_t padH, int64_t padW) {
  int device = 0;
  Driver *driver = readyDriver(&device);
  if (!driver)
    return;
  Dnn &dnn = loadedDnn();
  if (!dnn.library.unavailable.empty()) {
    recordError(dnn.library.unavailable);
    return;
  }
  Shape shape = {tf32,     n,        c,         h,         w,    xStrideN,
                 xStrideC, xStrideH, xStrideW,  k,         r,    s,
                 strideH,  strideW,  dilationH, dilationW, p,    q,
                 yStrideN, yStrideK, yStrideP,  yStrideQ,  padH, padW};
  for (int64_t v : shape)
    if (v < 0 || v > INT_MAX) {
      recordError("cuDNN: a convolution has a size or stride beyond "
                  "cuDNN's 32-bit int");
      return;
    }
  static std::mutex mutex;
  static std::map<int, Session> sessions;
  std::lock_guard<std::mutex> lock(mutex);
  auto found = sessions.find(device);
  if (found == sessions.end()) {
    Session made;
    if (!check("cuStreamCreate",
               driver->streamCreate(&made.stream, kStreamNonBlocking)))
      return;
    if (Status status = dnn.create(&made.handle); status != kDnnSuccess) {
      recordError(dnn.describe("cudnnCreate", status));
      return;
    }
    if (Status status = dnn.setStream(made.handle, made.stream);
        status != kDnnSuccess) {
      recordError(dnn.describe("cudnnSetStream", status));
      return;
    }
    found = sessions.emplace(device, std::move(made)).first;
  }
  Session &session = found->second;
  auto planned = session.plans.find(shape);
  if (planned == session.plans.end()) {
    Plan plan;
    if (!makePlan(dnn, session, shape, plan))
      return;
    planned = session.plans.emplace(shape, plan).first;
  }
  const Plan &plan = planned->second;
  // beta 1: the convolution adds to what the output holds (its init).
  const float one = 1.0f;
  Status status = dnn.forward(
      session.handle, &one, plan.input, reinterpret_cast<const void *>(x),
      plan.filter, reinterpret_cast<const void *>(filter), plan.convolution,
      plan.algorithm, plan.workspace, plan.workspaceBytes, &one, plan.output,
      reinterpret_cast<void *>(y));
  if (status != kDnnSuccess) {
    recordError(dnn.describe("cudnnConvolutionForward", status));
    return;
  }
  check("cuStreamSynchronize", driver->streamSynchronize(session.stream));
}
