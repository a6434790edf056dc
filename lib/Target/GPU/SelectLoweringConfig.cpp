//===- SelectLoweringConfig.cpp - the GPU's SIMT schedule heuristic -------===//
//
// Part of Kiln. See kiln-gpu-select-lowering-config in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/ConfigHeuristic.h"
#include "kiln/Target/GPU/GPUTarget.h"
#include "kiln/Target/GPU/Passes.h"
#include "kiln/Target/GPU/TileLevels.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUSELECTLOWERINGCONFIG
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;

/// Threads per block the heuristic aims for: 8 warps keep an SM's
/// schedulers busy with a few blocks resident, and leave registers for
/// each thread's loop state.
static constexpr int64_t kThreadsPerBlock = 256;

/// Whether `op` is inside code that already runs on the GPU's threads (a
/// kernel, or the schedule's foralls).
static bool isInsideKernel(Operation *op) {
  return op->getParentOfType<gpu::LaunchOp>() ||
         op->getParentOfType<scf::ForallOp>();
}

bool kiln::gpu::hasGPUSchedule(Operation *op) {
  auto config =
      op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
  if (!config)
    return false;
  if (!config.getLibrary().empty())
    return true;
  return config.getLevel(kWorkgroupLevel) &&
         (config.getLevel(kThreadLevel) || config.getLevel(kWarpLevel) ||
          config.getLevel(kMmaLevel));
}

bool kiln::gpu::isLibraryCall(Operation *op) {
  auto config =
      op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
  return config && !config.getLibrary().empty();
}

bool kiln::gpu::isRowMajorMatmul(linalg::LinalgOp op) {
  if (op.getNumLoops() != 3 || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !linalg::isaContractionOpInterface(op))
    return false;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (iterators[0] != utils::IteratorType::parallel ||
      iterators[1] != utils::IteratorType::parallel ||
      iterators[2] != utils::IteratorType::reduction)
    return false;
  // The standard matmul maps: A[m, k], B[k, n], C[m, n].
  MLIRContext *context = op->getContext();
  AffineExpr m, n, k;
  bindDims(context, m, n, k);
  SmallVector<AffineMap> expected = {AffineMap::get(3, 0, {m, k}, context),
                                     AffineMap::get(3, 0, {k, n}, context),
                                     AffineMap::get(3, 0, {m, n}, context)};
  return op.getIndexingMapsArray() == expected;
}

/// (A and B of one type cublasGemmEx reads.)
LoweringConfigAttr kiln::gpu::cublasConfig(linalg::LinalgOp op) {
  if (!kiln::gpu::isRowMajorMatmul(op))
    return {};
  Type a = getElementTypeOrSelf(op.getDpsInputs()[0].getType());
  Type b = getElementTypeOrSelf(op.getDpsInputs()[1].getType());
  Type c = getElementTypeOrSelf(op.getDpsInits()[0].getType());
  if (a != b || !(a.isF32() || a.isF16() || a.isBF16()) || !c.isF32())
    return {};
  return LoweringConfigAttr::get(op->getContext(), {}, {}, {}, 0, false,
                                 LoweringConfigAttr::kCuBLAS);
}

/// (FCHW filters. cuDNN's convolution API takes no f16 inputs with an f32
/// output: --precision=fp16 ones stay Kiln's.)
LoweringConfigAttr kiln::gpu::cudnnConfig(linalg::LinalgOp op) {
  if (!isa<linalg::Conv2DNchwFchwOp>(op.getOperation()))
    return {};
  for (Value operand : op->getOperands())
    if (!getElementTypeOrSelf(operand.getType()).isF32())
      return {};
  return LoweringConfigAttr::get(op->getContext(), {}, {}, {}, 0, false,
                                 LoweringConfigAttr::kCuDNN);
}

/// The SIMT config of `op` (loop ranges `ranges`): blocks fill the
/// innermost parallel loop first, one element per thread, reductions in
/// each thread.
static LoweringConfigAttr
simtConfig(linalg::LinalgOp op, ArrayRef<int64_t> ranges, int64_t maxThreads) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<int64_t> workgroup(ranges.size(), 0), thread(ranges.size(), 0);
  int64_t budget = std::min(kThreadsPerBlock, maxThreads);
  for (int64_t d = static_cast<int64_t>(ranges.size()) - 1; d >= 0; --d) {
    if (iterators[d] != utils::IteratorType::parallel)
      continue;
    thread[d] = 1;
    workgroup[d] = std::max<int64_t>(1, std::min(ranges[d], budget));
    budget = std::max<int64_t>(1, budget / workgroup[d]);
  }
  MLIRContext *context = op->getContext();
  SmallVector<kiln::codegen::TileLevel> levels = {
      kiln::codegen::makeTileLevel(context, kiln::gpu::kWorkgroupLevel,
                                   workgroup),
      kiln::codegen::makeTileLevel(context, kiln::gpu::kThreadLevel, thread)};
  return LoweringConfigAttr::get(context, levels, {}, {});
}

std::optional<std::array<int64_t, 3>>
kiln::gpu::mmaSyncInstruction(linalg::LinalgOp op,
                              kiln::codegen::GPUTargetAttr target, bool tf32) {
  if (target.getMma() == "none" || !op.hasPureTensorSemantics() ||
      !isRowMajorMatmul(op))
    return std::nullopt;
  Type a = getElementTypeOrSelf(op.getDpsInputs()[0].getType());
  Type b = getElementTypeOrSelf(op.getDpsInputs()[1].getType());
  Type result = getElementTypeOrSelf(op.getDpsInits().front().getType());
  if (a != b)
    return std::nullopt;
  if (a.isF16() && (result.isF16() || result.isF32()))
    return kMmaSyncF16Shape;
  if (tf32 && a.isF32() && result.isF32())
    return kMmaSyncTF32Shape;
  return std::nullopt;
}

/// The tensor-core schedule for `op`, if it has one on `target`: a matmul
/// (loops m, n, k) on tensors of f16 operands (or f32 ones into f32 when
/// `allowTF32`) that 64 x 64 blocks of 2 x 2 warps and K steps of 16
/// divide, on a GPU with mma.sync (or wgmma, whose GPUs have mma.sync too).
/// Each warp computes 32 x 32 of C as 2 x 4 m16n8k16 instructions per K
/// step (m16n8k8 tf32 ones for f32 operands), its accumulators in
/// registers.
static LoweringConfigAttr tensorCoreConfig(linalg::LinalgOp op,
                                           ArrayRef<int64_t> ranges,
                                           kiln::codegen::GPUTargetAttr target,
                                           bool allowWgmma, bool allowTF32) {
  std::optional<std::array<int64_t, 3>> mma =
      kiln::gpu::mmaSyncInstruction(op, target, allowTF32);
  if (!mma)
    return {};
  bool f16 = *mma == kiln::gpu::kMmaSyncF16Shape;
  Type result = getElementTypeOrSelf(op.getDpsInits().front().getType());
  MLIRContext *context = op->getContext();
  if (ranges[0] % 64 != 0 || ranges[1] % 64 != 0 || ranges[2] % 16 != 0)
    return {};
  // sm_90a: one warpgroup per 64 x 64 block, m64n64k16 (f16 operands, f32
  // accumulators: the kernel kiln-gpu-wgmma-contractions builds).
  if (allowWgmma && target.getMma() == "wgmma" && f16 && result.isF32())
    return LoweringConfigAttr::get(
        context,
        {kiln::codegen::makeTileLevel(context, kiln::gpu::kWorkgroupLevel,
                                      {64, 64, 0}),
         kiln::codegen::makeTileLevel(context, kiln::gpu::kReductionLevel,
                                      {0, 0, 16}),
         kiln::codegen::makeTileLevel(context, kiln::gpu::kMmaLevel,
                                      {64, 64, 16})},
        {}, {});
  SmallVector<kiln::codegen::TileLevel> levels = {
      kiln::codegen::makeTileLevel(context, kiln::gpu::kWorkgroupLevel,
                                   {64, 64, 0}),
      kiln::codegen::makeTileLevel(context, kiln::gpu::kWarpLevel, {32, 32, 0}),
      kiln::codegen::makeTileLevel(context, kiln::gpu::kReductionLevel,
                                   {0, 0, 16}),
      kiln::codegen::makeTileLevel(context, kiln::gpu::kMmaLevel, *mma)};
  return LoweringConfigAttr::get(context, levels, {}, {});
}

LoweringConfigAttr
kiln::gpu::heuristicConfig(linalg::LinalgOp op,
                           kiln::codegen::GPUTargetAttr target,
                           const HeuristicOptions &options) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return {};
  LoweringConfigAttr config;
  if (llvm::is_contained(options.libraries, LoweringConfigAttr::kCuBLAS))
    config = cublasConfig(op);
  if (!config &&
      llvm::is_contained(options.libraries, LoweringConfigAttr::kCuDNN))
    config = cudnnConfig(op);
  if (!config)
    config = tensorCoreConfig(op, ranges, target, options.wgmma, options.tf32);
  if (!config)
    config = simtConfig(op, ranges, target.getMaxThreadsPerBlock());
  return config;
}

namespace {
struct KilnGPUSelectLoweringConfigPass
    : public kiln::impl::KilnGPUSelectLoweringConfigBase<
          KilnGPUSelectLoweringConfigPass> {
  using Base::Base;
  void runOnOperation() override {
    auto target = kiln::codegen::GPUTargetAttr::lookup(getOperation());
    if (!target) {
      getOperation().emitError()
          << "kiln-gpu-select-lowering-config needs the module's "
             "kiln_codegen.gpu_target (kiln-gpu-attach-target)";
      return signalPassFailure();
    }
    for (const std::string &library : libraries)
      if (library != LoweringConfigAttr::kCuBLAS &&
          library != LoweringConfigAttr::kCuDNN) {
        getOperation().emitError()
            << "kiln-gpu-select-lowering-config: libraries are cublas and "
               "cudnn, got '"
            << library << "'";
        return signalPassFailure();
      }
    kiln::gpu::HeuristicOptions heuristic;
    heuristic.wgmma = wgmma;
    heuristic.tf32 = tf32;
    heuristic.libraries.assign(libraries.begin(), libraries.end());
    WalkResult result = getOperation().walk([&](linalg::LinalgOp op) {
      if (isInsideKernel(op) || kiln::gpu::hasGPUSchedule(op))
        return WalkResult::advance();
      LoweringConfigAttr config =
          kiln::gpu::heuristicConfig(op, target, heuristic);
      if (!config) {
        op->emitError() << "has a loop of dynamic size: GPU kernels need "
                           "static shapes";
        return WalkResult::interrupt();
      }
      op->setAttr(LoweringConfigAttr::kAttrName, config);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
