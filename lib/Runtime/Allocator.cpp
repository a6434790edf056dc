//===- Allocator.cpp - heap memory for compiled code ----------------------===//
//
// Part of Kiln's runtime (no MLIR/LLVM dependency). See Allocator.h.
//
// Every block has a header right before the pointer handed out: the pointer
// the system returned and the block's size class (0: not cacheable, an
// alignment over 64). Blocks are rounded up to 64 bytes, large ones
// (>= kMinCached) to whole pages, and when freed kept in a free list per
// size class; the next request of that class takes one back, preferring
// one the same thread freed: a block's lines are still in that core's
// caches, and in another core's they would move across with every write
// (two threads that each pack a 300 KB tile per reduction block took each
// other's blocks, LIFO, on every allocation; ResNet-18's 64->128 3x3/2
// layer on 2 threads: 0.421 -> 0.411 ms).
//
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/Allocator.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

constexpr uint64_t kMinCached = 64 * 1024;
constexpr uint64_t kMaxCachedTotal = uint64_t(512) << 20;
constexpr uint64_t kPage = 4096;
/// Room for the header in front of a block, keeping 64-byte alignment.
constexpr uint64_t kHeaderRoom = 64;

struct Header {
  void *raw;       // what the system allocator returned
  uint64_t cached; // size class if cacheable, else 0
  uint64_t bytes;  // what the caller asked for
};

std::atomic<uint64_t> liveBytes{0}, peakBytes{0};

void countAllocation(uint64_t bytes) {
  uint64_t live = liveBytes.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  uint64_t peak = peakBytes.load(std::memory_order_relaxed);
  while (live > peak && !peakBytes.compare_exchange_weak(
                            peak, live, std::memory_order_relaxed))
    ;
}

Header *headerOf(void *pointer) {
  return reinterpret_cast<Header *>(static_cast<char *>(pointer) -
                                    sizeof(Header));
}

class BlockCache {
public:
  static BlockCache &get() {
    static BlockCache *cache = new BlockCache(); // outlives static destructors
    return *cache;
  }

  void *take(uint64_t sizeClass) {
    std::thread::id self = std::this_thread::get_id();
    std::lock_guard<std::mutex> lock(mutex);
    auto it = free.find(sizeClass);
    if (it == free.end() || it->second.empty())
      return nullptr;
    std::vector<FreeBlock> &blocks = it->second;
    // The most recently freed of this thread's blocks, else the most
    // recently freed one.
    auto mine =
        std::find_if(blocks.rbegin(), blocks.rend(),
                     [&](const FreeBlock &b) { return b.freedBy == self; });
    auto chosen = mine != blocks.rend() ? std::prev(mine.base())
                                        : std::prev(blocks.end());
    void *block = chosen->block;
    blocks.erase(chosen);
    total -= sizeClass;
    return block;
  }

  /// False when the cache is full: the caller frees the block.
  bool give(void *block, uint64_t sizeClass) {
    std::lock_guard<std::mutex> lock(mutex);
    if (total + sizeClass > kMaxCachedTotal)
      return false;
    free[sizeClass].push_back({block, std::this_thread::get_id()});
    total += sizeClass;
    return true;
  }

  void releaseAll() {
    std::lock_guard<std::mutex> lock(mutex);
    for (auto &entry : free)
      for (const FreeBlock &b : entry.second)
        std::free(headerOf(b.block)->raw);
    free.clear();
    total = 0;
  }

  uint64_t bytes() {
    std::lock_guard<std::mutex> lock(mutex);
    return total;
  }

private:
  struct FreeBlock {
    void *block;
    std::thread::id freedBy;
  };
  std::mutex mutex;
  std::unordered_map<uint64_t, std::vector<FreeBlock>> free;
  uint64_t total = 0;
};

/// A block of `size` bytes aligned to `alignment` (>= 64, a power of two).
void *allocate(uint64_t alignment, uint64_t size) {
  // No system has half the address space to give; refusing such sizes up
  // front keeps the rounding below from overflowing.
  if (size > UINT64_MAX / 2 || alignment > UINT64_MAX / 8)
    return nullptr;
  uint64_t room = alignment > kHeaderRoom ? alignment : kHeaderRoom;
  // Small blocks are cached too (in 64-byte classes): freeing them to the
  // system leaves malloc a backlog of chunks to sort at its next call, which
  // then costs tens of microseconds (the caller's next allocation, after a
  // ResNet-18 run: 40 us for 4 KiB).
  bool cacheable = alignment <= kHeaderRoom;
  uint64_t granule = size >= kMinCached ? kPage : kHeaderRoom;
  uint64_t sizeClass = cacheable ? (std::max<uint64_t>(size, 1) + granule - 1) /
                                       granule * granule
                                 : 0;
  if (cacheable)
    if (void *block = BlockCache::get().take(sizeClass)) {
      headerOf(block)->bytes = size;
      countAllocation(size);
      return block;
    }
  uint64_t payload = cacheable ? sizeClass : size;
  // aligned_alloc wants a multiple of the alignment.
  uint64_t bytes = (payload + 2 * room - 1) / room * room;
  void *raw = std::aligned_alloc(room, bytes);
  if (!raw) {
    // Compiled code has no way to fail: it would write through the null
    // pointer. Say what happened instead of crashing on it. (Sizes beyond
    // the machine's memory are compile-time errors: kiln-cpu-check-buffers.)
    std::fprintf(stderr,
                 "kiln: out of memory: cannot allocate %llu bytes for a "
                 "model's temporary buffer\n",
                 static_cast<unsigned long long>(size));
    std::abort();
  }
  void *block = static_cast<char *>(raw) + room;
  *headerOf(block) = {raw, sizeClass, size};
  countAllocation(size);
  return block;
}

} // namespace

extern "C" void *_mlir_memref_to_llvm_alloc(uint64_t size) {
  return allocate(kHeaderRoom, size);
}

extern "C" void *_mlir_memref_to_llvm_aligned_alloc(uint64_t alignment,
                                                    uint64_t size) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0)
    return nullptr;
  return allocate(alignment < kHeaderRoom ? kHeaderRoom : alignment, size);
}

extern "C" void _mlir_memref_to_llvm_free(void *pointer) {
  if (!pointer)
    return;
  Header header = *headerOf(pointer);
  liveBytes.fetch_sub(header.bytes, std::memory_order_relaxed);
  if (header.cached && BlockCache::get().give(pointer, header.cached))
    return;
  std::free(header.raw);
}

extern "C" void kiln_release_cached_memory(void) {
  BlockCache::get().releaseAll();
}

extern "C" uint64_t kiln_cached_memory_bytes(void) {
  return BlockCache::get().bytes();
}

extern "C" uint64_t kiln_live_memory_bytes(void) {
  return liveBytes.load(std::memory_order_relaxed);
}

extern "C" uint64_t kiln_peak_memory_bytes(void) {
  return peakBytes.load(std::memory_order_relaxed);
}

extern "C" void kiln_reset_peak_memory(void) {
  peakBytes.store(liveBytes.load(std::memory_order_relaxed),
                  std::memory_order_relaxed);
}
