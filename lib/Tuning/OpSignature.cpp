//===- OpSignature.cpp - what identifies a tunable op instance ------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Tuning/OpSignature.h"

#include "kiln/Codegen/DecisionsVersion.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace kiln::tuning {

bool isTunable(linalg::LinalgOp op, bool gpu) {
  if (!op.hasPureTensorSemantics() ||
      !(linalg::isaContractionOpInterface(op) ||
        (gpu && linalg::isaConvolutionOpInterface(op))))
    return false;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(
          ranges, [](int64_t r) { return r <= 0 || ShapedType::isDynamic(r); }))
    return false;
  return llvm::all_of(op->getOperandTypes(), [](Type type) {
    Type element = getElementTypeOrSelf(type);
    return element.isIntOrFloat() && !element.isInteger(1);
  });
}

std::string opSignature(linalg::LinalgOp op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << op->getName() << " ";
  llvm::interleave(op.getStaticLoopRanges(), os, "x");
  os << " [";
  llvm::interleaveComma(
      op.getIteratorTypesArray(), os,
      [&](utils::IteratorType t) { os << utils::stringifyIteratorType(t); });
  os << "] ";
  llvm::interleaveComma(op.getIndexingMapsArray(), os);
  os << " ";
  llvm::interleaveComma(op.getDpsInputs(), os, [&](Value v) {
    os << getElementTypeOrSelf(v.getType());
  });
  os << " -> ";
  llvm::interleaveComma(op.getDpsInits(), os, [&](Value v) {
    os << getElementTypeOrSelf(v.getType());
  });
  return text;
}

std::string scheduleText(codegen::LoweringConfigAttr config) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << config;
  return text;
}

std::string compilerVersionKey() {
  return "kiln " KILN_VERSION " codegen " +
         std::to_string(kCodegenDecisionsVersion) + " llvm " LLVM_VERSION_STRING;
}

} // namespace kiln::tuning
