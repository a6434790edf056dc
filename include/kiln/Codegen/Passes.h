//===- Passes.h - target-neutral code generation passes ---------*- C++ -*-===//
//
// Part of Kiln. The passes every target's code generator runs
// (lib/Codegen/Common): nn-level forms of the hot ops (im2col, pooling
// windows, broadcasts), tiling to a lowering_config, long sums in blocks,
// and the rewrites that prepare bufferization.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_PASSES_H
#define KILN_CODEGEN_PASSES_H

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace kiln {

#define GEN_PASS_DECL
#include "kiln/Codegen/Passes.h.inc"

/// Adds the pattern of kiln-codegen-split-reductions: long float sums become trees
/// of sums of at most `blockSize` elements each.
void populateSplitReductionPatterns(mlir::RewritePatternSet &patterns,
                                    int64_t blockSize);

#define GEN_PASS_REGISTRATION
#include "kiln/Codegen/Passes.h.inc"

} // namespace kiln

#endif // KILN_CODEGEN_PASSES_H
