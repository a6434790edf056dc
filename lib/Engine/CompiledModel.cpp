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

#include "kiln/Analysis/FlopCount.h"
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
using kiln::runtime::DType;

namespace kiln {

int64_t TensorSpec::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string TensorSpec::describe() const {
  return std::string(runtime::dtypeName(dtype)) + " " +
         runtime::formatShape(shape);
}

CompiledModel::~CompiledModel() = default;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static std::optional<DType> toDType(Type type) {
  if (type.isF32())
    return DType::F32;
  if (type.isF64())
    return DType::F64;
  if (type.isF16())
    return DType::F16;
  if (type.isSignlessInteger(1))
    return DType::Bool;
  if (type.isSignlessInteger(8))
    return DType::I8;
  if (type.isSignlessInteger(16))
    return DType::I16;
  if (type.isSignlessInteger(32))
    return DType::I32;
  if (type.isSignlessInteger(64))
    return DType::I64;
  return std::nullopt;
}

/// The spec of argument or result `index` of type `type`.
static llvm::Expected<TensorSpec> toSpec(Type type, StringRef kind,
                                         unsigned index) {
  std::string name = (kind + " #" + llvm::Twine(index)).str();
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return makeError(name + " is not a ranked tensor");
  if (!tensor.hasStaticShape())
    return makeError(name + " has a dynamic shape; only static shapes can be "
                            "compiled yet");
  std::optional<DType> dtype = toDType(tensor.getElementType());
  if (!dtype) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << tensor.getElementType();
    return makeError(name + " has unsupported element type " + text);
  }
  return TensorSpec{name, *dtype, std::vector<int64_t>(tensor.getShape())};
}

/// The function to compile: `name`, or the only public function.
static llvm::Expected<func::FuncOp> findEntry(ModuleOp module,
                                              StringRef name) {
  if (!name.empty()) {
    auto func = module.lookupSymbol<func::FuncOp>(name);
    if (!func || func.isExternal())
      return makeError("no function named '" + name + "' in the module");
    return func;
  }
  SmallVector<func::FuncOp> candidates;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      candidates.push_back(func);
  if (candidates.size() == 1)
    return candidates.front();
  if (candidates.empty())
    return makeError("the module has no public function to run");
  std::string names;
  for (func::FuncOp f : candidates)
    names += (names.empty() ? "" : ", ") + f.getSymName().str();
  return makeError("the module has several public functions (" + names +
                   "); choose one with --entry");
}

llvm::Expected<std::unique_ptr<CompiledModel>>
CompiledModel::compile(ModuleOp module, const CompileOptions &options) {
  llvm::Expected<func::FuncOp> entry = findEntry(module, options.entry);
  if (!entry)
    return entry.takeError();
  std::unique_ptr<CompiledModel> model(new CompiledModel());
  model->entryName = entry->getSymName().str();
  FunctionType type = entry->getFunctionType();
  for (auto [i, t] : llvm::enumerate(type.getInputs())) {
    llvm::Expected<TensorSpec> spec = toSpec(t, "input", i);
    if (!spec)
      return spec.takeError();
    model->inputSpecs.push_back(std::move(*spec));
  }
  for (auto [i, t] : llvm::enumerate(type.getResults())) {
    llvm::Expected<TensorSpec> spec = toSpec(t, "output", i);
    if (!spec)
      return spec.takeError();
    model->outputSpecs.push_back(std::move(*spec));
  }
  model->flopCount = countFlops(*entry);

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
  auto engine = ExecutionEngine::create(module, engineOptions,
                                        std::move(*machine));
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
  if (inputs.size() != inputSpecs.size() || outputs.size() != outputSpecs.size())
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
