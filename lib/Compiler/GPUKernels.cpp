//===- GPUKernels.cpp - a model's GPU kernels as PTX, cubins, a fatbin ----===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Compiler/GPUKernels.h"

#include "kiln/Target/GPU/CUDAToolkit.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

namespace kiln::compiler {

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<std::vector<KernelPTX>> collectKernelPTX(ModuleOp module) {
  std::vector<KernelPTX> kernels;
  for (auto binary : module.getOps<mlir::gpu::BinaryOp>())
    for (Attribute attr : binary.getObjectsAttr()) {
      auto object = cast<mlir::gpu::ObjectAttr>(attr);
      auto target = dyn_cast<NVVM::NVVMTargetAttr>(object.getTarget());
      if (!target ||
          object.getFormat() != mlir::gpu::CompilationTarget::Assembly)
        return makeError("internal error: the kernels are not NVPTX "
                         "assembly");
      kernels.push_back({target.getChip().str(), object.getObject().str()});
    }
  if (kernels.empty())
    return makeError("the model has no GPU kernels");
  for (const KernelPTX &k : kernels) {
    // A math function LLVM could not find in libdevice stays an external
    // declaration, which ptxas (and the driver) reject.
    // (The declaration: `.extern .func (.param ...) __nv_expf(`.)
    llvm::StringRef ptx = k.ptx;
    size_t at = ptx.find(".extern .func");
    if (at == llvm::StringRef::npos)
      continue;
    llvm::StringRef declaration =
        ptx.substr(at).take_until([](char c) { return c == '\n'; });
    size_t name = declaration.find("__nv_");
    std::string function =
        name == llvm::StringRef::npos
            ? std::string("a libdevice function")
            : declaration.substr(name)
                  .take_until([](char c) { return c == '(' || c == ' '; })
                  .str();
    return makeError("the kernels call " + function +
                     ", which comes from the CUDA toolkit's libdevice, but "
                     "no toolkit was found: set CUDA_HOME to it");
  }
  return kernels;
}

/// The toolkit's `tool` (ptxas, fatbinary), else one on PATH.
static llvm::Expected<std::string> findTool(llvm::StringRef tool) {
  std::string toolkit = cudaToolkitDir();
  if (!toolkit.empty()) {
    llvm::SmallString<256> path(toolkit);
    llvm::sys::path::append(path, "bin", tool);
    if (llvm::sys::fs::can_execute(path))
      return std::string(path);
  }
  if (llvm::ErrorOr<std::string> onPath = llvm::sys::findProgramByName(tool))
    return *onPath;
  return makeError(tool + " (from the CUDA toolkit) was not found: set "
                          "CUDA_HOME to the toolkit, or use --emit=ptx, "
                          "which needs no toolkit");
}

/// Runs `argv`; its output goes to `log` when verbose or when it fails.
static llvm::Error runTool(llvm::ArrayRef<std::string> argv, bool verbose,
                           llvm::raw_ostream &log) {
  llvm::SmallString<128> outputPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("kiln-tool", "txt", outputPath))
    return makeError("cannot create a temporary file: " + ec.message());
  llvm::FileRemover remover(outputPath);
  std::vector<llvm::StringRef> args(argv.begin(), argv.end());
  if (verbose) {
    log << "kiln-compile:";
    for (llvm::StringRef a : args)
      log << " " << a;
    log << "\n";
  }
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, outputPath.str(),
                                                outputPath.str()};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(args.front(), args, std::nullopt,
                                     redirects, /*SecondsToWait=*/0,
                                     /*MemoryLimit=*/0, &error);
  auto text = llvm::MemoryBuffer::getFile(outputPath);
  llvm::StringRef output = text ? (*text)->getBuffer() : "";
  if (rc != 0)
    return makeError(llvm::sys::path::filename(args.front()) + " failed" +
                     (error.empty() ? "" : ": " + error) +
                     (output.empty() ? "" : ":\n" + output.rtrim()));
  if (verbose)
    log << output;
  return llvm::Error::success();
}

static llvm::Error writeFile(llvm::StringRef path, llvm::StringRef bytes) {
  std::string error;
  auto file = openOutputFile(path, &error);
  if (!file)
    return makeError(error);
  file->os() << bytes;
  file->keep();
  return llvm::Error::success();
}

/// `sm_90a` -> `90a`, as fatbinary's --image3 takes it.
static llvm::StringRef smNumber(llvm::StringRef chip) {
  chip.consume_front("sm_");
  return chip;
}

llvm::Error writeKernels(const std::vector<KernelPTX> &kernels,
                         KernelFormat format, llvm::StringRef output,
                         bool verbose, llvm::raw_ostream &log) {
  if (format != KernelFormat::Fatbin && kernels.size() != 1)
    return makeError("--emit=ptx and --emit=cubin write one architecture's "
                     "kernels; give one --gpu-arch, or use --emit=fatbin for "
                     "several");
  if (format == KernelFormat::PTX)
    return writeFile(output, kernels.front().ptx);
  if (output == "-")
    return makeError("cubins and fatbins cannot be written to stdout");

  llvm::Expected<std::string> ptxas = findTool("ptxas");
  if (!ptxas)
    return ptxas.takeError();
  // Each architecture's PTX and cubin, in temporary files.
  std::vector<std::unique_ptr<llvm::FileRemover>> removers;
  auto temporary = [&](llvm::StringRef suffix) -> llvm::Expected<std::string> {
    llvm::SmallString<128> path;
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("kiln-kernels", suffix, path))
      return makeError("cannot create a temporary file: " + ec.message());
    removers.push_back(std::make_unique<llvm::FileRemover>(path));
    return std::string(path);
  };
  std::vector<std::string> images;
  for (const KernelPTX &k : kernels) {
    llvm::Expected<std::string> ptxPath = temporary("ptx");
    if (!ptxPath)
      return ptxPath.takeError();
    if (llvm::Error err = writeFile(*ptxPath, k.ptx))
      return err;
    std::string cubinPath;
    if (format == KernelFormat::Cubin) {
      cubinPath = output.str();
    } else {
      llvm::Expected<std::string> path = temporary("cubin");
      if (!path)
        return path.takeError();
      cubinPath = *path;
    }
    std::vector<std::string> argv = {*ptxas, "-arch=" + k.chip, "-O3", *ptxPath,
                                     "-o",   cubinPath};
    if (verbose)
      argv.push_back("-v");
    if (llvm::Error err = runTool(argv, verbose, log))
      return err;
    std::string sm = smNumber(k.chip).str();
    images.push_back("--image3=kind=elf,sm=" + sm + ",file=" + cubinPath);
    // The PTX too, so that a driver can compile it for a newer GPU.
    images.push_back("--image3=kind=ptx,sm=" + sm + ",file=" + *ptxPath);
  }
  if (format == KernelFormat::Cubin)
    return llvm::Error::success();
  llvm::Expected<std::string> fatbinary = findTool("fatbinary");
  if (!fatbinary)
    return fatbinary.takeError();
  std::vector<std::string> argv = {*fatbinary, "-64",
                                   "--create=" + output.str()};
  argv.insert(argv.end(), images.begin(), images.end());
  return runTool(argv, verbose, log);
}

llvm::Error embedKernels(ModuleOp module, bool verbose,
                         llvm::raw_ostream &log) {
  llvm::Expected<std::vector<KernelPTX>> kernels = collectKernelPTX(module);
  if (!kernels)
    return kernels.takeError();
  auto binaries = llvm::to_vector(module.getOps<mlir::gpu::BinaryOp>());
  if (binaries.size() != 1)
    return makeError("internal error: expected one gpu.binary, found " +
                     llvm::Twine(binaries.size()));
  mlir::gpu::BinaryOp binary = binaries.front();
  auto first = cast<mlir::gpu::ObjectAttr>(binary.getObjectsAttr()[0]);
  auto found = [](llvm::StringRef tool) {
    llvm::Expected<std::string> path = findTool(tool);
    if (path)
      return true;
    llvm::consumeError(path.takeError());
    return false;
  };
  bool toolkit = found("ptxas") && found("fatbinary");
  if (!toolkit) {
    if (verbose)
      log << "kiln-compile: no ptxas/fatbinary: the kernels are embedded as "
             "PTX for "
          << kernels->front().chip
          << ", which the NVIDIA driver compiles when the program starts\n";
    binary.setObjectsAttr(ArrayAttr::get(module.getContext(), {first}));
    return llvm::Error::success();
  }
  llvm::SmallString<128> path;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("kiln-kernels", "fatbin", path))
    return makeError("cannot create a temporary file: " + ec.message());
  llvm::FileRemover remover(path);
  if (llvm::Error err =
          writeKernels(*kernels, KernelFormat::Fatbin, path, verbose, log))
    return err;
  auto fatbin = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!fatbin)
    return makeError("cannot read " + path + ": " +
                     fatbin.getError().message());
  auto object = mlir::gpu::ObjectAttr::get(
      module.getContext(), first.getTarget(),
      mlir::gpu::CompilationTarget::Fatbin,
      StringAttr::get(module.getContext(), (*fatbin)->getBuffer()),
      /*properties=*/nullptr, /*kernels=*/nullptr);
  binary.setObjectsAttr(ArrayAttr::get(module.getContext(), {object}));
  return llvm::Error::success();
}

} // namespace kiln::compiler
