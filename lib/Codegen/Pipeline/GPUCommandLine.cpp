//===- GPUCommandLine.cpp - GPU options the drivers share -----------------===//
//
// Part of Kiln. See GPUCommandLine.h.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/GPUCommandLine.h"

using namespace llvm;

kiln::GPUCommandLineOptions::GPUCommandLineOptions(cl::OptionCategory &category)
    : precision(
          "precision",
          cl::desc("GPU matmul and convolution inputs: fp32 (default), tf32 "
                   "(f32 matmuls on tensor cores, which read 10-bit "
                   "mantissas), fp16 (rounded to nearest; tensor cores for "
                   "the matmuls) or bf16 (rounded to nearest); products and "
                   "sums stay f32"),
          cl::value_desc("fp32|tf32|fp16|bf16"), cl::init("fp32"),
          cl::cat(category)),
      libraries(
          "gpu-libraries",
          cl::desc("Vendor libraries the GPU code calls instead of Kiln's "
                   "kernels, loaded at run time: cublas (matmuls, "
                   "cublasGemmEx), cudnn (f32 convolutions, "
                   "cudnnConvolutionForward)"),
          cl::value_desc("cublas,cudnn"), cl::CommaSeparated,
          cl::cat(category)) {}

Error kiln::GPUCommandLineOptions::apply(PipelineOptions &options) const {
  std::optional<Precision> parsed = parsePrecision(precision);
  if (!parsed)
    return createStringError("--precision must be fp32, tf32, fp16 or bf16, "
                             "got '" +
                             precision + "'");
  options.precision = *parsed;
  options.gpuLibraries.assign(libraries.begin(), libraries.end());
  return Error::success();
}
