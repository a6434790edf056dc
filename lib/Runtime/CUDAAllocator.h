//===- CUDAAllocator.h - stream-ordered reuse of device blocks --*- C++ -*-===//
//
// Part of Kiln. The caching allocator's entry points for memory freed while
// kernels that use it may still be queued (CUDAAllocator.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_RUNTIME_CUDAALLOCATOR_H
#define KILN_LIB_RUNTIME_CUDAALLOCATOR_H

#include "CUDADriver.h"

namespace kiln::cuda {

/// A block for work on `stream`: one freed on it before, else any cached
/// block, else the driver's (kiln_cuda_alloc). NULL stream: kiln_cuda_alloc.
void *allocateOnStream(size_t bytes, CUstream stream);

/// Frees a block that work queued on `stream` may still use: only
/// allocations on `stream` take it until releaseStream(stream).
void freeOnStream(void *pointer, CUstream stream);

/// `stream` has no work left: its freed blocks are anyone's.
void releaseStream(CUstream stream);

} // namespace kiln::cuda

#endif // KILN_LIB_RUNTIME_CUDAALLOCATOR_H
