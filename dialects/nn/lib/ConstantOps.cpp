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

LogicalResult ConstantOp::verify() {
  auto resource = dyn_cast<DenseResourceElementsAttr>(getValue());
  if (!resource)
    return success();
  DenseResourceElementsHandle handle = resource.getRawHandle();
  AsmResourceBlob *blob = handle.getBlob();
  if (!blob)
    return emitOpError() << "dense_resource blob '" << handle.getKey()
                         << "' is not defined (the file's dialect_resources "
                            "section has no such entry)";
  auto type = cast<ShapedType>(resource.getType());
  // Bytes per element as the blob stores them (bool: one byte).
  uint64_t elementBytes =
      std::max<uint64_t>(1, (type.getElementTypeBitWidth() + 7) / 8);
  uint64_t expected = uint64_t(type.getNumElements()) * elementBytes;
  if (blob->getData().size() != expected)
    return emitOpError() << "dense_resource blob '" << handle.getKey()
                         << "' holds " << blob->getData().size()
                         << " bytes, but " << type << " needs " << expected;
  return success();
}

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
