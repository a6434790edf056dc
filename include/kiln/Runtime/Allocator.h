/*===- Allocator.h - heap memory for compiled code ----------------*- C -*-===*\
|*                                                                            *|
|* Part of Kiln's runtime: no MLIR or LLVM dependency, plain C ABI. Compiled  *|
|* models allocate their temporaries (im2col patches, packed tiles, padded    *|
|* inputs) through MLIR's generic allocation functions (the CPU pipeline sets *|
|* finalize-memref-to-llvm's use-generic-functions); this is Kiln's           *|
|* implementation of them. Blocks are kept after they are freed and handed   *|
|* out again for the next request of the same size class: a model asks for   *|
|* the same temporaries on every call, and a fresh multi-megabyte block from  *|
|* the system costs a page fault per 4 KiB page each time (measured: 29% of   *|
|* LeNet-5's time at batch 64 was spent in the kernel clearing pages), while  *|
|* small blocks freed to malloc leave it a backlog to sort at the caller's    *|
|* next allocation (measured: 40 us after a ResNet-18 run).                   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef KILN_RUNTIME_ALLOCATOR_H
#define KILN_RUNTIME_ALLOCATOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// `size` bytes aligned to at least 64, freed with
/// _mlir_memref_to_llvm_free; null for a size of half the address space or
/// more. When the system has no memory left, it says so on stderr and
/// aborts: compiled code cannot handle a null buffer.
void *_mlir_memref_to_llvm_alloc(uint64_t size);

/// `size` bytes aligned to `alignment` (a power of two), as above; null
/// when `alignment` is not a power of two.
void *_mlir_memref_to_llvm_aligned_alloc(uint64_t alignment, uint64_t size);

/// Frees a block from the two functions above (null is ignored). Blocks go
/// to a cache of at most 512 MiB for reuse: those under 64 KiB in 64-byte
/// size classes, larger ones in whole pages. A request takes back the block
/// of its class that the calling thread freed last, else the last one freed.
void _mlir_memref_to_llvm_free(void *pointer);

/// Returns every cached block to the system.
void kiln_release_cached_memory(void);

/// Bytes held in the cache now.
uint64_t kiln_cached_memory_bytes(void);

/* Bytes of the blocks compiled code holds now (what it asked for, the
 * cache's rounding aside), and the most it has held since the last
 * kiln_reset_peak_memory(). */
uint64_t kiln_live_memory_bytes(void);
uint64_t kiln_peak_memory_bytes(void);
void kiln_reset_peak_memory(void);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_ALLOCATOR_H */
