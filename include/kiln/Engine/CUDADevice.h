//===- CUDADevice.h - a GPU made ready for the JIT --------------*- C++ -*-===//
//
// Part of Kiln. What kiln-run --device=cuda[:N] and Python's
// device="cuda[:N]" do before compiling: load the driver, make device N
// current, and choose the architecture to compile for.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_ENGINE_CUDADEVICE_H
#define KILN_ENGINE_CUDADEVICE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace kiln {

/// `cuda` -> 0, `cuda:N` -> N; nullopt for anything else.
std::optional<int> parseCUDADeviceSpec(llvm::StringRef spec);

/// The architecture Kiln compiles for on a GPU of compute capability
/// `major`.`minor`: the newest Kiln knows that the GPU runs (sm_90a on a
/// 9.0 part: its wgmma schedule), or an error for parts older than sm_70.
llvm::Expected<std::string> gpuArchForCapability(int major, int minor);

/// Loads the driver and makes `device` the current (and default) device of
/// this process's CUDA runtime; returns its architecture
/// (gpuArchForCapability). Errors carry the driver's reason.
llvm::Expected<std::string> prepareCUDADevice(int device);

/// The driver's name of `device` ("NVIDIA H100 80GB HBM3"); empty when the
/// driver cannot say.
std::string cudaDeviceName(int device);

} // namespace kiln

#endif // KILN_ENGINE_CUDADEVICE_H
