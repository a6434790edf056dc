//===- CUDADevice.cpp - a GPU made ready for the JIT ----------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Engine/CUDADevice.h"

#include "kiln/Runtime/CUDARuntime.h"
#include "kiln/Target/GPU/GPUTarget.h"

namespace kiln {

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::optional<int> parseCUDADeviceSpec(llvm::StringRef spec) {
  unsigned ordinal = 0;
  if (!spec.consume_front("cuda"))
    return std::nullopt;
  if (spec.empty())
    return 0;
  if (!spec.consume_front(":") || spec.getAsInteger(10, ordinal) ||
      ordinal > 1023)
    return std::nullopt;
  return static_cast<int>(ordinal);
}

llvm::Expected<std::string> gpuArchForCapability(int major, int minor) {
  int capability = major * 10 + minor;
  // A 9.0 part runs sm_90a's warpgroup instructions; newer ones run the
  // newest PTX Kiln writes (the driver compiles it for them).
  if (capability == 90)
    return std::string("sm_90a");
  std::string best;
  for (const GPUTargetDescription &gpu : knownGPUs()) {
    llvm::StringRef chip = gpu.chip;
    unsigned number = 0;
    if (chip.ends_with("a") || !chip.consume_front("sm_") ||
        chip.getAsInteger(10, number))
      continue;
    if (static_cast<int>(number) <= capability)
      best = gpu.chip;
  }
  if (best.empty())
    return makeError("the GPU's compute capability is " + llvm::Twine(major) +
                     "." + llvm::Twine(minor) +
                     "; Kiln's kernels need 7.0 (sm_70) or newer");
  return best;
}

llvm::Expected<std::string> prepareCUDADevice(int device) {
  auto driverError = [] {
    const char *error = kiln_cuda_error();
    std::string message = error ? error : "unknown CUDA error";
    kiln_cuda_clear_error();
    return makeError(message);
  };
  if (kiln_cuda_init(device) != 0)
    return driverError();
  mgpuSetDefaultDevice(device);
  int major = 0, minor = 0;
  if (kiln_cuda_device_capability(device, &major, &minor) != 0)
    return driverError();
  return gpuArchForCapability(major, minor);
}

std::string cudaDeviceName(int device) {
  char name[256] = {};
  if (kiln_cuda_device_name(device, name, sizeof(name)) != 0) {
    kiln_cuda_clear_error();
    return std::string();
  }
  return name;
}

} // namespace kiln
