//===- CallThreadPool.cpp - outlined loop bodies onto the thread pool -----===//
//
// Part of Kiln. The second half of multithreading (see
// OutlineParallelLoops.cpp), on the LLVM dialect, where the captures of an
// outlined loop body are plain scalars (memrefs are expanded into pointers
// and integers). Each call
//
//   llvm.call @f_parallel(%begin, %end, %x, %y, ...)
//
// of a function marked `kiln_codegen.parallel_body` becomes
//
//   store {%begin, %x, %y, ...} to a stack slot %ctx
//   llvm.call @kiln_parallel_for(@f_parallel_task, %ctx, %end - %begin)
//
// and `@f_parallel_task(%ctx, %b, %e)` loads the captures back and calls
// `@f_parallel(%begin + %b, %begin + %e, %x, %y, ...)` for the iterations a
// thread takes. The runtime's kiln_parallel_for (ThreadPool.h) returns once
// every iteration is done, so the stack slot outlives its readers.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Target/CPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/SymbolTable.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPUCALLTHREADPOOL
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::kParallelBodyAttrName;

static constexpr llvm::StringLiteral kParallelFor = "kiln_parallel_for";

/// `void kiln_parallel_for(task, context, i64 n)`, declared once.
static LLVM::LLVMFuncOp getParallelFor(ModuleOp module, OpBuilder &builder) {
  if (auto existing = module.lookupSymbol<LLVM::LLVMFuncOp>(kParallelFor))
    return existing;
  MLIRContext *context = module.getContext();
  auto ptr = LLVM::LLVMPointerType::get(context);
  auto type =
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context),
                                  {ptr, ptr, IntegerType::get(context, 64)});
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(module.getBody());
  return LLVM::LLVMFuncOp::create(builder, module.getLoc(), kParallelFor, type);
}

/// The task that unpacks a context of type `contextType` ({begin, captures})
/// and runs `body` on iterations [begin + b, begin + e).
static LLVM::LLVMFuncOp buildTask(LLVM::LLVMFuncOp body,
                                  LLVM::LLVMStructType contextType,
                                  OpBuilder &builder, SymbolTable &symbols) {
  MLIRContext *context = body.getContext();
  Location loc = body.getLoc();
  auto ptr = LLVM::LLVMPointerType::get(context);
  auto i64 = IntegerType::get(context, 64);
  auto type = LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context),
                                          {ptr, i64, i64});
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfter(body);
  auto task =
      LLVM::LLVMFuncOp::create(builder, loc, (body.getName() + "_task").str(),
                               type, LLVM::Linkage::Internal);
  symbols.insert(task);
  Block *entry = task.addEntryBlock(builder);
  builder.setInsertionPointToStart(entry);
  Value packed =
      LLVM::LoadOp::create(builder, loc, contextType, entry->getArgument(0));
  SmallVector<Value> args;
  Value begin =
      LLVM::ExtractValueOp::create(builder, loc, packed, ArrayRef<int64_t>{0});
  args.push_back(
      LLVM::AddOp::create(builder, loc, begin, entry->getArgument(1)));
  args.push_back(
      LLVM::AddOp::create(builder, loc, begin, entry->getArgument(2)));
  for (unsigned i = 1, e = contextType.getBody().size(); i < e; ++i)
    args.push_back(LLVM::ExtractValueOp::create(builder, loc, packed,
                                                ArrayRef<int64_t>{int64_t(i)}));
  LLVM::CallOp::create(builder, loc, body, args);
  LLVM::ReturnOp::create(builder, loc, ValueRange());
  return task;
}

namespace {
struct KilnCPUCallThreadPoolPass
    : public kiln::impl::KilnCPUCallThreadPoolBase<KilnCPUCallThreadPoolPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    OpBuilder builder(&getContext());
    auto ptr = LLVM::LLVMPointerType::get(&getContext());
    auto i64 = IntegerType::get(&getContext(), 64);

    SmallVector<LLVM::CallOp> calls;
    module.walk([&](LLVM::CallOp call) {
      auto callee = call.getCallee();
      if (!callee)
        return;
      auto body = symbols.lookup<LLVM::LLVMFuncOp>(*callee);
      if (body && body->hasAttr(kParallelBodyAttrName))
        calls.push_back(call);
    });

    DenseMap<Operation *, LLVM::LLVMFuncOp> tasks;
    for (LLVM::CallOp call : calls) {
      auto body = symbols.lookup<LLVM::LLVMFuncOp>(*call.getCallee());
      ValueRange operands = call.getArgOperands();
      if (operands.size() < 2 || operands[0].getType() != i64 ||
          operands[1].getType() != i64) {
        call->emitError() << "expects a parallel loop body to take its "
                             "iteration range as two i64 values first";
        return signalPassFailure();
      }
      // Context: {begin, captures...}.
      SmallVector<Type> fields = {i64};
      for (Value v : operands.drop_front(2))
        fields.push_back(v.getType());
      auto contextType =
          LLVM::LLVMStructType::getLiteral(&getContext(), fields);
      LLVM::LLVMFuncOp &task = tasks[body];
      if (!task) {
        task = buildTask(body, contextType, builder, symbols);
        // Only its task calls the body now: internal, LLVM may inline it
        // there, and the JIT's ExecutionEngine does not give it a packed
        // wrapper of its own (a second caller, and a symbol nobody calls).
        body.setLinkage(LLVM::Linkage::Internal);
      }

      Location loc = call.getLoc();
      // The slot goes at the top of the function, so that a call inside a
      // loop does not grow the stack every iteration.
      auto parent = call->getParentOfType<LLVM::LLVMFuncOp>();
      builder.setInsertionPointToStart(&parent.getBody().front());
      Value one = LLVM::ConstantOp::create(builder, loc, i64,
                                           builder.getI64IntegerAttr(1));
      Value slot = LLVM::AllocaOp::create(builder, loc, ptr, contextType, one);

      builder.setInsertionPoint(call);
      Value packed = LLVM::UndefOp::create(builder, loc, contextType);
      packed = LLVM::InsertValueOp::create(builder, loc, packed, operands[0],
                                           ArrayRef<int64_t>{0});
      for (auto [i, v] : llvm::enumerate(operands.drop_front(2)))
        packed = LLVM::InsertValueOp::create(builder, loc, packed, v,
                                             ArrayRef<int64_t>{int64_t(i + 1)});
      LLVM::StoreOp::create(builder, loc, packed, slot);
      Value count = LLVM::SubOp::create(builder, loc, operands[1], operands[0]);
      Value taskAddress = LLVM::AddressOfOp::create(builder, loc, task);
      LLVM::CallOp::create(builder, loc, getParallelFor(module, builder),
                           ValueRange{taskAddress, slot, count});
      call.erase();
    }
    module.walk(
        [](LLVM::LLVMFuncOp func) { func->removeAttr(kParallelBodyAttrName); });
  }
};
} // namespace
