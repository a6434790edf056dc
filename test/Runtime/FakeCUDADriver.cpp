//===- FakeCUDADriver.cpp - a CUDA driver on the host, for tests ----------===//
//
// Part of Kiln's tests. The driver functions Kiln's CUDA runtime loads,
// implemented on host memory, so that the runtime's logic (loading the
// driver, lazy modules, the caching allocator, launches, streams, events,
// copies, error text) is tested on machines without a GPU. Point
// $KILN_CUDA_DRIVER at this library. A module image is the text
// "kiln-fake-cubin:NAME,NAME,..."; the kernels it may name are "fill"
// (float *out, float value, int64_t n) and "axpy" (float *y, const float
// *x, float a, int64_t n), run once per thread of the grid (x dimensions).
// $KILN_FAKE_CUDA_DEVICES (default 1), $KILN_FAKE_CUDA_ARCH (compute
// capability, default 80) and $KILN_FAKE_CUDA_MEMORY (bytes, default 1 GiB)
// shape the fake machine; kiln_fake_cuda_counters() tells what the runtime
// asked of it. With $KILN_FAKE_CUDA_KERNELS=any, any image loads and its
// kernels (compiled ones: PTX, fatbins) do nothing when launched, so that a
// compiled model's host code runs; $KILN_FAKE_CUDA_REPORT=1 prints the
// counters when the process exits. Fresh device memory reads as zeros: a
// model whose real work is a library call into a zero-filled buffer (a
// cuBLAS matmul, with FakeCUBLAS.cpp) computes its result even though the
// fill kernel does nothing.
//
//===----------------------------------------------------------------------===//

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace {
using CUresult = int;
constexpr CUresult kSuccess = 0, kInvalidValue = 1, kOutOfMemory = 2,
                   kNotInitialized = 3, kNoDevice = 100, kInvalidDevice = 101,
                   kInvalidImage = 200, kNotFound = 500;

struct Counters {
  int64_t moduleLoads, memAllocs, memFrees, launches, liveBytes;
};

struct State {
  std::mutex mutex;
  bool initialized = false;
  Counters counters{};
  std::map<void *, size_t> blocks;
  int64_t limit = int64_t(1) << 30;
};

State &state() {
  static State s;
  return s;
}

int deviceCount() {
  const char *v = std::getenv("KILN_FAKE_CUDA_DEVICES");
  return v ? std::atoi(v) : 1;
}

struct FakeModule {
  std::vector<std::string> kernels;
};
struct FakeFunction {
  std::string name;
};
} // namespace

#define API extern "C" __attribute__((visibility("default")))

API void kiln_fake_cuda_counters(Counters *out) {
  std::lock_guard<std::mutex> lock(state().mutex);
  *out = state().counters;
}

API CUresult cuInit(unsigned) {
  State &s = state();
  if (const char *v = std::getenv("KILN_FAKE_CUDA_MEMORY"))
    s.limit = std::atoll(v);
  s.initialized = true;
  return kSuccess;
}

API CUresult cuDeviceGetCount(int *count) {
  if (!state().initialized)
    return kNotInitialized;
  *count = deviceCount();
  return kSuccess;
}

API CUresult cuDeviceGet(int *device, int ordinal) {
  if (deviceCount() == 0)
    return kNoDevice;
  if (ordinal < 0 || ordinal >= deviceCount())
    return kInvalidDevice;
  *device = ordinal;
  return kSuccess;
}

API CUresult cuDeviceGetName(char *name, int length, int device) {
  if (!state().initialized)
    return kNotInitialized;
  if (device < 0 || device >= deviceCount())
    return kInvalidDevice;
  if (length <= 0)
    return kInvalidValue;
  std::snprintf(name, static_cast<size_t>(length), "Kiln fake GPU");
  return kSuccess;
}

// Compute capability 8.0, or $KILN_FAKE_CUDA_ARCH ("90": 9.0).
API CUresult cuDeviceGetAttribute(int *value, int attribute, int device) {
  if (!state().initialized)
    return kNotInitialized;
  if (device < 0 || device >= deviceCount())
    return kInvalidDevice;
  const char *arch = std::getenv("KILN_FAKE_CUDA_ARCH");
  int capability = arch ? std::atoi(arch) : 80;
  if (attribute == 75)
    *value = capability / 10;
  else if (attribute == 76)
    *value = capability % 10;
  else
    return kInvalidValue;
  return kSuccess;
}

API CUresult cuDevicePrimaryCtxRetain(void **context, int device) {
  static int contexts[16];
  *context = &contexts[device % 16];
  return kSuccess;
}

API CUresult cuCtxSetCurrent(void *) { return kSuccess; }

namespace {
/// What the real driver says of each error the fake one returns.
struct ErrorText {
  CUresult code;
  const char *text, *name;
};
constexpr ErrorText kErrors[] = {
    {kSuccess, "no error", "CUDA_SUCCESS"},
    {kInvalidValue, "invalid argument", "CUDA_ERROR_INVALID_VALUE"},
    {kOutOfMemory, "out of memory", "CUDA_ERROR_OUT_OF_MEMORY"},
    {kNotInitialized, "initialization error", "CUDA_ERROR_NOT_INITIALIZED"},
    {kNoDevice, "no CUDA-capable device is detected", "CUDA_ERROR_NO_DEVICE"},
    {kInvalidDevice, "invalid device ordinal", "CUDA_ERROR_INVALID_DEVICE"},
    {kInvalidImage, "device kernel image is invalid",
     "CUDA_ERROR_INVALID_IMAGE"},
    {kNotFound, "named symbol not found", "CUDA_ERROR_NOT_FOUND"},
};

const ErrorText *errorText(CUresult result) {
  for (const ErrorText &e : kErrors)
    if (e.code == result)
      return &e;
  return nullptr;
}
} // namespace

API CUresult cuGetErrorString(CUresult result, const char **text) {
  const ErrorText *e = errorText(result);
  *text = e ? e->text : nullptr;
  return e ? kSuccess : kInvalidValue;
}

API CUresult cuGetErrorName(CUresult result, const char **name) {
  const ErrorText *e = errorText(result);
  *name = e ? e->name : nullptr;
  return e ? kSuccess : kInvalidValue;
}

/// $KILN_FAKE_CUDA_KERNELS=any: every image loads, every kernel is a no-op.
static bool anyKernels() {
  const char *v = std::getenv("KILN_FAKE_CUDA_KERNELS");
  return v && std::strcmp(v, "any") == 0;
}

/// Host-to-device, device-to-host and device-to-device copies.
static std::atomic<int64_t> copies{0};

/// $KILN_FAKE_CUDA_REPORT=1: the counters on stderr at exit.
struct Report {
  // (The state is made first, so it is destroyed after the report.)
  Report() { state(); }
  ~Report() {
    const char *v = std::getenv("KILN_FAKE_CUDA_REPORT");
    if (!v || std::strcmp(v, "1") != 0)
      return;
    Counters c = state().counters;
    std::fprintf(stderr,
                 "kiln-fake-cuda: %lld module loads, %lld launches, %lld "
                 "allocations, %lld frees, %lld copies\n",
                 (long long)c.moduleLoads, (long long)c.launches,
                 (long long)c.memAllocs, (long long)c.memFrees,
                 (long long)copies.load());
  }
};
static Report report;

API CUresult cuModuleLoadData(void **module, const void *image) {
  static const char kMagic[] = "kiln-fake-cubin:";
  const char *text = static_cast<const char *>(image);
  if (anyKernels()) {
    std::lock_guard<std::mutex> lock(state().mutex);
    ++state().counters.moduleLoads;
    *module = new FakeModule{{"*"}};
    return kSuccess;
  }
  if (std::strncmp(text, kMagic, sizeof(kMagic) - 1) != 0)
    return kInvalidImage;
  auto *m = new FakeModule;
  std::string names = text + sizeof(kMagic) - 1;
  size_t start = 0;
  while (start <= names.size()) {
    size_t end = names.find(',', start);
    if (end == std::string::npos)
      end = names.size();
    m->kernels.push_back(names.substr(start, end - start));
    start = end + 1;
  }
  std::lock_guard<std::mutex> lock(state().mutex);
  ++state().counters.moduleLoads;
  *module = m;
  return kSuccess;
}

API CUresult cuModuleLoadDataEx(void **module, const void *image, unsigned,
                                int *, void **) {
  return cuModuleLoadData(module, image);
}

API CUresult cuModuleUnload(void *module) {
  delete static_cast<FakeModule *>(module);
  return kSuccess;
}

API CUresult cuModuleGetFunction(void **function, void *module,
                                 const char *name) {
  auto *m = static_cast<FakeModule *>(module);
  for (const std::string &kernel : m->kernels)
    if (kernel == name || kernel == "*") {
      *function = new FakeFunction{kernel};
      return kSuccess;
    }
  return kNotFound;
}

API CUresult cuFuncSetAttribute(void *, int, int) { return kSuccess; }

API CUresult cuLaunchKernel(void *function, unsigned gx, unsigned gy,
                            unsigned gz, unsigned bx, unsigned by, unsigned bz,
                            unsigned, void *, void **params, void **) {
  auto *f = static_cast<FakeFunction *>(function);
  if (!f || !params)
    return kInvalidValue;
  int64_t threads = int64_t(gx) * gy * gz * bx * by * bz;
  if (f->name == "fill") {
    float *out = *static_cast<float **>(params[0]);
    float value = *static_cast<float *>(params[1]);
    int64_t n = *static_cast<int64_t *>(params[2]);
    for (int64_t i = 0; i < threads && i < n; ++i)
      out[i] = value;
  } else if (f->name == "axpy") {
    float *y = *static_cast<float **>(params[0]);
    const float *x = *static_cast<float **>(params[1]);
    float a = *static_cast<float *>(params[2]);
    int64_t n = *static_cast<int64_t *>(params[3]);
    for (int64_t i = 0; i < threads && i < n; ++i)
      y[i] += a * x[i];
  } else if (!anyKernels()) {
    return kNotFound;
  }
  std::lock_guard<std::mutex> lock(state().mutex);
  ++state().counters.launches;
  return kSuccess;
}

API CUresult cuStreamCreate(void **stream, unsigned) {
  *stream = new int(0);
  return kSuccess;
}
API CUresult cuStreamDestroy_v2(void *stream) {
  delete static_cast<int *>(stream);
  return kSuccess;
}
API CUresult cuStreamSynchronize(void *) { return kSuccess; }
API CUresult cuStreamWaitEvent(void *, void *, unsigned) { return kSuccess; }

using Clock = std::chrono::steady_clock;
API CUresult cuEventCreate(void **event, unsigned) {
  *event = new Clock::time_point(Clock::now());
  return kSuccess;
}
API CUresult cuEventDestroy_v2(void *event) {
  delete static_cast<Clock::time_point *>(event);
  return kSuccess;
}
API CUresult cuEventRecord(void *event, void *) {
  *static_cast<Clock::time_point *>(event) = Clock::now();
  return kSuccess;
}
API CUresult cuEventSynchronize(void *) { return kSuccess; }
API CUresult cuEventElapsedTime(float *ms, void *start, void *end) {
  *ms = std::chrono::duration<float, std::milli>(
            *static_cast<Clock::time_point *>(end) -
            *static_cast<Clock::time_point *>(start))
            .count();
  return kSuccess;
}

API CUresult cuMemAlloc_v2(unsigned long long *pointer, size_t bytes) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.counters.liveBytes + int64_t(bytes) > s.limit)
    return kOutOfMemory;
  void *block = std::calloc(bytes ? bytes : 1, 1);
  if (!block)
    return kOutOfMemory;
  s.blocks[block] = bytes;
  s.counters.liveBytes += bytes;
  ++s.counters.memAllocs;
  *pointer = reinterpret_cast<unsigned long long>(block);
  return kSuccess;
}

API CUresult cuMemAllocManaged(unsigned long long *pointer, size_t bytes,
                               unsigned) {
  return cuMemAlloc_v2(pointer, bytes);
}

API CUresult cuMemFree_v2(unsigned long long pointer) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  auto it = s.blocks.find(reinterpret_cast<void *>(pointer));
  if (it == s.blocks.end())
    return kInvalidValue;
  s.counters.liveBytes -= it->second;
  ++s.counters.memFrees;
  std::free(it->first);
  s.blocks.erase(it);
  return kSuccess;
}

API CUresult cuMemcpyAsync(unsigned long long dst, unsigned long long src,
                           size_t bytes, void *) {
  ++copies;
  std::memcpy(reinterpret_cast<void *>(dst), reinterpret_cast<void *>(src),
              bytes);
  return kSuccess;
}

API CUresult cuMemsetD32Async(unsigned long long dst, unsigned value,
                              size_t count, void *) {
  auto *p = reinterpret_cast<uint32_t *>(dst);
  for (size_t i = 0; i < count; ++i)
    p[i] = value;
  return kSuccess;
}

API CUresult cuMemsetD16Async(unsigned long long dst, unsigned short value,
                              size_t count, void *) {
  auto *p = reinterpret_cast<uint16_t *>(dst);
  for (size_t i = 0; i < count; ++i)
    p[i] = value;
  return kSuccess;
}
