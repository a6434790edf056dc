//===- CUDADriver.cpp - the CUDA driver API, loaded at run time -----------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "CUDADriver.h"

#include <cstdlib>
#include <dlfcn.h>
#include <mutex>

using namespace kiln::cuda;

/// The library to load: $KILN_CUDA_DRIVER (tests point it at a fake
/// driver, or at a file that does not exist), else the driver's soname.
static std::string driverPath() {
  const char *path = std::getenv("KILN_CUDA_DRIVER");
  return path && *path ? path : "libcuda.so.1";
}

/// Loads and initializes the driver into `driver`, or says why not.
static void load(Driver &driver) {
  std::string path = driverPath();
  void *library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *why = dlerror();
    driver.unavailable = "cannot load the CUDA driver (" + path +
                         "): " + (why ? why : "unknown error") +
                         "; is an NVIDIA driver installed?";
    return;
  }
  bool complete = true;
#define KILN_CUDA_RESOLVE(field, symbol, result, parameters)                   \
  driver.field =                                                               \
      reinterpret_cast<result(*) parameters>(dlsym(library, symbol));          \
  if (!driver.field && complete) {                                             \
    complete = false;                                                          \
    driver.unavailable = "the CUDA driver " + path + " has no " + symbol +     \
                         ": it is older than Kiln needs, or not a driver";     \
  }
  KILN_CUDA_DRIVER_FUNCTIONS(KILN_CUDA_RESOLVE)
#undef KILN_CUDA_RESOLVE
  if (!complete)
    return;
  // (CUDA 12.8 added a _v2 that also works across contexts; either does
  // for events of one stream.)
  if (auto v2 = reinterpret_cast<decltype(driver.eventElapsedTime)>(
          dlsym(library, "cuEventElapsedTime_v2")))
    driver.eventElapsedTime = v2;
  if (CUresult result = driver.init(0); result != kSuccess)
    driver.unavailable = driver.describe("cuInit", result);
}

Driver &Driver::get() {
  static Driver driver;
  static std::once_flag once;
  std::call_once(once, [] { load(driver); });
  return driver;
}

/// What the driver's cuGetErrorString says of the failures a machine
/// without a working driver gives, for drivers that cannot say it (the
/// toolkit's stub answers nothing).
static void fallbackText(CUresult result, const char *&text,
                         const char *&name) {
  switch (result) {
  case 34:
    text = "the CUDA driver library is the toolkit's stub, not an NVIDIA "
           "driver";
    name = "CUDA_ERROR_STUB_LIBRARY";
    break;
  case 35:
    text = "the NVIDIA driver is older than this CUDA version";
    name = "CUDA_ERROR_INSUFFICIENT_DRIVER";
    break;
  case 100:
    text = "no CUDA-capable device is detected";
    name = "CUDA_ERROR_NO_DEVICE";
    break;
  case 999:
    text = "unknown error";
    name = "CUDA_ERROR_UNKNOWN";
    break;
  }
}

std::string Driver::describe(const char *call, CUresult result) const {
  const char *text = nullptr, *name = nullptr;
  if (getErrorString && getErrorString(result, &text) != kSuccess)
    text = nullptr;
  if (getErrorName && getErrorName(result, &name) != kSuccess)
    name = nullptr;
  if (!text && !name)
    fallbackText(result, text, name);
  std::string message = std::string(call) + ": ";
  message += text ? text : "CUDA error " + std::to_string(result);
  if (name)
    message += std::string(" (") + name + ")";
  return message;
}
