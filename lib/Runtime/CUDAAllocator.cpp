//===- CUDAAllocator.cpp - a caching allocator of device memory -----------===//
//
// Part of Kiln. cuMemAlloc and cuMemFree synchronize the device and cost
// tens of microseconds each, more than a small kernel: a model that
// allocates its temporaries on every run would spend its time there.
// Freed blocks are kept by size class and handed out again. A block freed
// on a stream (mgpuMemFree of an asynchronous gpu.dealloc) may still be in
// use by kernels queued on it: it is reused only by allocations on the
// same stream (ordered after those kernels) until the stream is
// synchronized, then by anyone.
//
//===----------------------------------------------------------------------===//

#include "CUDAAllocator.h"
#include "CUDAErrors.h"
#include "kiln/Runtime/CUDARuntime.h"

#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

using namespace kiln::cuda;

namespace {
struct Allocator {
  std::mutex mutex;
  std::map<size_t, std::vector<CUdeviceptr>> cached; // by size class
  std::unordered_map<CUdeviceptr, size_t> live;      // pointer -> class
  // Blocks freed on a stream that was not synchronized since.
  std::unordered_map<CUstream, std::map<size_t, std::vector<CUdeviceptr>>>
      pending;
  uint64_t driverAllocations = 0, heldBytes = 0, cachedBytes = 0;
};
} // namespace

static Allocator &allocator() {
  static Allocator instance;
  return instance;
}

/// The size class of a request: a power of two from 512 bytes below 1 MiB,
/// a multiple of 2 MiB from there (a large tensor wastes at most 2 MiB).
static size_t sizeClass(size_t bytes) {
  constexpr size_t kLarge = size_t(1) << 20, kLargeStep = size_t(2) << 20;
  if (bytes >= kLarge)
    return (bytes + kLargeStep - 1) / kLargeStep * kLargeStep;
  size_t size = 512;
  while (size < bytes)
    size *= 2;
  return size;
}

/// Returns the cached blocks to the driver (the caller holds the mutex).
static void trimLocked(Driver &driver, Allocator &a) {
  for (auto &[size, blocks] : a.cached)
    for (CUdeviceptr block : blocks) {
      check("cuMemFree", driver.memFree(block));
      a.heldBytes -= size;
      a.cachedBytes -= size;
    }
  a.cached.clear();
}

extern "C" void *kiln_cuda_alloc(size_t bytes) {
  Driver *driver = usableDriver();
  if (!driver || kiln_cuda_init(-1) != 0)
    return nullptr;
  Allocator &a = allocator();
  size_t size = sizeClass(bytes ? bytes : 1);
  std::lock_guard<std::mutex> lock(a.mutex);
  auto it = a.cached.find(size);
  if (it != a.cached.end() && !it->second.empty()) {
    CUdeviceptr block = it->second.back();
    it->second.pop_back();
    a.cachedBytes -= size;
    a.live[block] = size;
    return reinterpret_cast<void *>(block);
  }
  CUdeviceptr block = 0;
  CUresult result = driver->memAlloc(&block, size);
  if (result != kSuccess && !a.cached.empty()) {
    // Out of memory with blocks cached: give them back and try again.
    trimLocked(*driver, a);
    result = driver->memAlloc(&block, size);
  }
  if (!check("cuMemAlloc", result))
    return nullptr;
  ++a.driverAllocations;
  a.heldBytes += size;
  a.live[block] = size;
  return reinterpret_cast<void *>(block);
}

/// Moves `pointer`'s block from the live ones to `cache` (its size class's
/// list), counted as cached; records an error for a pointer that is not a
/// live block. The caller holds the mutex.
static void releaseLocked(Allocator &a, void *pointer,
                          std::map<size_t, std::vector<CUdeviceptr>> &cache) {
  auto it = a.live.find(reinterpret_cast<CUdeviceptr>(pointer));
  if (it == a.live.end()) {
    recordError("kiln_cuda_free: not a block of Kiln's device allocator");
    return;
  }
  cache[it->second].push_back(it->first);
  a.cachedBytes += it->second;
  a.live.erase(it);
}

extern "C" void kiln_cuda_free(void *pointer) {
  if (!pointer)
    return;
  Allocator &a = allocator();
  std::lock_guard<std::mutex> lock(a.mutex);
  releaseLocked(a, pointer, a.cached);
}

extern "C" void kiln_cuda_allocator_trim(void) {
  Driver *driver = usableDriver();
  if (!driver)
    return;
  Allocator &a = allocator();
  std::lock_guard<std::mutex> lock(a.mutex);
  trimLocked(*driver, a);
}

extern "C" void kiln_cuda_allocator_stats(uint64_t *driverAllocations,
                                          uint64_t *heldBytes,
                                          uint64_t *cachedBytes) {
  Allocator &a = allocator();
  std::lock_guard<std::mutex> lock(a.mutex);
  if (driverAllocations)
    *driverAllocations = a.driverAllocations;
  if (heldBytes)
    *heldBytes = a.heldBytes;
  if (cachedBytes)
    *cachedBytes = a.cachedBytes;
}

void *kiln::cuda::allocateOnStream(size_t bytes, CUstream stream) {
  if (stream) {
    Allocator &a = allocator();
    size_t size = sizeClass(bytes ? bytes : 1);
    std::lock_guard<std::mutex> lock(a.mutex);
    auto queue = a.pending.find(stream);
    if (queue != a.pending.end()) {
      auto it = queue->second.find(size);
      if (it != queue->second.end() && !it->second.empty()) {
        CUdeviceptr block = it->second.back();
        it->second.pop_back();
        a.cachedBytes -= size;
        a.live[block] = size;
        return reinterpret_cast<void *>(block);
      }
    }
  }
  return kiln_cuda_alloc(bytes);
}

void kiln::cuda::freeOnStream(void *pointer, CUstream stream) {
  if (!stream || !pointer)
    return kiln_cuda_free(pointer);
  Allocator &a = allocator();
  std::lock_guard<std::mutex> lock(a.mutex);
  releaseLocked(a, pointer, a.pending[stream]);
}

void kiln::cuda::releaseStream(CUstream stream) {
  Allocator &a = allocator();
  std::lock_guard<std::mutex> lock(a.mutex);
  auto queue = a.pending.find(stream);
  if (queue == a.pending.end())
    return;
  for (auto &[size, blocks] : queue->second) {
    std::vector<CUdeviceptr> &cached = a.cached[size];
    cached.insert(cached.end(), blocks.begin(), blocks.end());
  }
  a.pending.erase(queue);
}
