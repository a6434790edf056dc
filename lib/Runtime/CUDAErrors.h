//===- CUDAErrors.h - the first failure of Kiln's CUDA runtime --*- C++ -*-===//
//
// Part of Kiln. The runtime's functions record their first failure here
// (kiln_cuda_error() returns it): MLIR's GPU lowering calls functions that
// return nothing, so the caller looks once, after the run.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_RUNTIME_CUDAERRORS_H
#define KILN_LIB_RUNTIME_CUDAERRORS_H

#include "CUDADriver.h"

#include <string>

namespace kiln::cuda {

/// Records `message` unless a failure is recorded already.
void recordError(const std::string &message);

/// Records `call`'s failure and returns false when `result` is one.
bool check(const char *call, CUresult result);

/// The driver, loaded and initialized, or null after recording why not.
Driver *usableDriver();

/// The driver with a device's primary context current on this thread (the
/// default device's unless one is current already; its number in
/// `*device`), or null after recording why not.
Driver *readyDriver(int *device = nullptr);

} // namespace kiln::cuda

#endif // KILN_LIB_RUNTIME_CUDAERRORS_H
