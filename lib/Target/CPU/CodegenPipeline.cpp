//===- CodegenPipeline.cpp - the CPU's part of the pipeline ---------------===//
//
// Part of Kiln. nn IR on tensors in, LLVM dialect out, for the CPU the
// module's kiln_codegen.target names (buildPipeline attaches it first).
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"
#include "kiln/Codegen/Pipeline.h"
#include "kiln/Conversion/Passes.h"
#include "kiln/Target/CPU/Passes.h"
#include "kiln/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

/// nn -> linalg on tensors, fused.
static void addTensorPasses(OpPassManager &pm,
                            const kiln::PipelineOptions &options) {
  kiln::NNSimplifyPipelineOptions simplify;
  simplify.inference = options.inference;
  kiln::buildNNSimplifyPipeline(pm, simplify);
  pm.addPass(kiln::createConvertNNToLinalg());
  pm.addPass(createCanonicalizerPass());
  // Fusing producer/consumer generics removes the intermediate tensors of
  // chains of elementwise ops (bias + relu, softmax's steps).
  pm.addNestedPass<func::FuncOp>(createLinalgElementwiseOpFusionPass());
  // After fusion, so that a sum's fused producers (a square, an exp) are
  // computed inside the blocks.
  pm.addNestedPass<func::FuncOp>(kiln::createKilnSplitReductions());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// The hot ops in the forms schedules are chosen for.
static void addTunableFormPasses(OpPassManager &pm) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(kiln::createKilnCPUConvToIm2Col());
  func.addPass(kiln::createKilnCPUPoolingToElementwise());
  func.addPass(kiln::createKilnCPUGeneralizeBroadcasts());
  func.addPass(createCanonicalizerPass());
}

/// Tiling and vectorization of the hot ops, driven by lowering_config
/// attributes (written here by the heuristic unless already present).
static void
addTileAndVectorizePasses(OpPassManager &pm,
                          const kiln::PipelineOptions &options) {
  OpPassManager &func = pm.nest<func::FuncOp>();
  if (!options.tuningDatabase.empty()) {
    kiln::KilnCPUApplyTuningDatabaseOptions tuned;
    tuned.database = options.tuningDatabase;
    tuned.report = options.tuningReport;
    func.addPass(kiln::createKilnCPUApplyTuningDatabase(tuned));
  }
  func.addPass(kiln::createKilnCPUSelectLoweringConfig());
  kiln::KilnCPUTileOptions cacheLevel, registerLevel;
  cacheLevel.tilingLevel = 0;
  registerLevel.tilingLevel = 1;
  func.addPass(kiln::createKilnCPUTile(cacheLevel));
  // Folding the single-iteration loops that peeling leaves makes the partial
  // cache tiles static before they are tiled again.
  func.addPass(createCanonicalizerPass());
  // Packing copies the (now static) cache tiles; the copies carry register
  // tiles of their own, so the next tiling level vectorizes them too.
  func.addPass(kiln::createKilnCPUPackTiles());
  // Patch matrices whose tiles were not packed from the input directly.
  func.addPass(kiln::createKilnCPULowerIm2Col());
  func.addPass(kiln::createKilnCPUTile(registerLevel));
  func.addPass(createCanonicalizerPass());
  func.addPass(kiln::createKilnCPUVectorize());
  func.addPass(kiln::createKilnCPUContiguousStridedReads());
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
}

/// Tensors -> buffers. Results become caller-allocated out-parameters, so a
/// caller (kiln-run, an AOT binary) owns every buffer it sees; temporaries
/// are freed by the ownership-based deallocation pipeline.
static void addBufferizationPasses(OpPassManager &pm) {
  // Each result needs a buffer of its own to become an out-parameter.
  pm.addNestedPass<func::FuncOp>(kiln::createKilnCPUCopyRepeatedResults());
  pm.addNestedPass<func::FuncOp>(kiln::createKilnCPUDuplicateSharedInits());
  pm.addNestedPass<func::FuncOp>(kiln::createKilnCPUDecomposePads());
  // tensor.empty only describes a shape: reuse a destination where one
  // exists, and allocate the rest.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.addPass(bufferization::createEmptyTensorToAllocTensorPass());
  pm.addNestedPass<func::FuncOp>(kiln::createKilnCPUReadPaddedInteriors());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Without CSE first, bufferization leaves self-copies of the same slice
  // (../shared/notes/cpu-matmul-findings.md).
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.modifyPublicFunctions = true;
  // Write results straight into the caller's buffers instead of copying.
  outParams.hoistStaticAllocs = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::BufferDeallocationPipelineOptions dealloc;
  bufferization::buildBufferDeallocationPipeline(pm, dealloc);
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
  math::MathExpandOpsPassOptions expand;
  expand.opMnemonics = {"tanh", "rsqrt", "ceil", "roundeven"};
  pm.addPass(math::createMathExpandOpsPass(expand));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertVectorToLLVMPass());
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

void kiln::buildCPUCodegenPipeline(OpPassManager &pm,
                                   const PipelineOptions &options) {
  using kiln::PipelineStage;
  addTensorPasses(pm, options);
  if (options.stopAfter == PipelineStage::Linalg)
    return;
  addTunableFormPasses(pm);
  if (options.stopAfter == PipelineStage::Tunable)
    return;
  addTileAndVectorizePasses(pm, options);
  if (options.stopAfter == PipelineStage::Tiled)
    return;
  addBufferizationPasses(pm);
  if (options.stopAfter == PipelineStage::Bufferized)
    return;
  // Every buffer now has its final, static size: one the target cannot
  // hold is a compile-time error, not a failed allocation at run time.
  kiln::KilnCPUCheckBuffersOptions buffers;
  buffers.maxBytes = options.maxBufferBytes;
  pm.addPass(kiln::createKilnCPUCheckBuffers(buffers));
  addLoweringToLLVMPasses(pm);
}
