//===- LowerIm2Col.cpp - kiln_codegen.im2col as vector row copies ---------===//
//
// Part of Kiln. Materializes the patch matrices that kiln-cpu-pack-tiles did
// not copy tile by tile (untiled contractions, tiles that do not start on
// an output row). P[N, C*KH*KW, OH*OW] is written as P[N, C, KH, KW, OH, OW]
// and collapsed: each P[n, c, kh, kw, oh, :] is OW consecutive input
// elements (every sw-th, for strided convolutions: a strided slice that
// kiln-cpu-contiguous-strided-reads reads as a span) of one input row,
// copied as one vector. Upstream's im2col (linalg::rewriteInIm2Col) gathers
// element by element through tensor.extract, which stays scalar and cost more
// than the matmul itself on ResNet-18's first layers. The loop over channels is
// distributed over the thread pool (each channel's patches are disjoint).
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENLOWERIM2COL
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::Im2ColOp;

/// P[N, C, KH, KW, OH, OW] for `op`, built as a loop nest over (n, c, kh,
/// kw, oh) of vector row copies; its channel loop is distributed when
/// `distribute` is.
static Value buildPatches(RewriterBase &rewriter, Im2ColOp op,
                          bool distribute) {
  Location loc = op.getLoc();
  Value input = op.getInput();
  auto inputType = cast<RankedTensorType>(input.getType());
  Type element = inputType.getElementType();
  int64_t kh = op.getKernel()[0], kw = op.getKernel()[1];
  int64_t sh = op.getStrides()[0], sw = op.getStrides()[1];
  int64_t dh = op.getDilations()[0], dw = op.getDilations()[1];
  int64_t ow = op.getOutputWidth();
  SmallVector<int64_t> patchShape = {inputType.getDimSize(0),
                                     inputType.getDimSize(1),
                                     kh,
                                     kw,
                                     op.getOutputHeight(),
                                     ow};
  Value patches = tensor::EmptyOp::create(rewriter, loc, patchShape, element);

  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  Value zero = index(0), one = index(1);
  SmallVector<Value> lbs(5, zero), steps(5, one), ubs;
  for (int64_t size : ArrayRef<int64_t>(patchShape).drop_back())
    ubs.push_back(index(size));
  auto vectorType = VectorType::get({ow}, element);
  Value padding = arith::ConstantOp::create(rewriter, loc, element,
                                            rewriter.getZeroAttr(element));
  scf::LoopNest nest = scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps, ValueRange{patches},
      [&](OpBuilder &b, Location loc, ValueRange ivs,
          ValueRange args) -> scf::ValueVector {
        Value n = ivs[0], c = ivs[1], kh = ivs[2], kw = ivs[3], oh = ivs[4];
        auto mulAdd = [&](Value x, int64_t scale, Value y, int64_t yScale) {
          Value lhs = arith::MulIOp::create(b, loc, x, index(scale));
          Value rhs = arith::MulIOp::create(b, loc, y, index(yScale));
          return arith::AddIOp::create(b, loc, lhs, rhs).getResult();
        };
        Value row = mulAdd(oh, sh, kh, dh);
        Value column = arith::MulIOp::create(b, loc, kw, index(dw));
        // Every sw-th element of the row: a strided slice, which
        // kiln-cpu-contiguous-strided-reads reads as the contiguous span of
        // the row and a shuffle once vectorized (read element by element,
        // ResNet-18's 7x7/2 stem ran at 1.6 GFLOP/s).
        Value source = input;
        SmallVector<Value> at = {n, c, row, column};
        if (sw != 1) {
          SmallVector<OpFoldResult> offsets = getAsOpFoldResult(at);
          SmallVector<OpFoldResult> sizes(3, b.getIndexAttr(1));
          sizes.push_back(b.getIndexAttr(ow));
          SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
          strides.push_back(b.getIndexAttr(sw));
          source = tensor::ExtractSliceOp::create(b, loc, input, offsets, sizes,
                                                  strides);
          at.assign(4, zero);
        }
        Value vector = vector::TransferReadOp::create(
            b, loc, vectorType, source, at, padding, ArrayRef<bool>{true});
        Value written =
            vector::TransferWriteOp::create(b, loc, vector, args[0],
                                            ValueRange{n, c, kh, kw, oh, zero},
                                            ArrayRef<bool>{true})
                .getResult();
        return {written};
      });
  if (distribute && patchShape[1] > 1)
    nest.loops[1]->setAttr(kiln::codegen::kDistributedLoopAttrName,
                           rewriter.getUnitAttr());
  return nest.results.front();
}

namespace {
struct KilnCodegenLowerIm2ColPass
    : public kiln::impl::KilnCodegenLowerIm2ColBase<
          KilnCodegenLowerIm2ColPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<Im2ColOp> ops;
    getOperation()->walk([&](Im2ColOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (Im2ColOp op : ops) {
      // The config may distribute dimension 1, the channels' patches.
      auto config = op->getAttrOfType<kiln::codegen::LoweringConfigAttr>(
          kiln::codegen::LoweringConfigAttr::kAttrName);
      if (op->hasAttr(kiln::codegen::LoweringConfigAttr::kAttrName) &&
          (!config || !config.getLevels().empty() ||
           llvm::any_of(config.getDistributedLoops(),
                        [](int64_t d) { return d != 1; }))) {
        op->emitOpError() << "expects a lowering_config that distributes "
                             "dimension 1 (the channels' patches) or "
                             "nothing, got "
                          << op->getAttr(
                                 kiln::codegen::LoweringConfigAttr::kAttrName);
        return signalPassFailure();
      }
      rewriter.setInsertionPoint(op);
      Value patches = buildPatches(
          rewriter, op, config && !config.getDistributedLoops().empty());
      rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
          op, op.getType(), patches,
          ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}, {4, 5}});
    }
  }
};
} // namespace
