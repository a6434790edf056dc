/*===- CUDARuntime.h - Kiln's CUDA runtime, C ABI ------------------*- C -*-===*
 *
 * Part of Kiln. What GPU code compiled by Kiln calls on the host, and what
 * kiln-run and compiled executables call around it. No link-time
 * dependency on CUDA: the driver (libcuda.so.1, or the library
 * $KILN_CUDA_DRIVER names) is loaded with dlopen on first use, so a
 * program that never touches the GPU runs on a machine without one, and
 * one that does fails with one message instead of a loader error.
 *
 * Errors: every function records the first failure (the driver call, its
 * cuGetErrorString text) for kiln_cuda_error(); the functions MLIR's GPU
 * lowering calls (mgpu*) return nothing, so callers check
 * kiln_cuda_error() after a run.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_RUNTIME_CUDARUNTIME_H
#define KILN_RUNTIME_CUDARUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Loads the driver, initializes it and makes `device`'s primary context
 * current on the calling thread. Returns 0 on success, else non-zero with
 * the reason in kiln_cuda_error() (no driver, no such device, a stub
 * driver, ...). Safe to call again (the driver is loaded once). */
int kiln_cuda_init(int device);

/* The first failure since the last kiln_cuda_clear_error(), as one line
 * ("cuMemAlloc: out of memory (CUDA_ERROR_OUT_OF_MEMORY)"), or NULL. */
const char *kiln_cuda_error(void);
void kiln_cuda_clear_error(void);

/* The number of devices, or -1 when the driver cannot be used. */
int kiln_cuda_device_count(void);

/* `device`'s compute capability (8 and 0 for sm_80). Returns 0, else
 * non-zero with the reason in kiln_cuda_error(). */
int kiln_cuda_device_capability(int device, int *major, int *minor);

/* `device`'s name ("NVIDIA H100 80GB HBM3") in `name`, at most `length`
 * bytes with the terminating NUL. Returns 0, else non-zero with the reason
 * in kiln_cuda_error(). */
int kiln_cuda_device_name(int device, char *name, int length);

/* The device copy of `bytes` bytes of constant host data (a model's
 * weights), for the device current on this thread: copied on the first call
 * with this address, then kept for the process. NULL on failure. */
void *kiln_cuda_device_constant(const void *host, uint64_t bytes);

/* C[m x n] += A[m x k] * B[k x n] with cuBLAS (loaded on first use), the
 * matrices row-major in device memory with row strides lda, ldb, ldc (in
 * elements); A and B of cudaDataType `inputType` (0 f32, 2 f16, 14 bf16),
 * C f32, sums in f32 (`tf32`: cuBLAS may read f32 inputs as tf32). What a
 * matmul whose lowering_config says `library = "cublas"` calls; failures
 * are recorded for kiln_cuda_error(). */
void kiln_cuda_gemm(int32_t inputType, int32_t tf32, int64_t m, int64_t n,
                    int64_t k, uint64_t a, int64_t lda, uint64_t b, int64_t ldb,
                    uint64_t c, int64_t ldc);

/* y[n, k, p, q] += sum over c, r, s of x[n, c, p * strideH + r * dilationH
 * - padH, q * strideW + s * dilationW - padW] * w[k, c, r, s] with cuDNN
 * (loaded on first use): f32 NCHW tensors in device memory, x and y with
 * the given strides (in elements), w packed; zero padding. `tf32`: cuDNN
 * may read the inputs as tf32 (else FMA math only). What a convolution
 * whose lowering_config says `library = "cudnn"` calls; each shape's
 * descriptors and algorithm are made once. Failures are recorded for
 * kiln_cuda_error(). */
void kiln_cuda_conv2d(int32_t tf32, int64_t n, int64_t c, int64_t h, int64_t w,
                      uint64_t x, int64_t xStrideN, int64_t xStrideC,
                      int64_t xStrideH, int64_t xStrideW, int64_t k, int64_t r,
                      int64_t s, uint64_t filter, int64_t strideH,
                      int64_t strideW, int64_t dilationH, int64_t dilationW,
                      int64_t p, int64_t q, uint64_t y, int64_t yStrideN,
                      int64_t yStrideK, int64_t yStrideP, int64_t yStrideQ,
                      int64_t padH, int64_t padW);

/* Device memory from a caching allocator: a freed block is kept for the
 * next request of its size class (powers of two from 512 bytes, then
 * multiples of 2 MiB from 1 MiB), so a model run again allocates nothing
 * from the driver. NULL on failure. (mgpuMemFree with a stream keeps a
 * block for that stream until the stream is synchronized: kernels queued
 * on it may still use it.) */
void *kiln_cuda_alloc(size_t bytes);
void kiln_cuda_free(void *pointer);
/* Returns every cached block to the driver. */
void kiln_cuda_allocator_trim(void);
/* The allocator's counters: blocks the driver allocated, bytes it holds,
 * bytes cached (free) among them. */
void kiln_cuda_allocator_stats(uint64_t *driverAllocations,
                               uint64_t *heldBytes, uint64_t *cachedBytes);

/* Copies between host and device memory, ordered on `stream` (NULL: the
 * default stream) and waited for. Return 0 on success. */
int kiln_cuda_copy_to_device(void *device, const void *host, size_t bytes,
                             void *stream);
int kiln_cuda_copy_to_host(void *host, const void *device, size_t bytes,
                           void *stream);

/* Milliseconds between two events recorded with mgpuEventRecord, after
 * the second completed; negative on failure. */
float kiln_cuda_elapsed_ms(void *start, void *end);

/* The entry points MLIR 22's GPU lowering (gpu-to-llvm and the
 * gpu.binary translation) calls. A module is loaded lazily: Load keeps the
 * image, the first GetFunction loads it into the driver. */
void *mgpuModuleLoad(void *data, size_t size);
void *mgpuModuleLoadJIT(void *data, int optLevel);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedMemBytes, void *stream,
                      void **params, void **extra, size_t paramsCount);
void *mgpuStreamCreate(void);
void mgpuStreamDestroy(void *stream);
void mgpuStreamSynchronize(void *stream);
void mgpuStreamWaitEvent(void *stream, void *event);
void *mgpuEventCreate(void);
void mgpuEventDestroy(void *event);
void mgpuEventSynchronize(void *event);
void mgpuEventRecord(void *event, void *stream);
void *mgpuMemAlloc(uint64_t bytes, void *stream, bool hostShared);
void mgpuMemFree(void *pointer, void *stream);
void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream);
void mgpuMemset32(void *dst, uint32_t value, size_t count, void *stream);
void mgpuMemset16(void *dst, uint16_t value, size_t count, void *stream);
void mgpuSetDefaultDevice(int32_t device);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_CUDARUNTIME_H */
