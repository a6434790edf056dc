//===- CUDAToolkit.h - where the CUDA toolkit's tools are -------*- C++ -*-===//
//
// Part of Kiln. GPU code generation needs no CUDA to make PTX (LLVM's
// NVPTX backend), but math functions come from the toolkit's libdevice,
// and cubins from its ptxas. Found at run time, never at build time: a
// Kiln built without CUDA still compiles PTX where a toolkit exists.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_GPU_CUDATOOLKIT_H
#define KILN_TARGET_GPU_CUDATOOLKIT_H

#include <string>

namespace kiln {

/// The CUDA toolkit's directory: $CUDA_HOME, else $CUDA_PATH, else
/// /usr/local/cuda, the first that exists; empty when none does.
std::string cudaToolkitDir();

/// The toolkit's libdevice bitcode (nvvm/libdevice/libdevice.10.bc), or
/// empty.
std::string cudaLibdevicePath();

} // namespace kiln

#endif // KILN_TARGET_GPU_CUDATOOLKIT_H
