//===- ContractionsToMma.cpp - warp contractions as mma.sync --------------===//
//
// Part of Kiln. See kiln-gpu-contractions-to-mma in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Passes.h"

#include "mlir/Conversion/VectorToGPU/VectorToGPU.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUCONTRACTIONSTOMMA
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct KilnGPUContractionsToMmaPass
    : public kiln::impl::KilnGPUContractionsToMmaBase<
          KilnGPUContractionsToMmaPass> {
  void runOnOperation() override {
    // Only kernels with contractions: upstream's conversion also takes
    // scalar arith ops for ones it must convert, and fails on the SIMT
    // kernels' loops.
    SmallVector<mlir::gpu::GPUFuncOp> kernels;
    for (auto kernel : getOperation().getOps<mlir::gpu::GPUFuncOp>())
      if (kernel
              .walk(
                  [](vector::ContractionOp) { return WalkResult::interrupt(); })
              .wasInterrupted())
        kernels.push_back(kernel);
    IRRewriter rewriter(&getContext());
    for (mlir::gpu::GPUFuncOp kernel : kernels) {
      RewritePatternSet patterns(&getContext());
      populatePrepareVectorToMMAPatterns(patterns, /*useNvGpu=*/true);
      if (failed(applyPatternsGreedily(kernel, std::move(patterns))) ||
          failed(convertVectorToNVVMCompatibleMMASync(rewriter, kernel)))
        return signalPassFailure();
      // The conversion leaves the vector ops it replaced, dead: the greedy
      // driver erases them (no patterns needed).
      if (failed(
              applyPatternsGreedily(kernel, RewritePatternSet(&getContext()))))
        return signalPassFailure();
      WalkResult left = kernel.walk([](vector::ContractionOp contract) {
        contract.emitError() << "could not become mma.sync instructions";
        return WalkResult::interrupt();
      });
      if (left.wasInterrupted())
        return signalPassFailure();
      // f32 operands: the schedule chose tf32 (kiln-gpu-select-lowering-
      // config{tf32}); NVGPU's lowering wants it said on each instruction.
      kernel.walk([&](nvgpu::MmaSyncOp mma) {
        if (getElementTypeOrSelf(mma.getMatrixA().getType()).isF32())
          mma.setTf32Enabled(true);
      });
    }
  }
};
} // namespace
