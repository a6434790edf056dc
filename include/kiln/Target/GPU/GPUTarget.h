//===- GPUTarget.h - the NVIDIA GPU kernels are compiled for ----*- C++ -*-===//
//
// Part of Kiln. What GPU code generation knows of the GPU (its
// architecture, SMs, launch limits, shared memory, tensor-core
// instructions), from Kiln's table of known architectures. It travels in
// the IR as the module's #kiln_codegen.gpu_target.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_GPU_GPUTARGET_H
#define KILN_TARGET_GPU_GPUTARGET_H

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace kiln {

struct GPUTargetDescription {
  /// The architecture (`sm_80`) and LLVM NVPTX features (`+ptx80`).
  std::string chip;
  std::string features;
  /// A representative part of the architecture, for messages: `A100`.
  std::string part;
  unsigned smCount = 1;
  unsigned maxThreadsPerBlock = 1024;
  unsigned registersPerSM = 65536;
  /// Shared memory one block may use (opting in above 48 KiB).
  int64_t sharedMemoryBytes = 48 * 1024;
  /// `none`, `mma_sync` or `wgmma` (see #kiln_codegen.gpu_target).
  std::string mma = "none";
  int64_t memoryBytes = 0;

  static GPUTargetDescription fromAttr(codegen::GPUTargetAttr attr);
  /// What identifies this GPU in tuning databases, with the device
  /// (`cuda`; `emulated-cuda`, whose times are `hostKey`'s CPU's) and the
  /// precision the schedules were measured with: `cuda sm_80 sms=108
  /// precision=fp32`.
  std::string tuningKey(llvm::StringRef device, llvm::StringRef precision,
                        llvm::StringRef hostKey) const;
  codegen::GPUTargetAttr toAttr(mlir::MLIRContext *context) const;
};

/// The architectures Kiln knows, in order (`sm_70`, ..., `sm_90a`).
llvm::ArrayRef<GPUTargetDescription> knownGPUs();

/// The description of architecture `chip`; an error naming the known ones
/// otherwise.
llvm::Expected<GPUTargetDescription> resolveGPUTarget(llvm::StringRef chip);

} // namespace kiln

#endif // KILN_TARGET_GPU_GPUTARGET_H
