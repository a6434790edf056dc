/*===- ThreadPool.h - Kiln's thread pool for compiled code --------*- C -*-===*\
|*                                                                            *|
|* Part of Kiln's runtime: no MLIR or LLVM dependency, plain C ABI, so that   *|
|* JIT-compiled code, standalone binaries and libraries for every target call *|
|* the same functions. Compiled models call kiln_parallel_for for the loops   *|
|* whose lowering_config distributes them (kiln-cpu-outline-parallel-loops,   *|
|* kiln-cpu-call-thread-pool); users set the thread count.                   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef KILN_RUNTIME_THREADPOOL_H
#define KILN_RUNTIME_THREADPOOL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One piece of a parallel loop: iterations [begin, end) of the loop whose
/// captured values `context` points to.
typedef void (*kiln_parallel_task)(void *context, int64_t begin, int64_t end);

/// Runs `task` over the iterations [0, n) on the pool's threads and the
/// calling one, and returns when every iteration is done. Iterations are
/// handed out one at a time, in order, to whichever thread is free. A call
/// made while another parallel loop is running (from another thread, or from
/// inside a task) runs its iterations on the calling thread alone.
void kiln_parallel_for(kiln_parallel_task task, void *context, int64_t n);

/// Sets the number of threads parallel loops use, the calling thread
/// included, at most 1024; n <= 0 restores the default: $KILN_NUM_THREADS if
/// set to a number from 1 to 1024, else the number of CPUs this process may
/// run on.
void kiln_set_num_threads(int32_t n);

/// NULL when $KILN_NUM_THREADS is unset or a number from 1 to 1024; else
/// what is wrong with it, for tools to report (the pool itself ignores an
/// invalid value).
const char *kiln_num_threads_env_error(void);

/// The number of threads parallel loops use.
int32_t kiln_get_num_threads(void);

/// A compiled model's default thread count (kiln-compile --threads): applied
/// unless kiln_set_num_threads was called or $KILN_NUM_THREADS is set.
void kiln_suggest_num_threads(int32_t n);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_THREADPOOL_H */
