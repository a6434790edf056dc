//===- FakeCUBLAS.cpp - cuBLAS's GEMM on the host, for tests --------------===//
//
// Part of Kiln's tests. The cuBLAS functions Kiln's runtime loads
// (kiln_cuda_gemm), computing on host memory: with the fake driver
// (FakeCUDADriver.cpp, whose device memory is host memory), a model whose
// matmuls call cuBLAS computes real results on a machine without a GPU, so
// that the call's arguments (column-major operands, leading dimensions,
// types) are checked against numpy. Point $KILN_CUBLAS_LIBRARY at this
// library. cublasGemmEx is the reference column-major product
// C = alpha op(A) op(B) + beta C, without transposes, for A and B f32, f16
// or bf16 and C f32. $KILN_FAKE_CUBLAS_FAIL=1 makes cublasCreate fail
// (CUBLAS_STATUS_NOT_INITIALIZED); $KILN_FAKE_CUDA_REPORT=1 prints the
// number of GEMMs when the process exits.
//
//===----------------------------------------------------------------------===//

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {
using Status = int;
constexpr Status kSuccess = 0, kNotInitialized = 1, kInvalidValue = 7,
                 kNotSupported = 15;
constexpr int kOpN = 0, kDataF32 = 0, kDataF16 = 2, kDataBF16 = 14;

std::atomic<int64_t> gemms{0};

struct Report {
  ~Report() {
    const char *report = std::getenv("KILN_FAKE_CUDA_REPORT");
    if (report && std::strcmp(report, "1") == 0)
      std::fprintf(stderr, "fake cuBLAS: %lld GEMMs\n",
                   static_cast<long long>(gemms.load()));
  }
} report;

float halfToFloat(uint16_t h) {
  int exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
  float magnitude =
      exponent == 0 ? std::ldexp(static_cast<float>(mantissa), -24)
      : exponent == 31
          ? (mantissa ? NAN : INFINITY)
          : std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
  return (h & 0x8000) ? -magnitude : magnitude;
}

float bf16ToFloat(uint16_t h) {
  uint32_t bits = static_cast<uint32_t>(h) << 16;
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

/// Element `i` of a matrix of cudaDataType `type` at `data`.
float element(const void *data, int type, int64_t i) {
  if (type == kDataF32)
    return static_cast<const float *>(data)[i];
  uint16_t h = static_cast<const uint16_t *>(data)[i];
  return type == kDataF16 ? halfToFloat(h) : bf16ToFloat(h);
}
} // namespace

#define API extern "C" __attribute__((visibility("default")))

API Status cublasCreate_v2(void **handle) {
  const char *fail = std::getenv("KILN_FAKE_CUBLAS_FAIL");
  if (fail && std::strcmp(fail, "1") == 0)
    return kNotInitialized;
  *handle = new int(0);
  return kSuccess;
}

API Status cublasDestroy_v2(void *handle) {
  delete static_cast<int *>(handle);
  return kSuccess;
}

API Status cublasSetStream_v2(void *, void *) { return kSuccess; }

API const char *cublasGetStatusString(Status status) {
  switch (status) {
  case kNotInitialized:
    return "the library was not initialized";
  case kInvalidValue:
    return "an unsupported value or parameter was passed to the function";
  case kNotSupported:
    return "the functionality requested is not supported";
  default:
    return "unknown status";
  }
}

API Status cublasGemmEx(void *, int transa, int transb, int m, int n, int k,
                        const void *alpha, const void *a, int aType, int lda,
                        const void *b, int bType, int ldb, const void *beta,
                        void *c, int cType, int ldc, int, int) {
  if (transa != kOpN || transb != kOpN || cType != kDataF32 || aType != bType ||
      (aType != kDataF32 && aType != kDataF16 && aType != kDataBF16))
    return kNotSupported;
  if (m < 0 || n < 0 || k < 0 || lda < m || ldb < k || ldc < m)
    return kInvalidValue;
  ++gemms;
  float scale = *static_cast<const float *>(alpha);
  float keep = *static_cast<const float *>(beta);
  auto *out = static_cast<float *>(c);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      double sum = 0;
      for (int p = 0; p < k; ++p)
        sum += static_cast<double>(element(a, aType, i + int64_t(p) * lda)) *
               element(b, bType, p + int64_t(j) * ldb);
      float &result = out[i + int64_t(j) * ldc];
      result = static_cast<float>(scale * sum + keep * result);
    }
  return kSuccess;
}
