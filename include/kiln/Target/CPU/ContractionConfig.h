//===- ContractionConfig.h - lowering configs of contractions ---*- C++ -*-===//
//
// Part of Kiln. A contraction's lowering_config from five numbers: the
// register tile (mr rows x nr columns of the result) and the cache tile
// (mc x nc of the result, kc of the reduction). The heuristic
// (kiln-cpu-select-lowering-config) chooses the numbers from the target
// description, the tuner (kiln-tune) searches them; both build the config
// here, so that a tuned schedule differs from the heuristic's only in them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_CONTRACTIONCONFIG_H
#define KILN_TARGET_CPU_CONTRACTIONCONFIG_H

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Target/CPU/TargetDescription.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"

namespace kiln {

/// The tile sizes of a contraction's schedule.
struct ContractionTiles {
  int64_t mr = 1, nr = 1;         // register tile
  int64_t mc = 1, nc = 1, kc = 1; // cache tile
  /// Pack B's cache tiles when they are strided pieces of B.
  bool pack = true;
  /// Pack A's cache tiles when they are pieces of A.
  bool packA = false;
  /// Spread the cache tiles over the thread pool (on the loop the heuristic
  /// picks) when the op is large enough.
  bool distribute = true;
  /// Visit a cache tile's register tiles column block by column block (the
  /// n loop outside the m loop: a strip of B stays in L1, BLIS's order)
  /// rather than row block by row block (a strip of A stays in L1).
  bool nOuter = false;
  /// Order the cache tiles' loops n, k, m (BLIS's order: a packed tile of B
  /// is packed once and reused by every m tile) rather than the op's.
  bool nkmCacheOrder = false;
  /// Let the threads share the packing of patch tiles packed before they
  /// start (`shared_packing`; only for ops that pack a patch matrix).
  bool sharePacking = true;
  /// The op is computed transposed (positions-major) and these are the
  /// transposed op's tiles (kiln-tune's candidates say so; the config's
  /// `transposed` field is what code generation reads).
  bool transposed = false;
  /// Adjust the distributed loop's cache tile so that the threads share the
  /// work evenly (the heuristic's schedules; a tuned schedule is measured as
  /// it is). Its tiles stay multiples of `distributedStep` when that is set
  /// (a convolution's n tiles: whole output rows, whole vectors).
  bool balance = false;
  int64_t distributedStep = 0;
  /// The same for a distributed m loop (a positions-major convolution's
  /// output positions; 0: any number of rows).
  int64_t distributedStepM = 0;
  /// The thread count to balance for (0: not known; 1, 2 and 4).
  int64_t threads = 0;
};

/// The heuristic's tiles for a contraction of loop `ranges`.
ContractionTiles
heuristicContractionTiles(llvm::ArrayRef<int64_t> ranges,
                          const mlir::linalg::ContractionDimensions &dims,
                          const CPUTargetDescription &target,
                          unsigned elementBits);

/// The lowering_config of `op` (loops `ranges`, dims from
/// inferContractionDims) for `tiles`: tiles larger than their loop shrink to
/// it, batch and outer m/n/k loops get tiles of 1.
codegen::LoweringConfigAttr
buildContractionConfig(mlir::linalg::LinalgOp op,
                       llvm::ArrayRef<int64_t> ranges,
                       const mlir::linalg::ContractionDimensions &dims,
                       const ContractionTiles &tiles);

/// Makes the n cache tile of a contraction that reads a convolution's patch
/// matrix (kiln_codegen.im2col) the nearest multiple of both the output
/// width and the register tile, when there is one near, so that
/// kiln-cpu-pack-tiles packs its tiles from the input (and lets the
/// threads' balancing keep them whole rows of whole `lanes`-wide vectors).
/// Other ops: no-op.
void alignToPatchRows(mlir::linalg::LinalgOp op, llvm::ArrayRef<int64_t> ranges,
                      const mlir::linalg::ContractionDimensions &dims,
                      int64_t lanes, ContractionTiles &tiles);

/// The heuristic's lowering_config of a contraction (what
/// kiln-cpu-select-lowering-config writes, and kiln-tune's baseline),
/// `transposed` (positions-major) for the convolutions that gain from it.
codegen::LoweringConfigAttr
heuristicContractionConfig(mlir::linalg::LinalgOp op,
                           const mlir::linalg::ContractionDimensions &dims,
                           const CPUTargetDescription &target);

} // namespace kiln

#endif // KILN_TARGET_CPU_CONTRACTIONCONFIG_H
