//===- DecomposePads.cpp - tensor.pad as border fills + insert_slice ------===//
//
// Part of Kiln. A padded operand (a convolution's or a pooling's input) was
// bufferized as a new buffer, filled, and a copy of the whole unpadded
// tensor into its interior: one more pass over every activation, and a
// strided copy (a loop of row memcpy calls). Written as
//
//   %border = scf.for %c = 0 to C step S iter_args(%t = tensor.empty)
//       {kiln_codegen.distributed} {
//     fill the border (not the interior) of channels [%c, %c + S) of %t
//   }
//   %padded = tensor.insert_slice %x into %border[interior]
//
// (the loop marked kiln_codegen.padding_border, and distributed when the
// tensor is large) the padding is what bufferization's empty-tensor
// elimination (run next)
// understands: the op that produces %x (the ReLU before it) writes straight
// into the interior of the padded buffer, and the copy is gone.
//
// Only the border is written: a fill of the whole buffer wrote every
// element twice (the interior is overwritten by %x) and, as one memset
// outside any distributed loop, ran on one thread while the others waited
// (ResNet-18 pads ~7 MB per call). The border loop walks an unpadded
// dimension (the channels) in distributed steps. When %x is a function
// argument, no producer can write into the padded buffer, so the copy of
// %x into the interior is unavoidable: it moves into the same distributed
// loop instead of one serial strided copy.
//
// Pads that pad every dimension, or with dynamic shapes, keep upstream's
// decomposition (one fill of the whole tensor, then the insert_slice).
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Codegen/PadBorders.h"
#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENDECOMPOSEPADS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// Iterations the border loop aims for: enough that the threads share it
/// evenly, few enough that each is worth handing out.
static constexpr int64_t kBorderLoopIterations = 16;
/// Rows longer than this (elements) are not copied as one vector: LLVM
/// splits a vector into registers, and a very long one into very many
/// (kiln-cpu-contiguous-strided-reads' limit too).
static constexpr int64_t kMaxRowVector = 1024;

bool kiln::codegen::canWalkBorder(tensor::PadOp pad, int64_t d) {
  ArrayRef<int64_t> source = pad.getSourceType().getShape();
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  return d >= 0 && d < static_cast<int64_t>(source.size()) &&
         !ShapedType::isDynamic(source[d]) && source[d] > 1 && low[d] == 0 &&
         high[d] == 0;
}

std::optional<unsigned>
kiln::codegen::defaultBorderDimension(tensor::PadOp pad) {
  if (!pad.getConstantPaddingValue() || !pad.getSourceType().hasStaticShape() ||
      !pad.getResultType().hasStaticShape() ||
      ShapedType::isDynamicShape(pad.getStaticLow()) ||
      ShapedType::isDynamicShape(pad.getStaticHigh()))
    return std::nullopt;
  for (int64_t d = 0, e = pad.getSourceType().getRank(); d < e; ++d)
    if (canWalkBorder(pad, d))
      return d;
  return std::nullopt;
}

namespace {
/// One static box of a tensor: offsets and sizes per dimension.
struct Box {
  SmallVector<int64_t> offsets, sizes;
};

/// The border of a padded tensor (its elements outside the interior) as
/// disjoint boxes: for each padded dimension j, the low and the high slab
/// of j, interior along the padded dimensions before j and whole along
/// those after it. (The border loop narrows its distributed dimension.)
SmallVector<Box> borderBoxes(ArrayRef<int64_t> low, ArrayRef<int64_t> source,
                             ArrayRef<int64_t> padded) {
  SmallVector<Box> boxes;
  int64_t rank = padded.size();
  for (int64_t j = 0; j < rank; ++j) {
    if (source[j] == padded[j])
      continue;
    for (bool isLow : {true, false}) {
      int64_t start = isLow ? 0 : low[j] + source[j];
      int64_t size = isLow ? low[j] : padded[j] - start;
      if (size == 0)
        continue;
      Box box;
      for (int64_t k = 0; k < rank; ++k) {
        if (k == j) {
          box.offsets.push_back(start);
          box.sizes.push_back(size);
        } else if (k < j) {
          box.offsets.push_back(low[k]);
          box.sizes.push_back(source[k]);
        } else {
          box.offsets.push_back(0);
          box.sizes.push_back(padded[k]);
        }
      }
      boxes.push_back(std::move(box));
    }
  }
  return boxes;
}

/// The largest step that still gives the loop over `extent` about
/// kBorderLoopIterations iterations and divides it (no partial step).
int64_t borderLoopStep(int64_t extent) {
  int64_t step = std::max<int64_t>(1, extent / kBorderLoopIterations);
  while (extent % step != 0)
    --step;
  return step;
}

/// Copies channels [iv, iv + step) of `x` (along dimension `distributed`)
/// into the interior of `padded` (offsets `low`), a row (the innermost
/// dimension) at a time as one vector: tensor.insert_slice bufferized to a
/// strided memref.copy, which became scalar loops.
Value copyRows(OpBuilder &b, Location loc, Value x, Value padded, Value iv,
               unsigned distributed, int64_t step, ArrayRef<int64_t> low) {
  auto type = cast<RankedTensorType>(x.getType());
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<Value> lbs, ubs, steps;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (unsigned k = 0; k + 1 < shape.size(); ++k) {
    lbs.push_back(zero);
    ubs.push_back(arith::ConstantIndexOp::create(
        b, loc, k == distributed ? step : shape[k]));
    steps.push_back(one);
  }
  auto rowType = VectorType::get({shape.back()}, type.getElementType());
  Value padding = ub::PoisonOp::create(b, loc, type.getElementType());
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, ValueRange{padded},
      [&](OpBuilder &b, Location loc, ValueRange ivs, ValueRange args) {
        SmallVector<Value> from, to;
        for (unsigned k = 0; k < shape.size(); ++k) {
          Value at = k + 1 == shape.size() ? zero : ivs[k];
          if (k == distributed)
            at = arith::AddIOp::create(b, loc, iv, at);
          from.push_back(at);
          to.push_back(low[k] == 0
                           ? at
                           : arith::AddIOp::create(
                                 b, loc, at,
                                 arith::ConstantIndexOp::create(b, loc, low[k]))
                                 .getResult());
        }
        SmallVector<bool> inBounds = {true};
        Value row = vector::TransferReadOp::create(b, loc, rowType, x, from,
                                                   padding, inBounds);
        Value written = vector::TransferWriteOp::create(
                            b, loc, row, args.front(), to, inBounds)
                            .getResult();
        return SmallVector<Value>{written};
      });
  return nest.results.front();
}

struct DecomposeStaticPad : OpRewritePattern<tensor::PadOp> {
  DecomposeStaticPad(MLIRContext *context)
      : OpRewritePattern(context, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    std::optional<unsigned> distributed =
        kiln::codegen::defaultBorderDimension(pad);
    if (!distributed)
      return failure();
    // The config's distributed dimension instead, shared by the threads
    // (checked by the pass before the patterns run).
    auto config = pad->getAttrOfType<kiln::codegen::LoweringConfigAttr>(
        kiln::codegen::LoweringConfigAttr::kAttrName);
    bool shared = config && !config.getDistributedLoops().empty();
    if (shared)
      distributed = config.getDistributedLoops().front();
    Value padValue = pad.getConstantPaddingValue();
    RankedTensorType paddedType = pad.getResultType();
    SmallVector<int64_t> low(pad.getStaticLow());
    ArrayRef<int64_t> source = pad.getSourceType().getShape();
    ArrayRef<int64_t> padded = paddedType.getShape();

    // The new ops go where the padded tensor can be written before %x is
    // produced: empty-tensor elimination then makes %x's producer write
    // into the interior (it needs the padded tensor to dominate it).
    Value x = pad.getSource();
    Operation *producer = x.getDefiningOp();
    DominanceInfo dominance;
    if (producer && producer->getBlock() == pad->getBlock() &&
        dominance.properlyDominates(padValue, producer))
      rewriter.setInsertionPoint(producer);
    else
      rewriter.setInsertionPoint(pad);

    Location loc = pad.getLoc();
    int64_t extent = padded[*distributed];
    int64_t step = borderLoopStep(extent);
    Value empty = tensor::EmptyOp::create(rewriter, loc, padded,
                                          paddedType.getElementType());
    auto index = [&](int64_t v) {
      return arith::ConstantIndexOp::create(rewriter, loc, v);
    };
    Value lower = index(0), upper = index(extent), stepValue = index(step);
    // (A copy along the distributed dimension itself, e.g. NHWC's
    // channels, stays one insert_slice after the loop.)
    bool copyInside = isa<BlockArgument>(x) &&
                      *distributed + 1 < source.size() &&
                      source.back() <= kMaxRowVector;
    SmallVector<Box> boxes = borderBoxes(low, source, padded);
    auto loop = scf::ForOp::create(
        rewriter, loc, lower, upper, stepValue, ValueRange{empty},
        [&](OpBuilder &b, Location loc, Value iv, ValueRange args) {
          Value tensor = args.front();
          auto slice = [&](const Box &box) {
            SmallVector<OpFoldResult> offsets, sizes, strides;
            for (auto [k, offset, size] :
                 llvm::enumerate(box.offsets, box.sizes)) {
              bool isDistributed = k == *distributed;
              offsets.push_back(isDistributed ? OpFoldResult(iv)
                                              : b.getIndexAttr(offset));
              sizes.push_back(b.getIndexAttr(isDistributed ? step : size));
              strides.push_back(b.getIndexAttr(1));
            }
            return std::make_tuple(offsets, sizes, strides);
          };
          for (const Box &box : boxes) {
            auto [offsets, sizes, strides] = slice(box);
            Value part = tensor::ExtractSliceOp::create(b, loc, tensor, offsets,
                                                        sizes, strides);
            Value filled =
                linalg::FillOp::create(b, loc, padValue, part).getResult(0);
            tensor = tensor::InsertSliceOp::create(b, loc, filled, tensor,
                                                   offsets, sizes, strides);
          }
          if (copyInside)
            tensor = copyRows(b, loc, x, tensor, iv, *distributed, step, low);
          scf::YieldOp::create(b, loc, tensor);
        });
    loop->setAttr(kiln::codegen::kPaddingBorderAttrName,
                  rewriter.getUnitAttr());
    if (shared)
      loop->setAttr(kiln::codegen::kDistributedLoopAttrName,
                    rewriter.getUnitAttr());

    if (copyInside) {
      rewriter.replaceOp(pad, loop.getResult(0));
      return success();
    }
    rewriter.setInsertionPoint(pad);
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (auto [l, size] : llvm::zip(low, source)) {
      offsets.push_back(rewriter.getIndexAttr(l));
      sizes.push_back(rewriter.getIndexAttr(size));
      strides.push_back(rewriter.getIndexAttr(1));
    }
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
        pad, x, loop.getResult(0), offsets, sizes, strides);
    return success();
  }
};

/// Whether `pad`'s config distributes a dimension the border loop can walk
/// (unpadded, more than one element); emits an error otherwise.
static LogicalResult checkDistributedDimension(tensor::PadOp pad) {
  auto config = pad->getAttrOfType<kiln::codegen::LoweringConfigAttr>(
      kiln::codegen::LoweringConfigAttr::kAttrName);
  if (!pad->hasAttr(kiln::codegen::LoweringConfigAttr::kAttrName))
    return success();
  if (!config || !config.getLevels().empty())
    return pad->emitOpError()
           << "expects a lowering_config of fields alone (a pad is not "
              "tiled), got "
           << pad->getAttr(kiln::codegen::LoweringConfigAttr::kAttrName);
  if (config.getDistributedLoops().empty())
    return success();
  int64_t d = config.getDistributedLoops().front();
  if (!kiln::codegen::canWalkBorder(pad, d))
    return pad->emitOpError()
           << "has a lowering_config that distributes dimension " << d
           << ", which is not an unpadded dimension of more than one "
              "element";
  return success();
}

struct KilnCodegenDecomposePadsPass
    : public kiln::impl::KilnCodegenDecomposePadsBase<
          KilnCodegenDecomposePadsPass> {
  using Base::Base;

  void runOnOperation() override {
    WalkResult checked = getOperation()->walk([](tensor::PadOp pad) {
      return failed(checkDistributedDimension(pad)) ? WalkResult::interrupt()
                                                    : WalkResult::advance();
    });
    if (checked.wasInterrupted())
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    // Ours first; upstream's (a fill of the whole tensor) for the rest.
    patterns.add<DecomposeStaticPad>(&getContext());
    linalg::populateDecomposePadPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
