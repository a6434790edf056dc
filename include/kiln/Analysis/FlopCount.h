//===- FlopCount.h - floating-point work of an nn function ------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_ANALYSIS_FLOPCOUNT_H
#define KILN_ANALYSIS_FLOPCOUNT_H

namespace mlir {
class Operation;
} // namespace mlir

namespace kiln {

/// Floating-point operations one call of the nn ops under `root` performs,
/// counting a multiply-add as 2 (the convention GFLOP/s figures use):
/// matmul/dense 2*M*N*K, conv2d 2*N*F*OH*OW*(C/groups)*KH*KW, pooling one per
/// window element, elementwise ops one per result element. Ops with dynamic
/// shapes count 0. Used to report GFLOP/s.
double countFlops(mlir::Operation *root);

} // namespace kiln

#endif // KILN_ANALYSIS_FLOPCOUNT_H
