//===- CompiledModel.cpp - compile nn IR and run it in-process ------------===//
//
// Part of Kiln.
//
// Calling convention: the CPU pipeline turns results into trailing
// out-parameters and gives the entry point a C interface,
// `_mlir_ciface_<entry>(Desc *in..., Desc *out...)`, where Desc is an MLIR
// memref descriptor {allocated, aligned, offset, sizes[rank], strides[rank]}.
// The ExecutionEngine's packed wrapper takes an array of pointers to those
// descriptor pointers.
//
//===----------------------------------------------------------------------===//

#include "kiln/Engine/CompiledModel.h"

#include "kiln/Engine/ModelSignature.h"
#include "kiln/Runtime/Allocator.h"
#include "kiln/Runtime/ThreadPool.h"
#include "kiln/Target/CPU/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"

using namespace mlir;

namespace kiln {

CompiledModel::~CompiledModel() = default;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<std::unique_ptr<CompiledModel>>
CompiledModel::compile(ModuleOp module, const CompileOptions &options) {
  llvm::Expected<ModelSignature> signature =
      getModelSignature(module, options.entry);
  if (!signature)
    return signature.takeError();
  std::unique_ptr<CompiledModel> model(new CompiledModel());
  model->entryName = signature->function.getSymName().str();
  model->inputSpecs = std::move(signature->inputs);
  model->outputSpecs = std::move(signature->outputs);
  model->flopCount = signature->flops;
  removeIONames(signature->function);

  PassManager pm(module.getContext());
  buildCPUCodegenPipeline(pm, CPUCodegenPipelineOptions());
  if (failed(pm.run(module)))
    return makeError("compilation failed (see the diagnostics above)");

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  registerBuiltinDialectTranslation(*module.getContext());
  registerLLVMDialectTranslation(*module.getContext());
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return machineBuilder.takeError();
  auto machine = machineBuilder->createTargetMachine();
  if (!machine)
    return machine.takeError();
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer =
      makeOptimizingTransformer(options.optLevel, 0, machine->get());
  engineOptions.jitCodeGenOptLevel =
      static_cast<llvm::CodeGenOptLevel>(std::min(options.optLevel, 3u));
  auto engine =
      ExecutionEngine::create(module, engineOptions, std::move(*machine));
  if (!engine)
    return engine.takeError();
  // The runtime functions compiled code calls, resolved to this process's
  // copies (they are not exported from the executable).
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](llvm::StringRef name, auto *function) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(function),
                                 llvm::JITSymbolFlags::Exported};
    };
    add("kiln_parallel_for", &kiln_parallel_for);
    add("_mlir_memref_to_llvm_alloc", &_mlir_memref_to_llvm_alloc);
    add("_mlir_memref_to_llvm_aligned_alloc",
        &_mlir_memref_to_llvm_aligned_alloc);
    add("_mlir_memref_to_llvm_free", &_mlir_memref_to_llvm_free);
    return symbols;
  });
  model->engine = std::move(*engine);
  return model;
}

llvm::Error CompiledModel::run(llvm::ArrayRef<const void *> inputs,
                               llvm::ArrayRef<void *> outputs) const {
  if (inputs.size() != inputSpecs.size() ||
      outputs.size() != outputSpecs.size())
    return makeError("expected " + llvm::Twine(inputSpecs.size()) +
                     " inputs and " + llvm::Twine(outputSpecs.size()) +
                     " outputs, got " + llvm::Twine(inputs.size()) + " and " +
                     llvm::Twine(outputs.size()));
  // One descriptor per argument, as int64 words (pointers are 64-bit on
  // every host the JIT runs on).
  static_assert(sizeof(void *) == sizeof(int64_t), "64-bit hosts only");
  std::vector<std::vector<int64_t>> descriptors;
  auto addDescriptor = [&](const TensorSpec &spec, const void *data) {
    std::vector<int64_t> words = {reinterpret_cast<int64_t>(data),
                                  reinterpret_cast<int64_t>(data), 0};
    words.insert(words.end(), spec.shape.begin(), spec.shape.end());
    std::vector<int64_t> strides(spec.shape.size(), 1);
    for (int64_t d = int64_t(spec.shape.size()) - 2; d >= 0; --d)
      strides[d] = strides[d + 1] * spec.shape[d + 1];
    words.insert(words.end(), strides.begin(), strides.end());
    descriptors.push_back(std::move(words));
  };
  for (auto [spec, data] : llvm::zip(inputSpecs, inputs))
    addDescriptor(spec, data);
  for (auto [spec, data] : llvm::zip(outputSpecs, outputs))
    addDescriptor(spec, data);
  std::vector<void *> pointers, args;
  for (std::vector<int64_t> &d : descriptors)
    pointers.push_back(d.data());
  for (void *&p : pointers)
    args.push_back(&p);
  return engine->invokePacked("_mlir_ciface_" + entryName, args);
}

} // namespace kiln
