//===- ConstantOps.cpp - nn.constant --------------------------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/NNOps.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace kiln::nn;

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

ElementsAttr ConstantOp::buildWeights(RankedTensorType type, StringRef name,
                                      ArrayRef<char> bytes) {
  if (bytes.size() <= kInlineWeightBytes) {
    bool isSplat = false;
    if (DenseElementsAttr::isValidRawBuffer(type, bytes, isSplat))
      return DenseElementsAttr::getFromRawBuffer(type, bytes);
    return {};
  }
  // The blob is copied once into the context's resource manager; the IR holds
  // a handle, printed as dense_resource<name>. Alignment 64 lets code
  // generation map it straight into vector loads.
  return DenseResourceElementsAttr::get(
      type, name,
      HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, /*align=*/64));
}
