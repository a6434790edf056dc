//===- CUDALibraries.h - NVIDIA's libraries, loaded at run time -*- C++ -*-===//
//
// Part of Kiln. cuBLAS and cuDNN are loaded like the driver: with dlopen,
// when a model first calls them, so that Kiln builds without CUDA and a
// model that never calls a library never needs it installed.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_RUNTIME_CUDALIBRARIES_H
#define KILN_LIB_RUNTIME_CUDALIBRARIES_H

#include <string>
#include <vector>

namespace kiln::cuda {

/// A library opened with dlopen, or why it could not be.
struct OpenedLibrary {
  void *handle = nullptr;
  /// The name or path that loaded.
  std::string path;
  /// Why the library cannot be used; empty when it can.
  std::string unavailable;

  /// `symbol`'s address, or null after saying so in `unavailable` (for the
  /// first missing one) unless `optional`.
  void *resolve(const char *symbol, bool optional = false);
};

/// Opens `$environmentVariable` if set (tests point it at a fake library),
/// else the first of `candidates` that loads. `what` names the library in
/// the message ("cuBLAS"), `needed` says what the model calls it for and
/// how it was compiled ("its matmuls (compiled with
/// --gpu-libraries=cublas)").
/// "LIBRARY: CALL failed (status N: TEXT)", TEXT being what the library's
/// `statusText` (null if it has none) says of `status`.
std::string describeFailure(const char *library, const char *call, int status,
                            const char *(*statusText)(int));

OpenedLibrary openLibrary(const char *environmentVariable,
                          const std::vector<std::string> &candidates,
                          const std::string &what, const std::string &needed);

} // namespace kiln::cuda

#endif // KILN_LIB_RUNTIME_CUDALIBRARIES_H
