//===- Pooling.cpp - nn pooling ops to linalg -----------------------------===//
//
// Part of Kiln.
//
//  * nn.max_pool2d: tensor.pad with -inf (the padding, plus the trailing
//    elements that a last `rounding ceil` window reads past it), then
//    linalg.pooling_nchw_max into an accumulator filled with -inf; integers
//    with their lowest value (unsigned ones with the sign bit flipped).
//  * nn.avg_pool2d: as nn.max_pool2d with 0 and linalg.pooling_nchw_sum, then a
//    linalg.generic divides each sum by its window's count, computed from
//    linalg.index as PyTorch does: the window clipped to the padded input
//    (count_include_pad; elements added by ceil rounding never count) or to
//    the input itself.
//  * nn.max_pool2d_indices: one linalg.generic reducing each window to a
//    (maximum, flat input index) pair; static shapes only.
//  * nn.global_avg_pool: a sum over the spatial dimensions divided by their
//    element count, expanded back to [N, C, 1, ..., 1].
//
// 2-D pooling supports dynamic batch and channel sizes; its spatial sizes
// must be static. nn.global_avg_pool supports any dynamic size.
//
//===----------------------------------------------------------------------===//

#include "LoweringSupport.h"
#include "PopulatePatterns.h"
#include "kiln/Dialect/NN/NNOps.h"
#include "kiln/Dialect/NN/ShapeInference.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <algorithm>

using namespace mlir;
using namespace kiln::nn;
using namespace kiln::nn_to_linalg;

namespace {

/// The window of a 2-D pooling op over a static [H, W].
struct PoolWindow {
  SmallVector<int64_t> input, kernel, strides, dilations, padding, output;
  /// Trailing elements past the padding that the last window reads (with
  /// `rounding ceil` only).
  SmallVector<int64_t> extra;

  SmallVector<int64_t> padLow() const { return {0, 0, padding[0], padding[1]}; }
  SmallVector<int64_t> padHigh() const {
    return {0, 0, padding[2] + extra[0], padding[3] + extra[1]};
  }
};

FailureOr<PoolWindow>
poolWindow(RankedTensorType inputType, ArrayRef<int64_t> kernel,
           ArrayRef<int64_t> strides, ArrayRef<int64_t> padding,
           ArrayRef<int64_t> dilations, std::optional<RoundingMode> rounding) {
  if (inputType.isDynamicDim(2) || inputType.isDynamicDim(3))
    return failure();
  PoolWindow window;
  window.kernel.assign(kernel.begin(), kernel.end());
  window.strides = valuesOrDefault(strides, 2, 1);
  window.padding = valuesOrDefault(padding, 4, 0);
  window.dilations = valuesOrDefault(dilations, 2, 1);
  bool ceil = rounding.value_or(RoundingMode::Floor) == RoundingMode::Ceil;
  for (int i = 0; i < 2; ++i) {
    WindowDim dim{inputType.getDimSize(2 + i),
                  kernel[i],
                  window.strides[i],
                  window.dilations[i],
                  window.padding[i],
                  window.padding[2 + i],
                  ceil};
    int64_t out = dim.outputSize();
    int64_t needed = (out - 1) * dim.stride + dim.effectiveKernel();
    window.input.push_back(dim.input);
    window.output.push_back(out);
    window.extra.push_back(std::max<int64_t>(0, needed - dim.paddedInput()));
  }
  return window;
}

/// Sum or max pooling of `input` padded with `padValue` into an accumulator
/// filled with `padValue` too (the identity of the reduction).
template <typename PoolingOp>
Value buildPooling(OpBuilder &b, Location loc, Value input,
                   const PoolWindow &window, Value padValue) {
  Type element = padValue.getType();
  Value padded =
      padConstant(b, loc, input, window.padLow(), window.padHigh(), padValue);
  SmallVector<OpFoldResult> sizes = {tensor::getMixedSize(b, loc, input, 0),
                                     tensor::getMixedSize(b, loc, input, 1),
                                     b.getIndexAttr(window.output[0]),
                                     b.getIndexAttr(window.output[1])};
  Value acc = createFilledOfSizes(b, loc, sizes, padValue);
  // The window operand only carries the kernel sizes.
  Value shape = tensor::EmptyOp::create(b, loc, window.kernel, element);
  return PoolingOp::create(b, loc, TypeRange{acc.getType()},
                           ValueRange{padded, shape}, ValueRange{acc},
                           b.getI64TensorAttr(window.strides),
                           b.getI64TensorAttr(window.dilations))
      ->getResult(0);
}

struct MaxPool2DLowering : OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    FailureOr<PoolWindow> window =
        poolWindow(inputType, op.getKernel(), op.getStrides(), op.getPadding(),
                   op.getDilations(), op.getRounding());
    if (failed(window))
      return rewriter.notifyMatchFailure(
          op, "dynamic spatial sizes are not supported");
    Type element = inputType.getElementType();
    if (isa<FloatType>(element)) {
      Value result = buildPooling<linalg::PoolingNchwMaxOp>(
          rewriter, loc, input, *window,
          // -inf (or the lowest value where the type has no infinity).
          maxIdentity(rewriter, loc, element));
      rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
      return success();
    }
    // Integers: linalg's max pooling compares signed. Unsigned values are
    // mapped to signed ones in the same order by flipping the sign bit,
    // pooled, and flipped back.
    unsigned bits = element.getIntOrFloatBitWidth();
    Value lowest = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getIntegerAttr(element, APInt::getSignedMinValue(bits)));
    bool isUnsigned = isUnsignedElement(op.getInput().getType());
    auto flip = [&](Value v) {
      return buildElementwise(
          rewriter, loc, cast<RankedTensorType>(v.getType()), {v},
          [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
            return arith::XOrIOp::create(b, loc, args[0], lowest);
          });
    };
    if (isUnsigned)
      input = flip(input);
    Value result = buildPooling<linalg::PoolingNchwMaxOp>(rewriter, loc, input,
                                                          *window, lowest);
    if (isUnsigned)
      result = flip(result);
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};

/// nn.max_pool2d_indices: one linalg.generic over (n, c, oh, ow) and the
/// window (kh, kw), reductions into a running (maximum, index) pair. The
/// index of each element is computed from linalg.index; positions in the
/// padding are skipped, and of equal values the smaller index wins, which
/// makes the reduction independent of its order.
struct MaxPool2DIndicesLowering : OpConversionPattern<MaxPool2DIndicesOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DIndicesOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    if (!inputType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic sizes are not supported");
    FailureOr<PoolWindow> window =
        poolWindow(inputType, op.getKernel(), op.getStrides(), op.getPadding(),
                   op.getDilations(), op.getRounding());
    if (failed(window))
      return failure();
    Type element = inputType.getElementType();
    Type i64 = rewriter.getI64Type();
    Value lowest = maxIdentity(rewriter, loc, element);
    Value padded = padConstant(rewriter, loc, input, window->padLow(),
                               window->padHigh(), lowest);
    auto resultType = cast<RankedTensorType>(op.getType());
    Value values =
        createFilled(rewriter, loc, resultType.clone(element), lowest);
    Value none = arith::ConstantOp::create(rewriter, loc,
                                           rewriter.getI64IntegerAttr(-1));
    Value indices = createFilled(rewriter, loc, resultType, none);
    Value shape =
        tensor::EmptyOp::create(rewriter, loc, window->kernel, element);

    MLIRContext *context = rewriter.getContext();
    AffineExpr n, c, oh, ow, kh, kw;
    bindDims(context, n, c, oh, ow, kh, kw);
    auto map = [&](ArrayRef<AffineExpr> results) {
      return AffineMap::get(6, 0, results, context);
    };
    SmallVector<AffineMap> maps = {
        map({n, c, oh * window->strides[0] + kh * window->dilations[0],
             ow * window->strides[1] + kw * window->dilations[1]}),
        map({kh, kw}), map({n, c, oh, ow}), map({n, c, oh, ow})};
    SmallVector<utils::IteratorType> iterators(4,
                                               utils::IteratorType::parallel);
    iterators.append(2, utils::IteratorType::reduction);
    int64_t channels = inputType.getDimSize(1);
    int64_t height = window->input[0], width = window->input[1];
    bool columnMajor = op.getColumnMajor();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{values.getType(), indices.getType()},
        ValueRange{padded, shape}, ValueRange{values, indices}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          auto constant = [&](int64_t v) -> Value {
            return arith::ConstantOp::create(b, l, b.getI64IntegerAttr(v));
          };
          auto dim = [&](int64_t d) -> Value {
            return arith::IndexCastOp::create(b, l, i64,
                                              linalg::IndexOp::create(b, l, d));
          };
          auto add = [&](Value x, Value y) -> Value {
            return arith::AddIOp::create(b, l, x, y);
          };
          auto mul = [&](Value x, int64_t y) -> Value {
            return arith::MulIOp::create(b, l, x, constant(y));
          };
          // The element's input coordinates (h, w), which may be padding.
          Value h = add(add(mul(dim(2), window->strides[0]),
                            mul(dim(4), window->dilations[0])),
                        constant(-window->padding[0]));
          Value w = add(add(mul(dim(3), window->strides[1]),
                            mul(dim(5), window->dilations[1])),
                        constant(-window->padding[1]));
          auto within = [&](Value v, int64_t size) -> Value {
            return arith::AndIOp::create(
                b, l,
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, v,
                                      constant(0)),
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, v,
                                      constant(size)));
          };
          Value inside =
              arith::AndIOp::create(b, l, within(h, height), within(w, width));
          Value plane = mul(add(mul(dim(0), channels), dim(1)), height * width);
          Value offset =
              columnMajor ? add(mul(w, height), h) : add(mul(h, width), w);
          Value index = add(plane, offset);
          Value value = args[0], best = args[2], bestIndex = args[3];
          Value greater = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT,
                                                value, best);
          Value tie = arith::AndIOp::create(
              b, l,
              arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, value,
                                    best),
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, index,
                                    bestIndex));
          Value first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                              bestIndex, constant(-1));
          Value take = arith::AndIOp::create(
              b, l, inside,
              arith::OrIOp::create(b, l, first,
                                   arith::OrIOp::create(b, l, greater, tie)));
          linalg::YieldOp::create(
              b, l,
              ValueRange{
                  arith::SelectOp::create(b, l, take, value, best),
                  arith::SelectOp::create(b, l, take, index, bestIndex)});
        });
    rewriter.replaceOp(op, generic.getResult(1));
    return success();
  }
};

struct AvgPool2DLowering : OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type element = inputType.getElementType();
    FailureOr<PoolWindow> window =
        poolWindow(inputType, op.getKernel(), op.getStrides(), op.getPadding(),
                   /*dilations=*/{}, op.getRounding());
    if (failed(window))
      return rewriter.notifyMatchFailure(
          op, "dynamic spatial sizes are not supported");
    Value sum = buildPooling<linalg::PoolingNchwSumOp>(
        rewriter, loc, input, *window,
        floatConstant(rewriter, loc, element, 0.0));

    // sum / count, the count computed per output position from its index.
    bool includePad = op.getCountIncludePad();
    auto sumType = cast<RankedTensorType>(sum.getType());
    AffineMap identity = rewriter.getMultiDimIdentityMap(4);
    SmallVector<Value> dynamicSizes;
    for (int64_t d = 0; d < 2; ++d)
      if (sumType.isDynamicDim(d))
        dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, sum, d));
    // Index constants, made once outside the body.
    auto index = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(rewriter, loc, v);
    };
    Value zero = includePad ? Value() : index(0);
    SmallVector<Value> strides, padBefore, kernel, paddedEnd, inputEnd;
    for (int i = 0; i < 2; ++i) {
      strides.push_back(index(window->strides[i]));
      padBefore.push_back(index(window->padding[i]));
      kernel.push_back(index(window->kernel[i]));
      paddedEnd.push_back(index(window->input[i] + window->padding[2 + i]));
      if (!includePad)
        inputEnd.push_back(index(window->input[i]));
    }
    Value result = buildMapped(
        rewriter, loc, sumType, sum, identity, dynamicSizes,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value count;
          for (int i = 0; i < 2; ++i) {
            // The window [start, end) in input coordinates, clipped to the
            // padded input [-padBefore, input + padAfter) (never to the
            // elements added for ceil rounding).
            Value o = linalg::IndexOp::create(b, l, 2 + i);
            Value start = arith::SubIOp::create(
                b, l, arith::MulIOp::create(b, l, o, strides[i]), padBefore[i]);
            Value end = arith::MinSIOp::create(
                b, l, arith::AddIOp::create(b, l, start, kernel[i]),
                paddedEnd[i]);
            if (!includePad) {
              // Clipped to the input [0, input) as well.
              start = arith::MaxSIOp::create(b, l, start, zero);
              end = arith::MinSIOp::create(b, l, end, inputEnd[i]);
            }
            Value size = arith::SubIOp::create(b, l, end, start);
            count = count ? arith::MulIOp::create(b, l, count, size) : size;
          }
          return arith::DivFOp::create(b, l, args[0],
                                       indexToFloat(b, l, count, element));
        });
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};

struct GlobalAvgPoolLowering : OpConversionPattern<GlobalAvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GlobalAvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type element = inputType.getElementType();
    int64_t rank = inputType.getRank();
    SmallVector<int64_t> axes;
    for (int64_t d = 2; d < rank; ++d)
      axes.push_back(d);

    Value sum = buildReduction(
        rewriter, loc, input, axes, floatConstant(rewriter, loc, element, 0.0),
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::AddFOp::create(b, l, args[0], args[1]);
        });

    // The spatial element count, a constant when it is static.
    Value count = floatElementCount(rewriter, loc, input, axes, element);
    Value mean = buildElementwise(
        rewriter, loc, cast<RankedTensorType>(sum.getType()), sum,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::DivFOp::create(b, l, args[0], count);
        });

    // [N, C] -> [N, C, 1, ..., 1].
    SmallVector<OpFoldResult> sizes = {
        tensor::getMixedSize(rewriter, loc, input, 0),
        tensor::getMixedSize(rewriter, loc, input, 1)};
    ReassociationIndices trailing;
    for (int64_t d = 1; d < rank; ++d) {
      trailing.push_back(d);
      if (d >= 2)
        sizes.push_back(rewriter.getIndexAttr(1));
    }
    Value result = expandToSizes(rewriter, loc, mean, {{0}, trailing}, sizes);
    rewriter.replaceOp(op, castToType(rewriter, loc, result, op.getType()));
    return success();
  }
};

} // namespace

void kiln::nn_to_linalg::populatePoolingPatterns(RewritePatternSet &patterns) {
  patterns.add<MaxPool2DLowering, MaxPool2DIndicesLowering, AvgPool2DLowering,
               GlobalAvgPoolLowering>(patterns.getContext());
}
