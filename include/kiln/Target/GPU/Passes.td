//===- Passes.td - NVIDIA GPU code generation passes --------*- tablegen -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_GPU_PASSES_TD
#define KILN_TARGET_GPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnGPUAttachTarget : Pass<"kiln-gpu-attach-target", "mlir::ModuleOp"> {
  let summary = "Put the GPU the kernels are compiled for into the IR";
  let description = [{
    Sets the module attribute `kiln_codegen.gpu_target` to the
    `#kiln_codegen.gpu_target` of architecture `arch` (`sm_70`, `sm_75`,
    `sm_80`, `sm_86`, `sm_89`, `sm_90`, `sm_90a`: Kiln's table of known
    GPUs, `lib/Target/GPU/KnownGPUs.cpp`), so that GPU code generation reads
    the GPU's facts from the IR. Without `arch`, a target already in the IR
    stays, and a module without one gets sm_80's. An unknown architecture
    is an error that lists the known ones.
  }];
  let options = [
    Option<"arch", "arch", "std::string", /*default=*/"",
           "NVIDIA architecture, e.g. sm_80 or sm_90a">,
  ];
  let dependentDialects = ["kiln::codegen::KilnCodegenDialect"];
}

#endif // KILN_TARGET_GPU_PASSES_TD
