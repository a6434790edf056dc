//===- CUDAToolkit.cpp - where the CUDA toolkit's tools are ---------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/CUDAToolkit.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

std::string kiln::cudaToolkitDir() {
  for (const char *variable : {"CUDA_HOME", "CUDA_PATH"})
    if (const char *dir = std::getenv(variable);
        dir && *dir && llvm::sys::fs::is_directory(dir))
      return dir;
  if (llvm::sys::fs::is_directory("/usr/local/cuda"))
    return "/usr/local/cuda";
  return "";
}

std::string kiln::cudaLibdevicePath() {
  std::string toolkit = cudaToolkitDir();
  if (toolkit.empty())
    return "";
  llvm::SmallString<256> path(toolkit);
  llvm::sys::path::append(path, "nvvm", "libdevice", "libdevice.10.bc");
  return llvm::sys::fs::exists(path) ? std::string(path) : "";
}
