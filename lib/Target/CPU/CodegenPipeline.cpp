//===- CodegenPipeline.cpp - the CPU's parts of the pipeline --------------===//
//
// Part of Kiln. What buildPipeline (lib/Codegen/Pipeline) runs for a CPU
// between its target-neutral stages: tiling and vectorization for the
// module's kiln_codegen.target, and the lowering of buffers to the LLVM
// dialect with the thread pool's calls.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Codegen/Pipeline.h"
#include "kiln/Conversion/Passes.h"
#include "kiln/Target/CPU/Passes.h"
#include "kiln/Target/CPU/TargetDescription.h"
#include "kiln/Target/CPU/TileLevels.h"
#include "kiln/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

/// Tiling and vectorization of the hot ops, driven by lowering_config
/// attributes (written here by the heuristic unless already present: a
/// tuned schedule, kiln-apply-tuning-db's, or one written by hand).
void kiln::addCPUTilingPasses(OpPassManager &pm,
                              const PipelineOptions &options) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(kiln::createKilnCPUSelectLoweringConfig());
  // Contractions whose config computes them transposed become the
  // transposed product and its sum; the heuristic then configures what that
  // made without a config (the product's zero fill).
  func.addPass(kiln::createKilnCodegenTransposeContractions());
  func.addPass(kiln::createKilnCPUSelectLoweringConfig());
  kiln::KilnCodegenTileOptions cacheLevel, registerLevel;
  cacheLevel.level = kCacheLevel.str();
  registerLevel.level = kRegisterLevel.str();
  func.addPass(kiln::createKilnCodegenTile(cacheLevel));
  // Folding the single-iteration loops that peeling leaves makes the partial
  // cache tiles static before they are tiled again.
  func.addPass(createCanonicalizerPass());
  // Packing copies the (now static) cache tiles; the copies carry register
  // tiles of their own, so the next tiling level vectorizes them too.
  func.addPass(kiln::createKilnCPUPackTiles());
  // Patch matrices whose tiles were not packed from the input directly.
  func.addPass(kiln::createKilnCodegenLowerIm2Col());
  func.addPass(kiln::createKilnCodegenTile(registerLevel));
  func.addPass(createCanonicalizerPass());
  func.addPass(kiln::createKilnCPUVectorize());
  func.addPass(kiln::createKilnCPUContiguousStridedReads());
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
}

/// Buffers -> loops -> LLVM dialect.
static void addLoweringToLLVMPasses(OpPassManager &pm) {
  // From here on code generation declares C functions (libm, the runtime's,
  // memcpy): the model's own functions leave their namespace first.
  pm.addPass(kiln::createKilnIsolateModelSymbols());
  // Distributed loops leave for functions of their own while they are still
  // scf.for on memrefs; their calls reach the thread pool once every value
  // they capture is a plain LLVM scalar (kiln-cpu-call-thread-pool, below).
  pm.addPass(kiln::createKilnCPUOutlineParallelLoops());
  // Fully unrolled: a partial unroll allocates temporaries on the stack
  // inside loops, which grows the stack every iteration.
  pm.addNestedPass<func::FuncOp>(kiln::createKilnCPUExpandStridedCopies());
  pm.addNestedPass<func::FuncOp>(kiln::createKilnCPULowerContractions());
  pm.addNestedPass<func::FuncOp>(kiln::createKilnCPULowerReductions());
  VectorTransferToSCFOptions vectorToSCF;
  vectorToSCF.enableFullUnroll();
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass(vectorToSCF));
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(kiln::createKilnEmitCInterface());
  // expand-strided-metadata must run before lower-affine: it creates affine
  // ops for the offsets and sizes of subviews.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  // tanh and rsqrt become exp and sqrt formulas, which vectorize; powf stays
  // a libm call (the expansion, exp(y * log(x)), is off by ulps where pow
  // is exact, 7^3 = 342.99..., and NaN for negative bases). Math ops LLVM
  // has no intrinsic for (erf) become libm calls, which the JIT resolves
  // in-process and AOT links against libm.
  // exp, log, tanh and erf as polynomials on whole vectors (not a libm call
  // per lane).
  pm.addNestedPass<func::FuncOp>(kiln::createKilnCPUApproximateMath());
  math::MathExpandOpsPassOptions expand;
  expand.opMnemonics = {"tanh", "rsqrt", "ceil", "roundeven"};
  pm.addPass(math::createMathExpandOpsPass(expand));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  // A vectorized sum (softmax's, a layer norm's) reduces each vector of its
  // tile into the row's accumulator: in order, that is one dependent add
  // per element, no faster than the scalar loop; reassociated, a tree of
  // vector adds. (Its rounding is that of a pairwise sum, like numpy's.)
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  vectorToLLVM.reassociateFPReductions = true;
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  // Heap temporaries go through _mlir_memref_to_llvm_alloc/free, which
  // Kiln's runtime implements with a cache of large blocks (Allocator.h):
  // plain malloc returns multi-megabyte blocks to the system on free, and
  // the next call of the model page-faults them in again.
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(kiln::createKilnCPUCallThreadPool());
}

void kiln::addCPULoweringPasses(OpPassManager &pm,
                                const PipelineOptions &options) {
  // Every buffer now has its final, static size: one the target cannot
  // hold is a compile-time error, not a failed allocation at run time.
  kiln::KilnCPUCheckBuffersOptions buffers;
  buffers.maxBytes = options.maxBufferBytes;
  pm.addPass(kiln::createKilnCPUCheckBuffers(buffers));
  addLoweringToLLVMPasses(pm);
}
