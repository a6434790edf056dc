//===- WindowOps.cpp - ONNX window functions ------------------------------===//
//
// Part of Kiln. HannWindow, HammingWindow and BlackmanWindow: constants of
// the (known) size, computed at import in double precision.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include <cmath>

using namespace mlir;
using namespace kiln::onnximport;

/// w[n] = a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N), N = size when
/// `periodic` (the default), else size - 1.
static OpImporter window(double a0, double a1, double a2) {
  return [=](NodeContext &ctx) -> LogicalResult {
    FailureOr<double> sizeValue = ctx.knownScalar(0);
    if (failed(sizeValue))
      return failure();
    int64_t size = saturatingInt64(*sizeValue);
    if (size < 1 || size > (int64_t(1) << 24))
      return ctx.error() << "size " << size << " is out of range";
    int32_t dataType =
        int32_t(ctx.intAttr("output_datatype", onnx::TensorProto::FLOAT));
    bool periodic = ctx.intAttr("periodic", 1) != 0;
    double period = periodic ? double(size) : double(size - 1);
    KnownTensor w;
    w.dataType = dataType;
    w.dims = {size};
    const double pi = std::acos(-1.0);
    for (int64_t n = 0; n < size; ++n) {
      double x = period > 0 ? 2 * pi * double(n) / period : 0;
      double v = a0 - a1 * std::cos(x) + a2 * std::cos(2 * x);
      if (w.isInteger())
        w.ints.push_back(int64_t(v));
      else
        w.floats.push_back(v);
    }
    if (!elementType(ctx.b.getContext(), dataType) || !w.encode())
      return ctx.error() << "output_datatype " << dataTypeName(dataType)
                         << " is not supported";
    w.name = "window";
    ctx.setKnown(0, std::move(w));
    return success();
  };
}

void kiln::onnximport::registerWindowOps(OpRegistry &r) {
  r.add("HannWindow", 17, 18, window(0.5, 0.5, 0));
  r.add("HammingWindow", 17, 18, window(25.0 / 46, 21.0 / 46, 0));
  r.add("BlackmanWindow", 17, 18, window(0.42, 0.5, 0.08));
}
