//===- cuda-runtime.cpp - Kiln's CUDA runtime, tested without a GPU -------===//
//
// Part of Kiln's tests. `kiln-test-cuda-runtime fake` runs the runtime over
// the fake driver ($KILN_CUDA_DRIVER = libkiln-fake-cuda.so) and checks
// every part of it; `kiln-test-cuda-runtime unavailable` prints what the
// runtime says when the driver cannot be used (no library, a stub, no
// device) and checks that nothing crashes on the way.
//
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/CUDARuntime.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <string>
#include <vector>

namespace {
int failures = 0;

void expect(bool condition, const char *what) {
  std::printf("%s: %s\n", condition ? "PASS" : "FAIL", what);
  if (!condition)
    ++failures;
}

struct Counters {
  int64_t moduleLoads, memAllocs, memFrees, launches, liveBytes;
};

/// The fake driver's counters (it is the library the runtime loaded).
Counters counters() {
  static auto get = reinterpret_cast<void (*)(Counters *)>(
      dlsym(dlopen(std::getenv("KILN_CUDA_DRIVER"), RTLD_NOW),
            "kiln_fake_cuda_counters"));
  Counters c{};
  if (get)
    get(&c);
  return c;
}

int fake() {
  expect(kiln_cuda_init(0) == 0 && !kiln_cuda_error(), "init device 0");
  expect(kiln_cuda_device_count() == 1, "one device");
  char name[64] = {};
  expect(kiln_cuda_device_name(0, name, sizeof(name)) == 0 &&
             std::string(name) == "Kiln fake GPU",
         "the device's name");
  expect(kiln_cuda_device_name(1, name, sizeof(name)) != 0 &&
             std::string(kiln_cuda_error()).rfind("cuDeviceGet", 0) == 0,
         "no name for a device that is not there");
  kiln_cuda_clear_error();

  // The caching allocator: a block freed is handed out again, of its size
  // class; the driver allocates only new classes.
  void *a = kiln_cuda_alloc(1000);
  void *b = kiln_cuda_alloc(3 << 20);
  uint64_t allocations = 0, held = 0, cached = 0;
  kiln_cuda_allocator_stats(&allocations, &held, &cached);
  expect(a && b && allocations == 2 && held == 1024 + (4 << 20) && cached == 0,
         "two blocks, of 1024 bytes and 4 MiB (size classes)");
  kiln_cuda_free(a);
  void *c = kiln_cuda_alloc(700);
  kiln_cuda_allocator_stats(&allocations, &held, &cached);
  expect(c == a && allocations == 2 && counters().memAllocs == 2,
         "a freed block is reused for a request of its class");
  kiln_cuda_free(b);
  kiln_cuda_free(c);
  kiln_cuda_allocator_stats(&allocations, &held, &cached);
  expect(cached == held, "freed blocks are cached");
  kiln_cuda_allocator_trim();
  kiln_cuda_allocator_stats(&allocations, &held, &cached);
  expect(held == 0 && counters().memFrees == 2 && counters().liveBytes == 0,
         "trim returns every cached block to the driver");

  // Lazy modules: loading keeps the image; the first function loads it.
  const char image[] = "kiln-fake-cubin:fill,axpy";
  void *module = mgpuModuleLoad(const_cast<char *>(image), sizeof(image));
  expect(counters().moduleLoads == 0, "a module is not loaded before use");
  void *fill = mgpuModuleGetFunction(module, "fill");
  void *axpy = mgpuModuleGetFunction(module, "axpy");
  expect(fill && axpy && counters().moduleLoads == 1,
         "the first function loads the module, once");

  // A launch over device buffers, copies both ways, timed with events.
  const int64_t n = 1000;
  std::vector<float> x(n), y(n, 0.0f);
  for (int64_t i = 0; i < n; ++i)
    x[i] = float(i);
  float *dx = static_cast<float *>(mgpuMemAlloc(n * 4, nullptr, false));
  float *dy = static_cast<float *>(mgpuMemAlloc(n * 4, nullptr, false));
  void *stream = mgpuStreamCreate();
  void *start = mgpuEventCreate(), *end = mgpuEventCreate();
  expect(kiln_cuda_copy_to_device(dx, x.data(), n * 4, stream) == 0,
         "copy to the device");
  mgpuEventRecord(start, stream);
  float one = 1.0f, two = 2.0f;
  int64_t count = n;
  void *fillParams[] = {&dy, &one, &count};
  mgpuLaunchKernel(fill, 4, 1, 1, 256, 1, 1, 0, stream, fillParams, nullptr, 3);
  void *axpyParams[] = {&dy, &dx, &two, &count};
  mgpuLaunchKernel(axpy, 4, 1, 1, 256, 1, 1, 0, stream, axpyParams, nullptr, 4);
  mgpuEventRecord(end, stream);
  mgpuStreamSynchronize(stream);
  expect(kiln_cuda_copy_to_host(y.data(), dy, n * 4, stream) == 0,
         "copy to the host");
  bool right = true;
  for (int64_t i = 0; i < n; ++i)
    right &= y[i] == 1.0f + 2.0f * float(i);
  expect(right && counters().launches == 2,
         "fill then axpy: y = 1 + 2x on every element (4 x 256 threads)");
  float ms = kiln_cuda_elapsed_ms(start, end);
  expect(ms >= 0 && std::isfinite(ms), "events time the launches");
  mgpuMemset32(dy, 0x3f800000u, n, stream); // 1.0f
  mgpuStreamSynchronize(stream);
  kiln_cuda_copy_to_host(y.data(), dy, n * 4, stream);
  expect(y[0] == 1.0f && y[n - 1] == 1.0f, "memset32");
  mgpuEventDestroy(start);
  mgpuEventDestroy(end);
  mgpuStreamDestroy(stream);
  mgpuMemFree(dx, nullptr);
  mgpuMemFree(dy, nullptr);
  expect(!kiln_cuda_error(), "no error so far");

  // Errors carry the driver's text, and the first one is kept.
  expect(!mgpuModuleGetFunction(module, "missing"), "unknown kernel");
  const char *error = kiln_cuda_error();
  expect(error && std::string(error) ==
                      "cuModuleGetFunction: named symbol not found "
                      "(CUDA_ERROR_NOT_FOUND)",
         "its error names the call and the driver's text");
  std::printf("error: %s\n", error ? error : "(none)");
  mgpuLaunchKernel(nullptr, 1, 1, 1, 1, 1, 1, 0, nullptr, nullptr, nullptr, 0);
  expect(std::string(kiln_cuda_error()).rfind("cuModuleGetFunction", 0) == 0,
         "the first error is kept");
  kiln_cuda_clear_error();
  mgpuModuleUnload(module);

  const char bad[] = "not a cubin";
  void *badModule = mgpuModuleLoad(const_cast<char *>(bad), sizeof(bad));
  expect(!mgpuModuleGetFunction(badModule, "fill") && kiln_cuda_error(),
         "an invalid image fails at its first function");
  std::printf("error: %s\n", kiln_cuda_error());
  mgpuModuleUnload(badModule);
  kiln_cuda_clear_error();

  // Out of memory, with blocks cached: they are returned and the request
  // tried again; without enough memory at all, a clear error.
  void *held1 = kiln_cuda_alloc(40 << 20);
  kiln_cuda_free(held1);
  void *big = kiln_cuda_alloc(50 << 20); // limit 64 MiB: 40 + 50 do not fit
  expect(big && !kiln_cuda_error(), "cached blocks are freed to make room");
  void *tooBig = kiln_cuda_alloc(100 << 20);
  expect(!tooBig && kiln_cuda_error(), "a request beyond memory fails");
  std::printf("error: %s\n", kiln_cuda_error() ? kiln_cuda_error() : "(none)");
  kiln_cuda_clear_error();
  kiln_cuda_free(big);

  expect(kiln_cuda_init(3) != 0, "device 3 of 1");
  std::printf("error: %s\n", kiln_cuda_error() ? kiln_cuda_error() : "(none)");
  std::printf("%d failed\n", failures);
  return failures ? 1 : 0;
}

/// Everything a program may call when the driver cannot be used: each
/// fails, none crashes, and the reason is one line.
int unavailable() {
  int init = kiln_cuda_init(0);
  std::printf("init: %d\n", init);
  std::printf("error: %s\n", kiln_cuda_error() ? kiln_cuda_error() : "(none)");
  // (No device is a working driver that counts 0; the others count -1.)
  bool allFail = init != 0 && kiln_cuda_device_count() <= 0 &&
                 !kiln_cuda_alloc(16) && !mgpuMemAlloc(16, nullptr, false) &&
                 !mgpuStreamCreate() && !mgpuEventCreate();
  const char image[] = "kiln-fake-cubin:fill";
  void *module = mgpuModuleLoad(const_cast<char *>(image), sizeof(image));
  allFail &= !mgpuModuleGetFunction(module, "fill");
  mgpuLaunchKernel(nullptr, 1, 1, 1, 1, 1, 1, 0, nullptr, nullptr, nullptr, 0);
  mgpuModuleUnload(module);
  float x = 0;
  allFail &= kiln_cuda_copy_to_device(&x, &x, 4, nullptr) != 0;
  char name[16] = {};
  allFail &= kiln_cuda_device_name(0, name, sizeof(name)) != 0;
  std::printf("every call failed cleanly: %s\n", allFail ? "yes" : "no");
  return allFail ? 0 : 1;
}
/// On a real device: the PTX kernel `fill` of `ptxPath`, JIT-compiled by
/// the driver, over device memory; timed; the allocator's reuse.
int device(const char *ptxPath) {
  expect(kiln_cuda_init(0) == 0, "init device 0");
  if (kiln_cuda_error()) {
    std::printf("error: %s\n", kiln_cuda_error());
    std::printf("%d failed\n", failures);
    return 1;
  }
  std::string ptx;
  if (FILE *file = std::fopen(ptxPath, "rb")) {
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0)
      ptx.append(buffer, n);
    std::fclose(file);
  }
  expect(!ptx.empty(), "read the PTX");
  void *module = mgpuModuleLoadJIT(ptx.data(), 3);
  void *fill = mgpuModuleGetFunction(module, "fill");
  expect(fill != nullptr, "the driver JIT-compiles the PTX kernel");
  const uint64_t n = 100000;
  float *out = static_cast<float *>(kiln_cuda_alloc(n * 4));
  void *stream = mgpuStreamCreate();
  void *start = mgpuEventCreate(), *end = mgpuEventCreate();
  float value = 3.5f;
  uint64_t count = n;
  void *params[] = {&out, &value, &count};
  mgpuEventRecord(start, stream);
  mgpuLaunchKernel(fill, (n + 255) / 256, 1, 1, 256, 1, 1, 0, stream, params,
                   nullptr, 3);
  mgpuEventRecord(end, stream);
  std::vector<float> host(n, 0.0f);
  expect(kiln_cuda_copy_to_host(host.data(), out, n * 4, stream) == 0,
         "copy to the host");
  bool right = true;
  for (uint64_t i = 0; i < n; ++i)
    right &= host[i] == 3.5f;
  expect(right, "every element is 3.5");
  float ms = kiln_cuda_elapsed_ms(start, end);
  expect(ms >= 0, "events time the kernel");
  std::printf("fill of %llu floats: %.3f ms\n", (unsigned long long)n, ms);
  kiln_cuda_free(out);
  void *again = kiln_cuda_alloc(n * 4);
  expect(again == out, "the freed block is reused");
  kiln_cuda_free(again);
  mgpuEventDestroy(start);
  mgpuEventDestroy(end);
  mgpuStreamDestroy(stream);
  mgpuModuleUnload(module);
  expect(!kiln_cuda_error(), "no error");
  if (kiln_cuda_error())
    std::printf("error: %s\n", kiln_cuda_error());
  std::printf("%d failed\n", failures);
  return failures ? 1 : 0;
}

/// Exit 0 when device 0 is usable, else print why and exit 1 (lit's
/// cuda-device feature).
int probe() {
  if (kiln_cuda_init(0) == 0)
    return 0;
  std::printf("%s\n", kiln_cuda_error());
  return 1;
}
} // namespace

int main(int argc, char **argv) {
  if (argc == 3 && std::strcmp(argv[1], "device") == 0)
    return device(argv[2]);
  if (argc == 2 && std::strcmp(argv[1], "probe") == 0)
    return probe();
  if (argc == 2 && std::strcmp(argv[1], "fake") == 0)
    return fake();
  if (argc == 2 && std::strcmp(argv[1], "unavailable") == 0)
    return unavailable();
  std::fprintf(stderr, "usage: kiln-test-cuda-runtime "
                       "fake|unavailable|probe|device PTX\n");
  return 2;
}
