//===- CUDADriver.h - the CUDA driver API, loaded at run time ---*- C++ -*-===//
//
// Part of Kiln. The driver functions Kiln's CUDA runtime calls, resolved
// with dlopen/dlsym from libcuda.so.1 (or $KILN_CUDA_DRIVER): Kiln builds
// without CUDA installed and runs without a GPU until code needs one. The
// types are the driver API's, declared here so that no CUDA header is
// needed (their layout is the driver's ABI: plain integers and pointers).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_RUNTIME_CUDADRIVER_H
#define KILN_LIB_RUNTIME_CUDADRIVER_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace kiln::cuda {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = void *;
using CUmodule = void *;
using CUfunction = void *;
using CUstream = void *;
using CUevent = void *;

inline constexpr CUresult kSuccess = 0;
inline constexpr int kJitOptimizationLevel = 7;   // CU_JIT_OPTIMIZATION_LEVEL
inline constexpr int kMaxDynamicSharedBytes = 8;  // CU_FUNC_ATTRIBUTE_...
inline constexpr unsigned kMemAttachGlobal = 1;   // CU_MEM_ATTACH_GLOBAL
inline constexpr unsigned kStreamNonBlocking = 1; // CU_STREAM_NON_BLOCKING
inline constexpr int kComputeCapabilityMajor = 75; // CU_DEVICE_ATTRIBUTE_...
inline constexpr int kComputeCapabilityMinor = 76;

/// X(field, symbol, result, parameters): every driver function used.
#define KILN_CUDA_DRIVER_FUNCTIONS(X)                                          \
  X(init, "cuInit", CUresult, (unsigned))                                      \
  X(deviceGetCount, "cuDeviceGetCount", CUresult, (int *))                     \
  X(deviceGet, "cuDeviceGet", CUresult, (CUdevice *, int))                     \
  X(deviceGetAttribute, "cuDeviceGetAttribute", CUresult,                      \
    (int *, int, CUdevice))                                                    \
  X(deviceGetName, "cuDeviceGetName", CUresult, (char *, int, CUdevice))       \
  X(primaryCtxRetain, "cuDevicePrimaryCtxRetain", CUresult,                    \
    (CUcontext *, CUdevice))                                                   \
  X(ctxSetCurrent, "cuCtxSetCurrent", CUresult, (CUcontext))                   \
  X(getErrorString, "cuGetErrorString", CUresult, (CUresult, const char **))   \
  X(getErrorName, "cuGetErrorName", CUresult, (CUresult, const char **))       \
  X(moduleLoadData, "cuModuleLoadData", CUresult, (CUmodule *, const void *))  \
  X(moduleLoadDataEx, "cuModuleLoadDataEx", CUresult,                          \
    (CUmodule *, const void *, unsigned, int *, void **))                      \
  X(moduleUnload, "cuModuleUnload", CUresult, (CUmodule))                      \
  X(moduleGetFunction, "cuModuleGetFunction", CUresult,                        \
    (CUfunction *, CUmodule, const char *))                                    \
  X(funcSetAttribute, "cuFuncSetAttribute", CUresult, (CUfunction, int, int))  \
  X(launchKernel, "cuLaunchKernel", CUresult,                                  \
    (CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,   \
     unsigned, CUstream, void **, void **))                                    \
  X(streamCreate, "cuStreamCreate", CUresult, (CUstream *, unsigned))          \
  X(streamDestroy, "cuStreamDestroy_v2", CUresult, (CUstream))                 \
  X(streamSynchronize, "cuStreamSynchronize", CUresult, (CUstream))            \
  X(streamWaitEvent, "cuStreamWaitEvent", CUresult,                            \
    (CUstream, CUevent, unsigned))                                             \
  X(eventCreate, "cuEventCreate", CUresult, (CUevent *, unsigned))             \
  X(eventDestroy, "cuEventDestroy_v2", CUresult, (CUevent))                    \
  X(eventRecord, "cuEventRecord", CUresult, (CUevent, CUstream))               \
  X(eventSynchronize, "cuEventSynchronize", CUresult, (CUevent))               \
  X(eventElapsedTime, "cuEventElapsedTime", CUresult,                          \
    (float *, CUevent, CUevent))                                               \
  X(memAlloc, "cuMemAlloc_v2", CUresult, (CUdeviceptr *, size_t))              \
  X(memAllocManaged, "cuMemAllocManaged", CUresult,                            \
    (CUdeviceptr *, size_t, unsigned))                                         \
  X(memFree, "cuMemFree_v2", CUresult, (CUdeviceptr))                          \
  X(memcpyAsync, "cuMemcpyAsync", CUresult,                                    \
    (CUdeviceptr, CUdeviceptr, size_t, CUstream))                              \
  X(memsetD32Async, "cuMemsetD32Async", CUresult,                              \
    (CUdeviceptr, unsigned, size_t, CUstream))                                 \
  X(memsetD16Async, "cuMemsetD16Async", CUresult,                              \
    (CUdeviceptr, unsigned short, size_t, CUstream))

/// The loaded driver: its functions, or why it cannot be used.
struct Driver {
#define KILN_CUDA_FIELD(field, symbol, result, parameters)                     \
  result(*field) parameters = nullptr;
  KILN_CUDA_DRIVER_FUNCTIONS(KILN_CUDA_FIELD)
#undef KILN_CUDA_FIELD

  /// Empty when the driver is loaded and cuInit succeeded; else why not.
  std::string unavailable;

  /// The driver, loaded and initialized on first call (thread-safe).
  static Driver &get();

  /// "cuName: <cuGetErrorString text> (<cuGetErrorName>)" for `result`.
  std::string describe(const char *call, CUresult result) const;
};

} // namespace kiln::cuda

#endif // KILN_LIB_RUNTIME_CUDADRIVER_H
