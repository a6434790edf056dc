//===- CopyRepeatedResults.cpp - one buffer per returned value ------------===//
//
// Part of Kiln. See kiln-codegen-copy-repeated-results in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENCOPYREPEATEDRESULTS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct KilnCodegenCopyRepeatedResultsPass
    : public kiln::impl::KilnCodegenCopyRepeatedResultsBase<
          KilnCodegenCopyRepeatedResultsPass> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      OpBuilder b(ret);
      llvm::SmallPtrSet<Value, 8> seen;
      for (OpOperand &operand : ret->getOpOperands()) {
        Value v = operand.get();
        auto type = dyn_cast<RankedTensorType>(v.getType());
        if (seen.insert(v).second || !type)
          continue;
        // (An allocation with a copy: a linalg.copy into a tensor.empty
        // would be folded away again by empty-tensor elimination.)
        // (The copy's sizes are the value's, dynamic ones included.)
        operand.set(bufferization::AllocTensorOp::create(
            b, ret.getLoc(), type, ValueRange{}, /*copy=*/v));
      }
    });
  }
};
} // namespace
