//===- ThreadPool.cpp - Kiln's thread pool for compiled code --------------===//
//
// Part of Kiln's runtime (no MLIR/LLVM dependency).
//
// One process-wide pool of n - 1 worker threads; the thread that calls
// kiln_parallel_for works too. Iterations are cache tiles (tens of
// microseconds or more each), so handing them out one at a time through an
// atomic counter balances the load at a negligible cost.
//
// Waiting spins before it sleeps. A model runs one parallel loop after
// another, a few hundred microseconds apart; a worker that went to sleep on
// a futex between them takes tens to hundreds of microseconds to wake, more
// on a virtual machine whose idle vCPU the hypervisor descheduled (measured
// on a 2-vCPU VM: a 1 ms matmul on 2 threads had a median of 1.25 ms with
// sleeping workers and 0.5 ms best case). So a worker spins for a couple of
// milliseconds after each loop before it blocks, and the calling thread
// spins until the workers are done (OpenMP runtimes do the same).
//
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/ThreadPool.h"
#include "kiln/Runtime/ModelABI.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#ifdef __linux__
#include <sched.h>
#endif

namespace {

/// CPUs this process may run on (its affinity mask, which containers and
/// taskset narrow), at least 1.
int availableCpus() {
#ifdef __linux__
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
    return CPU_COUNT(&set);
#endif
  unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? static_cast<int>(n) : 1;
}

/// More threads than this only time-slice the same cores.
constexpr int kMaxThreads = 1024;

/// $KILN_NUM_THREADS when it is a thread count, else 0.
int threadsFromEnvironment() {
  if (const char *env = std::getenv("KILN_NUM_THREADS")) {
    char *end = nullptr;
    long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n > 0 && n <= kMaxThreads)
      return static_cast<int>(n);
  }
  return 0;
}

int defaultThreads() {
  int n = threadsFromEnvironment();
  return n > 0 ? n : availableCpus();
}

/// A hint to the core that this thread is spinning.
inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

/// How long a worker spins for the next loop before it sleeps.
constexpr std::chrono::microseconds kSpinTime(2000);

class ThreadPool {
public:
  static ThreadPool &get() {
    // Never destroyed: workers may still be asleep when static destructors
    // run at exit, and joining them there can deadlock.
    static ThreadPool *pool = new ThreadPool();
    return *pool;
  }

  int threads() { return threadCount.load(std::memory_order_relaxed); }

  void setThreads(int n) {
    int count = n > 0 ? std::min(n, kMaxThreads) : defaultThreads();
    std::lock_guard<std::mutex> region(regionMutex);
    // Cheap when nothing changes: callers (a Python model compiled with
    // threads=N) may set the count before every run.
    if (threadCount.load(std::memory_order_relaxed) == count)
      return;
    threadCount.store(count, std::memory_order_relaxed);
    stopWorkers();
  }

  void parallelFor(kiln_parallel_task task, void *context, int64_t n) {
    if (n <= 0)
      return;
    std::unique_lock<std::mutex> region(regionMutex, std::try_to_lock);
    int count = threads();
    if (!region.owns_lock() || count <= 1 || n == 1) {
      task(context, 0, n);
      return;
    }
    startWorkers(count - 1);
    {
      std::lock_guard<std::mutex> lock(mutex);
      job = {task, context, n};
      next.store(0, std::memory_order_relaxed);
      busy.store(static_cast<int>(workers.size()), std::memory_order_relaxed);
      // Publishes the job to workers that spin on the generation.
      generation.fetch_add(1, std::memory_order_release);
    }
    wake.notify_all();
    runIterations();
    // Iterations run on the workers for at most one iteration longer than
    // here: spin, yielding now and then in case a worker is descheduled.
    for (unsigned spins = 0; busy.load(std::memory_order_acquire) != 0;
         ++spins) {
      if (spins % 1024 == 1023)
        std::this_thread::yield();
      else
        cpuRelax();
    }
  }

private:
  struct Job {
    kiln_parallel_task task = nullptr;
    void *context = nullptr;
    int64_t n = 0;
  };

  ThreadPool() : threadCount(defaultThreads()) {}

  void runIterations() {
    for (int64_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < job.n;)
      job.task(job.context, i, i + 1);
  }

  /// Waits until the generation differs from `seen` (a new job) or the pool
  /// stops: spins for kSpinTime, then sleeps. Returns false to stop.
  bool awaitJob(uint64_t &seen) {
    auto deadline = std::chrono::steady_clock::now() + kSpinTime;
    for (unsigned spins = 0;; ++spins) {
      if (stopping.load(std::memory_order_acquire))
        return false;
      uint64_t current = generation.load(std::memory_order_acquire);
      if (current != seen) {
        seen = current;
        return true;
      }
      if (spins % 256 == 255 && std::chrono::steady_clock::now() > deadline)
        break;
      cpuRelax();
    }
    std::unique_lock<std::mutex> lock(mutex);
    wake.wait(lock, [&] {
      return stopping.load(std::memory_order_relaxed) ||
             generation.load(std::memory_order_relaxed) != seen;
    });
    if (stopping.load(std::memory_order_relaxed))
      return false;
    seen = generation.load(std::memory_order_relaxed);
    return true;
  }

  /// `seen`: the generation of the last job this worker must not run (the
  /// one before it started).
  void workerLoop(uint64_t seen) {
    while (awaitJob(seen)) {
      runIterations();
      busy.fetch_sub(1, std::memory_order_acq_rel);
    }
  }

  /// Called with regionMutex held.
  void startWorkers(int n) {
    if (static_cast<int>(workers.size()) == n)
      return;
    stopWorkers();
    stopping.store(false, std::memory_order_relaxed);
    uint64_t current = generation.load(std::memory_order_relaxed);
    for (int i = 0; i < n; ++i)
      workers.emplace_back([this, current] { workerLoop(current); });
  }

  /// Called with regionMutex held: no job is running.
  void stopWorkers() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping.store(true, std::memory_order_release);
    }
    wake.notify_all();
    for (std::thread &t : workers)
      t.join();
    workers.clear();
  }

  std::mutex regionMutex; // held by the thread running a parallel loop
  std::atomic<int> threadCount;

  std::mutex mutex; // pairs with `wake` for sleeping workers
  std::condition_variable wake;
  std::vector<std::thread> workers;
  Job job;
  std::atomic<int64_t> next{0};
  std::atomic<int> busy{0};
  std::atomic<uint64_t> generation{0};
  std::atomic<bool> stopping{false};
};

} // namespace

extern "C" void kiln_parallel_for(kiln_parallel_task task, void *context,
                                  int64_t n) {
  ThreadPool::get().parallelFor(task, context, n);
}

/// Whether a user chose the thread count (kiln_set_num_threads), which a
/// model's compiled-in count must not override.
static std::atomic<bool> userChoseThreads{false};

extern "C" void kiln_set_num_threads(int32_t n) {
  userChoseThreads.store(true, std::memory_order_relaxed);
  ThreadPool::get().setThreads(n);
}

extern "C" void kiln_suggest_num_threads(int32_t n) {
  if (n > 0 && !userChoseThreads.load(std::memory_order_relaxed) &&
      !std::getenv("KILN_NUM_THREADS"))
    ThreadPool::get().setThreads(n);
}

extern "C" const char *kiln_num_threads_env_error(void) {
  const char *env = std::getenv("KILN_NUM_THREADS");
  if (!env || threadsFromEnvironment() > 0)
    return nullptr;
  static thread_local char message[160];
  std::snprintf(message, sizeof message,
                "KILN_NUM_THREADS='%.60s' is not a thread count (a whole "
                "number from 1 to %d)",
                env, kMaxThreads);
  return message;
}

extern "C" int32_t kiln_get_num_threads(void) {
  return ThreadPool::get().threads();
}
