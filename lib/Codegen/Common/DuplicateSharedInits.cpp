//===- DuplicateSharedInits.cpp - one accumulator per writer --------------===//
//
// Part of Kiln. See kiln-codegen-duplicate-shared-inits in Passes.td. Measured
// on ResNet-18 with fresh (zero-bias) weights: 11 convolutions' outputs
// started from a copy of one shared bias broadcast, 4.8 MB of memcpy per
// call.
//
// Runs on tiled code, after the last CSE (which would merge the clones
// again): a producer is then a loop nest, and "computed from constants"
// means that nothing from above it but constants and the tensor.empty it
// fills flows into it.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENDUPLICATESHAREDINITS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// The tensor.empty that `op` computes its one tensor result into from
/// constants alone (every value it uses from above, in its regions too, is a
/// constant or that tensor.empty, or one reshape of it, `reshape`: a
/// convolution's output collapsed to [N, F, OH*OW]); null if it is not such
/// an op.
static tensor::EmptyOp computedFromConstants(Operation *op,
                                             Operation *&reshape) {
  reshape = nullptr;
  if (op->getNumResults() != 1 || op->getNumRegions() == 0 ||
      !isa<RankedTensorType>(op->getResult(0).getType()) ||
      !isMemoryEffectFree(op))
    return {};
  llvm::SetVector<Value> used(op->getOperands().begin(),
                              op->getOperands().end());
  getUsedValuesDefinedAbove(op->getRegions(), used);
  tensor::EmptyOp empty;
  for (Value v : used) {
    if (matchPattern(v, m_Constant()))
      continue;
    Operation *def = v.getDefiningOp();
    Operation *through = nullptr;
    if (isa_and_present<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def)) {
      through = def;
      def = def->getOperand(0).getDefiningOp();
    }
    auto e = dyn_cast_if_present<tensor::EmptyOp>(def);
    if (!e || (empty && (e != empty || through != reshape)))
      return {};
    empty = e;
    reshape = through;
  }
  return empty;
}

/// Whether `use` is written into: the init of a destination-style op or of
/// a loop's iteration argument.
static bool isWrittenInto(OpOperand &use) {
  Operation *owner = use.getOwner();
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(owner))
    return dps.isDpsInit(&use);
  if (auto loop = dyn_cast<scf::ForOp>(owner))
    return llvm::is_contained(loop.getInitArgsMutable(), use);
  return false;
}

/// A use that writes into a shared value: `use` itself, or a use of a
/// reshape of it (a convolution's output collapsed to the contraction's
/// [N, F, OH*OW]), which is then cloned along.
struct Writer {
  OpOperand *use;
  Operation *reshape = nullptr;
};

static SmallVector<Writer> writersOf(Value value) {
  SmallVector<Writer> writers;
  for (OpOperand &use : value.getUses()) {
    Operation *owner = use.getOwner();
    if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(owner)) {
      for (OpOperand &reshaped : owner->getResult(0).getUses())
        if (isWrittenInto(reshaped))
          writers.push_back({&reshaped, owner});
    } else if (isWrittenInto(use)) {
      writers.push_back({&use});
    }
  }
  return writers;
}

namespace {
struct KilnCodegenDuplicateSharedInitsPass
    : public kiln::impl::KilnCodegenDuplicateSharedInitsBase<
          KilnCodegenDuplicateSharedInitsPass> {
  void runOnOperation() override {
    struct Producer {
      Operation *op;
      tensor::EmptyOp empty;
      Operation *reshape; // of `empty`, which `op` computes into
    };
    SmallVector<Producer> producers;
    for (Block &block : getOperation().getFunctionBody())
      for (Operation &op : block) {
        Operation *reshape;
        if (tensor::EmptyOp empty = computedFromConstants(&op, reshape))
          producers.push_back({&op, empty, reshape});
      }
    IRRewriter rewriter(&getContext());
    for (auto [producer, empty, emptyReshape] : producers) {
      SmallVector<Writer> writers = writersOf(producer->getResult(0));
      if (writers.size() < 2)
        continue;
      // The first writer keeps the producer; the others get a clone each,
      // right before them, with a tensor.empty of its own.
      for (Writer writer : llvm::drop_begin(writers)) {
        Operation *user = writer.use->getOwner();
        rewriter.setInsertionPoint(user);
        IRMapping mapping;
        mapping.map(empty.getResult(), rewriter.clone(*empty)->getResult(0));
        if (emptyReshape)
          rewriter.clone(*emptyReshape, mapping);
        Operation *clone = rewriter.clone(*producer, mapping);
        if (writer.reshape)
          clone = rewriter.clone(*writer.reshape, mapping);
        rewriter.modifyOpInPlace(user,
                                 [&] { writer.use->set(clone->getResult(0)); });
        if (writer.reshape && writer.reshape->use_empty())
          rewriter.eraseOp(writer.reshape);
      }
    }
  }
};
} // namespace
