//===- Packaging.cpp - executables, libraries and headers -----------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Compiler/Packaging.h"

#include "llvm/Object/Archive.h"
#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

using namespace kiln;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The text of include/kiln/Runtime/ModelABI.h, as `kModelABIHeader`.
#include "ModelABIHeader.inc"

llvm::Expected<std::string>
kiln::findRuntimeArchive(const AOTTarget &target,
                         const PackagingOptions &options) {
  llvm::SmallString<256> path(options.runtimeDir);
  llvm::sys::path::append(path, target.name, "libkiln_runtime.a");
  if (!llvm::sys::fs::exists(path))
    return makeError("no Kiln runtime for " + target.name + " (looked for " +
                     path + "); it is built with Kiln when " + target.name +
                     "-g++ is installed: rerun scripts/setup.sh, which "
                     "installs the cross toolchains, then rebuild");
  return std::string(path);
}

/// The linker driver to use.
static llvm::Expected<std::string> findLinker(const AOTTarget &target,
                                              const PackagingOptions &options) {
  if (!options.linker.empty()) {
    if (auto found = llvm::sys::findProgramByName(options.linker))
      return *found;
    return makeError("linker '" + options.linker + "' not found");
  }
  std::string name = target.name + "-g++";
  if (auto found = llvm::sys::findProgramByName(name))
    return *found;
  if (target.isHost)
    if (auto found = llvm::sys::findProgramByName("g++"))
      return *found;
  return makeError("no linker for " + target.name + ": " + name +
                   " is not on PATH (Debian package g++-" +
                   target.triple.getArchName().str() +
                   "-linux-gnu; or name one with --linker)");
}

llvm::Error kiln::linkModel(const AOTTarget &target, llvm::StringRef object,
                            llvm::StringRef output, bool shared,
                            llvm::StringRef modelName,
                            const PackagingOptions &options) {
  llvm::Expected<std::string> runtime = findRuntimeArchive(target, options);
  if (!runtime)
    return runtime.takeError();
  llvm::Expected<std::string> linker = findLinker(target, options);
  if (!linker)
    return linker.takeError();
  std::vector<std::string> args = {*linker, "-o", output.str(), object.str()};
  llvm::SmallString<128> versionScript;
  struct Remover {
    llvm::SmallString<128> &path;
    ~Remover() {
      if (!path.empty())
        llvm::sys::fs::remove(path);
    }
  } removeScript{versionScript};
  if (shared) {
    // The library exports the ABI and NAME_create only (a version script:
    // the C++ library's inline functions would be visible otherwise); the
    // whole runtime goes in, since users call functions the model does not;
    // the C++ library is linked in statically.
    int fd;
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
            "kiln-exports", "map", fd, versionScript))
      return makeError("cannot create a temporary file: " + ec.message());
    {
      llvm::raw_fd_ostream script(fd, /*shouldClose=*/true);
      script << "{\n  global: kiln_*; " << modelName
             << "_create;\n  local: *;\n};\n";
    }
    args.insert(args.end(), {"-shared", "-Wl,--whole-archive", *runtime,
                             "-Wl,--no-whole-archive", "-static-libstdc++",
                             "-static-libgcc",
                             ("-Wl,--version-script=" + versionScript).str()});
  } else if (options.loadsLibraries) {
    // dlopen from a static executable would load a second C library.
    args.insert(args.end(), {*runtime, "-ldl"});
  } else {
    // Static: the binary runs on any Linux of its architecture.
    args.insert(args.end(), {"-static", *runtime});
  }
  args.insert(args.end(), {"-lm", "-pthread"});

  llvm::SmallVector<llvm::StringRef> argv(args.begin(), args.end());
  if (options.verbose) {
    llvm::errs() << "kiln-compile: running";
    for (llvm::StringRef a : argv)
      llvm::errs() << " " << a;
    llvm::errs() << "\n";
  }
  llvm::SmallString<128> log;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("kiln-link", "log", log))
    return makeError("cannot create a temporary file: " + ec.message());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, log.str(),
                                                log.str()};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(*linker, argv, std::nullopt, redirects,
                                         0, 0, &error);
  auto messages = llvm::MemoryBuffer::getFile(log);
  llvm::sys::fs::remove(log);
  if (status != 0) {
    std::string text = messages ? (*messages)->getBuffer().trim().str() : "";
    return makeError("linking " + output + " failed" +
                     (error.empty() ? "" : ": " + error) +
                     (text.empty() ? "" : ":\n" + text));
  }
  return llvm::Error::success();
}

llvm::Error kiln::writeStaticLibrary(const AOTTarget &target,
                                     llvm::StringRef object,
                                     llvm::StringRef output,
                                     const PackagingOptions &options) {
  llvm::Expected<std::string> runtimePath = findRuntimeArchive(target, options);
  if (!runtimePath)
    return runtimePath.takeError();
  auto runtimeBuffer = llvm::MemoryBuffer::getFile(*runtimePath);
  if (!runtimeBuffer)
    return makeError("cannot read " + *runtimePath + ": " +
                     runtimeBuffer.getError().message());
  auto runtime =
      llvm::object::Archive::create((*runtimeBuffer)->getMemBufferRef());
  if (!runtime)
    return runtime.takeError();

  std::vector<llvm::NewArchiveMember> members;
  auto model = llvm::NewArchiveMember::getFile(object, /*Deterministic=*/true);
  if (!model)
    return model.takeError();
  // The archive member is named after the model, not the temporary file.
  std::string memberName = llvm::sys::path::stem(output).str() + ".o";
  model->MemberName = memberName;
  members.push_back(std::move(*model));
  llvm::Error err = llvm::Error::success();
  for (const llvm::object::Archive::Child &child : (*runtime)->children(err)) {
    auto member = llvm::NewArchiveMember::getOldMember(child, true);
    if (!member)
      return member.takeError();
    members.push_back(std::move(*member));
  }
  if (err)
    return err;
  if (llvm::Error err = llvm::writeArchive(
          output, members, llvm::SymtabWritingMode::NormalSymtab,
          llvm::object::Archive::K_GNU, /*Deterministic=*/true, /*Thin=*/false))
    return makeError("cannot write " + output + ": " +
                     llvm::toString(std::move(err)));
  return llvm::Error::success();
}

std::string kiln::makeCHeader(const ModelGlueOptions &model,
                              const AOTTarget &target, llvm::StringRef source,
                              bool externalWeights) {
  std::string text;
  llvm::raw_string_ostream os(text);
  std::string guard =
      "KILN_MODEL_" + llvm::StringRef(model.name).upper() + "_H";
  os << "/* " << model.name << ": generated by kiln-compile from " << source
     << " (function @" << model.entry << ") for " << target.name
     << ".\n *\n * Inputs and outputs (dense, row-major):\n";
  auto list = [&](const char *kind, const std::vector<TensorSpec> &specs) {
    for (auto [i, spec] : llvm::enumerate(specs))
      os << " *   " << kind << " " << i << ": " << spec.name << ", "
         << spec.describe() << "\n";
  };
  list("input ", model.inputs);
  list("output", model.outputs);
  os << " *\n * Weights: "
     << (externalWeights
             ? "in the side file given to --weights; pass its "
               "path to " +
                   model.name + "_create, or NULL to look beside the binary"
             : "embedded; pass NULL to " + model.name + "_create")
     << (model.cuda
             ? ".\n * Device: an NVIDIA GPU, through the driver (libcuda.so.1) "
               "loaded at run\n * time; $KILN_CUDA_DEVICE picks the device "
               "(default 0).\n * Link: the static library with -lm -pthread "
               "-ldl; the shared library needs\n * nothing else.\n */\n\n"
             : ".\n * Link: the static library with -lm -pthread; the shared "
               "library needs nothing\n * else.\n */\n\n");
  os << "#ifndef " << guard << "\n#define " << guard << "\n\n";
  os << kModelABIHeader << "\n";
  os << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  os << "/* A new instance of " << model.name
     << " (see ModelABI above); NULL on failure. */\n";
  os << "KILN_API kiln_model *" << model.name
     << "_create(const char *weights_path);\n\n";
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return text;
}
