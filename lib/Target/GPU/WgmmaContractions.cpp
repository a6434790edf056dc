//===- WgmmaContractions.cpp - matmuls as sm_90a warpgroup MMA kernels ----===//
//
// Part of Kiln. See kiln-gpu-wgmma-contractions in Passes.td.
//
// Each 64 x 64 tile of C is one thread block of one warpgroup (128
// threads). Per K step of 16, the threads copy A's 64 x 16 tile and B's
// 16 x 64 tile into shared memory, both K-major and in "core matrices"
// (8 rows of 8 f16, 128 contiguous bytes) without swizzling, the layout
// wgmma's shared-memory matrix descriptors describe with two strides:
//
//   element (r, k) of a K-major 64 x 16 tile is at
//     ((r / 8) * 2 + k / 8) * 64 + (r % 8) * 8 + k % 8
//
// so the core matrices along K are 128 bytes apart (the descriptor's
// leading-dimension byte offset) and those along M (N) 256 bytes apart
// (its stride-dimension byte offset). One wgmma.mma_async m64n64k16
// accumulates into 32 f32 registers per thread, which stay in registers
// across K; at the end each thread adds its registers to C where the
// accumulator layout puts them: warp w of the group, lane l, register
// 4 * j + r holds C[16 w + l / 4 + 8 (r / 2), 8 j + 2 (l % 4) + r % 2].
//
// Unpipelined (no TMA, no multi-buffering): a first, correct use of the
// instruction. It has not run on a GPU here (none was available); ptxas
// accepts it for sm_90a.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Mapping.h"
#include "kiln/Target/GPU/Passes.h"
#include "kiln/Target/GPU/TileLevels.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUWGMMACONTRACTIONS
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;

/// The instruction's tile: m64n64k16, one warpgroup.
static constexpr int64_t kTileM = 64, kTileN = 64, kTileK = 16;
static constexpr int64_t kWarpgroupThreads = 128;
/// Accumulator registers per thread: 64 * 64 / 128.
static constexpr int64_t kAccumulators = kTileM * kTileN / kWarpgroupThreads;

/// Whether `config` is the wgmma schedule.
bool kiln::gpu::isWgmmaSchedule(LoweringConfigAttr config) {
  return config && config.getLevel(kWorkgroupLevel) &&
         config.getLevel(kMmaLevel) && !config.getLevel(kWarpLevel) &&
         !config.getLevel(kThreadLevel);
}

namespace {
/// Builds one block's program for a tiled matmul on buffers.
class WarpgroupKernelBuilder {
public:
  WarpgroupKernelBuilder(RewriterBase &rewriter, Location loc)
      : b(rewriter), loc(loc), context(rewriter.getContext()) {}

  /// Replaces `tile`, a 64 x 64 x K matmul on subviews inside a block
  /// forall, by the warpgroup's program.
  void build(linalg::LinalgOp tile) {
    Value a = tile.getDpsInputOperand(0)->get();
    Value bMatrix = tile.getDpsInputOperand(1)->get();
    Value c = tile.getDpsInitOperand(0)->get();
    int64_t k = cast<MemRefType>(a.getType()).getDimSize(1);
    Type f16 = cast<MemRefType>(a.getType()).getElementType();
    b.setInsertionPoint(tile);
    auto shared = mlir::gpu::AddressSpaceAttr::get(
        context, mlir::gpu::AddressSpace::Workgroup);
    auto sharedType = MemRefType::get({kTileM * kTileK}, f16,
                                      MemRefLayoutAttrInterface{}, shared);
    Value sharedA = memref::AllocaOp::create(b, loc, sharedType);
    Value sharedB = memref::AllocaOp::create(b, loc, sharedType);
    auto threads = scf::ForallOp::create(
        b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(kWarpgroupThreads)},
        ValueRange{},
        b.getArrayAttr({mlir::gpu::GPUThreadMappingAttr::get(
            context, mlir::gpu::MappingId::LinearDim0)}));
    b.setInsertionPoint(threads.getBody()->getTerminator());
    Value thread = threads.getInductionVars().front();

    Type accType = LLVM::LLVMStructType::getLiteral(
        context, SmallVector<Type>(kAccumulators, b.getF32Type()));
    Value acc = LLVM::UndefOp::create(b, loc, accType);
    Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
    for (int64_t i = 0; i < kAccumulators; ++i)
      acc = LLVM::InsertValueOp::create(b, loc, acc, zero, i);

    auto loop = scf::ForOp::create(b, loc, index(0), index(k), index(kTileK),
                                   ValueRange{acc});
    b.setInsertionPointToStart(loop.getBody());
    Value k0 = loop.getInductionVar();
    copyToShared(a, sharedA, thread, k0, /*kMajorSource=*/false);
    copyToShared(bMatrix, sharedB, thread, k0, /*kMajorSource=*/true);
    mlir::gpu::BarrierOp::create(b, loc);
    // The copies were generic-proxy writes; wgmma reads through the async
    // proxy.
    NVVM::FenceProxyOp::create(
        b, loc, NVVM::ProxyKind::async_shared,
        NVVM::SharedSpaceAttr::get(context, NVVM::SharedSpace::shared_cta));
    NVVM::WgmmaFenceAlignedOp::create(b, loc);
    Value next = NVVM::WgmmaMmaAsyncOp::create(
        b, loc, accType, loop.getRegionIterArgs().front(), descriptor(sharedA),
        descriptor(sharedB),
        NVVM::MMAShapeAttr::get(context, kTileM, kTileN, kTileK),
        NVVM::WGMMATypes::f16, NVVM::WGMMATypes::f16, NVVM::WGMMATypes::f32,
        NVVM::WGMMAScaleOut::one, NVVM::WGMMAScaleIn::one,
        NVVM::WGMMAScaleIn::one, NVVM::MMALayout::row, NVVM::MMALayout::col,
        NVVM::MMAIntOverflowAttr::get(context, NVVM::MMAIntOverflow::wrapped));
    NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
    NVVM::WgmmaWaitGroupSyncOp::create(b, loc, 0);
    // No thread overwrites the tiles while another's wgmma reads them.
    mlir::gpu::BarrierOp::create(b, loc);
    scf::YieldOp::create(b, loc, next);

    b.setInsertionPointAfter(loop);
    addToC(loop.getResult(0), c, thread);
    b.eraseOp(tile);
  }

private:
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }

  Value apply(AffineExpr expr, ValueRange dims) {
    return affine::AffineApplyOp::create(
        b, loc, AffineMap::get(dims.size(), 0, expr), dims);
  }

  /// Each thread copies 8 of the 64 x 16 elements of the K step starting at
  /// `k0`: element (r, kk) of the tile is source[r][k0 + kk] (A) or
  /// source[k0 + kk][r] (B, `kMajorSource`: its rows are K), written at its
  /// place in the core-matrix layout.
  void copyToShared(Value source, Value shared, Value thread, Value k0,
                    bool transposed) {
    int64_t perThread = kTileM * kTileK / kWarpgroupThreads;
    for (int64_t e = 0; e < perThread; ++e) {
      AffineExpr t, k;
      bindDims(context, t, k);
      // (r, kk) from the element's number, row by row of the tile.
      AffineExpr element = t * perThread + e;
      Value row = apply(element.floorDiv(kTileK), {thread, k0});
      Value col = apply(element % kTileK, {thread, k0});
      Value globalK = apply(element % kTileK + k, {thread, k0});
      Value value =
          transposed
              ? memref::LoadOp::create(b, loc, source, ValueRange{globalK, row})
              : memref::LoadOp::create(b, loc, source,
                                       ValueRange{row, globalK});
      AffineExpr r, kk;
      bindDims(context, r, kk);
      Value at = apply(((r.floorDiv(8)) * 2 + kk.floorDiv(8)) * 64 +
                           (r % 8) * 8 + kk % 8,
                       {row, col});
      memref::StoreOp::create(b, loc, value, shared, ValueRange{at});
    }
  }

  /// The descriptor of a K-major 64 x 16 tile in shared memory, no
  /// swizzling: address / 16, then the leading (K, 128 B) and stride (M or
  /// N, 256 B) byte offsets / 16 at bits 16 and 32.
  Value descriptor(Value shared) {
    Value pointer =
        memref::ExtractAlignedPointerAsIndexOp::create(b, loc, shared);
    Type i64 = b.getI64Type();
    Value address = arith::IndexCastUIOp::create(b, loc, i64, pointer);
    auto constant = [&](int64_t v) -> Value {
      return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
    };
    Value start = arith::ShRUIOp::create(
        b, loc, arith::AndIOp::create(b, loc, address, constant(0x3FFFF)),
        constant(4));
    int64_t strides = ((128 >> 4) << 16) | (int64_t(256 >> 4) << 32);
    return arith::OrIOp::create(b, loc, start, constant(strides));
  }

  /// C += the accumulators, each thread's 32 where the m64nNk16 layout
  /// puts them.
  void addToC(Value acc, Value c, Value thread) {
    AffineExpr t;
    bindDims(context, t);
    Value warp = apply(t.floorDiv(32), {thread});
    Value lane = apply(t % 32, {thread});
    for (int64_t i = 0; i < kAccumulators; ++i) {
      int64_t j = i / 4, reg = i % 4;
      AffineExpr w, l;
      bindDims(context, w, l);
      Value row =
          apply(w * 16 + l.floorDiv(4) + (reg >= 2 ? 8 : 0), {warp, lane});
      Value col = apply(l % 4 * 2 + 8 * j + reg % 2, {warp, lane});
      Value value = LLVM::ExtractValueOp::create(b, loc, acc, i);
      Value old = memref::LoadOp::create(b, loc, c, ValueRange{row, col});
      Value sum = arith::AddFOp::create(b, loc, old, value);
      memref::StoreOp::create(b, loc, sum, c, ValueRange{row, col});
    }
  }

  RewriterBase &b;
  Location loc;
  MLIRContext *context;
};

struct KilnGPUWgmmaContractionsPass
    : public kiln::impl::KilnGPUWgmmaContractionsBase<
          KilnGPUWgmmaContractionsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (kiln::gpu::isWgmmaSchedule(op->getAttrOfType<LoweringConfigAttr>(
              LoweringConfigAttr::kAttrName)))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops)
      if (failed(schedule(rewriter, op)))
        return signalPassFailure();
  }

  LogicalResult schedule(RewriterBase &rewriter, linalg::LinalgOp op) {
    using namespace kiln::gpu;
    auto config =
        op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
    ArrayRef<int64_t> workgroup = config.getTiles(kWorkgroupLevel);
    ArrayRef<int64_t> mma = config.getTiles(kMmaLevel);
    auto memref = [](Value v) { return dyn_cast<MemRefType>(v.getType()); };
    MemRefType a = memref(op.getDpsInputOperand(0)->get()),
               bType = memref(op.getDpsInputOperand(1)->get()),
               c = memref(op.getDpsInitOperand(0)->get());
    if (!linalg::isaContractionOpInterface(op) || op.getNumLoops() != 3 ||
        !op.hasPureBufferSemantics() || !a || !bType || !c ||
        !a.getElementType().isF16() || !bType.getElementType().isF16() ||
        !c.getElementType().isF32())
      return op->emitError()
             << "has a wgmma schedule, but only an f16 x f16 -> f32 matmul "
                "on buffers can have one";
    if (ArrayRef<int64_t>(workgroup) != ArrayRef<int64_t>{kTileM, kTileN, 0} ||
        ArrayRef<int64_t>(mma) != ArrayRef<int64_t>{kTileM, kTileN, kTileK})
      return op->emitError() << "has a wgmma schedule other than workgroup = "
                                "[64, 64, 0], mma = [64, 64, 16]";
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (ranges[0] % kTileM || ranges[1] % kTileN || ranges[2] % kTileK)
      return op->emitError() << "is not divided evenly by wgmma's 64 x 64 x "
                                "16 tiles: the schedule has no partial tiles";
    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), workgroup));
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    options.setMapping(kiln::gpu::linearMapping<mlir::gpu::GPUBlockMappingAttr>(
        op->getContext(), 2));
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled) || tiled->tiledOps.size() != 1)
      return op->emitError() << "could not be tiled onto thread blocks";
    rewriter.eraseOp(op);
    WarpgroupKernelBuilder(rewriter, tiled->tiledOps.front()->getLoc())
        .build(cast<linalg::LinalgOp>(tiled->tiledOps.front()));
    return success();
  }
};
} // namespace
