//===- CompiledModel.cpp - compile nn IR and run it in-process ------------===//
//
// Part of Kiln.
//
// Calling convention: the CPU pipeline turns results into trailing
// out-parameters and gives the entry point a C interface,
// `_mlir_ciface_nn.<entry>(Desc *in..., Desc *out...)` (the model's
// functions get "nn." names, see kiln-isolate-model-symbols), where Desc is an
// MLIR memref descriptor {allocated, aligned, offset, sizes[rank],
// strides[rank]}. The ExecutionEngine's packed wrapper takes an array of
// pointers to those descriptor pointers.
//
//===----------------------------------------------------------------------===//

#include "kiln/Engine/CompiledModel.h"

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "kiln/Engine/ModelSignature.h"
#include "kiln/Runtime/Allocator.h"
#include "kiln/Runtime/CUDARuntime.h"
#include "kiln/Runtime/Profiler.h"
#include "kiln/Runtime/ThreadPool.h"
#include "kiln/Target/CPU/Passes.h"
#include "kiln/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#include <chrono>

using namespace mlir;

namespace kiln {

thread_local double CompiledModel::lastEntrySeconds = 0;

CompiledModel::~CompiledModel() = default;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<std::unique_ptr<CompiledModel>>
CompiledModel::compile(ModuleOp module, const CompileOptions &options) {
  if (options.pipeline.stopAfter != PipelineStage::LLVM)
    return makeError("internal error: the JIT needs the whole pipeline, not "
                     "one that stops after " +
                     stageName(options.pipeline.stopAfter));
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
  buildPipeline(pm, options.pipeline);
  if (failed(pm.run(module)))
    return makeError("compilation failed (see the diagnostics above)");

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  registerBuiltinDialectTranslation(*module.getContext());
  registerLLVMDialectTranslation(*module.getContext());
  // Code for the CPU the IR's target names (kiln-cpu-attach-target wrote
  // it: this machine's unless the options or the IR named another CPU),
  // which must be of this machine's architecture.
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return machineBuilder.takeError();
  if (auto target = codegen::CPUTargetAttr::lookup(module)) {
    if (llvm::Triple(target.getTriple()).getArch() !=
        machineBuilder->getTargetTriple().getArch())
      return makeError("the JIT runs code on this machine (" +
                       machineBuilder->getTargetTriple().str() + "), not on " +
                       target.getTriple() +
                       " (the model's kiln_codegen.target); compile for it "
                       "with kiln-compile");
    machineBuilder->setCPU(target.getCpu().str());
    machineBuilder->getFeatures() =
        llvm::SubtargetFeatures(target.getFeatures());
  }
  // The engine generates code with this machine: give it the level too
  // (detectHost's default is -O2's).
  machineBuilder->setCodeGenOptLevel(static_cast<llvm::CodeGenOptLevel>(
      std::min(options.pipeline.optLevel, 3u)));
  auto machine = machineBuilder->createTargetMachine();
  if (!machine)
    return machine.takeError();
  // (ExecutionEngineOptions::transformer is a function_ref: the function
  // it refers to must outlive ExecutionEngine::create, which calls it. A
  // temporary bound to it dangled, and the JIT's LLVM IR was optimized by
  // whatever that stack slot held by then: its code ran 5-8% slower than
  // the same IR compiled ahead of time, e.g. with loop bodies left out of
  // line.)
  std::function<llvm::Error(llvm::Module *)> optimize =
      makeOptimizingTransformer(options.pipeline.optLevel, 0, machine->get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = optimize;
  // gdb's registration stays in memory; perf's writes a file per run.
  engineOptions.enableGDBNotificationListener = true;
  engineOptions.enablePerfNotificationListener = options.perfJitDump;
  engineOptions.jitCodeGenOptLevel = static_cast<llvm::CodeGenOptLevel>(
      std::min(options.pipeline.optLevel, 3u));
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
    add("kiln_profile_begin", &kiln_profile_begin);
    add("kiln_profile_end", &kiln_profile_end);
    add("_mlir_memref_to_llvm_alloc", &_mlir_memref_to_llvm_alloc);
    add("_mlir_memref_to_llvm_aligned_alloc",
        &_mlir_memref_to_llvm_aligned_alloc);
    add("_mlir_memref_to_llvm_free", &_mlir_memref_to_llvm_free);
    // GPU models: what the host code and the kernel loader call.
    add("kiln_cuda_device_constant", &kiln_cuda_device_constant);
    add("kiln_cuda_gemm", &kiln_cuda_gemm);
    add("kiln_cuda_conv2d", &kiln_cuda_conv2d);
    add("mgpuModuleLoad", &mgpuModuleLoad);
    add("mgpuModuleLoadJIT", &mgpuModuleLoadJIT);
    add("mgpuModuleUnload", &mgpuModuleUnload);
    add("mgpuModuleGetFunction", &mgpuModuleGetFunction);
    add("mgpuLaunchKernel", &mgpuLaunchKernel);
    add("mgpuStreamCreate", &mgpuStreamCreate);
    add("mgpuStreamDestroy", &mgpuStreamDestroy);
    add("mgpuStreamSynchronize", &mgpuStreamSynchronize);
    add("mgpuStreamWaitEvent", &mgpuStreamWaitEvent);
    add("mgpuEventCreate", &mgpuEventCreate);
    add("mgpuEventDestroy", &mgpuEventDestroy);
    add("mgpuEventSynchronize", &mgpuEventSynchronize);
    add("mgpuEventRecord", &mgpuEventRecord);
    add("mgpuMemAlloc", &mgpuMemAlloc);
    add("mgpuMemFree", &mgpuMemFree);
    add("mgpuMemcpy", &mgpuMemcpy);
    add("mgpuMemset32", &mgpuMemset32);
    add("mgpuMemset16", &mgpuMemset16);
    add("mgpuSetDefaultDevice", &mgpuSetDefaultDevice);
    return symbols;
  });
  // Static constructors: a GPU model's loads its kernels (lazily: the
  // driver sees them at the first launch).
  (*engine)->initialize();
  // The lookup makes the JIT generate the code now (not in the first run)
  // and saves a symbol lookup in every run.
  auto entryPoint = (*engine)->lookupPacked("_mlir_ciface_" +
                                            modelSymbolName(model->entryName));
  if (!entryPoint)
    return entryPoint.takeError();
  model->entryPoint = *entryPoint;
  // One descriptor per argument, as int64 words (pointers are 64-bit on
  // every host the JIT runs on): {allocated, aligned, offset = 0, sizes,
  // strides}, pointers filled in by run().
  static_assert(sizeof(void *) == sizeof(int64_t), "64-bit hosts only");
  auto addDescriptor = [&](const TensorSpec &spec) {
    std::vector<int64_t> &words = model->descriptorWords;
    model->descriptorOffsets.push_back(words.size());
    words.insert(words.end(), {0, 0, 0});
    words.insert(words.end(), spec.shape.begin(), spec.shape.end());
    std::vector<int64_t> strides(spec.shape.size(), 1);
    for (int64_t d = int64_t(spec.shape.size()) - 2; d >= 0; --d)
      strides[d] = strides[d + 1] * spec.shape[d + 1];
    words.insert(words.end(), strides.begin(), strides.end());
  };
  for (const TensorSpec &spec : model->inputSpecs)
    addDescriptor(spec);
  for (const TensorSpec &spec : model->outputSpecs)
    addDescriptor(spec);
  model->engine = std::move(*engine);
  model->cuda = options.pipeline.device == Device::CUDA;
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
  // The descriptors (precomputed at compile time) with the pointers filled
  // in, on the stack: a run allocates nothing before the compiled code does.
  llvm::SmallVector<int64_t, 256> words(descriptorWords.begin(),
                                        descriptorWords.end());
  llvm::SmallVector<void *, 16> pointers, args;
  size_t argument = 0;
  auto fill = [&](const void *data) {
    int64_t *descriptor = words.data() + descriptorOffsets[argument++];
    descriptor[0] = descriptor[1] = reinterpret_cast<int64_t>(data);
    pointers.push_back(descriptor);
  };
  for (const void *data : inputs)
    fill(data);
  for (void *data : outputs)
    fill(data);
  for (void *&p : pointers)
    args.push_back(&p);
  auto start = std::chrono::steady_clock::now();
  entryPoint(args.data());
  lastEntrySeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  // Launches and copies report failures through the CUDA runtime.
  if (cuda)
    if (const char *error = kiln_cuda_error()) {
      std::string message = error;
      kiln_cuda_clear_error();
      return makeError("running on the GPU failed: " + message);
    }
  return llvm::Error::success();
}

} // namespace kiln
