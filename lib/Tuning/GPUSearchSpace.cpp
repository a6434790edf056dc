//===- GPUSearchSpace.cpp - candidate GPU schedules of an op --------------===//
//
// Part of Kiln. See GPUSearchSpace.h.
//
//===----------------------------------------------------------------------===//

#include "kiln/Tuning/GPUSearchSpace.h"

#include "kiln/Target/GPU/ConfigHeuristic.h"
#include "kiln/Target/GPU/TileLevels.h"
#include "kiln/Tuning/OpSignature.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;
using kiln::codegen::makeTileLevel;

namespace kiln::tuning {

/// Accumulators one thread may hold across the K loop (f32 registers):
/// more spill (a warp's 64 x 64 tile is 128 per thread).
static constexpr int64_t kMaxAccumulatorsPerThread = 64;
/// Outputs one SIMT thread computes.
static constexpr int64_t kMaxOutputsPerThread = 16;
/// Warps per block of a tensor-core schedule.
static constexpr int64_t kMaxWarpsPerBlock = 16;

/// mma.sync schedules: block tile, warp tile and K step.
static void addTensorCoreCandidates(linalg::LinalgOp op,
                                    std::array<int64_t, 3> mma,
                                    SearchSpace &space) {
  MLIRContext *context = op->getContext();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  const int64_t blocks[] = {32, 64, 128, 256};
  const int64_t warps[] = {16, 32, 64};
  const int64_t steps[] = {16, 32, 64};
  size_t all = 0, divide = 0, perBlock = 0;
  for (int64_t bm : blocks)
    for (int64_t bn : blocks)
      for (int64_t wm : warps)
        for (int64_t wn : warps)
          for (int64_t k : steps) {
            ++all;
            // No partial tiles: kiln-gpu-vectorize-contractions has none.
            if (ranges[0] % bm || ranges[1] % bn || ranges[2] % k || bm % wm ||
                bn % wn || wm % mma[0] || wn % mma[1] || k % mma[2])
              continue;
            ++divide;
            int64_t warpsPerBlock = (bm / wm) * (bn / wn);
            if (warpsPerBlock > kMaxWarpsPerBlock)
              continue;
            ++perBlock;
            if (wm * wn / gpu::kWarpSize > kMaxAccumulatorsPerThread)
              continue;
            Candidate c;
            c.config = LoweringConfigAttr::get(
                context,
                {makeTileLevel(context, gpu::kWorkgroupLevel, {bm, bn, 0}),
                 makeTileLevel(context, gpu::kWarpLevel, {wm, wn, 0}),
                 makeTileLevel(context, gpu::kReductionLevel, {0, 0, k}),
                 makeTileLevel(context, gpu::kMmaLevel, mma)},
                {}, {});
            space.candidates.push_back(c);
          }
  space.steps.push_back({"tensor-core template", all});
  space.steps.push_back({"divides the loops", divide});
  space.steps.push_back({"warps per block", perBlock});
  space.steps.push_back({"registers", space.candidates.size()});
}

/// SIMT schedules: the block's and each thread's tiles of the two innermost
/// parallel loops (the others one index per block and thread; reductions
/// in each thread).
static void addSIMTCandidates(linalg::LinalgOp op, int64_t maxThreads,
                              SearchSpace &space) {
  MLIRContext *context = op->getContext();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> parallel;
  for (auto [d, iterator] : llvm::enumerate(op.getIteratorTypesArray()))
    if (iterator == utils::IteratorType::parallel)
      parallel.push_back(d);
  if (parallel.empty())
    return;
  int64_t inner = parallel.back();
  std::optional<int64_t> outer;
  if (parallel.size() > 1)
    outer = parallel[parallel.size() - 2];
  const int64_t innerBlocks[] = {32, 64, 128, 256};
  const int64_t outerBlocks[] = {1, 2, 4, 8, 16, 32};
  const int64_t threadTiles[] = {1, 2, 4};
  size_t all = 0, threads = 0, outputs = 0;
  llvm::StringSet<> seen;
  for (int64_t bi : innerBlocks)
    for (int64_t ti : threadTiles)
      for (int64_t bo :
           outer ? ArrayRef<int64_t>(outerBlocks) : ArrayRef<int64_t>({1}))
        for (int64_t to :
             outer ? ArrayRef<int64_t>(threadTiles) : ArrayRef<int64_t>({1})) {
          ++all;
          // Tiles larger than their loop are the loop; a thread's tile
          // divides its block's.
          SmallVector<int64_t> block(ranges.size(), 0),
              thread(ranges.size(), 0);
          for (int64_t d : parallel)
            block[d] = thread[d] = 1;
          block[inner] = std::min(bi, ranges[inner]);
          thread[inner] = std::min(ti, block[inner]);
          if (outer) {
            block[*outer] = std::min(bo, ranges[*outer]);
            thread[*outer] = std::min(to, block[*outer]);
          }
          if (block[inner] % thread[inner] ||
              (outer && block[*outer] % thread[*outer]))
            continue;
          int64_t count = block[inner] / thread[inner] *
                          (outer ? block[*outer] / thread[*outer] : 1);
          // Whole warps, unless the loops are smaller than one.
          int64_t full = bi / ti * (outer ? bo / to : 1);
          if (count > maxThreads || full % gpu::kWarpSize != 0)
            continue;
          ++threads;
          if (thread[inner] * (outer ? thread[*outer] : 1) >
              kMaxOutputsPerThread)
            continue;
          ++outputs;
          LoweringConfigAttr config = LoweringConfigAttr::get(
              context,
              {makeTileLevel(context, gpu::kWorkgroupLevel, block),
               makeTileLevel(context, gpu::kThreadLevel, thread)},
              {}, {});
          if (!seen.insert(scheduleText(config)).second)
            continue;
          Candidate c;
          c.config = config;
          space.candidates.push_back(c);
        }
  space.steps.push_back({"SIMT template", all});
  space.steps.push_back({"threads per block", threads});
  space.steps.push_back({"outputs per thread", outputs});
  space.steps.push_back({"loop sizes", space.candidates.size()});
}

SearchSpace buildGPUSearchSpace(linalg::LinalgOp op,
                                codegen::GPUTargetAttr target,
                                const GPUSpaceOptions &options) {
  SearchSpace space;
  if (std::optional<std::array<int64_t, 3>> mma =
          gpu::mmaSyncInstruction(op, target, options.tf32)) {
    addTensorCoreCandidates(op, *mma, space);
    // sm_90a's warpgroup kernel (f16 into f32, 64 x 64 x 16 tiles).
    gpu::HeuristicOptions heuristic;
    heuristic.wgmma = options.wgmma;
    LoweringConfigAttr wgmma = gpu::heuristicConfig(op, target, heuristic);
    if (options.wgmma && wgmma && gpu::isWgmmaSchedule(wgmma)) {
      Candidate c;
      c.config = wgmma;
      space.candidates.push_back(c);
      space.steps.push_back({"wgmma", space.candidates.size()});
    }
  } else {
    addSIMTCandidates(op, target.getMaxThreadsPerBlock(), space);
  }
  if (options.libraries) {
    LoweringConfigAttr library = gpu::cublasConfig(op);
    if (!library)
      library = gpu::cudnnConfig(op);
    // First: the one candidate most likely to win, measured before the
    // budget runs out.
    if (library) {
      Candidate c;
      c.config = library;
      space.candidates.insert(space.candidates.begin(), c);
      space.steps.push_back({"libraries", space.candidates.size()});
    }
  }
  return space;
}

} // namespace kiln::tuning
