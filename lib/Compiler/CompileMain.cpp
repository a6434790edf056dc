//===- CompileMain.cpp - the kiln-compile driver --------------------------===//
//
// Part of Kiln. The command line of kiln::compiler::compile (Compiler.cpp,
// which does the work): its options, their checks, and where the runtimes
// are (beside this program).
//
//===----------------------------------------------------------------------===//

#include "kiln/Compiler/CompileMain.h"

#include "kiln/Codegen/GPUCommandLine.h"
#include "kiln/Codegen/Pipeline.h"
#include "kiln/Compiler/Compiler.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {
namespace cl = llvm::cl;

using kiln::compiler::Emit;

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
                   "an executable with kiln-run's command line (static; a "
                   "--device=cuda one loads the NVIDIA driver)"),
        clEnumValN(Emit::Obj, "obj",
                   "an object file (link it with the target's "
                   "libkiln_runtime.a)"),
        clEnumValN(Emit::Lib, "lib", "a static library and its C header"),
        clEnumValN(Emit::Shared, "shared", "a shared library and its C header"),
        clEnumValN(Emit::Header, "header", "only the C header"),
        clEnumValN(Emit::LLVM, "llvm", "optimized LLVM IR (text)"),
        clEnumValN(Emit::Asm, "asm", "assembly (text)"),
        clEnumValN(Emit::MLIR, "mlir",
                   "the IR after Kiln's pipeline (to --stage)"),
        clEnumValN(Emit::Ptx, "ptx",
                   "--device=cuda: the kernels' PTX (one --gpu-arch)"),
        clEnumValN(Emit::Cubin, "cubin",
                   "--device=cuda: the kernels' cubin (one --gpu-arch; "
                   "needs the CUDA toolkit's ptxas)"),
        clEnumValN(Emit::Fatbin, "fatbin",
                   "--device=cuda: a fatbin of every --gpu-arch's cubin and "
                   "PTX (needs ptxas and fatbinary)")),
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
cl::opt<std::string>
    device("device",
           cl::desc("What runs the model: cpu (default); cuda (an NVIDIA GPU: "
                    "executables and libraries that launch the kernels, or the "
                    "kernels alone with --emit=ptx, cubin or fatbin); "
                    "emulated-cuda (the GPU schedule compiled for the CPU, to "
                    "check it without a GPU)"),
           cl::value_desc("cpu|cuda|emulated-cuda"), cl::init("cpu"),
           cl::cat(category));
kiln::GPUCommandLineOptions gpuOptions(category);
cl::list<std::string> gpuArchs(
    "gpu-arch",
    cl::desc("NVIDIA architectures of the kernels, e.g. sm_80,sm_90a "
             "(default sm_80; known: sm_70, sm_75, sm_80, sm_86, sm_89, "
             "sm_90, sm_90a)"),
    cl::value_desc("sm_XX,..."), cl::CommaSeparated, cl::cat(category));
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
cl::opt<bool> profile(
    "profile",
    cl::desc("Put timers around the code of each nn op, so that the "
             "executable's --profile can print a table per op (CPU only; "
             "while no profile is taken they cost a few nanoseconds per op "
             "and run)"),
    cl::cat(category));
cl::opt<bool> verbose("v",
                      cl::desc("Show each stage and its time, and which ops "
                               "got tuned schedules"),
                      cl::cat(category));

int fail(const llvm::Twine &message) {
  llvm::errs() << "kiln-compile: error: " << message << "\n";
  return 1;
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
      "[--emit=exe|obj|lib|shared|header|llvm|asm|mlir|ptx|cubin|fatbin]\n"
      "               [--target=TRIPLE] [--cpu=NAME] [--features=LIST] "
      "[--target-desc=FILE] [-O0..3] [--entry=NAME]\n"
      "               [--name=NAME] [--threads=N] [--weights=FILE] "
      "[--bind NAME=FILE.npy]... [--tuning-db=FILE] [--profile] "
      "[--stage=STAGE] [-v]\n"
      "               [--device=cpu|cuda|emulated-cuda] "
      "[--gpu-arch=sm_XX,...]\n");
  // What only a command line can get wrong; the rest is the library's.
  if (threads.getNumOccurrences() && (threads < 1 || threads > 1024))
    return fail("--threads must be 1 to 1024, got " + llvm::Twine(threads));
  std::optional<PipelineStage> lastStage = parseStage(stage);
  if (!lastStage)
    return fail("--stage must be linalg, tunable, tiled, bufferized or llvm, "
                "got '" +
                stage + "'");
  if (stage.getNumOccurrences() && emit != compiler::Emit::MLIR)
    return fail("--stage applies to --emit=mlir");

  std::optional<Device> targetDevice = parseDevice(device);
  if (!targetDevice)
    return fail("--device must be cpu, cuda or emulated-cuda, got '" + device +
                "'");

  compiler::AOTOptions options;
  options.pipeline.device = *targetDevice;
  options.pipeline.gpuArchs.assign(gpuArchs.begin(), gpuArchs.end());
  if (llvm::Error error = gpuOptions.apply(options.pipeline))
    return fail(llvm::toString(std::move(error)));
  options.inputPath = inputPath;
  options.outputPath = outputPath;
  options.emit = emit;
  options.pipeline.target.triple = targetTriple;
  options.pipeline.target.cpu = cpu;
  options.pipeline.target.features = features;
  options.pipeline.target.descriptionFile = targetDesc;
  options.pipeline.optLevel = optLevel;
  options.pipeline.threads = threads.getNumOccurrences() ? threads : 0;
  options.pipeline.tuningDatabase = tuningDatabase;
  options.pipeline.profile = profile;
  options.pipeline.stopAfter = *lastStage;
  options.entry = entry;
  options.name = modelName;
  options.weightsPath = weightsPath;
  options.linker = linker;
  options.bindings = bindings;
  options.verbose = verbose;
  // The runtimes are installed beside this program: bin/../lib/kiln.
  llvm::SmallString<256> dir(
      llvm::sys::fs::getMainExecutable(argv[0], (void *)&kilnCompileMain));
  llvm::sys::path::remove_filename(dir); // bin/
  llvm::sys::path::remove_filename(dir);
  llvm::sys::path::append(dir, "lib", "kiln");
  options.runtimeDir = std::string(dir);

  if (llvm::Error err = compiler::compile(options, llvm::errs()))
    return fail(llvm::toString(std::move(err)));
  return 0;
}
