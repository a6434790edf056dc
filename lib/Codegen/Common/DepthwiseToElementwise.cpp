//===- DepthwiseToElementwise.cpp - depthwise convolutions as FMAs --------===//
//
// Part of Kiln. A depthwise convolution (NCHW, one filter per channel)
//
//   out[n, c, oh, ow] += sum over (kh, kw) of
//       x[n, c, oh*sh + kh*dh, ow*sw + kw*dw] * w[c, kh, kw]
//
// is, for each window position (kh, kw), a strided view of the input of the
// output's shape, x[:, :, kh*dh :: sh, kw*dw :: sw], times the channel's
// weight w[:, kh, kw] broadcast over the positions. With one
// tensor.extract_slice of each per position, the convolution becomes one
// elementwise linalg.generic that multiplies and adds KH*KW pairs into the
// accumulator (the op's own body, applied once per window position), which
// kiln-cpu-select-lowering-config and kiln-cpu-vectorize turn into vector
// FMAs along the output's rows, shared by the threads over the channels.
// linalg's depthwise op, whose input map is not a permutation and which no
// CPU contraction schedule takes, stayed scalar loops (3-4 GFLOP/s on
// MobileNetV2's layers).
//
// Windows of more than kMaxWindow positions and dynamic shapes are left
// alone.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENDEPTHWISETOELEMENTWISE
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// Windows with more positions than this stay depthwise ops: the generic
/// takes two operands per position.
static constexpr int64_t kMaxWindow = 25;

static LogicalResult rewriteDepthwise(RewriterBase &rewriter,
                                      linalg::DepthwiseConv2DNchwChwOp op) {
  Value input = op.getInputs()[0], filter = op.getInputs()[1];
  auto inputType = dyn_cast<RankedTensorType>(input.getType());
  auto filterType = dyn_cast<RankedTensorType>(filter.getType());
  auto outputType = dyn_cast<RankedTensorType>(op.getOutputs()[0].getType());
  if (!inputType || !filterType || !outputType || !inputType.hasStaticShape() ||
      !filterType.hasStaticShape() || !outputType.hasStaticShape() ||
      filterType.getDimSize(1) * filterType.getDimSize(2) > kMaxWindow ||
      !op.hasPureTensorSemantics())
    return failure();
  auto strides = llvm::to_vector(op.getStrides().getValues<int64_t>());
  auto dilations = llvm::to_vector(op.getDilations().getValues<int64_t>());
  ArrayRef<int64_t> out = outputType.getShape();
  int64_t channels = filterType.getDimSize(0);
  MLIRContext *context = rewriter.getContext();
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);

  auto index = [&](int64_t i) -> OpFoldResult {
    return rewriter.getIndexAttr(i);
  };
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  AffineMap identity = rewriter.getMultiDimIdentityMap(4);
  // (n, c, oh, ow) -> (c): the channel's weight.
  AffineMap perChannel = AffineMap::get(4, 0, rewriter.getAffineDimExpr(1));
  auto weightType =
      RankedTensorType::get({channels}, filterType.getElementType());
  for (int64_t kh = 0; kh < filterType.getDimSize(1); ++kh)
    for (int64_t kw = 0; kw < filterType.getDimSize(2); ++kw) {
      operands.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get(out, inputType.getElementType()),
          input,
          {index(0), index(0), index(kh * dilations[0]),
           index(kw * dilations[1])},
          getAsIndexOpFoldResult(context, out),
          {index(1), index(1), index(strides[0]), index(strides[1])}));
      maps.push_back(identity);
      operands.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, weightType, filter, {index(0), index(kh), index(kw)},
          {index(channels), index(1), index(1)},
          {index(1), index(1), index(1)}));
      maps.push_back(perChannel);
    }
  maps.push_back(identity);

  Block *body = op.getBlock();
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, outputType, operands, op.getOutputs(), maps, iterators,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        // args: (input, weight) per window position, then the accumulator.
        // The depthwise body takes (input, filter, accumulator).
        Value acc = args.back();
        for (int64_t i = 0, e = args.size() - 1; i < e; i += 2) {
          IRMapping mapping;
          mapping.map(body->getArgument(0), args[i]);
          mapping.map(body->getArgument(1), args[i + 1]);
          mapping.map(body->getArgument(2), acc);
          for (Operation &inner : body->without_terminator())
            b.clone(inner, mapping);
          acc = mapping.lookup(body->getTerminator()->getOperand(0));
        }
        linalg::YieldOp::create(b, loc, acc);
      });
  rewriter.replaceOp(op, generic.getResults());
  return success();
}

namespace {
struct KilnCodegenDepthwiseToElementwisePass
    : public kiln::impl::KilnCodegenDepthwiseToElementwiseBase<
          KilnCodegenDepthwiseToElementwisePass> {
  void runOnOperation() override {
    SmallVector<linalg::DepthwiseConv2DNchwChwOp> convs;
    getOperation()->walk(
        [&](linalg::DepthwiseConv2DNchwChwOp op) { convs.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::DepthwiseConv2DNchwChwOp op : convs)
      (void)rewriteDepthwise(rewriter, op);
  }
};
} // namespace
