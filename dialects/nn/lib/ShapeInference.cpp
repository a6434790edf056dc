//===- ShapeInference.cpp - shape arithmetic shared by nn ops -------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/ShapeInference.h"

#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace kiln::nn {

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a,
                                                    ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Align at the trailing dimension; missing leading sizes act as 1.
    int64_t x = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t y = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (x == 1) {
      result[i] = y;
    } else if (y == 1) {
      result[i] = x;
    } else if (ShapedType::isDynamic(x)) {
      // `?` against a known size s != 1: the program is only valid if ? == s.
      result[i] = y;
    } else if (ShapedType::isDynamic(y) || x == y) {
      result[i] = x;
    } else {
      return std::nullopt;
    }
  }
  return result;
}

bool WindowDim::fitsInt64() const {
  if (!ShapedType::isDynamic(kernel) &&
      !llvm::checkedMulAdd(dilation, kernel - 1, int64_t(1)))
    return false;
  if (ShapedType::isDynamic(input))
    return true;
  std::optional<int64_t> padded = llvm::checkedAdd(input, padBefore);
  return padded && llvm::checkedAdd(*padded, padAfter);
}

int64_t WindowDim::paddedInput() const {
  if (ShapedType::isDynamic(input))
    return ShapedType::kDynamic;
  return input + padBefore + padAfter;
}

SmallVector<int64_t> meetShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  SmallVector<int64_t> result(a);
  for (auto [size, other] : llvm::zip(result, b))
    if (ShapedType::isDynamic(size))
      size = other;
  return result;
}

int64_t WindowDim::outputSize() const {
  if (ShapedType::isDynamic(input) || ShapedType::isDynamic(kernel))
    return ShapedType::kDynamic;
  int64_t span = paddedInput() - effectiveKernel();
  if (!ceil)
    return span / stride + 1;
  int64_t out = llvm::divideCeil(span, stride) + 1;
  // The last window must start inside the input or the leading padding;
  // one that would start in the trailing padding is dropped (PyTorch rule).
  if ((out - 1) * stride >= input + padBefore)
    --out;
  return out;
}

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (shape.empty())
    return "scalar";
  llvm::interleave(
      shape, os,
      [&](int64_t size) {
        if (ShapedType::isDynamic(size))
          os << '?';
        else
          os << size;
      },
      "x");
  return text;
}

std::optional<int64_t> productOrDynamic(ArrayRef<int64_t> shape) {
  int64_t product = 1;
  bool dynamic = false;
  for (int64_t size : shape) {
    if (ShapedType::isDynamic(size)) {
      dynamic = true;
      continue;
    }
    std::optional<int64_t> next = llvm::checkedMul(product, size);
    if (!next)
      return std::nullopt;
    product = *next;
  }
  return dynamic ? ShapedType::kDynamic : product;
}

} // namespace kiln::nn
