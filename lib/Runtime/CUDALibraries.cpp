//===- CUDALibraries.cpp - NVIDIA's libraries, loaded at run time ---------===//
//
// Part of Kiln. See CUDALibraries.h.
//
//===----------------------------------------------------------------------===//

#include "CUDALibraries.h"

#include <cstdlib>
#include <dlfcn.h>

using namespace kiln::cuda;

void *OpenedLibrary::resolve(const char *symbol, bool optional) {
  void *address = handle ? dlsym(handle, symbol) : nullptr;
  if (!address && !optional && unavailable.empty())
    unavailable = path + " has no " + symbol +
                  ": it is older than Kiln needs, or not the library";
  return address;
}

std::string kiln::cuda::describeFailure(const char *library, const char *call,
                                        int status,
                                        const char *(*statusText)(int)) {
  std::string text = std::string(library) + ": " + call + " failed (status " +
                     std::to_string(status);
  if (const char *what = statusText ? statusText(status) : nullptr)
    text += std::string(": ") + what;
  return text + ")";
}

OpenedLibrary
kiln::cuda::openLibrary(const char *environmentVariable,
                        const std::vector<std::string> &candidates,
                        const std::string &what, const std::string &needed) {
  std::vector<std::string> paths = candidates;
  if (const char *path = std::getenv(environmentVariable); path && *path)
    paths = {path};
  OpenedLibrary library;
  std::string why;
  for (const std::string &path : paths) {
    library.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (library.handle) {
      library.path = path;
      return library;
    }
    if (why.empty())
      if (const char *error = dlerror())
        why = error;
  }
  library.unavailable = "cannot load " + what + " (" + paths.front() +
                        (paths.size() > 1 ? " or another version" : "") +
                        "): " + (why.empty() ? "not found" : why) +
                        "; the model calls it for " + needed + ": install " +
                        what + " or compile without it";
  return library;
}
