//===- GPUSearchSpace.h - candidate GPU schedules of an op ------*- C++ -*-===//
//
// Part of Kiln. The schedules kiln-tune --device=cuda|emulated-cuda
// considers for a matmul or convolution, each step's size reported as for
// the CPU's space:
//  - tensor cores (a matmul the heuristic would put on them): block tiles,
//    warp tiles and K steps of mma.sync, pruned by what divides the loops,
//    warps per block and accumulator registers per thread; sm_90a's wgmma
//    kernel where it applies;
//  - SIMT (every other op): the block's and each thread's tiles of the two
//    innermost parallel loops, pruned by threads per block, outputs per
//    thread, and the loop sizes (tiles larger than their loop are the same
//    schedule);
//  - the library that computes the op (cuBLAS, cuDNN), where allowed: the
//    space's first candidate.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TUNING_GPUSEARCHSPACE_H
#define KILN_TUNING_GPUSEARCHSPACE_H

#include "kiln/Tuning/SearchSpace.h"

namespace kiln::tuning {

struct GPUSpaceOptions {
  /// sm_90a's wgmma kernel (a real GPU; the emulated one cannot run it).
  bool wgmma = false;
  /// f32 matmuls on the tensor cores (--precision=tf32).
  bool tf32 = false;
  /// cuBLAS and cuDNN calls as candidates (a real GPU: the emulated one
  /// computes library ops on the CPU).
  bool libraries = false;
};

/// The GPU space of `op` (isTunable(op, /*gpu=*/true)) for `target`.
SearchSpace buildGPUSearchSpace(mlir::linalg::LinalgOp op,
                                codegen::GPUTargetAttr target,
                                const GPUSpaceOptions &options);

} // namespace kiln::tuning

#endif // KILN_TUNING_GPUSEARCHSPACE_H
