//===- QuantizationOps.cpp - ONNX linear quantization ---------------------===//
//
// Part of Kiln. QuantizeLinear, DequantizeLinear (per tensor or per axis)
// and DynamicQuantizeLinear, computed in float from nn ops: quantizing
// rounds halves to even and saturates to the 8-bit type's range, as ONNX
// specifies. MatMulInteger, ConvInteger, QLinearMatMul and QLinearConv,
// whose integer accumulations are computed exactly in double precision.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;

static Value castTo(NodeContext &ctx, Value v, Type element) {
  if (ctx.elementOf(v) == element)
    return v;
  auto type = cast<RankedTensorType>(v.getType());
  return nn::CastOp::create(ctx.b, ctx.loc, type.clone(element), v);
}

/// A quantization parameter shaped to broadcast against input 0 (of rank
/// `rank`): a scalar (per tensor) as rank 0, a 1-D one (per axis) along the
/// node's `axis`.
static FailureOr<Value> alongAxis(NodeContext &ctx, Value param,
                                  RankedTensorType input) {
  auto type = cast<RankedTensorType>(param.getType());
  if (type.getNumElements() == 1 && type.getRank() <= 1)
    return nn::ReshapeOp::create(ctx.b, ctx.loc, param, ArrayRef<int64_t>{})
        .getResult();
  int64_t rank = input.getRank();
  int64_t axis = normalizeAxis(ctx.intAttr("axis", 1), rank);
  if (axis < 0)
    return ctx.error() << "axis " << ctx.intAttr("axis", 1)
                       << " is out of range for rank " << rank;
  int64_t size = input.getDimSize(axis);
  if (type.getRank() != 1 || type.getDimSize(0) != size)
    return ctx.error() << "a scale or zero point of " << type
                       << " does not match dimension " << axis << " (" << size
                       << ")";
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = size;
  return nn::ReshapeOp::create(ctx.b, ctx.loc, param, shape).getResult();
}

/// The scale and the zero point (as f32, 0 when absent) of a quantize or
/// dequantize node, shaped for input 0.
static FailureOr<std::pair<Value, Value>> quantization(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  Value scale = ctx.input(1);
  if (!scale)
    return failure();
  FailureOr<Value> s = alongAxis(ctx, scale, type);
  if (failed(s))
    return failure();
  Value zeroPoint = ctx.scalar(ctx.b.getF32Type(), 0);
  if (ctx.hasInput(2)) {
    Value z = ctx.input(2);
    if (!z)
      return failure();
    FailureOr<Value> shaped = alongAxis(ctx, z, type);
    if (failed(shaped))
      return failure();
    zeroPoint = castTo(ctx, *shaped, ctx.b.getF32Type());
  }
  return std::make_pair(castTo(ctx, *s, ctx.b.getF32Type()), zeroPoint);
}

Value kiln::onnximport::quantizeRounded(NodeContext &ctx, Value v,
                                        Value zeroPoint, Type element) {
  Type real = ctx.elementOf(v);
  Value q =
      nn::AddOp::create(ctx.b, ctx.loc, nn::RoundOp::create(ctx.b, ctx.loc, v),
                        castTo(ctx, zeroPoint, real));
  bool isUnsigned = element.isUnsignedInteger();
  q = nn::ClipOp::create(ctx.b, ctx.loc, q,
                         ctx.b.getF64FloatAttr(isUnsigned ? 0 : -128),
                         ctx.b.getF64FloatAttr(isUnsigned ? 255 : 127));
  return castTo(ctx, q, element);
}

/// saturate(round(x / scale) + zero_point) as `element` (ui8 or i8).
static Value quantize(NodeContext &ctx, Value x, Value scale, Value zeroPoint,
                      Type element) {
  Type f32 = ctx.b.getF32Type();
  return quantizeRounded(
      ctx, nn::DivOp::create(ctx.b, ctx.loc, castTo(ctx, x, f32), scale),
      zeroPoint, element);
}

static LogicalResult importQuantizeLinear(NodeContext &ctx) {
  FailureOr<std::pair<Value, Value>> params = quantization(ctx);
  if (failed(params))
    return failure();
  // The zero point's type is the result's (uint8 without one).
  Type element = ctx.hasInput(2)
                     ? ctx.elementOf(ctx.input(2))
                     : Type(ctx.b.getIntegerType(8, /*isSigned=*/false));
  if (!element.isInteger(8))
    return ctx.error() << "only 8-bit (INT8, UINT8) quantization is supported";
  ctx.setOutput(
      0, quantize(ctx, ctx.input(0), params->first, params->second, element));
  return success();
}

static LogicalResult importDequantizeLinear(NodeContext &ctx) {
  FailureOr<std::pair<Value, Value>> params = quantization(ctx);
  if (failed(params))
    return failure();
  Value x = castTo(ctx, ctx.input(0), ctx.b.getF32Type());
  ctx.setOutput(
      0, nn::MulOp::create(ctx.b, ctx.loc,
                           nn::SubOp::create(ctx.b, ctx.loc, x, params->second),
                           params->first));
  return success();
}

/// DynamicQuantizeLinear: uint8 with scale = (max(0, max x) - min(0, min x))
/// / 255 and zero point saturate(round(-min(0, min x) / scale)).
static LogicalResult importDynamicQuantizeLinear(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  if (!type.getElementType().isF32())
    return ctx.error() << "the input must be FLOAT";
  Value x = ctx.input(0);
  std::vector<int64_t> all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  Type f32 = ctx.b.getF32Type();
  Value zero = ctx.scalar(f32, 0);
  Value hi = zero, lo = zero;
  if (!all.empty()) {
    hi = nn::MaximumOp::create(
        ctx.b, ctx.loc, nn::ReduceMaxOp::create(ctx.b, ctx.loc, x, all, false),
        zero);
    Value negated = nn::NegOp::create(ctx.b, ctx.loc, x);
    lo = nn::MinimumOp::create(
        ctx.b, ctx.loc,
        nn::NegOp::create(
            ctx.b, ctx.loc,
            nn::ReduceMaxOp::create(ctx.b, ctx.loc, negated, all, false)),
        zero);
  }
  Value scale = nn::DivOp::create(ctx.b, ctx.loc,
                                  nn::SubOp::create(ctx.b, ctx.loc, hi, lo),
                                  ctx.scalar(f32, 255));
  Type u8 = ctx.b.getIntegerType(8, /*isSigned=*/false);
  Value zeroPoint =
      quantize(ctx, nn::NegOp::create(ctx.b, ctx.loc, lo), scale, zero, u8);
  ctx.setOutput(0, quantize(ctx, x, scale, castTo(ctx, zeroPoint, f32), u8));
  ctx.setOutput(1, scale);
  ctx.setOutput(2, zeroPoint);
  return success();
}

//===----------------------------------------------------------------------===//
// Integer and quantized matrix products and convolutions
//===----------------------------------------------------------------------===//
//
// The integer accumulations (uint8/int8 operands minus their zero points,
// summed as int32 in ONNX) are computed in double precision, which holds
// every such sum exactly (below 2^53), with Kiln's float matmul and
// convolution.

/// Input `i` minus the zero point input `zeroInput` (absent: 0), as f64.
/// `zeroShape` reshapes a per-row or per-channel zero point to broadcast.
static FailureOr<Value> centered(NodeContext &ctx, int i, int zeroInput,
                                 ArrayRef<int64_t> zeroShape = {}) {
  Value x = ctx.input(i);
  if (!x)
    return failure();
  Type f64 = ctx.b.getF64Type();
  x = castTo(ctx, x, f64);
  if (!ctx.hasInput(zeroInput))
    return x;
  Value zero = ctx.input(zeroInput);
  if (!zero)
    return failure();
  auto zeroType = cast<RankedTensorType>(zero.getType());
  int64_t perSlice = 1;
  for (int64_t d : zeroShape)
    perSlice *= d;
  if (zeroType.getNumElements() == 1)
    zero = nn::ReshapeOp::create(ctx.b, ctx.loc, zero, ArrayRef<int64_t>{});
  else if (!zeroShape.empty() && zeroType.getNumElements() == perSlice)
    zero = nn::ReshapeOp::create(ctx.b, ctx.loc, zero, zeroShape);
  else
    return ctx.error() << "zero point " << zeroType
                       << " must be a scalar or hold one value per "
                          "row/channel";
  return Value(nn::SubOp::create(ctx.b, ctx.loc, x, castTo(ctx, zero, f64)));
}

/// The exact integer product (A - a_zero) x (B - b_zero), in f64: per-row
/// A zero points ([M]) and per-column B ones ([N]) as ONNX allows.
static FailureOr<Value> integerMatmul(NodeContext &ctx, int a, int aZero, int b,
                                      int bZero) {
  RankedTensorType aType = ctx.inputType(a), bType = ctx.inputType(b);
  if (!aType || !bType)
    return failure();
  if (aType.getRank() < 2 || bType.getRank() < 2)
    return ctx.error() << "operands must have 2 dimensions or more";
  int64_t rows = aType.getDimSize(aType.getRank() - 2);
  FailureOr<Value> x = centered(ctx, a, aZero, {rows, 1});
  FailureOr<Value> y =
      centered(ctx, b, bZero, {bType.getDimSize(bType.getRank() - 1)});
  if (failed(x) || failed(y))
    return failure();
  return Value(nn::MatmulOp::create(ctx.b, ctx.loc, *x, *y));
}

static LogicalResult importMatMulInteger(NodeContext &ctx) {
  FailureOr<Value> product = integerMatmul(ctx, 0, 2, 1, 3);
  if (failed(product))
    return failure();
  ctx.setOutput(0, castTo(ctx, *product, ctx.b.getIntegerType(32)));
  return success();
}

/// A scale input as an f64 scalar, or shaped by `shape` (per channel).
static FailureOr<Value> scaleInput(NodeContext &ctx, int i,
                                   ArrayRef<int64_t> shape = {}) {
  Value scale = ctx.input(i);
  if (!scale)
    return failure();
  auto type = cast<RankedTensorType>(scale.getType());
  ArrayRef<int64_t> target =
      type.getNumElements() == 1 ? ArrayRef<int64_t>{} : shape;
  int64_t n = 1;
  for (int64_t d : target)
    n *= d;
  if (n != type.getNumElements())
    return ctx.error() << "scale " << type
                       << " must be a scalar or hold one value per channel";
  scale = nn::ReshapeOp::create(ctx.b, ctx.loc, scale, target);
  return castTo(ctx, scale, ctx.b.getF64Type());
}

/// The requantized result: saturate(round(acc * in_scale * w_scale /
/// y_scale) + y_zero), of y_zero's type.
static LogicalResult requantize(NodeContext &ctx, Value accumulator,
                                Value inScale, Value weightScale,
                                int yScaleInput, int yZeroInput) {
  FailureOr<Value> yScale = scaleInput(ctx, yScaleInput);
  Value yZero = ctx.input(yZeroInput);
  if (failed(yScale) || !yZero)
    return failure();
  Type element = ctx.elementOf(yZero);
  if (!element.isInteger(8))
    return ctx.error() << "only 8-bit (INT8, UINT8) outputs are supported";
  Value real = nn::DivOp::create(
      ctx.b, ctx.loc,
      nn::MulOp::create(ctx.b, ctx.loc,
                        nn::MulOp::create(ctx.b, ctx.loc, accumulator, inScale),
                        weightScale),
      *yScale);
  ctx.setOutput(0, quantizeRounded(ctx, real,
                                   nn::ReshapeOp::create(ctx.b, ctx.loc, yZero,
                                                         ArrayRef<int64_t>{}),
                                   element));
  return success();
}

/// QLinearMatMul(a, a_scale, a_zero, b, b_scale, b_zero, y_scale, y_zero).
static LogicalResult importQLinearMatMul(NodeContext &ctx) {
  FailureOr<Value> product = integerMatmul(ctx, 0, 2, 3, 5);
  RankedTensorType bType = ctx.inputType(3);
  if (failed(product) || !bType)
    return failure();
  FailureOr<Value> aScale = scaleInput(ctx, 1);
  FailureOr<Value> bScale =
      scaleInput(ctx, 4, {bType.getDimSize(bType.getRank() - 1)});
  if (failed(aScale) || failed(bScale))
    return failure();
  return requantize(ctx, *product, *aScale, *bScale, 6, 7);
}

/// ConvInteger(x, w, x_zero, w_zero): the int32 convolution of the centered
/// operands (w_zero per output channel or scalar).
static FailureOr<Value> integerConv(NodeContext &ctx, int x, int xZero, int w,
                                    int wZero, Value bias = {}) {
  RankedTensorType wType = ctx.inputType(w);
  if (!wType || !ctx.inputType(x))
    return failure();
  SmallVector<int64_t> perChannel(wType.getRank(), 1);
  perChannel[0] = wType.getDimSize(0);
  FailureOr<Value> xs = centered(ctx, x, xZero);
  FailureOr<Value> ws = centered(ctx, w, wZero, perChannel);
  if (failed(xs) || failed(ws))
    return failure();
  return convolveLikeConv(ctx, *xs, *ws, bias);
}

static LogicalResult importConvInteger(NodeContext &ctx) {
  FailureOr<Value> y = integerConv(ctx, 0, 2, 1, 3);
  if (failed(y))
    return failure();
  ctx.setOutput(0, castTo(ctx, *y, ctx.b.getIntegerType(32)));
  return success();
}

/// QLinearConv(x, x_scale, x_zero, w, w_scale, w_zero, y_scale, y_zero, B):
/// the int32 convolution plus the int32 bias, requantized (w_scale per
/// output channel or scalar).
static LogicalResult importQLinearConv(NodeContext &ctx) {
  RankedTensorType xType = ctx.inputType(0), wType = ctx.inputType(3);
  if (!xType || !wType)
    return failure();
  Value bias;
  if (ctx.hasInput(8)) {
    bias = ctx.input(8);
    if (!bias)
      return failure();
    bias = castTo(ctx, bias, ctx.b.getF64Type());
  }
  FailureOr<Value> accumulator = integerConv(ctx, 0, 2, 3, 5, bias);
  if (failed(accumulator))
    return failure();
  SmallVector<int64_t> perChannel(xType.getRank(), 1);
  perChannel[1] = wType.getDimSize(0);
  FailureOr<Value> xScale = scaleInput(ctx, 1);
  FailureOr<Value> wScale = scaleInput(ctx, 4, perChannel);
  if (failed(xScale) || failed(wScale))
    return failure();
  return requantize(ctx, *accumulator, *xScale, *wScale, 6, 7);
}

void kiln::onnximport::registerQuantizationOps(OpRegistry &r) {
  r.add("MatMulInteger", 10, 18, importMatMulInteger);
  r.add("QLinearMatMul", 10, 18, importQLinearMatMul);
  r.add("ConvInteger", 10, 18, importConvInteger);
  r.add("QLinearConv", 10, 18, importQLinearConv);
  r.add("QuantizeLinear", 10, 18, importQuantizeLinear);
  r.add("DequantizeLinear", 10, 18, importDequantizeLinear);
  r.add("DynamicQuantizeLinear", 11, 18, importDynamicQuantizeLinear);
}
