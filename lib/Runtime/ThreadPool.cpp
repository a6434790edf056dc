//===- ThreadPool.cpp - Kiln's thread pool for compiled code --------------===//
//
// Part of Kiln's runtime (no MLIR/LLVM dependency).
//
// One process-wide pool of n - 1 worker threads that sleep on a condition
// variable between parallel loops; the thread that calls kiln_parallel_for
// works too. Iterations are cache tiles (tens of microseconds or more each),
// so handing them out one at a time through an atomic counter balances the
// load at a negligible cost.
//
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/ThreadPool.h"

#include <atomic>
#include <condition_variable>
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

int defaultThreads() {
  if (const char *env = std::getenv("KILN_NUM_THREADS")) {
    char *end = nullptr;
    long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n > 0 && n <= 4096)
      return static_cast<int>(n);
  }
  return availableCpus();
}

class ThreadPool {
public:
  static ThreadPool &get() {
    // Never destroyed: workers may still be asleep when static destructors
    // run at exit, and joining them there can deadlock.
    static ThreadPool *pool = new ThreadPool();
    return *pool;
  }

  int threads() {
    std::lock_guard<std::mutex> lock(configMutex);
    return threadCount;
  }

  void setThreads(int n) {
    std::lock_guard<std::mutex> region(regionMutex);
    std::lock_guard<std::mutex> lock(configMutex);
    threadCount = n > 0 ? n : defaultThreads();
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
      busy = static_cast<int>(workers.size());
      ++generation;
    }
    wake.notify_all();
    runIterations();
    std::unique_lock<std::mutex> lock(mutex);
    done.wait(lock, [&] { return busy == 0; });
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

  /// `seen`: the generation of the last job this worker must not run (the
  /// one before it started).
  void workerLoop(uint64_t seen) {
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] { return stopping || generation != seen; });
        if (stopping)
          return;
        seen = generation;
      }
      runIterations();
      std::lock_guard<std::mutex> lock(mutex);
      if (--busy == 0)
        done.notify_one();
    }
  }

  /// Called with regionMutex held.
  void startWorkers(int n) {
    if (static_cast<int>(workers.size()) == n)
      return;
    stopWorkers();
    uint64_t current;
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = false;
      current = generation;
    }
    for (int i = 0; i < n; ++i)
      workers.emplace_back([this, current] { workerLoop(current); });
  }

  /// Called with regionMutex held: no job is running.
  void stopWorkers() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    for (std::thread &t : workers)
      t.join();
    workers.clear();
  }

  std::mutex regionMutex; // held by the thread running a parallel loop
  std::mutex configMutex; // guards threadCount
  int threadCount;

  std::mutex mutex; // guards job, busy, generation, stopping
  std::condition_variable wake, done;
  std::vector<std::thread> workers;
  Job job;
  std::atomic<int64_t> next{0};
  int busy = 0;
  uint64_t generation = 0;
  bool stopping = false;
};

} // namespace

extern "C" void kiln_parallel_for(kiln_parallel_task task, void *context,
                                  int64_t n) {
  ThreadPool::get().parallelFor(task, context, n);
}

extern "C" void kiln_set_num_threads(int32_t n) {
  ThreadPool::get().setThreads(n);
}

extern "C" int32_t kiln_get_num_threads(void) {
  return ThreadPool::get().threads();
}
