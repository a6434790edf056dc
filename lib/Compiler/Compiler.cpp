//===- Compiler.cpp - the ahead-of-time compiler as a library -------------===//
//
// Part of Kiln.
//
// Stages (each can be the last, by `emit`): parse the nn module; lower it
// with the pipeline for the target (Emit::MLIR prints a stage of it);
// translate to LLVM IR and add the model's entry points; optimize
// (Emit::LLVM); generate code (Asm, Obj); package it (Lib, Shared, Exe) with
// the target's runtime; Emit::Header writes only the C header. `verbose`
// times each stage.
//
//===----------------------------------------------------------------------===//

#include "kiln/Compiler/Compiler.h"

#include "kiln/Compiler/AOTTarget.h"
#include "kiln/Compiler/ExternalWeights.h"
#include "kiln/Compiler/GPUKernels.h"
#include "kiln/Compiler/ModelGlue.h"
#include "kiln/Compiler/Packaging.h"
#include "kiln/Engine/ModelLoader.h"
#include "kiln/Engine/ModelSignature.h"
#include "kiln/Frontend/ONNX/ONNXImporter.h"
#include "kiln/InitAllDialects.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/ToolOutputFile.h"

#include <chrono>

using namespace mlir;

namespace kiln::compiler {

static constexpr llvm::StringLiteral kEmitNames[] = {
    "exe", "obj",  "lib", "shared", "header", "llvm",
    "asm", "mlir", "ptx", "cubin",  "fatbin"};

std::optional<Emit> parseEmit(llvm::StringRef name) {
  for (auto [i, known] : llvm::enumerate(kEmitNames))
    if (name == known)
      return static_cast<Emit>(i);
  return std::nullopt;
}

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

namespace {
/// Times the stages for -v.
class StageTimer {
public:
  StageTimer(llvm::raw_ostream &log, bool verbose)
      : log(log), verbose(verbose) {}

  void done(llvm::StringRef stage) {
    auto now = std::chrono::steady_clock::now();
    if (verbose)
      log << llvm::format("kiln-compile: %-28s %8.3f s\n", stage.str().c_str(),
                          std::chrono::duration<double>(now - last).count());
    last = now;
  }

private:
  llvm::raw_ostream &log;
  bool verbose;
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
};

std::string defaultOutput(llvm::StringRef stem, Emit emit,
                          PipelineStage stage) {
  switch (emit) {
  case Emit::Exe:
    return stem.str();
  case Emit::Obj:
    return (stem + ".o").str();
  case Emit::Lib:
    return ("lib" + stem + ".a").str();
  case Emit::Shared:
    return ("lib" + stem + ".so").str();
  case Emit::Header:
    return (stem + ".h").str();
  case Emit::LLVM:
    return (stem + ".ll").str();
  case Emit::Asm:
    return (stem + ".s").str();
  case Emit::MLIR:
    return (stem + "." + stageName(stage) + ".mlir").str();
  case Emit::Ptx:
    return (stem + ".ptx").str();
  case Emit::Cubin:
    return (stem + ".cubin").str();
  case Emit::Fatbin:
    return (stem + ".fatbin").str();
  }
  return stem.str();
}

/// The header written beside a library: libfoo.a -> foo.h.
std::string headerBeside(llvm::StringRef library) {
  llvm::SmallString<256> path(library);
  llvm::StringRef file = llvm::sys::path::filename(library);
  llvm::StringRef stem = llvm::sys::path::stem(file);
  stem.consume_front("lib");
  llvm::sys::path::remove_filename(path);
  llvm::sys::path::append(path, stem + ".h");
  return std::string(path);
}

/// Writes `text` to `path` ('-': stdout).
llvm::Error writeText(llvm::StringRef path, llvm::StringRef text) {
  std::string error;
  auto file = openOutputFile(path, &error);
  if (!file)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), error);
  file->os() << text;
  file->keep();
  return llvm::Error::success();
}

} // namespace

llvm::Error compile(const AOTOptions &options, llvm::raw_ostream &log) {
  const Emit emit = options.emit;
  const bool verbose = options.verbose;
  StageTimer timer(log, verbose);

  const PipelineOptions &requested = options.pipeline;
  if (requested.optLevel > 3)
    return makeError("-O must be 0 to 3, got " +
                     llvm::Twine(requested.optLevel));
  if (requested.threads > 1024)
    return makeError("--threads must be 1 to 1024, got " +
                     llvm::Twine(requested.threads));
  if (requested.stopAfter != PipelineStage::LLVM && emit != Emit::MLIR)
    return makeError("--stage applies to --emit=mlir");
  if (!options.name.empty() && !isValidModelName(options.name))
    return makeError("--name must be a C identifier, got '" + options.name +
                     "'");
  bool binary = emit == Emit::Exe || emit == Emit::Obj || emit == Emit::Lib ||
                emit == Emit::Shared;
  if (!options.weightsPath.empty() && !binary)
    return makeError("--weights applies to --emit=exe, obj, lib and shared");
  if (options.outputPath == "-" && binary)
    return makeError("--emit=exe, obj, lib and shared cannot write to stdout");
  bool kernels =
      emit == Emit::Ptx || emit == Emit::Cubin || emit == Emit::Fatbin;
  if (kernels && requested.device != Device::CUDA)
    return makeError("--emit=ptx, cubin and fatbin write GPU kernels: they "
                     "need --device=cuda");

  PipelineOptions pipeline = requested;
  pipeline.tuningReport = pipeline.tuningReport || verbose;
  // Checked before anything is compiled: a bad target or database path is
  // one clear error.
  if (llvm::Error err = checkPipelineOptions(pipeline))
    return makeError(llvm::toString(std::move(err)));
  DialectRegistry registry;
  registerAllDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context, log);
  auto bound = parseInputBindings(options.bindings);
  if (!bound)
    return makeError(llvm::toString(bound.takeError()));
  ModelLoadOptions load;
  load.boundInputs = std::move(*bound);
  auto loaded = loadModel(options.inputPath, context, sourceMgr, load);
  if (!loaded)
    return makeError(llvm::toString(loaded.takeError()));
  OwningOpRef<ModuleOp> module = std::move(*loaded);
  timer.done("parse");

  // The machine: the flags', else the one the IR was written for (its
  // kiln_codegen.target, which the pipeline then keeps), else this one.
  llvm::Expected<AOTTarget> target = [&]() -> llvm::Expected<AOTTarget> {
    auto written = codegen::CPUTargetAttr::lookup(*module);
    if (written && pipeline.target.isDefault())
      return createAOTTarget(CPUTargetDescription::fromAttr(written),
                             pipeline.optLevel);
    AOTTargetOptions targetOptions;
    targetOptions.target = pipeline.target;
    targetOptions.optLevel = pipeline.optLevel;
    return createAOTTarget(targetOptions);
  }();
  if (!target)
    return makeError(llvm::toString(target.takeError()));
  if (verbose)
    log << "kiln-compile: target " << target->name << ", cpu " << target->cpu
        << " (" << target->description.name << ", "
        << target->description.vectorBits << "-bit vectors x "
        << target->description.vectorRegisters << ")\n";

  // Packaging needs the runtime and, for exe/shared, a linker: check before
  // spending time on compilation.
  PackagingOptions packaging;
  packaging.linker = options.linker;
  packaging.verbose = verbose;
  packaging.runtimeDir = options.runtimeDir;
  packaging.loadsLibraries = requested.device == Device::CUDA;
  if (emit == Emit::Exe || emit == Emit::Lib || emit == Emit::Shared)
    if (auto runtime = findRuntimeArchive(*target, packaging); !runtime)
      return makeError(llvm::toString(runtime.takeError()));

  llvm::Expected<ModelSignature> signature =
      getModelSignature(*module, options.entry);
  if (!signature)
    return makeError(llvm::toString(signature.takeError()));
  ModelGlueOptions glue;
  glue.entry = signature->function.getSymName().str();
  glue.name = options.name.empty() ? toModelName(glue.entry) : options.name;
  if (isReservedModelName(glue.name))
    return makeError("the model's C name '" + glue.name +
                     "' starts with a prefix Kiln's runtime reserves (kiln_, "
                     "_mlir); choose another with --name");
  glue.inputs = signature->inputs;
  glue.outputs = signature->outputs;
  glue.flops = signature->flops;
  glue.defaultThreads = requested.threads;
  removeIONames(signature->function);
  glue.withMain = emit == Emit::Exe;
  glue.cuda = requested.device == Device::CUDA;

  llvm::StringRef stem = llvm::sys::path::stem(options.inputPath);
  std::string output = options.outputPath.empty()
                           ? defaultOutput(stem, emit, pipeline.stopAfter)
                           : options.outputPath;

  if (emit == Emit::Header) {
    if (llvm::Error err = writeText(
            output,
            makeCHeader(glue, *target,
                        llvm::sys::path::filename(options.inputPath), false)))
      return makeError(llvm::toString(std::move(err)));
    timer.done("header");
    return llvm::Error::success();
  }

  // nn -> LLVM dialect, tiled for the target. Tiles shared by threads are
  // sized for (and tuned schedules looked up for) --threads, else, for a
  // binary of this machine's architecture, the CPUs here (its default if it
  // runs here); for another target the count is not known.
  if (pipeline.threads == 0 && target->isHost)
    pipeline.threads = llvm::hardware_concurrency().compute_thread_count();
  PassManager pm(&context);
  buildPipeline(pm, pipeline);
  if (failed(pm.run(*module)))
    return makeError("compilation failed (see the diagnostics above)");
  timer.done("nn to " + (pipeline.stopAfter == PipelineStage::LLVM
                             ? std::string("LLVM dialect")
                             : stageName(pipeline.stopAfter).str()));
  if (kernels) {
    llvm::Expected<std::vector<KernelPTX>> ptx = collectKernelPTX(*module);
    if (!ptx)
      return makeError(llvm::toString(ptx.takeError()));
    KernelFormat format = emit == Emit::Ptx     ? KernelFormat::PTX
                          : emit == Emit::Cubin ? KernelFormat::Cubin
                                                : KernelFormat::Fatbin;
    if (llvm::Error err = writeKernels(*ptx, format, output, verbose, log))
      return makeError(llvm::toString(std::move(err)));
    timer.done(emit == Emit::Ptx ? "write PTX" : "assemble kernels");
    if (verbose)
      log << "kiln-compile: wrote " << output << "\n";
    return llvm::Error::success();
  }
  if (glue.cuda && emit != Emit::MLIR) {
    // The program loads its kernels from the fatbin (or PTX) it embeds.
    if (llvm::Error err = embedKernels(*module, verbose, log))
      return makeError(llvm::toString(std::move(err)));
    timer.done("embed kernels");
  }
  if (emit == Emit::MLIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    if (llvm::Error err = writeText(output, text))
      return makeError(llvm::toString(std::move(err)));
    return llvm::Error::success();
  }

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, stem);
  if (!llvmModule)
    return makeError(
        "translation to LLVM IR failed (see the diagnostics above)");
  llvmModule->setTargetTriple(target->triple);
  llvmModule->setDataLayout(target->machine->createDataLayout());
  if (target->triple.getArch() == llvm::Triple::riscv64)
    llvmModule->addModuleFlag(llvm::Module::Error, "target-abi",
                              llvm::MDString::get(llvmContext, "lp64d"));
  if (llvm::Error err = addModelInvoke(*llvmModule, glue))
    return makeError(llvm::toString(std::move(err)));
  alignWeights(*llvmModule);
  timer.done("translate to LLVM IR");

  if (llvm::Error err = makeOptimizingTransformer(
          pipeline.optLevel, 0, target->machine.get())(llvmModule.get()))
    return makeError("LLVM optimization failed: " +
                     llvm::toString(std::move(err)));
  timer.done("optimize (LLVM -O" + std::to_string(pipeline.optLevel) + ")");

  std::optional<ExternalWeights> weights;
  if (!options.weightsPath.empty()) {
    llvm::Expected<ExternalWeights> moved =
        moveWeightsToFile(*llvmModule, options.weightsPath);
    if (!moved)
      return makeError(llvm::toString(moved.takeError()));
    weights = std::move(*moved);
    timer.done("write weights (" + std::to_string(weights->fileBytes) +
               " bytes)");
  }
  addModelEntryPoints(*llvmModule, glue, weights ? &*weights : nullptr);
  {
    std::string problems;
    llvm::raw_string_ostream os(problems);
    if (llvm::verifyModule(*llvmModule, &os))
      return makeError("internal error: invalid LLVM IR: " + problems);
  }
  if (emit == Emit::LLVM) {
    std::string text;
    llvm::raw_string_ostream os(text);
    llvmModule->print(os, nullptr);
    if (llvm::Error err = writeText(output, text))
      return makeError(llvm::toString(std::move(err)));
    return llvm::Error::success();
  }

  // Machine code: into the output (asm, obj) or a temporary object.
  llvm::SmallString<128> objectPath;
  bool temporaryObject = emit != Emit::Asm && emit != Emit::Obj;
  if (temporaryObject) {
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("kiln-" + stem, "o", objectPath))
      return makeError("cannot create a temporary file: " + ec.message());
  } else {
    objectPath = output;
  }
  struct Remover {
    llvm::SmallString<128> &path;
    bool active;
    ~Remover() {
      if (active)
        llvm::sys::fs::remove(path);
    }
  } remover{objectPath, temporaryObject};
  {
    std::error_code ec;
    llvm::ToolOutputFile out(objectPath, ec,
                             emit == Emit::Asm ? llvm::sys::fs::OF_Text
                                               : llvm::sys::fs::OF_None);
    if (ec)
      return makeError("cannot write " + objectPath + ": " + ec.message());
    llvm::legacy::PassManager codegen;
    if (target->machine->addPassesToEmitFile(
            codegen, out.os(), nullptr,
            emit == Emit::Asm ? llvm::CodeGenFileType::AssemblyFile
                              : llvm::CodeGenFileType::ObjectFile))
      return makeError("LLVM cannot emit code for " + target->name);
    codegen.run(*llvmModule);
    out.keep();
  }
  timer.done(emit == Emit::Asm ? "generate assembly" : "generate object code");
  if (emit == Emit::Asm || emit == Emit::Obj)
    return llvm::Error::success();

  if (emit == Emit::Lib) {
    if (llvm::Error err =
            writeStaticLibrary(*target, objectPath, output, packaging))
      return makeError(llvm::toString(std::move(err)));
  } else {
    if (llvm::Error err = linkModel(*target, objectPath, output,
                                    emit == Emit::Shared, glue.name, packaging))
      return makeError(llvm::toString(std::move(err)));
  }
  timer.done(emit == Emit::Lib ? "archive" : "link");
  if (emit == Emit::Lib || emit == Emit::Shared) {
    std::string header = headerBeside(output);
    if (llvm::Error err = writeText(
            header, makeCHeader(glue, *target,
                                llvm::sys::path::filename(options.inputPath),
                                weights.has_value())))
      return makeError(llvm::toString(std::move(err)));
    if (verbose)
      log << "kiln-compile: wrote " << output << " and " << header << "\n";
  } else if (verbose) {
    log << "kiln-compile: wrote " << output << "\n";
  }
  return llvm::Error::success();
}

} // namespace kiln::compiler
