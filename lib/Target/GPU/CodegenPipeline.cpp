//===- CodegenPipeline.cpp - the GPU's parts of the pipeline --------------===//
//
// Part of Kiln. What buildPipeline (lib/Codegen/Pipeline) runs for an
// NVIDIA GPU (--device=cuda) and for its emulation on the CPU
// (--device=emulated-cuda) between its target-neutral stages: the GPU
// schedule of every linalg op (configs, then block and thread foralls on
// buffers), then either kernels (gpu.launch, outlined, NVVM, PTX) or the
// same foralls run as CPU loops.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Codegen/Pipeline.h"
#include "kiln/Target/CPU/Passes.h"
#include "kiln/Target/GPU/CUDAToolkit.h"
#include "kiln/Target/GPU/GPUTarget.h"
#include "kiln/Target/GPU/Passes.h"
#include "kiln/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

/// The schedule heuristic's options: the emulated GPU runs sm_90a's
/// mma.sync schedule (warpgroup instructions cannot run on the CPU);
/// --precision=tf32 puts f32 matmuls on the tensor cores.
static kiln::KilnGPUSelectLoweringConfigOptions
selectOptions(const kiln::PipelineOptions &options) {
  kiln::KilnGPUSelectLoweringConfigOptions select;
  select.wgmma = options.device == kiln::Device::CUDA;
  select.tf32 = options.precision == kiln::Precision::TF32;
  select.libraries.assign(options.gpuLibraries.begin(),
                          options.gpuLibraries.end());
  return select;
}

/// Ops a library computes (cuBLAS, cuDNN): calls on a GPU, CPU loops when
/// emulated.
static void addLibraryCallPasses(OpPassManager &pm,
                                 const kiln::PipelineOptions &options) {
  kiln::KilnGPULibraryCallsOptions calls;
  calls.tf32 = options.precision == kiln::Precision::TF32;
  calls.emulate = options.device != kiln::Device::CUDA;
  pm.addPass(kiln::createKilnGPULibraryCalls(calls));
}

void kiln::addGPUTunableFormPasses(OpPassManager &pm,
                                   const PipelineOptions &options) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(kiln::createKilnGPUDecomposePads());
  // --precision: 16-bit inputs (tensor cores for the matmuls), f32 sums.
  kiln::KilnGPUReducePrecisionOptions reduce;
  reduce.precision = precisionName(options.precision).str();
  func.addPass(kiln::createKilnGPUReducePrecision(reduce));
  func.addPass(createCanonicalizerPass());
}

void kiln::addGPUTilingPasses(OpPassManager &pm,
                              const PipelineOptions &options) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(kiln::createKilnGPUSelectLoweringConfig(selectOptions(options)));
  // Bias, activation and residual adds in their matmul's or convolution's
  // kernel.
  func.addPass(kiln::createKilnGPUFuseEpilogues());
  func.addPass(kiln::createKilnGPUVectorizeContractions());
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
}

void kiln::addGPUDistributionPasses(OpPassManager &pm,
                                    const PipelineOptions &options) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(kiln::createKilnGPUCopiesToLinalg());
  // Bufferization's copies and fills have no config yet.
  func.addPass(kiln::createKilnGPUSelectLoweringConfig(selectOptions(options)));
  func.addPass(kiln::createKilnGPUWgmmaContractions());
  func.addPass(kiln::createKilnGPUTileAndDistribute());
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
  // Each thread's sums in registers, not in global memory.
  func.addPass(kiln::createKilnGPUPrivateAccumulators());
  func.addPass(kiln::createKilnGPUCheckHostCode());
  // The host's buffers, arguments and weights in device memory.
  kiln::KilnGPUDeviceBuffersOptions buffers;
  buffers.argumentsOnDevice = options.gpuArgumentsOnDevice;
  func.addPass(kiln::createKilnGPUDeviceBuffers(buffers));
}

void kiln::addEmulatedGPULoweringPasses(OpPassManager &pm,
                                        const PipelineOptions &options) {
  // The block and thread foralls run as nested CPU loops, in order: the
  // schedule's tiles, subviews and partial tiles are the GPU's. Device
  // memory is host memory: the copies in and out stay.
  addLibraryCallPasses(pm, options);
  pm.addNestedPass<func::FuncOp>(kiln::createKilnGPUEmulateDeviceMemory());
  pm.addPass(createForallToForLoopPass());
  pm.addPass(createCanonicalizerPass());
  if (options.precision == Precision::BF16) {
    // bf16 conversions in integer arithmetic: the CPU's LLVM lowering would
    // call compiler-rt's __truncsfbf2, which the JIT does not have. (On
    // loops: a named op's body must stay its own.)
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
    arith::ArithExpandOpsPassOptions expand;
    expand.includeBf16 = true;
    pm.addPass(arith::createArithExpandOpsPass(expand));
  }
  addCPULoweringPasses(pm, options);
}

void kiln::addGPUKernelPasses(OpPassManager &pm,
                              const PipelineOptions &options) {
  addLibraryCallPasses(pm, options);
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(kiln::createKilnGPUMapToLaunch());
  // Each thread's tile becomes loops before the kernels leave their
  // functions.
  func.addPass(createConvertLinalgToLoopsPass());
  func.addPass(createCanonicalizerPass());
  // Constants and index arithmetic move into the kernels instead of
  // becoming kernel parameters.
  pm.addPass(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(kiln::createKilnGPUMergeKernelModules());
  pm.addNestedPass<mlir::gpu::GPUModuleOp>(
      kiln::createKilnGPUAlignSharedMemory());
  std::vector<std::string> archs = options.gpuArchs;
  if (archs.empty())
    archs.push_back("sm_80");
  std::string libdevice = cudaLibdevicePath();
  for (const std::string &arch : archs) {
    llvm::Expected<GPUTargetDescription> gpu = resolveGPUTarget(arch);
    if (!gpu) {
      // checkPipelineOptions reports it; nothing to attach.
      llvm::consumeError(gpu.takeError());
      continue;
    }
    GpuNVVMAttachTargetOptions nvvm;
    nvvm.chip = gpu->chip;
    nvvm.features = gpu->features;
    nvvm.optLevel = 3;
    // Math functions (expf, tanhf, erff) are libdevice's.
    if (!libdevice.empty())
      nvvm.linkLibs.push_back(libdevice);
    pm.addPass(createGpuNVVMAttachTarget(nvvm));
  }
  OpPassManager &kernels = pm.nest<mlir::gpu::GPUModuleOp>();
  // The warps' contractions become mma.sync (nvgpu), their operands read as
  // each lane's fragments.
  kernels.addPass(kiln::createKilnGPUContractionsToMma());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createConvertNVGPUToNVVMPass());
  // NVVM ops written as inline PTX (wgmma, proxy fences).
  kernels.addPass(createConvertNVVMToLLVMPass());
  kernels.addPass(createConvertVectorToSCFPass());
  kernels.addPass(memref::createExpandStridedMetadataPass());
  kernels.addPass(createLowerAffinePass());
  kernels.addPass(createSCFToControlFlowPass());
  ConvertGpuOpsToNVVMOpsOptions toNVVM;
  // Kernels take one pointer per buffer, not a memref descriptor's seven
  // values: every buffer's shape is static.
  toNVVM.useBarePtrCallConv = true;
  kernels.addPass(createConvertGpuOpsToNVVMOps(toNVVM));
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());
  GpuModuleToBinaryPassOptions binary;
  // PTX, from LLVM's NVPTX backend: no CUDA needed.
  binary.compilationTarget = "isa";
  pm.addPass(createGpuModuleToBinaryPass(binary));
  addGPUHostLoweringPasses(pm);
}

void kiln::addGPUHostLoweringPasses(OpPassManager &pm) {
  // One stream per run: launches, copies and frees are ordered on it and
  // the host waits once, before returning.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  pm.addPass(kiln::createKilnIsolateModelSymbols());
  pm.addPass(kiln::createKilnEmitCInterface());
  pm.addPass(kiln::createKilnGPULowerDeviceConstants());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  GpuToLLVMConversionPassOptions toLLVM;
  // As the kernels were compiled (convert-gpu-to-nvvm above).
  toLLVM.kernelBarePtrCallConv = true;
  pm.addPass(createGpuToLLVMConversionPass(toLLVM));
  // Host buffers left (none in a model function) go through Kiln's
  // runtime, as on a CPU.
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}
