//===- VerifierSupport.h - checks shared by nn op verifiers -----*- C++ -*-===//
//
// Part of Kiln. Private to the dialect library: the wording of the
// diagnostics every op family shares, so that messages read alike.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_LIB_VERIFIERSUPPORT_H
#define KILN_DIALECT_NN_LIB_VERIFIERSUPPORT_H

#include "kiln/Dialect/NN/NNOps.h"
#include "kiln/Dialect/NN/ShapeInference.h"

namespace kiln::nn {

inline mlir::RankedTensorType tensorType(mlir::Value value) {
  return mlir::cast<mlir::RankedTensorType>(value.getType());
}

/// `values`, or `count` copies of `fill` when the attribute was absent (empty).
llvm::SmallVector<int64_t> valuesOrFill(llvm::ArrayRef<int64_t> values,
                                        size_t count, int64_t fill);

/// Checks that array attribute `name` has `count` entries, each >= `minimum`.
llvm::LogicalResult checkArray(EmitErrorFn emitError, llvm::StringRef name,
                               llvm::ArrayRef<int64_t> values, size_t count,
                               int64_t minimum);

/// Checks that operand `name` has rank `rank`; `layout` names the dimensions.
llvm::LogicalResult checkRank(EmitErrorFn emitError, llvm::StringRef name,
                              mlir::RankedTensorType type, int64_t rank,
                              llvm::StringRef layout = {});

/// Checks that operand `name` has the element type of operand `reference`.
llvm::LogicalResult checkElementType(EmitErrorFn emitError, llvm::StringRef name,
                                     mlir::Type type, llvm::StringRef reference,
                                     mlir::Type referenceType);

/// Checks that a per-channel operand `name` is `[size]`.
llvm::LogicalResult checkVector(EmitErrorFn emitError, llvm::StringRef name,
                                mlir::RankedTensorType type, int64_t size);

/// True when two sizes may be equal (equal, or one is dynamic).
inline bool sizesMatch(int64_t a, int64_t b) {
  return a == b || mlir::ShapedType::isDynamic(a) ||
         mlir::ShapedType::isDynamic(b);
}

/// Checks spatial dimension `index` of a convolution or pooling window: its
/// arithmetic fits in 64 bits and the dilated window fits the padded input.
llvm::LogicalResult checkWindow(EmitErrorFn emitError, const WindowDim &dim,
                                int64_t index);

/// Checks that `axis` is in [-rank, rank) and returns it in [0, rank).
mlir::FailureOr<int64_t> checkAxis(EmitErrorFn emitError, llvm::StringRef name,
                                   int64_t axis, int64_t rank);

} // namespace kiln::nn

#endif // KILN_DIALECT_NN_LIB_VERIFIERSUPPORT_H
