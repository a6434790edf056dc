//===- CUDABlas.cpp - matmuls through cuBLAS, loaded at run time ----------===//
//
// Part of Kiln. kiln_cuda_gemm is what a matmul whose lowering_config says
// `library = "cublas"` calls on the host (kiln-gpu-library-calls). cuBLAS
// is loaded with dlopen on the first such call ($KILN_CUBLAS_LIBRARY, else
// the toolkit's soname; CUDALibraries.h), like the driver: Kiln builds
// without CUDA, and a model that never calls cuBLAS never loads it.
// Failures are recorded like the driver's (kiln_cuda_error()).
//
//===----------------------------------------------------------------------===//

#include "CUDAErrors.h"
#include "CUDALibraries.h"
#include "kiln/Runtime/CUDARuntime.h"

#include <climits>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <type_traits>

using namespace kiln::cuda;

namespace {
using cublasHandle = void *;
using cublasStatus = int;

constexpr cublasStatus kBlasSuccess = 0;
constexpr int kOpN = 0;                 // CUBLAS_OP_N
constexpr int kDataF32 = 0;             // CUDA_R_32F
constexpr int kComputeF32 = 68;         // CUBLAS_COMPUTE_32F
constexpr int kComputeF32FastTF32 = 77; // CUBLAS_COMPUTE_32F_FAST_TF32
constexpr int kGemmDefault = -1;        // CUBLAS_GEMM_DEFAULT

/// The cuBLAS functions Kiln calls.
struct Blas {
  OpenedLibrary library;
  cublasStatus (*create)(cublasHandle *) = nullptr;
  cublasStatus (*setStream)(cublasHandle, CUstream) = nullptr;
  cublasStatus (*gemmEx)(cublasHandle, int, int, int, int, int, const void *,
                         const void *, int, int, const void *, int, int,
                         const void *, void *, int, int, int, int) = nullptr;
  /// (cuBLAS 11.4 and later.)
  const char *(*statusString)(cublasStatus) = nullptr;

  std::string describe(const char *call, cublasStatus status) const {
    return describeFailure("cuBLAS", call, status, statusString);
  }
};

Blas &loadedBlas() {
  static Blas blas;
  static std::once_flag once;
  std::call_once(once, [] {
    OpenedLibrary &l = blas.library;
    // (The default toolkit's directory last: it is often not on the
    // loader's path.)
    l = openLibrary("KILN_CUBLAS_LIBRARY",
                    {"libcublas.so.13", "libcublas.so.12", "libcublas.so",
                     "/usr/local/cuda/lib64/libcublas.so"},
                    "cuBLAS",
                    "its matmuls (compiled with --gpu-libraries=cublas)");
    if (!l.handle)
      return;
    auto resolve = [&](auto &field, const char *symbol, bool optional) {
      field = reinterpret_cast<std::remove_reference_t<decltype(field)>>(
          l.resolve(symbol, optional));
    };
    resolve(blas.create, "cublasCreate_v2", false);
    resolve(blas.setStream, "cublasSetStream_v2", false);
    resolve(blas.gemmEx, "cublasGemmEx", false);
    resolve(blas.statusString, "cublasGetStatusString", true);
  });
  return blas;
}

/// A cuBLAS handle and the stream its calls run on, one per device, made
/// on first use and kept for the process.
struct Session {
  cublasHandle handle = nullptr;
  CUstream stream = nullptr;
};

Session *session(Driver &driver, Blas &blas, int device) {
  static std::mutex mutex;
  static std::map<int, Session> sessions;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = sessions.find(device);
  if (it != sessions.end())
    return &it->second;
  Session made;
  if (!check("cuStreamCreate",
             driver.streamCreate(&made.stream, kStreamNonBlocking)))
    return nullptr;
  if (cublasStatus status = blas.create(&made.handle); status != kBlasSuccess) {
    recordError(blas.describe("cublasCreate", status));
    return nullptr;
  }
  if (cublasStatus status = blas.setStream(made.handle, made.stream);
      status != kBlasSuccess) {
    recordError(blas.describe("cublasSetStream", status));
    return nullptr;
  }
  return &(sessions[device] = made);
}
} // namespace

/// C[m x n] += A[m x k] * B[k x n], all row-major with leading dimensions
/// (row strides, in elements) lda, ldb, ldc, on the current device; A and B
/// of `inputType` (a cudaDataType: 0 f32, 2 f16, 14 bf16), C f32; the
/// products summed in f32 (tf32 inputs when `tf32`). Returns when C is
/// written (earlier GPU work must be done: the caller waited for it).
extern "C" void kiln_cuda_gemm(int32_t inputType, int32_t tf32, int64_t m,
                               int64_t n, int64_t k, uint64_t a, int64_t lda,
                               uint64_t b, int64_t ldb, uint64_t c,
                               int64_t ldc) {
  int device = 0;
  Driver *driver = readyDriver(&device);
  if (!driver)
    return;
  Blas &blas = loadedBlas();
  if (!blas.library.unavailable.empty()) {
    recordError(blas.library.unavailable);
    return;
  }
  for (int64_t size : {m, n, k, lda, ldb, ldc})
    if (size < 0 || size > INT_MAX) {
      recordError("cuBLAS: a matmul of " + std::to_string(m) + " x " +
                  std::to_string(n) + " x " + std::to_string(k) +
                  " has a size or stride beyond cuBLAS's 32-bit int");
      return;
    }
  Session *s = session(*driver, blas, device);
  if (!s)
    return;
  // cuBLAS is column-major: row-major C = A B is column-major C^T = B^T A^T,
  // with the same buffers and leading dimensions.
  const float one = 1.0f;
  cublasStatus status = blas.gemmEx(
      s->handle, kOpN, kOpN, static_cast<int>(n), static_cast<int>(m),
      static_cast<int>(k), &one, reinterpret_cast<const void *>(b), inputType,
      static_cast<int>(ldb), reinterpret_cast<const void *>(a), inputType,
      static_cast<int>(lda), &one, reinterpret_cast<void *>(c), kDataF32,
      static_cast<int>(ldc), tf32 ? kComputeF32FastTF32 : kComputeF32,
      kGemmDefault);
  if (status != kBlasSuccess) {
    recordError(blas.describe("cublasGemmEx", status));
    return;
  }
  check("cuStreamSynchronize", driver->streamSynchronize(s->stream));
}
