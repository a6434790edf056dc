//===- ElementwiseFolds.cpp - folders of nn elementwise ops ---------------===//
//
// Part of Kiln. Two kinds of folds:
//  - algebraic identities that return an operand unchanged (x + 0, x * 1, ...)
//    when the operand already has the result type (no broadcast happens);
//  - constant folding of elementwise ops whose operands are dense constants,
//    limited to splats and to results of at most kMaxFoldedElements elements
//    so that folding never blows up a model's weights.
//
// Floating-point notes: x + 0 folds to x although (-0) + 0 is +0, as every
// deep-learning compiler does; nothing downstream distinguishes the zeros.
// NaN propagates through maximum, minimum, relu and clip, as in numpy and
// PyTorch. +, -, *, / fold in the element type's own precision (APFloat,
// round to nearest even); the other functions compute in double, so they do
// not fold element types wider than 64 bits (f80, f128).
//
//===----------------------------------------------------------------------===//

#include "VerifierSupport.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace kiln::nn;

/// Largest non-splat result that constant folding materializes.
static constexpr int64_t kMaxFoldedElements = 1024;

/// True when every value of `type` converts to double and back exactly, so
/// that folding can compute in double.
static bool foldsThroughDouble(Type type) {
  // (Integer arithmetic is not folded here; the frontends fold shapes.)
  auto floatType = dyn_cast<FloatType>(type);
  return floatType && floatType.getWidth() <= 64;
}

/// NaN when either operand is NaN, else `fn(a, b)`.
static double propagateNaN(double a, double b, double (*fn)(double, double)) {
  return std::isnan(a) || std::isnan(b) ? NAN : fn(a, b);
}

/// Rounds `value` to the float semantics of `type`.
static APFloat toFloat(double value, FloatType type) {
  APFloat result(value);
  bool losesInfo;
  result.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                 &losesInfo);
  return result;
}

/// Folds `fn` over a float constant, or returns null when `attr` is not a
/// foldable constant.
static Attribute foldUnary(Attribute attr,
                           llvm::function_ref<double(double)> fn) {
  auto elements = dyn_cast_if_present<DenseFPElementsAttr>(attr);
  if (!elements)
    return {};
  auto type = cast<ShapedType>(elements.getType());
  auto element = cast<FloatType>(type.getElementType());
  if (!foldsThroughDouble(element))
    return {};
  if (elements.isSplat())
    return DenseElementsAttr::get(
        type, toFloat(fn(elements.getSplatValue<APFloat>().convertToDouble()),
                      element));
  if (type.getNumElements() > kMaxFoldedElements)
    return {};
  SmallVector<APFloat> values;
  for (const APFloat &value : elements.getValues<APFloat>())
    values.push_back(toFloat(fn(value.convertToDouble()), element));
  return DenseElementsAttr::get(type, values);
}

/// An elementwise binary function on APFloats of one semantics.
using APFloatFn = llvm::function_ref<APFloat(const APFloat &, const APFloat &)>;

/// Folds `fn` over two float constants with numpy broadcasting into
/// `resultType`, or returns null.
static Attribute foldBinaryExact(Attribute lhsAttr, Attribute rhsAttr,
                                 Type resultType, APFloatFn fn) {
  auto lhs = dyn_cast_if_present<DenseFPElementsAttr>(lhsAttr);
  auto rhs = dyn_cast_if_present<DenseFPElementsAttr>(rhsAttr);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!lhs || !rhs || !type || !type.hasStaticShape())
    return {};
  if (lhs.isSplat() && rhs.isSplat())
    return DenseElementsAttr::get(
        type, fn(lhs.getSplatValue<APFloat>(), rhs.getSplatValue<APFloat>()));
  if (type.getNumElements() > kMaxFoldedElements)
    return {};

  // Walk the result in row-major order and map each index to the operands,
  // which are aligned at the trailing dimension; size-1 dimensions repeat.
  auto read = [&](DenseFPElementsAttr attr, ArrayRef<int64_t> index) {
    ArrayRef<int64_t> shape = cast<ShapedType>(attr.getType()).getShape();
    int64_t offset = 0;
    size_t lead = index.size() - shape.size();
    for (size_t d = 0; d < shape.size(); ++d)
      offset = offset * shape[d] + (shape[d] == 1 ? 0 : index[lead + d]);
    return attr.getValues<APFloat>()[offset];
  };
  ArrayRef<int64_t> shape = type.getShape();
  SmallVector<int64_t> index(shape.size(), 0);
  SmallVector<APFloat> values;
  for (int64_t n = 0, e = type.getNumElements(); n < e; ++n) {
    values.push_back(fn(read(lhs, index), read(rhs, index)));
    for (int64_t d = shape.size() - 1; d >= 0 && ++index[d] == shape[d]; --d)
      index[d] = 0;
  }
  return DenseElementsAttr::get(type, values);
}

/// Like foldBinaryExact for a function computed in double; element types
/// wider than double are not folded.
static Attribute foldBinary(Attribute lhsAttr, Attribute rhsAttr,
                            Type resultType,
                            llvm::function_ref<double(double, double)> fn) {
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!type || !foldsThroughDouble(type.getElementType()))
    return {};
  auto element = cast<FloatType>(type.getElementType());
  return foldBinaryExact(
      lhsAttr, rhsAttr, resultType, [&](const APFloat &a, const APFloat &b) {
        return toFloat(fn(a.convertToDouble(), b.convertToDouble()), element);
      });
}

/// True when `attr` is a float constant whose every element equals `value`
/// (compared in the element type's own precision).
static bool isSplatOf(Attribute attr, double value) {
  auto elements = dyn_cast_if_present<DenseFPElementsAttr>(attr);
  if (!elements || !elements.isSplat())
    return false;
  APFloat splat = elements.getSplatValue<APFloat>();
  APFloat expected(value);
  bool losesInfo;
  expected.convert(splat.getSemantics(), APFloat::rmNearestTiesToEven,
                   &losesInfo);
  return splat.compare(expected) == APFloat::cmpEqual;
}

/// `lhs` when `rhsAttr` is the right identity `identity` and no broadcast
/// changes lhs's type.
static OpFoldResult foldRightIdentity(Value lhs, Attribute rhsAttr,
                                      double identity, Type resultType) {
  if (lhs.getType() == resultType && isSplatOf(rhsAttr, identity))
    return lhs;
  return {};
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same =
          foldRightIdentity(getLhs(), adaptor.getRhs(), 0.0, getType()))
    return same;
  return foldBinaryExact(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APFloat &a, const APFloat &b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same =
          foldRightIdentity(getLhs(), adaptor.getRhs(), 0.0, getType()))
    return same;
  return foldBinaryExact(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APFloat &a, const APFloat &b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same =
          foldRightIdentity(getLhs(), adaptor.getRhs(), 1.0, getType()))
    return same;
  return foldBinaryExact(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APFloat &a, const APFloat &b) { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same =
          foldRightIdentity(getLhs(), adaptor.getRhs(), 1.0, getType()))
    return same;
  return foldBinaryExact(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APFloat &a, const APFloat &b) { return a / b; });
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult same =
          foldRightIdentity(getLhs(), adaptor.getRhs(), 1.0, getType()))
    return same;
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(),
                    [](double a, double b) { return std::pow(a, b); });
}

OpFoldResult MaximumOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs() && getLhs().getType() == getType())
    return getLhs();
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](double a, double b) { return propagateNaN(a, b, std::fmax); });
}

OpFoldResult MinimumOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs() && getLhs().getType() == getType())
    return getLhs();
  return foldBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](double a, double b) { return propagateNaN(a, b, std::fmin); });
}

OpFoldResult ExpOp::fold(FoldAdaptor adaptor) {
  return foldUnary(adaptor.getInput(), [](double x) { return std::exp(x); });
}

OpFoldResult LogOp::fold(FoldAdaptor adaptor) {
  return foldUnary(adaptor.getInput(), [](double x) { return std::log(x); });
}

OpFoldResult SqrtOp::fold(FoldAdaptor adaptor) {
  return foldUnary(adaptor.getInput(), [](double x) { return std::sqrt(x); });
}

OpFoldResult RsqrtOp::fold(FoldAdaptor adaptor) {
  return foldUnary(adaptor.getInput(),
                   [](double x) { return 1.0 / std::sqrt(x); });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  // neg(neg(x)) is x.
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return foldUnary(adaptor.getInput(), [](double x) { return -x; });
}

OpFoldResult ErfOp::fold(FoldAdaptor adaptor) {
  return foldUnary(adaptor.getInput(), [](double x) { return std::erf(x); });
}

OpFoldResult FloorOp::fold(FoldAdaptor adaptor) {
  return foldUnary(adaptor.getInput(), [](double x) { return std::floor(x); });
}

OpFoldResult CeilOp::fold(FoldAdaptor adaptor) {
  return foldUnary(adaptor.getInput(), [](double x) { return std::ceil(x); });
}

OpFoldResult RoundOp::fold(FoldAdaptor adaptor) {
  // nearbyint rounds halves to even in the default rounding mode.
  return foldUnary(adaptor.getInput(),
                   [](double x) { return std::nearbyint(x); });
}

#define KILN_NN_MATH_FOLD(Op, fn)                                              \
  OpFoldResult Op::fold(FoldAdaptor adaptor) {                                 \
    return foldUnary(adaptor.getInput(), [](double x) { return fn(x); });      \
  }
KILN_NN_MATH_FOLD(SinOp, std::sin)
KILN_NN_MATH_FOLD(CosOp, std::cos)
KILN_NN_MATH_FOLD(TanOp, std::tan)
KILN_NN_MATH_FOLD(AsinOp, std::asin)
KILN_NN_MATH_FOLD(AcosOp, std::acos)
KILN_NN_MATH_FOLD(AtanOp, std::atan)
KILN_NN_MATH_FOLD(SinhOp, std::sinh)
KILN_NN_MATH_FOLD(CoshOp, std::cosh)
KILN_NN_MATH_FOLD(AsinhOp, std::asinh)
KILN_NN_MATH_FOLD(AcoshOp, std::acosh)
KILN_NN_MATH_FOLD(AtanhOp, std::atanh)
#undef KILN_NN_MATH_FOLD

OpFoldResult RemOp::fold(FoldAdaptor adaptor) {
  // (Floats only, in double: fmod is exact, so rounding back is too.)
  return foldBinary(adaptor.getLhs(), adaptor.getRhs(), getType(),
                    [](double a, double b) { return std::fmod(a, b); });
}

OpFoldResult ShiftLeftOp::fold(FoldAdaptor adaptor) {
  return foldRightIdentity(getLhs(), adaptor.getRhs(), 0.0, getType());
}

OpFoldResult ShiftRightOp::fold(FoldAdaptor adaptor) {
  return foldRightIdentity(getLhs(), adaptor.getRhs(), 0.0, getType());
}

OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  // abs is idempotent.
  if (auto inner = getInput().getDefiningOp<AbsOp>())
    return inner.getResult();
  return foldUnary(adaptor.getInput(), [](double x) { return std::fabs(x); });
}

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  // relu is idempotent.
  if (auto inner = getInput().getDefiningOp<ReluOp>())
    return inner.getResult();
  return foldUnary(adaptor.getInput(),
                   [](double x) { return std::isnan(x) || x > 0 ? x : 0.0; });
}

OpFoldResult ClipOp::fold(FoldAdaptor adaptor) {
  if (!getMin() && !getMax())
    return getInput();
  double lo = getMin() ? getMin()->convertToDouble() : -INFINITY;
  double hi = getMax() ? getMax()->convertToDouble() : INFINITY;
  return foldUnary(adaptor.getInput(), [&](double x) {
    return std::isnan(x) ? x : std::fmin(std::fmax(x, lo), hi);
  });
}

OpFoldResult DropoutOp::fold(FoldAdaptor) {
  // Nothing is dropped, and the survivors' scale 1 / (1 - 0) is 1.
  if (getRatio().isZero())
    return getInput();
  return {};
}
