//===- OutlineParallelLoops.cpp - distributed loop bodies as functions ----===//
//
// Part of Kiln. The first half of multithreading: on buffers, the body of
// each loop that kiln-codegen-tile marked `kiln_codegen.distributed` moves into
// a function of its own,
//
//   func.func private @f_parallel(%begin: index, %end: index, <captures>)
//
// (f_parallel_0, f_parallel_1, ... for further loops of f), which runs
// iterations [begin, end) of the loop, and the loop becomes a call
// `@f_parallel(0, trip count, <captures>)`. That call is already
// correct on one thread; kiln-cpu-call-thread-pool later (on the LLVM
// dialect, where captures are plain scalars) turns it into a call of the
// runtime's kiln_parallel_for.
//
// Why iterations may run concurrently: a distributed loop walks the cache
// tiles of a parallel dimension, so each iteration writes its own slice of
// the result, and the buffers it allocates (packed tiles) live inside it.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPUOUTLINEPARALLELLOOPS
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::kDistributedLoopAttrName;
using kiln::codegen::kParallelBodyAttrName;

/// Clones the constants that `loop`'s body uses from outside into the body,
/// so that the outlined function sees them as constants: passed as
/// arguments they would hide offsets and sizes from LLVM's optimizer.
static void sinkConstants(scf::ForOp loop) {
  Block *body = loop.getBody();
  OpBuilder builder = OpBuilder::atBlockBegin(body);
  SetVector<Value> captured;
  getUsedValuesDefinedAbove(loop.getRegion(), captured);
  for (Value value : captured) {
    Operation *def = value.getDefiningOp();
    if (!def || !def->hasTrait<OpTrait::ConstantLike>())
      continue;
    Operation *clone = builder.clone(*def);
    replaceAllUsesInRegionWith(value, clone->getResult(0), loop.getRegion());
  }
}

/// Outlines `loop` into a new function beside `parent`, named after it;
/// replaces the loop with a call of it.
static void outline(scf::ForOp loop, func::FuncOp parent,
                    SymbolTable &symbols) {
  MLIRContext *context = loop.getContext();
  Location loc = loop.getLoc();
  sinkConstants(loop);
  SetVector<Value> captured;
  getUsedValuesDefinedAbove(loop.getRegion(), captured);
  // The bounds are needed inside to map normalized iterations back.
  auto capture = [&](Value v) {
    if (!matchPattern(v, m_Constant()))
      captured.insert(v);
  };
  capture(loop.getLowerBound());
  capture(loop.getStep());

  SmallVector<Type> argTypes = {IndexType::get(context),
                                IndexType::get(context)};
  for (Value v : captured)
    argTypes.push_back(v.getType());
  auto outlined =
      func::FuncOp::create(loc, (parent.getSymName() + "_parallel").str(),
                           FunctionType::get(context, argTypes, {}));
  outlined.setPrivate();
  outlined->setAttr(kParallelBodyAttrName, UnitAttr::get(context));
  // Renames on a clash: f_parallel, f_parallel_0, f_parallel_1, ...
  symbols.insert(outlined, std::next(parent->getIterator()));

  // Body: for %i = %begin to %end { %iv = lb + %i * step; <loop body> }.
  Block *entry = outlined.addEntryBlock();
  OpBuilder builder = OpBuilder::atBlockBegin(entry);
  IRMapping mapping;
  for (auto [value, arg] :
       llvm::zip(captured, entry->getArguments().drop_front(2)))
    mapping.map(value, arg);
  auto mapped = [&](Value v) -> Value {
    if (Value m = mapping.lookupOrNull(v))
      return m;
    return builder.clone(*v.getDefiningOp())->getResult(0); // a constant
  };
  Value lowerBound = mapped(loop.getLowerBound());
  Value step = mapped(loop.getStep());
  Value one = arith::ConstantIndexOp::create(builder, loc, 1);
  auto inner = scf::ForOp::create(builder, loc, entry->getArgument(0),
                                  entry->getArgument(1), one);
  func::ReturnOp::create(builder, loc);
  builder.setInsertionPointToStart(inner.getBody());
  Value scaled =
      arith::MulIOp::create(builder, loc, inner.getInductionVar(), step);
  Value iv = arith::AddIOp::create(builder, loc, lowerBound, scaled);
  mapping.map(loop.getInductionVar(), iv);
  for (Operation &op : loop.getBody()->without_terminator())
    builder.clone(op, mapping);

  // Call site: iterations [0, ceil((ub - lb) / step)).
  builder.setInsertionPoint(loop);
  Value span = arith::SubIOp::create(builder, loc, loop.getUpperBound(),
                                     loop.getLowerBound());
  Value trips = arith::CeilDivSIOp::create(builder, loc, span, loop.getStep());
  SmallVector<Value> operands = {
      arith::ConstantIndexOp::create(builder, loc, 0), trips};
  operands.append(captured.begin(), captured.end());
  func::CallOp::create(builder, loc, outlined, operands);
  loop.erase();
}

namespace {
struct KilnCPUOutlineParallelLoopsPass
    : public kiln::impl::KilnCPUOutlineParallelLoopsBase<
          KilnCPUOutlineParallelLoopsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    for (func::FuncOp func : funcs) {
      // Outermost marked loops only: a marked loop inside another one's
      // iteration is already running on a thread of the pool.
      SmallVector<scf::ForOp> loops;
      func.walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
        if (!loop->hasAttr(kDistributedLoopAttrName))
          return WalkResult::advance();
        loop->removeAttr(kDistributedLoopAttrName);
        // Loops that still carry values (not bufferized) and single
        // iterations stay as they are.
        std::optional<APInt> trips = loop.getStaticTripCount();
        if (loop.getNumResults() == 0 && (!trips || trips->getSExtValue() > 1))
          loops.push_back(loop);
        loop->walk([](scf::ForOp nested) {
          nested->removeAttr(kDistributedLoopAttrName);
        });
        return WalkResult::skip();
      });
      for (scf::ForOp loop : loops)
        outline(loop, func, symbols);
    }
  }
};
} // namespace
