//===- Convolution.cpp - nn.conv2d to linalg convolutions -----------------===//
//
// Part of Kiln. nn.conv2d pads its input with 0 (tensor.pad, only when the
// padding is not zero) and accumulates into the broadcast bias (or 0):
//
//  * groups = 1: linalg.conv_2d_nchw_fchw;
//  * depthwise (groups = C = F): linalg.depthwise_conv_2d_nchw_chw on the
//    [C, KH, KW] filter;
//  * other groups: linalg.conv_2d_ngchw_gfchw on the input expanded to
//    [N, G, C/G, H, W], the filter to [G, F/G, C/G, KH, KW] and the
//    accumulator to [N, G, F/G, OH, OW], collapsed back to [N, F, OH, OW].
//
// The batch (and, with one group, the channel and filter counts) may be
// dynamic; spatial and kernel sizes must be static.
//
//===----------------------------------------------------------------------===//

#include "LoweringSupport.h"
#include "PopulatePatterns.h"
#include "kiln/Dialect/NN/NNOps.h"
#include "kiln/Dialect/NN/ShapeInference.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace kiln::nn;
using namespace kiln::nn_to_linalg;

namespace {

struct Conv2DLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), filter = adaptor.getFilter();
    Value bias = adaptor.getBias();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto filterType = cast<RankedTensorType>(filter.getType());
    Type element = inputType.getElementType();
    SmallVector<int64_t> strides = valuesOrDefault(op.getStrides(), 2, 1);
    SmallVector<int64_t> padding = valuesOrDefault(op.getPadding(), 4, 0);
    SmallVector<int64_t> dilations = valuesOrDefault(op.getDilations(), 2, 1);
    int64_t groups = op.getGroups();

    for (int64_t d = 2; d < 4; ++d)
      if (inputType.isDynamicDim(d) || filterType.isDynamicDim(d))
        return rewriter.notifyMatchFailure(
            op, "dynamic spatial or kernel sizes are not supported");
    // Channel and filter counts, from whichever operand (or the declared
    // result) knows them.
    int64_t channels = inputType.getDimSize(1);
    if (ShapedType::isDynamic(channels) && !filterType.isDynamicDim(1))
      channels = filterType.getDimSize(1) * groups;
    int64_t features = filterType.getDimSize(0);
    if (ShapedType::isDynamic(features) && bias)
      features = cast<RankedTensorType>(bias.getType()).getDimSize(0);
    if (ShapedType::isDynamic(features))
      features = cast<RankedTensorType>(op.getType()).getDimSize(1);
    if (groups != 1 &&
        (ShapedType::isDynamic(channels) || ShapedType::isDynamic(features)))
      return rewriter.notifyMatchFailure(
          op, "dynamic channel or filter counts with groups > 1 are not "
              "supported");

    bool depthwise = groups != 1 && groups == channels && features == channels;
    if (groups != 1) {
      // Reshapes need the static sizes the verifier implies.
      input = castToType(rewriter, loc, input,
                         RankedTensorType::get(
                             {inputType.getDimSize(0), channels,
                              inputType.getDimSize(2), inputType.getDimSize(3)},
                             element));
      filter = castToType(rewriter, loc, filter,
                          RankedTensorType::get({features, channels / groups,
                                                 filterType.getDimSize(2),
                                                 filterType.getDimSize(3)},
                                                element));
      if (bias)
        bias = castToType(rewriter, loc, bias,
                          RankedTensorType::get({features}, element));
    }

    SmallVector<int64_t> outSpatial;
    for (int i = 0; i < 2; ++i) {
      WindowDim dim{inputType.getDimSize(2 + i),
                    filterType.getDimSize(2 + i),
                    strides[i],
                    dilations[i],
                    padding[i],
                    padding[2 + i]};
      outSpatial.push_back(dim.outputSize());
    }

    Value zero = floatConstant(rewriter, loc, element, 0.0);
    Value padded =
        padConstant(rewriter, loc, input, {0, 0, padding[0], padding[1]},
                    {0, 0, padding[2], padding[3]}, zero);
    auto stridesAttr = rewriter.getI64TensorAttr(strides);
    auto dilationsAttr = rewriter.getI64TensorAttr(dilations);
    OpFoldResult batch = tensor::getMixedSize(rewriter, loc, input, 0);
    OpFoldResult oh = rewriter.getIndexAttr(outSpatial[0]);
    OpFoldResult ow = rewriter.getIndexAttr(outSpatial[1]);

    Value result;
    if (groups == 1 || depthwise) {
      OpFoldResult f = ShapedType::isDynamic(features)
                           ? tensor::getMixedSize(rewriter, loc, filter, 0)
                           : rewriter.getIndexAttr(features);
      SmallVector<OpFoldResult> sizes = {batch, f, oh, ow};
      Value acc = accumulator(rewriter, loc, sizes, bias, {0, 2, 3}, zero);
      if (groups == 1) {
        result = linalg::Conv2DNchwFchwOp::create(
                     rewriter, loc, TypeRange{acc.getType()},
                     ValueRange{padded, filter}, ValueRange{acc}, stridesAttr,
                     dilationsAttr)
                     ->getResult(0);
      } else {
        // [C, 1, KH, KW] -> [C, KH, KW].
        Value filter3d = tensor::CollapseShapeOp::create(
            rewriter, loc, filter,
            SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}});
        result = linalg::DepthwiseConv2DNchwChwOp::create(
                     rewriter, loc, TypeRange{acc.getType()},
                     ValueRange{padded, filter3d}, ValueRange{acc}, stridesAttr,
                     dilationsAttr)
                     ->getResult(0);
      }
    } else {
      auto paddedType = cast<RankedTensorType>(padded.getType());
      OpFoldResult g = rewriter.getIndexAttr(groups);
      // [N, C, H, W] -> [N, G, C/G, H, W].
      Value input5d =
          expandToSizes(rewriter, loc, padded, {{0}, {1, 2}, {3}, {4}},
                        {batch, g, rewriter.getIndexAttr(channels / groups),
                         rewriter.getIndexAttr(paddedType.getDimSize(2)),
                         rewriter.getIndexAttr(paddedType.getDimSize(3))});
      // [F, C/G, KH, KW] -> [G, F/G, C/G, KH, KW].
      OpFoldResult fg = rewriter.getIndexAttr(features / groups);
      Value filter5d =
          expandToSizes(rewriter, loc, filter, {{0, 1}, {2}, {3}, {4}},
                        {g, fg, rewriter.getIndexAttr(channels / groups),
                         rewriter.getIndexAttr(filterType.getDimSize(2)),
                         rewriter.getIndexAttr(filterType.getDimSize(3))});
      // The bias [F] -> [G, F/G], broadcast to [N, G, F/G, OH, OW].
      Value bias2d;
      if (bias)
        bias2d = expandToSizes(rewriter, loc, bias, {{0, 1}}, {g, fg});
      Value acc = accumulator(rewriter, loc, {batch, g, fg, oh, ow}, bias2d,
                              {0, 3, 4}, zero);
      result = linalg::Conv2DNgchwGfchwOp::create(
                   rewriter, loc, TypeRange{acc.getType()},
                   ValueRange{input5d, filter5d}, ValueRange{acc}, stridesAttr,
                   dilationsAttr)
                   ->getResult(0);
      result = tensor::CollapseShapeOp::create(
          rewriter, loc, result,
          SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }

  /// The accumulator with `sizes`: `bias` broadcast along `biasDims` when
  /// there is one, 0 otherwise.
  static Value accumulator(OpBuilder &b, Location loc,
                           ArrayRef<OpFoldResult> sizes, Value bias,
                           ArrayRef<int64_t> biasDims, Value zero) {
    if (!bias)
      return createFilledOfSizes(b, loc, sizes, zero);
    Value empty = tensor::EmptyOp::create(b, loc, sizes, zero.getType());
    return linalg::BroadcastOp::create(b, loc, bias, empty, biasDims)
        ->getResult(0);
  }
};

} // namespace

void kiln::nn_to_linalg::populateConvolutionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<Conv2DLowering>(patterns.getContext());
}
