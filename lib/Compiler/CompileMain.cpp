//===- CompileMain.cpp - the kiln-compile driver --------------------------===//
//
// Part of Kiln.
//
// Stages (each can be the last, --emit): parse the nn module; lower it with
// the CPU pipeline for the target's description (--emit=mlir prints the LLVM
// dialect); translate to LLVM IR and add the model's entry points; optimize
// (--emit=llvm); generate code (--emit=asm, obj); package it (--emit=lib,
// shared, exe) with the target's runtime; --emit=header writes only the C
// header. -v times each stage.
//
//===----------------------------------------------------------------------===//

#include "kiln/Compiler/CompileMain.h"

#include "kiln/Compiler/AOTTarget.h"
#include "kiln/Compiler/ExternalWeights.h"
#include "kiln/Compiler/ModelGlue.h"
#include "kiln/Compiler/Packaging.h"
#include "kiln/Engine/ModelLoader.h"
#include "kiln/Engine/ModelSignature.h"
#include "kiln/Frontend/ONNX/ONNXImporter.h"
#include "kiln/InitAllDialects.h"
#include "kiln/Codegen/Pipeline.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;

namespace {
namespace cl = llvm::cl;

enum class Emit { Exe, Obj, Lib, Shared, Header, LLVM, Asm, MLIR };

cl::OptionCategory category("kiln-compile options");
cl::opt<std::string> inputPath(cl::Positional,
                               cl::desc("MODEL.mlir|MODEL.onnx"), cl::Required,
                               cl::cat(category));
cl::opt<std::string> outputPath(
    "o",
    cl::desc("Output file (default: from the model's file name and --emit: "
             "MODEL, MODEL.o, libMODEL.a, libMODEL.so, MODEL.h, MODEL.ll, "
             "MODEL.s, MODEL.STAGE.mlir; '-' writes text to stdout)"),
    cl::value_desc("FILE"), cl::cat(category));
cl::opt<Emit> emit(
    "emit", cl::desc("What to produce (default: exe)"), cl::init(Emit::Exe),
    cl::values(
        clEnumValN(Emit::Exe, "exe",
                   "a static executable with kiln-run's command line"),
        clEnumValN(Emit::Obj, "obj",
                   "an object file (link it with the target's "
                   "libkiln_runtime.a)"),
        clEnumValN(Emit::Lib, "lib", "a static library and its C header"),
        clEnumValN(Emit::Shared, "shared", "a shared library and its C header"),
        clEnumValN(Emit::Header, "header", "only the C header"),
        clEnumValN(Emit::LLVM, "llvm", "optimized LLVM IR (text)"),
        clEnumValN(Emit::Asm, "asm", "assembly (text)"),
        clEnumValN(Emit::MLIR, "mlir",
                   "the IR after Kiln's pipeline (to --stage)")),
    cl::cat(category));
cl::opt<std::string> targetTriple(
    "target",
    cl::desc("Target triple: x86_64-linux-gnu, aarch64-linux-gnu or "
             "riscv64-linux-gnu (default: this machine's)"),
    cl::value_desc("TRIPLE"), cl::cat(category));
cl::opt<std::string>
    cpu("cpu",
        cl::desc("Target CPU, e.g. native, x86-64-v3, neoverse-n1, sifive-u74 "
                 "(default: native when compiling for this machine's "
                 "architecture, else the architecture's baseline: x86-64, "
                 "generic, generic-rv64)"),
        cl::value_desc("NAME"), cl::cat(category));
cl::opt<std::string> features(
    "features",
    cl::desc("LLVM target features to add or remove, e.g. +avx2,-avx512f or "
             "+v (riscv64 always has rv64gc)"),
    cl::value_desc("+F,-G,..."), cl::cat(category));
cl::opt<std::string> targetDesc(
    "target-desc",
    cl::desc("JSON file of target facts that override the CPU's, for a "
             "board Kiln does not know: vector_bits, vector_registers, "
             "l1_bytes, l2_bytes, cores, memory_bytes"),
    cl::value_desc("FILE"), cl::cat(category));
cl::opt<std::string> stage(
    "stage",
    cl::desc("With --emit=mlir: the last stage of the pipeline to run: "
             "linalg, tunable, tiled, bufferized or llvm (default: llvm)"),
    cl::value_desc("STAGE"), cl::init("llvm"), cl::cat(category));
cl::opt<unsigned> optLevel("O", cl::desc("Optimization level (0-3, default 3)"),
                           cl::Prefix, cl::init(3), cl::cat(category));
cl::opt<std::string> entry("entry",
                           cl::desc("Function to compile (default: the "
                                    "module's only public function)"),
                           cl::value_desc("NAME"), cl::cat(category));
cl::opt<std::string> modelName(
    "name",
    cl::desc("C name of the model in libraries: NAME_create (default: the "
             "function's name)"),
    cl::value_desc("NAME"), cl::cat(category));
cl::opt<std::string> weightsPath(
    "weights",
    cl::desc("Put the weights in this file instead of the binary; the "
             "program or library loads it at run time (default: beside "
             "the binary)"),
    cl::value_desc("FILE"), cl::cat(category));
cl::opt<std::string> linker(
    "linker",
    cl::desc("Linker driver for exe/shared (default: TRIPLE-g++ from PATH)"),
    cl::value_desc("PROGRAM"), cl::cat(category));
cl::list<std::string> bindings(
    "bind",
    cl::desc("ONNX models: give the graph input NAME the value in FILE.npy "
             "at compile time; it becomes a constant and is no longer an "
             "input (needed when shapes depend on it, e.g. Reshape's shape)"),
    cl::value_desc("NAME=FILE.npy"), cl::cat(category));
cl::opt<std::string> tuningDatabase(
    "tuning-db",
    cl::desc("Use the schedules this kiln-tune database holds for the "
             "target where they measured at least 5% faster than the "
             "heuristic's; other ops get the heuristic's (-v says which got "
             "which)"),
    cl::value_desc("FILE"), cl::cat(category));
cl::opt<bool> verbose("v",
                      cl::desc("Show each stage and its time, and which ops "
                               "got tuned schedules"),
                      cl::cat(category));

int fail(const llvm::Twine &message) {
  llvm::errs() << "kiln-compile: error: " << message << "\n";
  return 1;
}

/// Times the stages for -v.
class StageTimer {
public:
  void done(llvm::StringRef stage) {
    auto now = std::chrono::steady_clock::now();
    if (verbose)
      llvm::errs() << llvm::format(
          "kiln-compile: %-28s %8.3f s\n", stage.str().c_str(),
          std::chrono::duration<double>(now - last).count());
    last = now;
  }

private:
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
};

std::string defaultOutput(llvm::StringRef stem) {
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
    return (stem + "." + stage + ".mlir").str();
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

int kiln::kilnCompileMain(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // libLLVM registers a `-threads` option of its own; ours (a default baked
  // into the binary) replaces it.
  if (cl::Option *other = cl::getRegisteredOptions().lookup("threads"))
    other->removeArgument();
  static cl::opt<int> threads(
      "threads",
      cl::desc("Threads the compiled model runs on by default, and that the "
               "tiles of its parallel loops are sized for (1-1024; at run "
               "time --threads and $KILN_NUM_THREADS override it; default: "
               "every CPU the process may use, tiles sized for 1, 2 or 4)"),
      cl::value_desc("N"), cl::init(0), cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "kiln-compile (Kiln " KILN_VERSION
          ") with LLVM/MLIR " LLVM_VERSION_STRING "\n";
  });
  cl::ParseCommandLineOptions(
      argc, argv,
      "kiln-compile: compile an nn model ahead of time into an executable or "
      "a library\n\n"
      "  kiln-compile MODEL.mlir|MODEL.onnx [-o OUT] "
      "[--emit=exe|obj|lib|shared|header|llvm|asm|mlir]\n"
      "               [--target=TRIPLE] [--cpu=NAME] [--features=LIST] "
      "[--target-desc=FILE] [-O0..3] [--entry=NAME]\n"
      "               [--name=NAME] [--threads=N] [--weights=FILE] "
      "[--bind NAME=FILE.npy]... [--tuning-db=FILE] [-v]\n");
  StageTimer timer;

  if (optLevel > 3)
    return fail("-O must be 0 to 3, got " + llvm::Twine(optLevel));
  if (threads.getNumOccurrences() && (threads < 1 || threads > 1024))
    return fail("--threads must be 1 to 1024, got " + llvm::Twine(threads));
  std::optional<PipelineStage> lastStage = parseStage(stage);
  if (!lastStage)
    return fail("--stage must be linalg, tunable, tiled, bufferized or llvm, "
                "got '" +
                stage + "'");
  if (stage.getNumOccurrences() && emit != Emit::MLIR)
    return fail("--stage applies to --emit=mlir");
  if (!modelName.empty() && !isValidModelName(modelName))
    return fail("--name must be a C identifier, got '" + modelName + "'");
  bool binary = emit == Emit::Exe || emit == Emit::Obj || emit == Emit::Lib ||
                emit == Emit::Shared;
  if (!weightsPath.empty() && !binary)
    return fail("--weights applies to --emit=exe, obj, lib and shared");
  if (outputPath == "-" && binary)
    return fail("--emit=exe, obj, lib and shared cannot write to stdout");

  PipelineOptions pipeline;
  pipeline.target.triple = targetTriple;
  pipeline.target.cpu = cpu;
  pipeline.target.features = features;
  pipeline.target.descriptionFile = targetDesc;
  pipeline.optLevel = optLevel;
  pipeline.tuningDatabase = tuningDatabase;
  pipeline.tuningReport = verbose;
  pipeline.stopAfter = *lastStage;
  // Checked before anything is compiled: a bad target or database path is
  // one clear error.
  if (llvm::Error err = checkPipelineOptions(pipeline))
    return fail(llvm::toString(std::move(err)));
  AOTTargetOptions targetOptions;
  targetOptions.target = pipeline.target;
  targetOptions.optLevel = optLevel;
  llvm::Expected<AOTTarget> target = createAOTTarget(targetOptions);
  if (!target)
    return fail(llvm::toString(target.takeError()));
  if (verbose)
    llvm::errs() << "kiln-compile: target " << target->name << ", cpu "
                 << target->cpu << " (" << target->description.name << ", "
                 << target->description.vectorBits << "-bit vectors x "
                 << target->description.vectorRegisters << ")\n";

  // Packaging needs the runtime and, for exe/shared, a linker: check before
  // spending time on compilation.
  PackagingOptions packaging;
  packaging.linker = linker;
  packaging.verbose = verbose;
  {
    llvm::SmallString<256> dir(
        llvm::sys::fs::getMainExecutable(argv[0], (void *)&kilnCompileMain));
    llvm::sys::path::remove_filename(dir); // bin/
    llvm::sys::path::remove_filename(dir);
    llvm::sys::path::append(dir, "lib", "kiln");
    packaging.runtimeDir = std::string(dir);
  }
  if (emit == Emit::Exe || emit == Emit::Lib || emit == Emit::Shared)
    if (auto runtime = findRuntimeArchive(*target, packaging); !runtime)
      return fail(llvm::toString(runtime.takeError()));

  DialectRegistry registry;
  registerAllDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  auto bound = parseInputBindings(bindings);
  if (!bound)
    return fail(llvm::toString(bound.takeError()));
  ModelLoadOptions load;
  load.boundInputs = std::move(*bound);
  auto loaded = loadModel(inputPath, context, sourceMgr, load);
  if (!loaded)
    return fail(llvm::toString(loaded.takeError()));
  OwningOpRef<ModuleOp> module = std::move(*loaded);
  timer.done("parse");

  llvm::Expected<ModelSignature> signature = getModelSignature(*module, entry);
  if (!signature)
    return fail(llvm::toString(signature.takeError()));
  ModelGlueOptions glue;
  glue.entry = signature->function.getSymName().str();
  glue.name = modelName.empty() ? toModelName(glue.entry) : modelName;
  if (isReservedModelName(glue.name))
    return fail("the model's C name '" + glue.name +
                "' starts with a prefix Kiln's runtime reserves (kiln_, "
                "_mlir); choose another with --name");
  glue.inputs = signature->inputs;
  glue.outputs = signature->outputs;
  glue.flops = signature->flops;
  glue.defaultThreads = threads;
  removeIONames(signature->function);
  glue.withMain = emit == Emit::Exe;

  llvm::StringRef stem = llvm::sys::path::stem(inputPath);
  std::string output = outputPath.empty() ? defaultOutput(stem) : outputPath;

  if (emit == Emit::Header) {
    if (llvm::Error err = writeText(
            output, makeCHeader(glue, *target,
                                llvm::sys::path::filename(inputPath), false)))
      return fail(llvm::toString(std::move(err)));
    timer.done("header");
    return 0;
  }

  // nn -> LLVM dialect, tiled for the target. Tiles shared by threads are
  // sized for (and tuned schedules looked up for) --threads, else, for a
  // binary of this machine's architecture, the CPUs here (its default if it
  // runs here); for another target the count is not known.
  if (threads.getNumOccurrences())
    pipeline.threads = threads;
  else if (target->isHost)
    pipeline.threads = llvm::hardware_concurrency().compute_thread_count();
  PassManager pm(&context);
  buildPipeline(pm, pipeline);
  if (failed(pm.run(*module)))
    return fail("compilation failed (see the diagnostics above)");
  timer.done("nn to " + (pipeline.stopAfter == PipelineStage::LLVM
                             ? std::string("LLVM dialect")
                             : stageName(pipeline.stopAfter).str()));
  if (emit == Emit::MLIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    if (llvm::Error err = writeText(output, text))
      return fail(llvm::toString(std::move(err)));
    return 0;
  }

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, stem);
  if (!llvmModule)
    return fail("translation to LLVM IR failed (see the diagnostics above)");
  llvmModule->setTargetTriple(target->triple);
  llvmModule->setDataLayout(target->machine->createDataLayout());
  if (target->triple.getArch() == llvm::Triple::riscv64)
    llvmModule->addModuleFlag(llvm::Module::Error, "target-abi",
                              llvm::MDString::get(llvmContext, "lp64d"));
  if (llvm::Error err = addModelInvoke(*llvmModule, glue))
    return fail(llvm::toString(std::move(err)));
  alignWeights(*llvmModule);
  timer.done("translate to LLVM IR");

  if (llvm::Error err = makeOptimizingTransformer(
          optLevel, 0, target->machine.get())(llvmModule.get()))
    return fail("LLVM optimization failed: " + llvm::toString(std::move(err)));
  timer.done("optimize (LLVM -O" + std::to_string(optLevel) + ")");

  std::optional<ExternalWeights> weights;
  if (!weightsPath.empty()) {
    llvm::Expected<ExternalWeights> moved =
        moveWeightsToFile(*llvmModule, weightsPath);
    if (!moved)
      return fail(llvm::toString(moved.takeError()));
    weights = std::move(*moved);
    timer.done("write weights (" + std::to_string(weights->fileBytes) +
               " bytes)");
  }
  addModelEntryPoints(*llvmModule, glue, weights ? &*weights : nullptr);
  {
    std::string problems;
    llvm::raw_string_ostream os(problems);
    if (llvm::verifyModule(*llvmModule, &os))
      return fail("internal error: invalid LLVM IR: " + problems);
  }
  if (emit == Emit::LLVM) {
    std::string text;
    llvm::raw_string_ostream os(text);
    llvmModule->print(os, nullptr);
    if (llvm::Error err = writeText(output, text))
      return fail(llvm::toString(std::move(err)));
    return 0;
  }

  // Machine code: into the output (asm, obj) or a temporary object.
  llvm::SmallString<128> objectPath;
  bool temporaryObject = emit != Emit::Asm && emit != Emit::Obj;
  if (temporaryObject) {
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("kiln-" + stem, "o", objectPath))
      return fail("cannot create a temporary file: " + ec.message());
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
      return fail("cannot write " + objectPath + ": " + ec.message());
    llvm::legacy::PassManager codegen;
    if (target->machine->addPassesToEmitFile(
            codegen, out.os(), nullptr,
            emit == Emit::Asm ? llvm::CodeGenFileType::AssemblyFile
                              : llvm::CodeGenFileType::ObjectFile))
      return fail("LLVM cannot emit code for " + target->name);
    codegen.run(*llvmModule);
    out.keep();
  }
  timer.done(emit == Emit::Asm ? "generate assembly" : "generate object code");
  if (emit == Emit::Asm || emit == Emit::Obj)
    return 0;

  if (emit == Emit::Lib) {
    if (llvm::Error err =
            writeStaticLibrary(*target, objectPath, output, packaging))
      return fail(llvm::toString(std::move(err)));
  } else {
    if (llvm::Error err = linkModel(*target, objectPath, output,
                                    emit == Emit::Shared, glue.name, packaging))
      return fail(llvm::toString(std::move(err)));
  }
  timer.done(emit == Emit::Lib ? "archive" : "link");
  if (emit == Emit::Lib || emit == Emit::Shared) {
    std::string header = headerBeside(output);
    if (llvm::Error err =
            writeText(header, makeCHeader(glue, *target,
                                          llvm::sys::path::filename(inputPath),
                                          weights.has_value())))
      return fail(llvm::toString(std::move(err)));
    if (verbose)
      llvm::errs() << "kiln-compile: wrote " << output << " and " << header
                   << "\n";
  } else if (verbose) {
    llvm::errs() << "kiln-compile: wrote " << output << "\n";
  }
  return 0;
}
