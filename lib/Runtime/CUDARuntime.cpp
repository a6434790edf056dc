//===- CUDARuntime.cpp - Kiln's CUDA runtime ------------------------------===//
//
// Part of Kiln. Contexts, modules, launches, streams, events and copies
// over the driver loaded at run time (CUDADriver.h); device memory comes
// from the caching allocator (CUDAAllocator.cpp).
//
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/CUDARuntime.h"
#include "CUDAAllocator.h"
#include "CUDAErrors.h"

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <unordered_set>
#include <utility>

using namespace kiln::cuda;

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

namespace {
struct ErrorState {
  std::mutex mutex;
  std::string message;
  bool set = false;
};
} // namespace

static ErrorState &errorState() {
  static ErrorState state;
  return state;
}

void kiln::cuda::recordError(const std::string &message) {
  ErrorState &state = errorState();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (!state.set) {
    state.message = message;
    state.set = true;
  }
}

bool kiln::cuda::check(const char *call, CUresult result) {
  if (result == kSuccess)
    return true;
  recordError(Driver::get().describe(call, result));
  return false;
}

Driver *kiln::cuda::usableDriver() {
  Driver &driver = Driver::get();
  if (!driver.unavailable.empty()) {
    recordError(driver.unavailable);
    return nullptr;
  }
  return &driver;
}

extern "C" const char *kiln_cuda_error(void) {
  ErrorState &state = errorState();
  std::lock_guard<std::mutex> lock(state.mutex);
  // (The string lives until the next clear; callers print it at once.)
  return state.set ? state.message.c_str() : nullptr;
}

extern "C" void kiln_cuda_clear_error(void) {
  ErrorState &state = errorState();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.message.clear();
  state.set = false;
}

//===----------------------------------------------------------------------===//
// Devices and contexts
//===----------------------------------------------------------------------===//

/// The device code runs on when none was chosen (mgpuSetDefaultDevice).
static std::atomic<int> defaultDevice{0};
/// The device whose primary context is current on this thread (-1: none).
static thread_local int currentDevice = -1;

extern "C" int kiln_cuda_device_count(void) {
  Driver *driver = usableDriver();
  int count = 0;
  if (!driver || !check("cuDeviceGetCount", driver->deviceGetCount(&count)))
    return -1;
  return count;
}

extern "C" int kiln_cuda_init(int device) {
  Driver *driver = usableDriver();
  if (!driver)
    return 1;
  if (device < 0) {
    if (currentDevice >= 0)
      return 0;
    device = defaultDevice.load();
  }
  if (device == currentDevice)
    return 0;
  int count = 0;
  if (!check("cuDeviceGetCount", driver->deviceGetCount(&count)))
    return 1;
  if (count == 0) {
    recordError("no CUDA device: the driver sees none");
    return 1;
  }
  if (device >= count) {
    recordError("no CUDA device " + std::to_string(device) +
                ": the driver "
                "sees " +
                std::to_string(count) + " (0 to " + std::to_string(count - 1) +
                ")");
    return 1;
  }
  CUdevice handle = 0;
  CUcontext context = nullptr;
  if (!check("cuDeviceGet", driver->deviceGet(&handle, device)) ||
      !check("cuDevicePrimaryCtxRetain",
             driver->primaryCtxRetain(&context, handle)) ||
      !check("cuCtxSetCurrent", driver->ctxSetCurrent(context)))
    return 1;
  currentDevice = device;
  return 0;
}

extern "C" void mgpuSetDefaultDevice(int32_t device) { defaultDevice = device; }

extern "C" int kiln_cuda_device_capability(int device, int *major, int *minor) {
  Driver *driver = usableDriver();
  CUdevice handle = 0;
  if (!driver || !check("cuDeviceGet", driver->deviceGet(&handle, device)) ||
      !check(
          "cuDeviceGetAttribute",
          driver->deviceGetAttribute(major, kComputeCapabilityMajor, handle)) ||
      !check(
          "cuDeviceGetAttribute",
          driver->deviceGetAttribute(minor, kComputeCapabilityMinor, handle)))
    return 1;
  return 0;
}

extern "C" int kiln_cuda_device_name(int device, char *name, int length) {
  Driver *driver = usableDriver();
  CUdevice handle = 0;
  if (!driver || !check("cuDeviceGet", driver->deviceGet(&handle, device)) ||
      !check("cuDeviceGetName", driver->deviceGetName(name, length, handle)))
    return 1;
  return 0;
}

Driver *kiln::cuda::readyDriver(int *device) {
  Driver *driver = usableDriver();
  if (!driver || kiln_cuda_init(-1) != 0)
    return nullptr;
  if (device)
    *device = currentDevice;
  return driver;
}

/// The driver with a context current on this thread, or null (recorded).
static Driver *ready() { return readyDriver(); }

//===----------------------------------------------------------------------===//
// Modules and launches
//===----------------------------------------------------------------------===//

namespace {
/// A module image, loaded into the driver on its first GetFunction: a
/// program that embeds kernels it never runs never loads them.
struct Module {
  std::string image;
  bool jit = false;
  int optLevel = 3;
  std::once_flag loaded;
  CUmodule handle = nullptr;
};
} // namespace

extern "C" void *mgpuModuleLoad(void *data, size_t size) {
  auto *module = new Module;
  module->image.assign(static_cast<const char *>(data), size);
  return module;
}

extern "C" void *mgpuModuleLoadJIT(void *data, int optLevel) {
  auto *module = new Module;
  // PTX text, NUL-terminated (the driver's JIT reads it as a C string).
  module->image = static_cast<const char *>(data);
  module->jit = true;
  module->optLevel = optLevel;
  return module;
}

extern "C" void mgpuModuleUnload(void *opaque) {
  auto *module = static_cast<Module *>(opaque);
  if (!module)
    return;
  if (module->handle)
    check("cuModuleUnload", Driver::get().moduleUnload(module->handle));
  delete module;
}

extern "C" void *mgpuModuleGetFunction(void *opaque, const char *name) {
  auto *module = static_cast<Module *>(opaque);
  Driver *driver = ready();
  if (!driver)
    return nullptr;
  if (!module) {
    recordError(std::string("cuModuleGetFunction: no module holds kernel '") +
                name + "' (the program's kernels were not loaded)");
    return nullptr;
  }
  std::call_once(module->loaded, [&] {
    if (module->jit) {
      int options[] = {kJitOptimizationLevel};
      void *values[] = {
          reinterpret_cast<void *>(static_cast<intptr_t>(module->optLevel))};
      check("cuModuleLoadDataEx",
            driver->moduleLoadDataEx(&module->handle, module->image.c_str(), 1,
                                     options, values));
    } else {
      check("cuModuleLoadData",
            driver->moduleLoadData(&module->handle, module->image.data()));
    }
  });
  if (!module->handle)
    return nullptr;
  CUfunction function = nullptr;
  if (!check("cuModuleGetFunction",
             driver->moduleGetFunction(&function, module->handle, name)))
    return nullptr;
  return function;
}

extern "C" void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                                 intptr_t gridZ, intptr_t blockX,
                                 intptr_t blockY, intptr_t blockZ,
                                 int32_t sharedMemBytes, void *stream,
                                 void **params, void **extra,
                                 size_t /*paramsCount*/) {
  Driver *driver = ready();
  if (!driver)
    return;
  if (!function) {
    recordError("cuLaunchKernel: the kernel did not load (see the first "
                "error)");
    return;
  }
  // Above 48 KiB, dynamic shared memory must be asked for per function.
  constexpr int32_t kDefaultSharedLimit = 48 * 1024;
  if (sharedMemBytes > kDefaultSharedLimit &&
      !check("cuFuncSetAttribute",
             driver->funcSetAttribute(function, kMaxDynamicSharedBytes,
                                      sharedMemBytes)))
    return;
  check("cuLaunchKernel",
        driver->launchKernel(function, gridX, gridY, gridZ, blockX, blockY,
                             blockZ, sharedMemBytes, stream, params, extra));
}

//===----------------------------------------------------------------------===//
// Streams and events
//===----------------------------------------------------------------------===//

extern "C" void *mgpuStreamCreate(void) {
  Driver *driver = ready();
  CUstream stream = nullptr;
  if (driver)
    check("cuStreamCreate", driver->streamCreate(&stream, kStreamNonBlocking));
  return stream;
}

extern "C" void mgpuStreamDestroy(void *stream) {
  Driver *driver = ready();
  if (!driver || !stream)
    return;
  // Blocks freed on the stream are anyone's once its work is done.
  if (check("cuStreamSynchronize", driver->streamSynchronize(stream)))
    releaseStream(stream);
  check("cuStreamDestroy", driver->streamDestroy(stream));
}

extern "C" void mgpuStreamSynchronize(void *stream) {
  if (Driver *driver = ready())
    if (check("cuStreamSynchronize", driver->streamSynchronize(stream)) &&
        stream)
      releaseStream(stream);
}

extern "C" void mgpuStreamWaitEvent(void *stream, void *event) {
  if (Driver *driver = ready())
    check("cuStreamWaitEvent", driver->streamWaitEvent(stream, event, 0));
}

extern "C" void *mgpuEventCreate(void) {
  Driver *driver = ready();
  CUevent event = nullptr;
  if (driver)
    check("cuEventCreate", driver->eventCreate(&event, 0));
  return event;
}

extern "C" void mgpuEventDestroy(void *event) {
  if (Driver *driver = ready(); driver && event)
    check("cuEventDestroy", driver->eventDestroy(event));
}

extern "C" void mgpuEventSynchronize(void *event) {
  if (Driver *driver = ready())
    check("cuEventSynchronize", driver->eventSynchronize(event));
}

extern "C" void mgpuEventRecord(void *event, void *stream) {
  if (Driver *driver = ready())
    check("cuEventRecord", driver->eventRecord(event, stream));
}

extern "C" float kiln_cuda_elapsed_ms(void *start, void *end) {
  Driver *driver = ready();
  float ms = -1;
  if (!driver || !check("cuEventSynchronize", driver->eventSynchronize(end)) ||
      !check("cuEventElapsedTime", driver->eventElapsedTime(&ms, start, end)))
    return -1;
  return ms;
}

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

/// Blocks from cuMemAllocManaged (gpu.alloc host_shared), which the
/// caching allocator does not hold.
static std::mutex managedMutex;
static std::unordered_set<void *> managedBlocks;

extern "C" void *mgpuMemAlloc(uint64_t bytes, void *stream, bool hostShared) {
  if (!hostShared)
    return allocateOnStream(bytes, stream);
  Driver *driver = ready();
  CUdeviceptr block = 0;
  if (!driver || !check("cuMemAllocManaged",
                        driver->memAllocManaged(&block, bytes ? bytes : 1,
                                                kMemAttachGlobal)))
    return nullptr;
  std::lock_guard<std::mutex> lock(managedMutex);
  managedBlocks.insert(reinterpret_cast<void *>(block));
  return reinterpret_cast<void *>(block);
}

extern "C" void mgpuMemFree(void *pointer, void *stream) {
  {
    std::lock_guard<std::mutex> lock(managedMutex);
    if (managedBlocks.erase(pointer)) {
      if (Driver *driver = ready())
        check("cuMemFree",
              driver->memFree(reinterpret_cast<CUdeviceptr>(pointer)));
      return;
    }
  }
  freeOnStream(pointer, stream);
}

extern "C" void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream) {
  if (Driver *driver = ready())
    check("cuMemcpyAsync",
          driver->memcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                              reinterpret_cast<CUdeviceptr>(src), bytes,
                              stream));
}

extern "C" void mgpuMemset32(void *dst, uint32_t value, size_t count,
                             void *stream) {
  if (Driver *driver = ready())
    check("cuMemsetD32Async",
          driver->memsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value,
                                 count, stream));
}

extern "C" void mgpuMemset16(void *dst, uint16_t value, size_t count,
                             void *stream) {
  if (Driver *driver = ready())
    check("cuMemsetD16Async",
          driver->memsetD16Async(reinterpret_cast<CUdeviceptr>(dst), value,
                                 count, stream));
}

/// A copy ordered on `stream` and waited for. (With unified addressing the
/// driver tells host from device pointers.)
static int copyAndWait(void *dst, const void *src, size_t bytes, void *stream) {
  Driver *driver = ready();
  if (!driver)
    return 1;
  bool ok = check("cuMemcpyAsync",
                  driver->memcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                                      reinterpret_cast<CUdeviceptr>(src), bytes,
                                      stream)) &&
            check("cuStreamSynchronize", driver->streamSynchronize(stream));
  return ok ? 0 : 1;
}

extern "C" int kiln_cuda_copy_to_device(void *device, const void *host,
                                        size_t bytes, void *stream) {
  return copyAndWait(device, host, bytes, stream);
}

extern "C" int kiln_cuda_copy_to_host(void *host, const void *device,
                                      size_t bytes, void *stream) {
  return copyAndWait(host, device, bytes, stream);
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

namespace {
/// Device copies of constant host data, by device and host address.
struct Constants {
  std::mutex mutex;
  std::map<std::pair<int, const void *>, CUdeviceptr> copies;
};
} // namespace

extern "C" void *kiln_cuda_device_constant(const void *host, uint64_t bytes) {
  Driver *driver = ready();
  if (!driver)
    return nullptr;
  static Constants constants;
  std::lock_guard<std::mutex> lock(constants.mutex);
  auto key = std::make_pair(currentDevice, host);
  auto it = constants.copies.find(key);
  if (it != constants.copies.end())
    return reinterpret_cast<void *>(it->second);
  // Not from the caching allocator: a constant lives as long as the
  // process.
  CUdeviceptr block = 0;
  if (!check("cuMemAlloc", driver->memAlloc(&block, bytes ? bytes : 1)))
    return nullptr;
  if (copyAndWait(reinterpret_cast<void *>(block), host, bytes, nullptr) != 0) {
    check("cuMemFree", driver->memFree(block));
    return nullptr;
  }
  constants.copies[key] = block;
  return reinterpret_cast<void *>(block);
}
