//===- NNOps.td - nn dialect op umbrella -------------------*- tablegen -*-===//
//
// Part of Kiln. Includes every op family; one .td and one .cpp per family.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_NNOPS_TD
#define KILN_DIALECT_NN_NNOPS_TD

include "kiln/Dialect/NN/NNDialect.td"
include "kiln/Dialect/NN/NNEnums.td"

include "kiln/Dialect/NN/ActivationOps.td"
include "kiln/Dialect/NN/ConstantOps.td"
include "kiln/Dialect/NN/ConvolutionOps.td"
include "kiln/Dialect/NN/ElementwiseOps.td"
include "kiln/Dialect/NN/LinearOps.td"
include "kiln/Dialect/NN/NormalizationOps.td"
include "kiln/Dialect/NN/PoolingOps.td"
include "kiln/Dialect/NN/ReductionOps.td"
include "kiln/Dialect/NN/ShapeOps.td"
include "kiln/Dialect/NN/TrainingOps.td"

#endif // KILN_DIALECT_NN_NNOPS_TD
