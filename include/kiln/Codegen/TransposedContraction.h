//===- TransposedContraction.h - contractions computed transposed -*- C++
//-*-===//
//
// Part of Kiln. A lowering_config's `transposed` field computes a
// contraction C[n, i, j] += A[i, k] * B[n, k, j] (a convolution as im2col's
// product, filters-major: i the filters, j the output positions) as
// T[n, j, i] = sum_k B[n, k, j] * A[i, k] (positions-major), added to C
// transposed by one elementwise op. Its register tiles then hold rows of
// positions by vectors of filters, which layers with few positions and
// many filters fill. The heuristic and the tuner build the transposed op to
// choose its tiles; kiln-codegen-transpose-contractions builds it for good.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_TRANSPOSEDCONTRACTION_H
#define KILN_CODEGEN_TRANSPOSEDCONTRACTION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln::codegen {

/// Whether `op` can be computed transposed: a float multiply-add contraction
/// of static shapes with loops (n, i, j, k) and operands A[i, k], B[n, k, j],
/// C[n, i, j] on tensors. Otherwise `why` says what is not so.
bool canTranspose(mlir::linalg::LinalgOp op, std::string *why = nullptr);

/// The ops that compute a contraction transposed: the transposed product
/// (from zero) and the elementwise op that adds it to C.
struct TransposedContraction {
  mlir::linalg::GenericOp product;
  mlir::linalg::GenericOp add;
};

/// Builds the transposed form of `op` (which canTranspose) before it,
/// leaving `op` in place: the add's result is `op`'s value. The add's
/// config tiles only the levels' last, innermost one (8 x 8 blocks of the
/// transpose); the product has no config.
TransposedContraction buildTransposed(mlir::RewriterBase &rewriter,
                                      mlir::linalg::LinalgOp op,
                                      llvm::ArrayRef<llvm::StringRef> levels);

/// Calls `visit` with the transposed product of `op` (which canTranspose),
/// built before `op` for the call and erased after: how the heuristic and
/// the tuner size the transposed op's tiles before it exists.
void withTransposedProduct(
    mlir::linalg::LinalgOp op,
    llvm::function_ref<void(mlir::linalg::LinalgOp)> visit);

} // namespace kiln::codegen

#endif // KILN_CODEGEN_TRANSPOSEDCONTRACTION_H
