//===- SelectLoweringConfig.cpp - tile sizes from the target description --===//
//
// Part of Kiln. The heuristic half of "decisions as attributes": it writes
// lowering_config attributes; kiln-cpu-tile and kiln-cpu-vectorize read them.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Target/CPU/Passes.h"
#include "kiln/Target/CPU/TargetDescription.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "llvm/Support/MathExtras.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPUSELECTLOWERINGCONFIG
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;

/// The tile of `size` for a preferred tile `preferred` that is a multiple of
/// `multiple`: no larger than needed to cover the loop.
static int64_t fitTile(int64_t size, int64_t preferred, int64_t multiple) {
  if (ShapedType::isDynamic(size))
    return preferred;
  return std::min<int64_t>(preferred, llvm::alignTo(size, multiple));
}

/// Config of a contraction with loops `ranges` (static sizes or dynamic),
/// m/n/k/batch dims from inferContractionDims.
static LoweringConfigAttr
contractionConfig(MLIRContext *context, ArrayRef<int64_t> ranges,
                  const linalg::ContractionDimensions &dims,
                  const kiln::CPUTargetDescription &target,
                  unsigned elementBits) {
  int64_t lanes = std::max(1u, target.vectorBits / elementBits);
  // Register tile: mr rows of nr = 2 vectors. mr*2 accumulators, 2 B vectors
  // and one A broadcast must fit the register file.
  int64_t nr = 2 * lanes;
  int64_t mr = std::clamp<int64_t>((target.vectorRegisters - 3) / 2, 1, 8);
  // Cache tile: an mc x kc panel of A (for 8x32 tiles at f32: 128 x 256 =
  // 128 KiB, an L2-sized panel) and a kc x nc panel of B streamed from L1.
  int64_t mc = 16 * mr, nc = 2 * nr, kc = 256;

  SmallVector<int64_t> cache(ranges.size(), 0), reg(ranges.size(), 0);
  for (unsigned d : dims.batch) {
    cache[d] = 1;
    reg[d] = 1;
  }
  // Contractions may have several m/n/k dims (after collapsing they have
  // one each); tile the innermost of each, keep the others at 1.
  auto assign = [&](ArrayRef<unsigned> group, int64_t c, int64_t r) {
    for (auto [i, d] : llvm::enumerate(group)) {
      bool innermost = i + 1 == group.size();
      int64_t regTile = innermost ? fitTile(ranges[d], r, 1) : 1;
      reg[d] = regTile;
      cache[d] = innermost ? fitTile(ranges[d], c, regTile) : 1;
    }
  };
  assign(dims.m, mc, mr);
  assign(dims.n, nc, nr);
  assign(dims.k, kc, 1);
  return LoweringConfigAttr::get(context, cache, reg);
}

namespace {
struct KilnCPUSelectLoweringConfigPass
    : public kiln::impl::KilnCPUSelectLoweringConfigBase<
          KilnCPUSelectLoweringConfigPass> {
  using Base::Base;

  void runOnOperation() override {
    kiln::CPUTargetDescription target = kiln::CPUTargetDescription::host();
    if (vectorBits)
      target.vectorBits = vectorBits;
    if (vectorRegisters)
      target.vectorRegisters = vectorRegisters;

    getOperation()->walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(LoweringConfigAttr::kAttrName) ||
          !linalg::isaContractionOpInterface(op) || !op.hasPureTensorSemantics())
        return;
      FailureOr<linalg::ContractionDimensions> dims =
          linalg::inferContractionDims(op);
      auto resultType =
          dyn_cast<RankedTensorType>(op->getResult(0).getType());
      if (failed(dims) || !resultType ||
          !resultType.getElementType().isIntOrFloat())
        return;
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      op->setAttr(LoweringConfigAttr::kAttrName,
                  contractionConfig(&getContext(), ranges, *dims, target,
                                    resultType.getElementTypeBitWidth()));
    });
  }
};
} // namespace
