//===- PopulatePatterns.h - nn-to-linalg pattern families -------*- C++ -*-===//
//
// Part of Kiln. One populate function per op family; each lives in the file
// named after the family (mirroring dialects/nn's <Family>Ops.td).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_CONVERSION_NNTOLINALG_POPULATEPATTERNS_H
#define KILN_LIB_CONVERSION_NNTOLINALG_POPULATEPATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace kiln::nn_to_linalg {

void populateActivationPatterns(mlir::RewritePatternSet &patterns);
void populateConstantPatterns(mlir::RewritePatternSet &patterns);
void populateConvolutionPatterns(mlir::RewritePatternSet &patterns);
void populateElementwisePatterns(mlir::RewritePatternSet &patterns);
void populateLinearPatterns(mlir::RewritePatternSet &patterns);
void populateNormalizationPatterns(mlir::RewritePatternSet &patterns);
void populatePoolingPatterns(mlir::RewritePatternSet &patterns);
void populateReductionPatterns(mlir::RewritePatternSet &patterns);
void populateShapePatterns(mlir::RewritePatternSet &patterns);
void populateTrainingPatterns(mlir::RewritePatternSet &patterns);

} // namespace kiln::nn_to_linalg

#endif // KILN_LIB_CONVERSION_NNTOLINALG_POPULATEPATTERNS_H
