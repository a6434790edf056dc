//===- QuantizationOps.cpp - ONNX linear quantization ---------------------===//
//
// Part of Kiln. QuantizeLinear, DequantizeLinear (per tensor or per axis)
// and DynamicQuantizeLinear, computed in float from nn ops: quantizing
// rounds halves to even and saturates to the 8-bit type's range, as ONNX
// specifies.
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

/// saturate(round(x / scale) + zero_point) as `element` (ui8 or i8).
static Value quantize(NodeContext &ctx, Value x, Value scale, Value zeroPoint,
                      Type element) {
  Type f32 = ctx.b.getF32Type();
  Value q = nn::RoundOp::create(
      ctx.b, ctx.loc,
      nn::DivOp::create(ctx.b, ctx.loc, castTo(ctx, x, f32), scale));
  q = nn::AddOp::create(ctx.b, ctx.loc, q, zeroPoint);
  bool isUnsigned = element.isUnsignedInteger();
  q = nn::ClipOp::create(ctx.b, ctx.loc, q,
                         ctx.b.getF64FloatAttr(isUnsigned ? 0 : -128),
                         ctx.b.getF64FloatAttr(isUnsigned ? 255 : 127));
  return castTo(ctx, q, element);
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

void kiln::onnximport::registerQuantizationOps(OpRegistry &r) {
  r.add("QuantizeLinear", 10, 18, importQuantizeLinear);
  r.add("DequantizeLinear", 10, 18, importDequantizeLinear);
  r.add("DynamicQuantizeLinear", 11, 18, importDynamicQuantizeLinear);
}
