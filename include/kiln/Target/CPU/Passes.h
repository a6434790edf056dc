//===- Passes.h - Kiln CPU code generation ----------------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_PASSES_H
#define KILN_TARGET_CPU_PASSES_H

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace kiln {

#define GEN_PASS_DECL
#include "kiln/Target/CPU/Passes.h.inc"

/// Where the `kiln-cpu-codegen` pipeline stops (its `stop-after` option):
/// each stage's IR is what the Python API's `CompiledModel.ir(stage)` shows.
enum class CPUCodegenStage {
  /// nn lowered to linalg on tensors, chains of elementwise ops fused.
  Linalg,
  /// Hot ops tiled, packed and vectorized (still on tensors).
  Tiled,
  /// Tensors turned into buffers; results are out-parameters.
  Bufferized,
  /// The LLVM dialect (the whole pipeline).
  LLVM,
};

/// Options of the `kiln-cpu-codegen` pipeline.
struct CPUCodegenPipelineOptions
    : public mlir::PassPipelineOptions<CPUCodegenPipelineOptions> {
  Option<bool> inference{
      *this, "inference",
      llvm::cl::desc("Compile for inference: remove dropout"),
      llvm::cl::init(true)};
  // The target the tile sizes are chosen for (0: the host's value), as
  // kiln-cpu-select-lowering-config's options; kiln-compile sets them from
  // --target/--cpu/--features.
  Option<unsigned> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Width of a vector register in bits (0: the host's)"),
      llvm::cl::init(0)};
  Option<unsigned> vectorRegisters{
      *this, "vector-registers",
      llvm::cl::desc("Number of vector registers (0: the host's)"),
      llvm::cl::init(0)};
  Option<int64_t> l2Bytes{
      *this, "l2-bytes",
      llvm::cl::desc("L2 cache size of one core in bytes (0: the host's)"),
      llvm::cl::init(0)};
  Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Threads the code will run on (0: not known; "
                     "distributed loops are balanced for 1, 2 and 4)"),
      llvm::cl::init(0)};
  Option<int64_t> maxBufferBytes{
      *this, "max-buffer-bytes",
      llvm::cl::desc("Largest temporary buffer a model may need, in bytes "
                     "(0: this machine's memory; kiln-cpu-check-buffers)"),
      llvm::cl::init(0)};
  Option<std::string> tuningDatabase{
      *this, "tuning-db",
      llvm::cl::desc("Schedules from this kiln-tune database where it has "
                     "them (kiln-cpu-apply-tuning-db), else the heuristic's"),
      llvm::cl::init("")};
  Option<std::string> tuningTarget{
      *this, "tuning-target",
      llvm::cl::desc("The target key to look up in the tuning database "
                     "(default: this machine's)"),
      llvm::cl::init("")};
  Option<bool> tuningReport{
      *this, "tuning-report",
      llvm::cl::desc("Remark on every tunable op: tuned or heuristic"),
      llvm::cl::init(false)};
  Option<CPUCodegenStage> stopAfter{
      *this, "stop-after",
      llvm::cl::desc("Last stage to run (default: llvm, the whole pipeline)"),
      llvm::cl::init(CPUCodegenStage::LLVM),
      llvm::cl::values(
          clEnumValN(CPUCodegenStage::Linalg, "linalg",
                     "nn lowered to linalg on tensors, elementwise ops fused"),
          clEnumValN(CPUCodegenStage::Tiled, "tiled",
                     "hot ops tiled, packed and vectorized, on tensors"),
          clEnumValN(CPUCodegenStage::Bufferized, "bufferized",
                     "on buffers, results as out-parameters"),
          clEnumValN(CPUCodegenStage::LLVM, "llvm", "the LLVM dialect"))};
};

/// nn on tensors -> the LLVM dialect for the host CPU: nn cleanup, nn to
/// linalg, elementwise fusion, bufferization with caller-allocated results,
/// buffer deallocation, loops, LLVM. Entry points get C interfaces.
void buildCPUCodegenPipeline(mlir::OpPassManager &pm,
                             const CPUCodegenPipelineOptions &options);

/// Registers `kiln-cpu-codegen`.
void registerCPUCodegenPipeline();

#define GEN_PASS_REGISTRATION
#include "kiln/Target/CPU/Passes.h.inc"

} // namespace kiln

#endif // KILN_TARGET_CPU_PASSES_H
