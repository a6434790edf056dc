//===- runtime.cpp - checks of the thread pool and the allocator ----------===//
//
// Part of Kiln. Prints one line per check, "ok: ..." or "FAIL: ...", and
// exits non-zero if any failed (runtime.test runs it).
//
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/Allocator.h"
#include "kiln/Runtime/Npy.h"
#include "kiln/Runtime/ThreadPool.h"

#include <cmath>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

static int failures = 0;

static void check(bool ok, const char *what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what);
  failures += !ok;
}

namespace {
/// Records which iterations ran, how often, and on which threads.
struct Record {
  std::vector<std::atomic<int>> hits;
  std::mutex mutex;
  std::set<std::thread::id> threads;
  explicit Record(int64_t n) : hits(n) {}
};
} // namespace

static void recordTask(void *context, int64_t begin, int64_t end) {
  auto *record = static_cast<Record *>(context);
  for (int64_t i = begin; i < end; ++i)
    record->hits[i].fetch_add(1);
  {
    std::lock_guard<std::mutex> lock(record->mutex);
    record->threads.insert(std::this_thread::get_id());
  }
  // Long enough that every worker gets a share.
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

static bool allOnce(Record &record) {
  for (auto &h : record.hits)
    if (h.load() != 1)
      return false;
  return true;
}

static void nestedTask(void *context, int64_t begin, int64_t end) {
  // A parallel loop inside a task runs on the calling thread alone.
  Record inner(8);
  kiln_parallel_for(recordTask, &inner, 8);
  bool ok = allOnce(inner) && inner.threads.size() == 1 &&
            *inner.threads.begin() == std::this_thread::get_id();
  if (!ok)
    static_cast<std::atomic<int> *>(context)->fetch_add(1);
}

int main() {
  // Thread pool.
  kiln_set_num_threads(4);
  check(kiln_get_num_threads() == 4, "kiln_set_num_threads(4) sets 4 threads");
  {
    Record record(37);
    kiln_parallel_for(recordTask, &record, 37);
    check(allOnce(record), "every iteration of 37 runs exactly once");
    check(record.threads.size() > 1, "iterations run on several threads");
  }
  {
    Record record(1);
    kiln_parallel_for(recordTask, &record, 0);
    check(record.hits[0].load() == 0, "n = 0 runs nothing");
  }
  {
    std::atomic<int> bad{0};
    kiln_parallel_for(nestedTask, &bad, 6);
    check(bad.load() == 0, "a nested parallel loop runs serially and fully");
  }
  for (int round = 0; round < 200; ++round) {
    Record record(5);
    kiln_parallel_for(
        [](void *c, int64_t b, int64_t e) {
          for (int64_t i = b; i < e; ++i)
            static_cast<Record *>(c)->hits[i].fetch_add(1);
        },
        &record, 5);
    if (!allOnce(record)) {
      check(false, "200 back-to-back loops each run every iteration once");
      break;
    }
    if (round == 199)
      check(true, "200 back-to-back loops each run every iteration once");
  }
  kiln_set_num_threads(1);
  {
    Record record(10);
    kiln_parallel_for(recordTask, &record, 10);
    check(allOnce(record) && record.threads.size() == 1 &&
              *record.threads.begin() == std::this_thread::get_id(),
          "1 thread: every iteration on the calling thread");
  }
  kiln_set_num_threads(100000);
  check(kiln_get_num_threads() == 1024, "thread counts are capped at 1024");
  kiln_set_num_threads(0);
  check(kiln_get_num_threads() >= 1, "kiln_set_num_threads(0) restores a default");

  // Allocator.
  void *small = _mlir_memref_to_llvm_alloc(100);
  check(small && reinterpret_cast<uintptr_t>(small) % 64 == 0,
        "alloc is 64-byte aligned");
  std::memset(small, 1, 100);
  _mlir_memref_to_llvm_free(small);
  void *aligned = _mlir_memref_to_llvm_aligned_alloc(4096, 1000);
  check(aligned && reinterpret_cast<uintptr_t>(aligned) % 4096 == 0,
        "aligned_alloc(4096) is 4096-byte aligned");
  _mlir_memref_to_llvm_free(aligned);
  check(_mlir_memref_to_llvm_aligned_alloc(48, 16) == nullptr,
        "aligned_alloc rejects an alignment that is not a power of two");
  _mlir_memref_to_llvm_free(nullptr);

  kiln_release_cached_memory();
  void *little = _mlir_memref_to_llvm_alloc(100);
  _mlir_memref_to_llvm_free(little);
  check(kiln_cached_memory_bytes() == 128,
        "a freed small block is cached (in 64-byte classes)");
  check(_mlir_memref_to_llvm_alloc(120) == little,
        "a request of the same class reuses it");
  _mlir_memref_to_llvm_free(little);
  kiln_release_cached_memory();
  const uint64_t big = 5 << 20;
  void *first = _mlir_memref_to_llvm_alloc(big);
  std::memset(first, 2, big);
  _mlir_memref_to_llvm_free(first);
  check(kiln_cached_memory_bytes() == big, "a freed large block is cached");
  void *second = _mlir_memref_to_llvm_alloc(big);
  check(second == first, "the next request of that size reuses it");
  check(kiln_cached_memory_bytes() == 0, "a reused block leaves the cache");
  void *other = _mlir_memref_to_llvm_alloc(big + 8192);
  check(other != first, "another size gets another block");
  _mlir_memref_to_llvm_free(second);
  _mlir_memref_to_llvm_free(other);
  kiln_release_cached_memory();
  check(kiln_cached_memory_bytes() == 0, "kiln_release_cached_memory empties it");
  // Two threads that each allocate and free a block of one size, this one
  // first: the most recently freed block is the other thread's, and this
  // thread gets its own back (its lines are in this core's caches).
  void *mine = _mlir_memref_to_llvm_alloc(big);
  void *theirs = nullptr;
  std::thread([&] { theirs = _mlir_memref_to_llvm_alloc(big); }).join();
  _mlir_memref_to_llvm_free(mine);
  std::thread([&] { _mlir_memref_to_llvm_free(theirs); }).join();
  void *got = _mlir_memref_to_llvm_alloc(big);
  void *left = _mlir_memref_to_llvm_alloc(big);
  check(got == mine,
        "a thread gets back a block it freed before one another thread freed");
  check(left == theirs, "then the other thread's block");
  _mlir_memref_to_llvm_free(got);
  _mlir_memref_to_llvm_free(left);
  kiln_release_cached_memory();
  check(_mlir_memref_to_llvm_alloc(UINT64_MAX - 16) == nullptr,
        "an impossible size returns null");

  // binary16 conversion (kiln-run --random's float16 inputs): bit patterns
  // from IEEE 754, rounding to nearest with ties to even.
  struct Half {
    double value;
    uint16_t bits;
    const char *what;
  };
  const Half halves[] = {
      {0.0, 0x0000, "0"},
      {-0.0, 0x8000, "-0 keeps its sign"},
      {1.0, 0x3c00, "1"},
      {-2.0, 0xc000, "-2"},
      {0.1, 0x2e66, "0.1 rounds to the nearest half"},
      {65504.0, 0x7bff, "the largest half"},
      {65519.0, 0x7bff, "just under the overflow threshold"},
      {65520.0, 0x7c00, "the overflow threshold: infinity"},
      {-1e6, 0xfc00, "beyond it: -infinity"},
      {std::ldexp(1.0, -14), 0x0400, "the smallest normal"},
      {std::ldexp(1.0, -24), 0x0001, "the smallest subnormal"},
      {std::ldexp(1.0, -25), 0x0000, "half of it ties to even: 0"},
      {std::ldexp(3.0, -26), 0x0001, "three quarters of it rounds up"},
      {std::ldexp(1023.5, -24), 0x0400,
       "the largest subnormal's half step carries into the normals"},
      {1.0 + std::ldexp(1.0, -11), 0x3c00, "a tie rounds to the even 1.0"},
      {1.0 + std::ldexp(3.0, -11), 0x3c02, "a tie rounds to the even 0x3c02"},
      {2047.5 / 1024.0, 0x4000, "rounding carries into the next binade"},
  };
  for (const Half &h : halves) {
    uint16_t got = kiln::runtime::doubleToFloat16(h.value);
    check(got == h.bits, h.what);
    if (got != h.bits)
      std::printf("  %.17g: got 0x%04x, expected 0x%04x\n", h.value, got,
                  h.bits);
  }
  check(kiln::runtime::doubleToFloat16(NAN) == 0x7e00, "NaN stays NaN");
  bool roundTrips = true;
  for (uint32_t bits = 0; bits < 0x10000; ++bits)
    if ((bits & 0x7c00) != 0x7c00 &&
        kiln::runtime::doubleToFloat16(kiln::runtime::float16ToDouble(
            uint16_t(bits))) != bits)
      roundTrips = false;
  check(roundTrips, "every finite half converts back to itself");

  std::printf("%d failed\n", failures);
  return failures ? 1 : 0;
}
