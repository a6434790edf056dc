//===- FakeCUDNN.cpp - cuDNN's convolution on the host, for tests ---------===//
//
// Part of Kiln's tests. The cuDNN functions Kiln's runtime loads
// (kiln_cuda_conv2d), computing on host memory: with the fake driver
// (FakeCUDADriver.cpp, whose device memory is host memory), a model whose
// convolutions call cuDNN computes real results on a machine without a
// GPU, so that the call's sizes, strides, dilations and layouts are checked
// against PyTorch. Point $KILN_CUDNN_LIBRARY at this library. The forward
// convolution is the reference cross-correlation y = alpha conv(x, w) +
// beta y on f32 NCHW tensors of any strides (filters packed), with zero
// padding. $KILN_FAKE_CUDNN_FAIL=1 makes cudnnCreate fail
// (CUDNN_STATUS_NOT_INITIALIZED); $KILN_FAKE_CUDA_REPORT=1 prints the
// number of convolutions and of algorithm queries when the process exits.
//
//===----------------------------------------------------------------------===//

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {
using Status = int;
constexpr Status kSuccess = 0, kNotInitialized = 1001, kBadParam = 2000,
                 kNotSupported = 3000;
constexpr int kDataFloat = 0, kFormatNCHW = 0, kCrossCorrelation = 1;

std::atomic<int64_t> convolutions{0}, queries{0};

struct Report {
  ~Report() {
    const char *report = std::getenv("KILN_FAKE_CUDA_REPORT");
    if (report && std::strcmp(report, "1") == 0)
      std::fprintf(stderr,
                   "fake cuDNN: %lld convolutions, %lld algorithm queries\n",
                   static_cast<long long>(convolutions.load()),
                   static_cast<long long>(queries.load()));
  }
} report;

struct Tensor {
  int type = -1, n = 0, c = 0, h = 0, w = 0;
  int strides[4] = {0, 0, 0, 0};
};
struct Filter {
  int type = -1, format = -1, k = 0, c = 0, h = 0, w = 0;
};
struct Convolution {
  int padH = 0, padW = 0, strideH = 1, strideW = 1, dilationH = 1,
      dilationW = 1, mode = -1, type = -1, math = 0;
};

/// cudnnConvolutionFwdAlgoPerf_t.
struct AlgorithmPerformance {
  int algorithm;
  Status status;
  float time;
  size_t memory;
  int determinism;
  int mathType;
  int reserved[3];
};

/// Whether the output's sizes are the ones `x`, `w` and `conv` give.
bool consistent(const Tensor &x, const Filter &w, const Convolution &conv,
                const Tensor &y) {
  auto out = [](int in, int pad, int kernel, int stride, int dilation) {
    return (in + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
  };
  return x.type == kDataFloat && w.type == kDataFloat && y.type == kDataFloat &&
         w.format == kFormatNCHW && conv.mode == kCrossCorrelation &&
         x.c == w.c && y.n == x.n && y.c == w.k &&
         y.h == out(x.h, conv.padH, w.h, conv.strideH, conv.dilationH) &&
         y.w == out(x.w, conv.padW, w.w, conv.strideW, conv.dilationW);
}
} // namespace

#define API extern "C" __attribute__((visibility("default")))

API Status cudnnCreate(void **handle) {
  const char *fail = std::getenv("KILN_FAKE_CUDNN_FAIL");
  if (fail && std::strcmp(fail, "1") == 0)
    return kNotInitialized;
  *handle = new int(0);
  return kSuccess;
}

API Status cudnnSetStream(void *, void *) { return kSuccess; }

API const char *cudnnGetErrorString(Status status) {
  switch (status) {
  case kNotInitialized:
    return "CUDNN_STATUS_NOT_INITIALIZED";
  case kBadParam:
    return "CUDNN_STATUS_BAD_PARAM";
  case kNotSupported:
    return "CUDNN_STATUS_NOT_SUPPORTED";
  default:
    return "CUDNN_STATUS_UNKNOWN";
  }
}

API Status cudnnCreateTensorDescriptor(void **descriptor) {
  *descriptor = new Tensor;
  return kSuccess;
}

API Status cudnnSetTensor4dDescriptorEx(void *descriptor, int type, int n,
                                        int c, int h, int w, int nStride,
                                        int cStride, int hStride, int wStride) {
  if (n <= 0 || c <= 0 || h <= 0 || w <= 0)
    return kBadParam;
  *static_cast<Tensor *>(descriptor) = {
      type, n, c, h, w, {nStride, cStride, hStride, wStride}};
  return kSuccess;
}

API Status cudnnCreateFilterDescriptor(void **descriptor) {
  *descriptor = new Filter;
  return kSuccess;
}

API Status cudnnSetFilter4dDescriptor(void *descriptor, int type, int format,
                                      int k, int c, int h, int w) {
  if (k <= 0 || c <= 0 || h <= 0 || w <= 0)
    return kBadParam;
  *static_cast<Filter *>(descriptor) = {type, format, k, c, h, w};
  return kSuccess;
}

API Status cudnnCreateConvolutionDescriptor(void **descriptor) {
  *descriptor = new Convolution;
  return kSuccess;
}

API Status cudnnSetConvolution2dDescriptor(void *descriptor, int padH, int padW,
                                           int strideH, int strideW,
                                           int dilationH, int dilationW,
                                           int mode, int type) {
  if (padH < 0 || padW < 0 || strideH <= 0 || strideW <= 0 || dilationH <= 0 ||
      dilationW <= 0)
    return kBadParam;
  auto *conv = static_cast<Convolution *>(descriptor);
  int math = conv->math;
  *conv = {padH,      padW, strideH, strideW, dilationH,
           dilationW, mode, type,    math};
  return kSuccess;
}

API Status cudnnSetConvolutionMathType(void *descriptor, int math) {
  static_cast<Convolution *>(descriptor)->math = math;
  return kSuccess;
}

API Status cudnnGetConvolutionForwardAlgorithm_v7(
    void *, void *x, void *w, void *conv, void *y, int requested, int *returned,
    AlgorithmPerformance *results) {
  ++queries;
  if (requested < 1)
    return kBadParam;
  bool ok =
      consistent(*static_cast<Tensor *>(x), *static_cast<Filter *>(w),
                 *static_cast<Convolution *>(conv), *static_cast<Tensor *>(y));
  *returned = 1;
  results[0] = {/*algorithm=*/0,
                ok ? kSuccess : kNotSupported,
                0.0f,
                /*memory=*/0,
                0,
                0,
                {0, 0, 0}};
  return kSuccess;
}

API Status cudnnGetConvolutionForwardWorkspaceSize(void *, void *, void *,
                                                   void *, void *, int,
                                                   size_t *bytes) {
  *bytes = 0;
  return kSuccess;
}

API Status cudnnConvolutionForward(void *, const void *alpha, void *xDesc,
                                   const void *x, void *wDesc, const void *w,
                                   void *convDesc, int, void *, size_t,
                                   const void *beta, void *yDesc, void *y) {
  const Tensor &xt = *static_cast<Tensor *>(xDesc);
  const Filter &wt = *static_cast<Filter *>(wDesc);
  const Convolution &conv = *static_cast<Convolution *>(convDesc);
  const Tensor &yt = *static_cast<Tensor *>(yDesc);
  if (!consistent(xt, wt, conv, yt))
    return kBadParam;
  ++convolutions;
  float scale = *static_cast<const float *>(alpha);
  float keep = *static_cast<const float *>(beta);
  auto *in = static_cast<const float *>(x);
  auto *filter = static_cast<const float *>(w);
  auto *out = static_cast<float *>(y);
  auto at = [](const Tensor &t, int n, int c, int h, int w) {
    return int64_t(n) * t.strides[0] + int64_t(c) * t.strides[1] +
           int64_t(h) * t.strides[2] + int64_t(w) * t.strides[3];
  };
  for (int n = 0; n < yt.n; ++n)
    for (int k = 0; k < yt.c; ++k)
      for (int p = 0; p < yt.h; ++p)
        for (int q = 0; q < yt.w; ++q) {
          double sum = 0;
          for (int c = 0; c < wt.c; ++c)
            for (int r = 0; r < wt.h; ++r)
              for (int s = 0; s < wt.w; ++s) {
                int h = p * conv.strideH - conv.padH + r * conv.dilationH;
                int v = q * conv.strideW - conv.padW + s * conv.dilationW;
                if (h < 0 || h >= xt.h || v < 0 || v >= xt.w)
                  continue;
                sum += double(in[at(xt, n, c, h, v)]) *
                       filter[((int64_t(k) * wt.c + c) * wt.h + r) * wt.w + s];
              }
          float &result = out[at(yt, n, k, p, q)];
          result = static_cast<float>(scale * sum + keep * result);
        }
  return kSuccess;
}
