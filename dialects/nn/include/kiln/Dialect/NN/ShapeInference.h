//===- ShapeInference.h - shape arithmetic shared by nn ops -----*- C++ -*-===//
//
// Part of Kiln. Helpers that the nn ops' inferResultType functions share and
// that lowerings reuse so that both agree on every output size. Sizes may be
// ShapedType::kDynamic; results are dynamic wherever an input they depend on is.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_SHAPEINFERENCE_H
#define KILN_DIALECT_NN_SHAPEINFERENCE_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>

namespace kiln::nn {

/// Maps `axis` in [-rank, rank) to [0, rank); std::nullopt when out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// The numpy broadcast of two shapes, or std::nullopt when a pair of known
/// sizes differs and neither is 1.
std::optional<llvm::SmallVector<int64_t>> broadcastShapes(llvm::ArrayRef<int64_t> a,
                                                         llvm::ArrayRef<int64_t> b);

/// The shape that knows every size either of two compatible shapes (same
/// rank, equal where both are known) knows.
llvm::SmallVector<int64_t> meetShapes(llvm::ArrayRef<int64_t> a,
                                      llvm::ArrayRef<int64_t> b);

/// One spatial dimension of a sliding window (convolution or pooling).
struct WindowDim {
  int64_t input;       // input size (may be dynamic)
  int64_t kernel;      // window size before dilation
  int64_t stride = 1;
  int64_t dilation = 1;
  int64_t padBefore = 0;
  int64_t padAfter = 0;
  bool ceil = false; // keep a last partial window (pooling's ceil_mode)

  /// False when the dilated kernel or the padded input overflows int64_t
  /// (attributes are user input); the other methods require it to be true.
  bool fitsInt64() const;
  int64_t effectiveKernel() const { return dilation * (kernel - 1) + 1; }
  /// input + padBefore + padAfter; dynamic when the input is.
  int64_t paddedInput() const;
  /// Number of window positions; dynamic when the input is. Requires
  /// effectiveKernel() <= paddedInput() (checked by the caller).
  int64_t outputSize() const;
};

/// `2x?x3` for diagnostics.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Product of the sizes: kDynamic when one of them is dynamic, std::nullopt
/// when the product of the known sizes overflows int64_t.
std::optional<int64_t> productOrDynamic(llvm::ArrayRef<int64_t> shape);

} // namespace kiln::nn

#endif // KILN_DIALECT_NN_SHAPEINFERENCE_H
