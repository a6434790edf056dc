//===- Linear.cpp - nn linear ops to linalg ------------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "LoweringSupport.h"
#include "PopulatePatterns.h"
#include "kiln/Dialect/NN/NNOps.h"

#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace kiln::nn;
using namespace kiln::nn_to_linalg;

void kiln::nn_to_linalg::populateLinearPatterns(RewritePatternSet &patterns) {}
