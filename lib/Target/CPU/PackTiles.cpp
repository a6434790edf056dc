//===- PackTiles.cpp - copy cache tiles of operands into dense buffers ----===//
//
// Part of Kiln. Runs between the cache and the register tiling. A cache tile
// of B in a row-major matmul is kc rows of nc elements, one row per matrix
// row apart: at 1024 columns that is 4 KiB, so every row of the tile maps to
// the same L1 set (and a few L2 sets), and the register tiles that stream
// the tile from top to bottom miss on every row. Copying the tile into a
// dense kc x nc buffer once per cache tile (the "packing" of GotoBLAS/BLIS)
// costs one read of it and makes every later read a hit.
//
// A tile whose innermost dimension is not the one the register tiles read as
// vectors (B^T in x * W^T, nn.dense's form: rows along k, vectors along n)
// is packed transposed, so that those vectors are contiguous; the op then
// reads it through a permuted indexing map (named ops become generics).
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Codegen/ReshapedConstants.h"
#include "kiln/Target/CPU/Passes.h"
#include "kiln/Target/CPU/TileLevels.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

#include <cstring>

namespace kiln {
#define GEN_PASS_DEF_KILNCPUPACKTILES
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::Im2ColOp;
using kiln::codegen::LoweringConfigAttr;

/// The config of the copy that packs a tile of `type`: no cache tiles, and
/// register tiles of one whole row, so that the copy becomes a loop over
/// rows of vector loads and stores.
static LoweringConfigAttr copyConfig(MLIRContext *context,
                                     RankedTensorType type) {
  SmallVector<int64_t> cache(type.getRank(), 0), reg(type.getRank(), 1);
  reg.back() = type.getShape().back();
  return LoweringConfigAttr::get(
      context, kiln::cpuTileLevels(context, cache, reg), {}, {});
}

/// The config of the transpose that packs a tile into `type`: 8x8 blocks
/// (capped at the tile), which vectorize into 8 row loads, a transpose in
/// registers and 8 row stores.
static LoweringConfigAttr transposeConfig(MLIRContext *context,
                                          RankedTensorType type) {
  SmallVector<int64_t> cache(type.getRank(), 0), reg(type.getRank(), 1);
  for (int64_t d = std::max<int64_t>(0, type.getRank() - 2); d < type.getRank();
       ++d)
    reg[d] = std::min<int64_t>(8, type.getDimSize(d));
  return LoweringConfigAttr::get(
      context, kiln::cpuTileLevels(context, cache, reg), {}, {});
}

/// The permutation of `operand`'s dimensions that makes the loop the
/// register tiles vectorize along (the loop of the result's innermost
/// dimension) its innermost one; empty if it already is, or if that loop
/// does not index the operand.
static SmallVector<int64_t> vectorDimLast(linalg::LinalgOp op,
                                          OpOperand &operand) {
  AffineMap resultMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  AffineMap map = op.getMatchingIndexingMap(&operand);
  if (resultMap.getNumResults() == 0 || map.getNumResults() < 2)
    return {};
  auto vectorLoop = dyn_cast<AffineDimExpr>(resultMap.getResults().back());
  if (!vectorLoop)
    return {};
  std::optional<unsigned> position = map.getResultPosition(
      getAffineDimExpr(vectorLoop.getPosition(), op->getContext()));
  if (!position || *position + 1 == map.getNumResults())
    return {};
  SmallVector<int64_t> permutation;
  for (unsigned i = 0; i < map.getNumResults(); ++i)
    if (i != *position)
      permutation.push_back(i);
  permutation.push_back(*position);
  return permutation;
}

/// Moves the packing of a tile (the ops `inputs` it reads, its slice and
/// buffer, and the copy `pack`) out of the loops it does not depend on: B's
/// tile under cache_order = n, k, m is then packed once for every m tile
/// instead of once per m tile. They move together or not at all: a buffer
/// hoisted without its copy would be one buffer that the iterations of a
/// distributed loop, running at once, write into.
static void hoistPacking(Operation *pack, ArrayRef<Operation *> inputs) {
  while (auto loop = pack->getParentOfType<scf::ForOp>()) {
    // Whether every value `op` uses (in its regions too) comes from outside
    // the loop or from one of the ops that move.
    auto invariant = [&](Operation *op) {
      llvm::SetVector<Value> used(op->getOperands().begin(),
                                  op->getOperands().end());
      getUsedValuesDefinedAbove(op->getRegions(), used);
      return llvm::all_of(used, [&](Value v) {
        return loop.isDefinedOutsideOfLoop(v) ||
               llvm::is_contained(inputs, v.getDefiningOp());
      });
    };
    for (Operation *input : inputs)
      if (input->getParentOp() != pack->getParentOp() ||
          llvm::any_of(input->getOperands(), [&](Value v) {
            return !loop.isDefinedOutsideOfLoop(v);
          }))
        return;
    if (!invariant(pack))
      return;
    for (Operation *input : inputs)
      input->moveBefore(loop);
    pack->moveBefore(loop);
  }
}

/// Whether every cache tile of `operand`, a patch matrix [N, K, P] of
/// `im2col`, starts on an output row: its P loop is untiled, or tiled by a
/// multiple of the output width (the last, partial tile then ends on the
/// last row too).
static bool startsOnRows(linalg::LinalgOp op, OpOperand &operand,
                         LoweringConfigAttr config, Im2ColOp im2col) {
  AffineMap map = op.getMatchingIndexingMap(&operand);
  auto p = dyn_cast<AffineDimExpr>(map.getResults().back());
  ArrayRef<int64_t> cache = config.getTiles(kiln::kCacheLevel);
  if (!p || p.getPosition() >= cache.size())
    return false;
  int64_t tile = cache[p.getPosition()];
  int64_t positions = im2col.getType().getDimSize(2);
  return tile == 0 || tile >= positions || tile % im2col.getOutputWidth() == 0;
}

/// The zero padding of a convolution's input that `padded` is, when it pads
/// only the spatial dims, by static amounts: the patch packing then reads
/// the unpadded input and writes the zeros itself, and the padded copy of
/// the input (a pass over it per call: 7% of ResNet-18's 64->128 3x3/2
/// layer on one thread) is never made.
static tensor::PadOp zeroSpatialPad(Value padded) {
  auto pad = padded.getDefiningOp<tensor::PadOp>();
  if (!pad || pad.getSourceType().getRank() != 4 ||
      !pad.getSourceType().hasStaticShape())
    return {};
  Value value = pad.getConstantPaddingValue();
  if (!value ||
      !(matchPattern(value, m_AnyZeroFloat()) || matchPattern(value, m_Zero())))
    return {};
  for (int64_t d = 0; d < 4; ++d) {
    std::optional<int64_t> low = getConstantIntValue(pad.getMixedLowPad()[d]);
    std::optional<int64_t> high = getConstantIntValue(pad.getMixedHighPad()[d]);
    if (!low || !high || (d < 2 && (*low != 0 || *high != 0)))
      return {};
  }
  return pad;
}

/// The tile `slice` of a patch matrix (kiln_codegen.im2col), copied from the
/// convolution's input straight into a new dense tile, row by row: packed
/// row i is k = k0 + i, i.e. channel c, window position (kh, kw), and its
/// output rows oh0, oh0 + 1, ... are each OW input elements (every sw-th) of
/// input row oh * sh + kh * dh. Null unless every tile of this loop starts
/// on an output row (startsOnRows): the patch matrix is then never
/// written whole, and the packed tile is written while it is hot.
static Operation *packPatches(RewriterBase &rewriter, Im2ColOp im2col,
                              tensor::ExtractSliceOp slice, Value buffer) {
  auto type = cast<RankedTensorType>(slice.getType());
  int64_t ow = im2col.getOutputWidth();
  if (type.getRank() != 3 || type.getDimSize(2) % ow != 0 ||
      !slice.hasUnitStride())
    return nullptr;
  Location loc = slice.getLoc();
  MLIRContext *context = rewriter.getContext();
  Value input = im2col.getInput();
  Type element = type.getElementType();
  int64_t kh = im2col.getKernel()[0], kw = im2col.getKernel()[1];
  int64_t sh = im2col.getStrides()[0], sw = im2col.getStrides()[1];
  int64_t dh = im2col.getDilations()[0], dw = im2col.getDilations()[1];
  SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
  // Coordinates are the padded input's throughout; with the padding unmade,
  // reads are of its source, shifted.
  tensor::PadOp pad = zeroSpatialPad(input);
  int64_t padTop = 0, padLeft = 0, height = 0, width = 0;
  if (pad) {
    padTop = *getConstantIntValue(pad.getMixedLowPad()[2]);
    padLeft = *getConstantIntValue(pad.getMixedLowPad()[3]);
    height = pad.getSourceType().getDimSize(2);
    width = pad.getSourceType().getDimSize(3);
  }

  // Constants at the function's entry, so that the nest can leave the
  // loops (hoistPacking) without them.
  OpBuilder constants(context);
  constants.setInsertionPointToStart(
      &slice->getParentOfType<FunctionOpInterface>().getFunctionBody().front());
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(constants, loc, v);
  };
  Value zero = index(0), one = index(1);
  SmallVector<Value> lbs(3, zero), steps(3, one);
  SmallVector<Value> ubs = {index(type.getDimSize(0)),
                            index(type.getDimSize(1)),
                            index(type.getDimSize(2) / ow)};
  Value padding = arith::ConstantOp::create(constants, loc, element,
                                            constants.getZeroAttr(element));
  scf::LoopNest nest = scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps, ValueRange{buffer},
      [&](OpBuilder &b, Location loc, ValueRange ivs,
          ValueRange args) -> scf::ValueVector {
        auto apply = [&](AffineExpr expr, ArrayRef<OpFoldResult> operands) {
          return affine::makeComposedFoldedAffineApply(b, loc, expr, operands);
        };
        AffineExpr s0, s1;
        bindSymbols(context, s0, s1);
        OpFoldResult n = apply(s0 + s1, {offsets[0], ivs[0]});
        OpFoldResult k = apply(s0 + s1, {offsets[1], ivs[1]});
        OpFoldResult c = apply(s0.floorDiv(kh * kw), {k});
        OpFoldResult row = apply(s0.floorDiv(ow) + s1, {offsets[2], ivs[2]});
        OpFoldResult inputRow =
            apply(s0 * sh + (s1.floorDiv(kw) % kh) * dh, {row, k});
        OpFoldResult column = apply((s0 % kw) * dw, {k});
        Value column0 =
            getValueOrCreateConstantIndexOp(b, loc, apply(s0 * ow, {ivs[2]}));
        // Writes `vector` into the packed row `into` from output column `to`
        // on.
        auto writeRow = [&](OpBuilder &b, Value into, Value vector,
                            int64_t to) -> Value {
          Value column = getValueOrCreateConstantIndexOp(
              b, loc, apply(s0 + to, {column0}));
          return vector::TransferWriteOp::create(
                     b, loc, vector, into, ValueRange{ivs[0], ivs[1], column},
                     ArrayRef<bool>{true})
              .getResult();
        };
        // Copies `count` elements of row `fromRow` of `from`, from column
        // `fromColumn` on, sw apart (a strided slice, which
        // kiln-cpu-contiguous-strided-reads reads as a span), into the
        // packed row `into` from output column `to` on.
        auto copySegment = [&](OpBuilder &b, Value into, Value from,
                               OpFoldResult fromRow, OpFoldResult fromColumn,
                               int64_t count, int64_t to) -> Value {
          SmallVector<OpFoldResult> at = {n, c, fromRow, fromColumn};
          SmallVector<OpFoldResult> sizes = {
              b.getIndexAttr(1), b.getIndexAttr(1), b.getIndexAttr(1),
              b.getIndexAttr(count)};
          SmallVector<OpFoldResult> strides = {
              b.getIndexAttr(1), b.getIndexAttr(1), b.getIndexAttr(1),
              b.getIndexAttr(sw)};
          Value segment = tensor::ExtractSliceOp::create(
              b, loc, RankedTensorType::get({1, 1, 1, count}, element), from,
              at, sizes, strides);
          SmallVector<Value> origin(4, zero);
          Value vector = vector::TransferReadOp::create(
              b, loc, VectorType::get({count}, element), segment, origin,
              padding, ArrayRef<bool>{true});
          return writeRow(b, into, vector, to);
        };
        // Zeros in output columns [from, to) of the packed row `into`.
        auto zeroSegment = [&](OpBuilder &b, Value into, int64_t from,
                               int64_t to) -> Value {
          auto type = VectorType::get({to - from}, element);
          Value zeros = arith::ConstantOp::create(
              b, loc, type,
              DenseElementsAttr::get(type, b.getZeroAttr(element)));
          return writeRow(b, into, zeros, from);
        };
        if (!pad)
          return {copySegment(b, args[0], input, inputRow, column, ow, 0)};
        // Rows of the padding are zeros. In the others, window column kw
        // (a case each, so that the edges are static) copies the output
        // columns [lo, hi) that fall inside the input, and zeros around
        // them: separate stores rather than a shift in registers, which
        // LLVM made a scalar insert per lane.
        Value rowIndex = getValueOrCreateConstantIndexOp(b, loc, inputRow);
        Value inside = arith::AndIOp::create(
            b, loc,
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, rowIndex,
                                  index(padTop)),
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, rowIndex,
                                  index(padTop + height)));
        Type tileType = args[0].getType();
        auto ifInside = scf::IfOp::create(b, loc, tileType, inside,
                                          /*withElseRegion=*/true);
        {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(ifInside.elseBlock());
          scf::YieldOp::create(b, loc, zeroSegment(b, args[0], 0, ow));
          b.setInsertionPointToStart(ifInside.thenBlock());
          OpFoldResult sourceRow = apply(s0 - padTop, {inputRow});
          Value windowColumn =
              getValueOrCreateConstantIndexOp(b, loc, apply(s0 % kw, {k}));
          SmallVector<int64_t> cases =
              llvm::to_vector(llvm::seq<int64_t>(0, kw));
          auto byColumn = scf::IndexSwitchOp::create(
              b, loc, tileType, windowColumn, cases, cases.size());
          for (auto [region, x] : llvm::zip(byColumn.getCaseRegions(), cases)) {
            OpBuilder::InsertionGuard caseGuard(b);
            b.setInsertionPointToStart(&region.emplaceBlock());
            // Output column o reads input column o * sw + x * dw - left.
            int64_t offset = x * dw - padLeft;
            int64_t lo = std::min<int64_t>(
                ow, offset >= 0 ? 0 : llvm::divideCeil(-offset, sw));
            int64_t hi = std::clamp<int64_t>(
                offset >= width ? 0 : llvm::divideCeil(width - offset, sw), lo,
                ow);
            Value tile = args[0];
            if (lo > 0)
              tile = zeroSegment(b, tile, 0, lo);
            if (hi > lo)
              tile = copySegment(b, tile, pad.getSource(), sourceRow,
                                 b.getIndexAttr(lo * sw + offset), hi - lo, lo);
            if (hi < ow)
              tile = zeroSegment(b, tile, hi, ow);
            scf::YieldOp::create(b, loc, tile);
          }
          OpBuilder::InsertionGuard defaultGuard(b);
          b.setInsertionPointToStart(
              &byColumn.getDefaultRegion().emplaceBlock());
          scf::YieldOp::create(b, loc, args[0]);
          b.setInsertionPointAfter(byColumn);
          scf::YieldOp::create(b, loc, byColumn.getResult(0));
        }
        Value written = ifInside.getResult(0);
        return {written};
      });
  return nest.loops.front();
}

/// The raw bytes of a constant's elements, row-major; none for splats,
/// resources that are not loaded, and sub-byte elements.
static std::optional<ArrayRef<char>> rawElements(Attribute value) {
  auto type = dyn_cast<ShapedType>(cast<TypedAttr>(value).getType());
  if (!type || !type.getElementType().isIntOrFloat() ||
      type.getElementTypeBitWidth() % 8 != 0)
    return std::nullopt;
  if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(value)) {
    if (dense.isSplat())
      return std::nullopt;
    return dense.getRawData();
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
  return std::nullopt;
}

/// `source` permuted (result dim i = source dim permutation[i]) as a new
/// constant at the start of the function, if `source` is a constant whose
/// elements are at hand; null otherwise. One per (constant, permutation):
/// `made` remembers them.
static Value
transposedConstant(Value source, ArrayRef<int64_t> permutation,
                   DenseMap<std::pair<Value, unsigned>, Value> &made) {
  // (Through reshapes: a convolution's filter collapsed to [F, C*KH*KW].)
  arith::ConstantOp constant = kiln::reshapedConstant(source);
  auto type = dyn_cast<RankedTensorType>(source.getType());
  // (The permutation is the key, in base 8.)
  if (!constant || !type || !type.hasStaticShape() ||
      permutation.size() != size_t(type.getRank()) || permutation.size() > 8)
    return {};
  unsigned key = 0;
  for (int64_t d : permutation)
    key = key * 8 + unsigned(d);
  if (Value known = made.lookup({source, key}))
    return known;
  std::optional<ArrayRef<char>> bytes = rawElements(constant.getValue());
  int64_t width = type.getElementTypeBitWidth() / 8;
  if (!bytes || int64_t(bytes->size()) != type.getNumElements() * width)
    return {};
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> newShape, oldStrides(shape.size(), 1);
  for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
    oldStrides[d] = oldStrides[d + 1] * shape[d + 1];
  for (int64_t d : permutation)
    newShape.push_back(shape[d]);
  std::vector<char> out(bytes->size());
  SmallVector<int64_t> at(shape.size(), 0); // index in the new shape
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    int64_t from = 0;
    for (auto [d, position] : llvm::enumerate(at))
      from += position * oldStrides[permutation[d]];
    std::memcpy(&out[i * width], &(*bytes)[from * width], width);
    for (int64_t d = int64_t(at.size()) - 1; d >= 0; --d) {
      if (++at[d] < newShape[d])
        break;
      at[d] = 0;
    }
  }
  auto newType = RankedTensorType::get(newShape, type.getElementType());
  auto attr = DenseResourceElementsAttr::get(
      newType, "kiln_transposed",
      HeapAsmResourceBlob::allocateAndCopyWithAlign(ArrayRef<char>(out), 64));
  auto function = constant->getParentOfType<FunctionOpInterface>();
  OpBuilder b(function.getFunctionBody());
  b.setInsertionPointToStart(&function.getFunctionBody().front());
  Value transposed =
      arith::ConstantOp::create(b, constant.getLoc(), newType, attr);
  made[{source, key}] = transposed;
  return transposed;
}

/// The matrix constant `matrix` [K, F] in blocks of `columns` columns,
/// [F / columns, K, columns] (block b, row k: matrix[k, b * columns ...]),
/// as a new constant beside it: every tile of `columns` columns that starts
/// on a block is then one contiguous block. One per (matrix, columns).
static Value
blockedColumnsConstant(Value matrix, int64_t columns,
                       DenseMap<std::pair<Value, int64_t>, Value> &made) {
  if (Value known = made.lookup({matrix, columns}))
    return known;
  auto constant = matrix.getDefiningOp<arith::ConstantOp>();
  auto type = cast<RankedTensorType>(matrix.getType());
  std::optional<ArrayRef<char>> bytes =
      constant ? rawElements(constant.getValue()) : std::nullopt;
  int64_t width = type.getElementTypeBitWidth() / 8;
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  if (!bytes || int64_t(bytes->size()) != rows * cols * width)
    return {};
  std::vector<char> out(bytes->size());
  char *to = out.data();
  for (int64_t block = 0; block < cols / columns; ++block)
    for (int64_t k = 0; k < rows; ++k, to += columns * width)
      std::memcpy(to, &(*bytes)[(k * cols + block * columns) * width],
                  columns * width);
  auto newType = RankedTensorType::get({cols / columns, rows, columns},
                                       type.getElementType());
  auto attr = DenseResourceElementsAttr::get(
      newType, "kiln_blocked",
      HeapAsmResourceBlob::allocateAndCopyWithAlign(ArrayRef<char>(out), 64));
  OpBuilder b(constant);
  b.setInsertionPointAfter(constant);
  Value blocked =
      arith::ConstantOp::create(b, constant.getLoc(), newType, attr);
  made[{matrix, columns}] = blocked;
  return blocked;
}

/// Whether a tile of `size` at `offset` starts on a multiple of `size`: a
/// constant multiple, or the induction variable of a loop from a multiple
/// of `size` in steps of it.
static bool tilesAreUniform(OpFoldResult offset, int64_t size) {
  if (std::optional<int64_t> c = getConstantIntValue(offset))
    return *c % size == 0;
  auto iv = dyn_cast_if_present<BlockArgument>(dyn_cast<Value>(offset));
  auto loop =
      iv ? dyn_cast<scf::ForOp>(iv.getOwner()->getParentOp()) : scf::ForOp();
  if (!loop || loop.getInductionVar() != iv)
    return false;
  std::optional<int64_t> lower = getConstantIntValue(loop.getLowerBound());
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  return lower && step && *lower % size == 0 && *step % size == 0;
}

/// Whether the tile `sizes` (unit strides) of a tensor of `shape` is one
/// contiguous block of it: after its first dimension of more than one
/// element, it spans every dimension whole.
static bool isContiguousTile(ArrayRef<OpFoldResult> sizes,
                             ArrayRef<OpFoldResult> strides,
                             ArrayRef<int64_t> shape) {
  bool inner = false;
  for (auto [size, stride, extent] : llvm::zip(sizes, strides, shape)) {
    std::optional<int64_t> s = getConstantIntValue(size);
    if (getConstantIntValue(stride) != 1 || !s)
      return false;
    if (inner && *s != extent)
      return false;
    inner |= *s != 1;
  }
  return true;
}

/// Shares the rows of the patch packing `nest` (n, rows, output rows) over
/// the thread pool if it runs on one thread and its tile has at least
/// `minElements` elements (the config's `shared_packing`; 0: never): when
/// the threads share the m loop (a 14x14 convolution's positions fit one
/// tile), the tile is packed before they start, once, and the other
/// threads would wait for it.
static void distributeOutsideThreads(Operation *nest, RankedTensorType type,
                                     int64_t minElements) {
  if (minElements <= 0 || type.getNumElements() < minElements ||
      type.getDimSize(1) < 2)
    return;
  for (Operation *parent = nest->getParentOp(); parent;
       parent = parent->getParentOp())
    if (parent->hasAttr(kiln::codegen::kDistributedLoopAttrName))
      return;
  auto rows = cast<scf::ForOp>(nest).getBody()->getOps<scf::ForOp>();
  if (!rows.empty())
    (*rows.begin())
        ->setAttr(kiln::codegen::kDistributedLoopAttrName,
                  UnitAttr::get(nest->getContext()));
}

namespace {
struct KilnCPUPackTilesPass
    : public kiln::impl::KilnCPUPackTilesBase<KilnCPUPackTilesPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> targets;
    getOperation()->walk([&](linalg::LinalgOp op) {
      auto config =
          op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
      if (config && !config.getPackedOperands().empty())
        targets.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    DenseMap<std::pair<Value, unsigned>, Value> constants;
    DenseMap<std::pair<Value, int64_t>, Value> blockedConstants;
    // The tile `type` at `offsets` of the matrix constant `matrix` read from
    // its copy in blocks of the tile's columns, when the tile spans one
    // block: every column tile has the same width, which divides the
    // columns (so the tiles start on blocks). Null otherwise.
    auto blockedTile = [&](RewriterBase &rewriter, Location loc, Value matrix,
                           RankedTensorType type,
                           ArrayRef<OpFoldResult> offsets,
                           ArrayRef<OpFoldResult> strides) -> Value {
      auto matrixType = cast<RankedTensorType>(matrix.getType());
      if (matrixType.getRank() != 2 || !type.hasStaticShape() ||
          getConstantIntValue(strides[0]) != 1 ||
          getConstantIntValue(strides[1]) != 1)
        return {};
      int64_t columns = type.getDimSize(1);
      if (columns >= matrixType.getDimSize(1) ||
          matrixType.getDimSize(1) % columns != 0 ||
          !tilesAreUniform(offsets[1], columns))
        return {};
      Value blocked = blockedColumnsConstant(matrix, columns, blockedConstants);
      if (!blocked)
        return {};
      AffineExpr d0;
      bindDims(rewriter.getContext(), d0);
      OpFoldResult block = affine::makeComposedFoldedAffineApply(
          rewriter, loc, d0.floorDiv(columns), {offsets[1]});
      SmallVector<OpFoldResult> blockOffsets = {block, offsets[0],
                                                rewriter.getIndexAttr(0)};
      SmallVector<OpFoldResult> blockSizes = {
          rewriter.getIndexAttr(1), rewriter.getIndexAttr(type.getDimSize(0)),
          rewriter.getIndexAttr(columns)};
      SmallVector<OpFoldResult> unit(3, rewriter.getIndexAttr(1));
      return tensor::ExtractSliceOp::create(rewriter, loc, type, blocked,
                                            blockOffsets, blockSizes, unit);
    };
    for (linalg::LinalgOp op : targets) {
      auto config =
          op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
      for (int64_t index : config.getPackedOperands()) {
        if (index >= op.getNumDpsInputs()) {
          op->emitError() << "lowering_config packs operand " << index
                          << ", but the op has " << op.getNumDpsInputs()
                          << " inputs";
          return signalPassFailure();
        }
        OpOperand &operand = *op.getDpsInputOperand(index);
        // Only tiles are packed: a whole operand (an op too small to be
        // tiled) is read once anyway. Dynamic tiles (which stay scalar) are
        // not worth a copy either.
        auto slice = operand.get().getDefiningOp<tensor::ExtractSliceOp>();
        auto type = dyn_cast<RankedTensorType>(operand.get().getType());
        if (!slice || !type || !type.hasStaticShape() || type.getRank() == 0)
          continue;
        rewriter.setInsertionPoint(op);
        Location loc = op.getLoc();
        SmallVector<int64_t> permutation = vectorDimLast(op, operand);
        Value tile = operand.get();
        unsigned number = operand.getOperandNumber();
        // Transposed packing needs an op whose maps can change: a generic.
        auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
        if (!permutation.empty() && !generic) {
          FailureOr<linalg::GenericOp> generalized =
              linalg::generalizeNamedOp(rewriter, op);
          if (succeeded(generalized)) {
            generic = *generalized;
            generic->setAttr(LoweringConfigAttr::kAttrName, config);
            op = generic;
            rewriter.setInsertionPoint(op); // the named op is gone
          } else {
            permutation.clear();
          }
        }
        if (permutation.empty()) {
          if (auto im2col = slice.getSource().getDefiningOp<Im2ColOp>();
              im2col && startsOnRows(op, operand, config, im2col)) {
            auto buffer = tensor::EmptyOp::create(
                rewriter, loc, type.getShape(), type.getElementType());
            if (Operation *nest =
                    packPatches(rewriter, im2col, slice, buffer)) {
              rewriter.modifyOpInPlace(
                  op, [&] { op->setOperand(number, nest->getResult(0)); });
              hoistPacking(nest, {buffer});
              distributeOutsideThreads(nest, type, config.getSharedPacking());
              if (slice->use_empty())
                rewriter.eraseOp(slice);
              continue;
            }
            rewriter.eraseOp(buffer);
          }
          Value buffer = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                                 type.getElementType());
          auto copy = linalg::CopyOp::create(rewriter, loc, tile, buffer);
          copy->setAttr(LoweringConfigAttr::kAttrName,
                        copyConfig(&getContext(), type));
          rewriter.modifyOpInPlace(
              op, [&] { op->setOperand(number, copy.getResult(0)); });
          hoistPacking(copy, {slice, buffer.getDefiningOp()});
          continue;
        }
        SmallVector<int64_t> shape;
        for (int64_t d : permutation)
          shape.push_back(type.getDimSize(d));
        auto packedType = RankedTensorType::get(shape, type.getElementType());
        Value buffer = tensor::EmptyOp::create(rewriter, loc, shape,
                                               type.getElementType());
        SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
        AffineMap map = maps[number];
        SmallVector<AffineExpr> results;
        for (int64_t d : permutation)
          results.push_back(map.getResult(d));
        maps[number] = AffineMap::get(map.getNumDims(), map.getNumSymbols(),
                                      results, &getContext());
        // A constant (a dense layer's weights) is transposed once, here,
        // and its tiles are packed by plain copies: transposing 2 MiB of
        // ResNet-18's classifier weights on every run took ~1 ms.
        Operation *pack;
        SmallVector<Operation *> inputs;
        if (Value transposed =
                transposedConstant(slice.getSource(), permutation, constants)) {
          SmallVector<OpFoldResult> offsets, sizes, strides;
          for (int64_t d : permutation) {
            offsets.push_back(slice.getMixedOffsets()[d]);
            sizes.push_back(slice.getMixedSizes()[d]);
            strides.push_back(slice.getMixedStrides()[d]);
          }
          auto tileOfTransposed = tensor::ExtractSliceOp::create(
              rewriter, loc, packedType, transposed, offsets, sizes, strides);
          // A tile that is one contiguous block of the transposed constant
          // (whole rows: a positions-major convolution's filter, [K, F], in
          // tiles of all F) is packed already; copying it cost every
          // thread 2.3 MB per call on ResNet-18's 14x14 layers.
          // Tiles of some of its columns (the threads' shares of the
          // filters) are read from a copy of it in blocks of those columns
          // (a 7x7 layer's 512 filters in two tiles of 256: 4.6 MB of
          // copies per call).
          ArrayRef<int64_t> transposedShape =
              cast<RankedTensorType>(transposed.getType()).getShape();
          Value packedTile;
          if (isContiguousTile(sizes, strides, transposedShape))
            packedTile = tileOfTransposed;
          else if (Value blocked = blockedTile(rewriter, loc, transposed,
                                               packedType, offsets, strides))
            packedTile = blocked;
          if (packedTile) {
            rewriter.modifyOpInPlace(generic, [&] {
              generic.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
              generic->setOperand(number, packedTile);
            });
            if (tileOfTransposed->use_empty())
              rewriter.eraseOp(tileOfTransposed);
            rewriter.eraseOp(buffer.getDefiningOp());
            if (slice->use_empty())
              rewriter.eraseOp(slice);
            continue;
          }
          pack = linalg::CopyOp::create(rewriter, loc,
                                        tileOfTransposed.getResult(), buffer);
          pack->setAttr(LoweringConfigAttr::kAttrName,
                        copyConfig(&getContext(), packedType));
          inputs = {tileOfTransposed, buffer.getDefiningOp()};
        } else {
          pack = linalg::TransposeOp::create(rewriter, loc, tile, buffer,
                                             permutation);
          pack->setAttr(LoweringConfigAttr::kAttrName,
                        transposeConfig(&getContext(), packedType));
          inputs = {slice, buffer.getDefiningOp()};
        }
        rewriter.modifyOpInPlace(generic, [&] {
          generic.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
          generic->setOperand(number, pack->getResult(0));
        });
        if (slice->use_empty())
          rewriter.eraseOp(slice);
        hoistPacking(pack, inputs);
      }
    }
  }
};
} // namespace
