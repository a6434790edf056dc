//===- ArithmeticOps.cpp - ONNX elementwise arithmetic --------------------===//
//
// Part of Kiln. Add, Sub, Mul, Div, Pow (numpy broadcasting), Sqrt, Exp,
// Log, Abs, Neg, Reciprocal, Erf, Floor, Ceil, Round, variadic
// Sum/Max/Min/Mean, Mod, Sign, the trigonometric and hyperbolic functions,
// comparisons, Not/And/Or/Xor, IsNaN, IsInf and Where (folded when the operands
// are known integers, as in shape computations). Integer arithmetic on known
// tensors is folded at import: that is how exporters compute Reshape targets.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;

/// numpy broadcasting of known integer tensors: `f(a[i], b[i])` per output
/// element; nullopt when the shapes do not broadcast.
static std::optional<KnownTensor>
broadcastInts(const KnownTensor &a, const KnownTensor &b,
              const std::function<int64_t(int64_t, int64_t)> &f) {
  size_t rank = std::max(a.dims.size(), b.dims.size());
  std::vector<int64_t> da(rank, 1), db(rank, 1), out(rank);
  std::copy(a.dims.begin(), a.dims.end(), da.end() - a.dims.size());
  std::copy(b.dims.begin(), b.dims.end(), db.end() - b.dims.size());
  for (size_t d = 0; d < rank; ++d) {
    if (da[d] != db[d] && da[d] != 1 && db[d] != 1)
      return std::nullopt;
    // (Not the larger: a size of 1 broadcasts to the other's, 0 included.)
    out[d] = da[d] == 1 ? db[d] : da[d];
  }
  int64_t n = 1;
  for (int64_t d : out)
    n *= d;
  std::vector<int64_t> values(n);
  std::vector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t ia = 0, ib = 0;
    for (size_t d = 0; d < rank; ++d) {
      ia = ia * da[d] + (da[d] == 1 ? 0 : index[d]);
      ib = ib * db[d] + (db[d] == 1 ? 0 : index[d]);
    }
    values[i] = f(a.ints[ia], b.ints[ib]);
    for (int64_t d = int64_t(rank) - 1; d >= 0; --d) {
      if (++index[d] < out[d])
        break;
      index[d] = 0;
    }
  }
  KnownTensor result = KnownTensor::ofInts(std::move(values), out);
  return result;
}

/// Folds a binary op on known integer operands; true when it did.
static bool foldInts(NodeContext &ctx,
                     const std::function<int64_t(int64_t, int64_t)> &f,
                     int32_t resultType = onnx::TensorProto::INT64) {
  const KnownTensor *a = ctx.known(0, false), *b = ctx.known(1, false);
  if (!a || !b || !a->isInteger() || !b->isInteger() ||
      a->ints.size() != size_t(a->numElements()) ||
      b->ints.size() != size_t(b->numElements()) || a->numElements() > 4096 ||
      b->numElements() > 4096)
    return false;
  std::optional<KnownTensor> result = broadcastInts(*a, *b, f);
  if (!result)
    return false;
  // Keep the operands' integer type (bool for comparisons), so that the
  // result materializes with the type ONNX gives it.
  result->dataType =
      resultType != onnx::TensorProto::INT64 ? resultType : a->dataType;
  result->encode();
  ctx.setKnown(0, std::move(*result));
  return true;
}

/// Op on inputs 0 and 1, which must have the same element type (broadcast
/// as the opset says).
template <typename Op> static LogicalResult sameTypeBinary(NodeContext &ctx) {
  Value a = ctx.input(0);
  if (!a)
    return failure();
  Value b = ctx.legacyBroadcastOperand(a);
  if (!b)
    return failure();
  if (ctx.elementOf(a) != ctx.elementOf(b))
    return ctx.error() << "operands have different element types ("
                       << ctx.elementOf(a) << " and " << ctx.elementOf(b)
                       << ")";
  ctx.setOutput(0, Op::create(ctx.b, ctx.loc, a, b));
  return success();
}

template <typename Op>
static OpImporter binary(std::function<int64_t(int64_t, int64_t)> fold) {
  return [fold](NodeContext &ctx) -> LogicalResult {
    if (fold && foldInts(ctx, fold))
      return success();
    return sameTypeBinary<Op>(ctx);
  };
}

/// A one-input op folded on known integers (shape arithmetic such as
/// Neg(axis) in expanded functions), else one nn op.
template <typename Op>
static OpImporter integerFoldingUnary(int64_t (*fn)(int64_t)) {
  return [fn](NodeContext &ctx) -> LogicalResult {
    const KnownTensor *t = ctx.known(0, false);
    if (t && t->isInteger() && int64_t(t->ints.size()) == t->numElements()) {
      KnownTensor r = *t;
      r.name.clear();
      for (int64_t &v : r.ints)
        v = fn(v);
      r.encode();
      ctx.setKnown(0, std::move(r));
      return success();
    }
    return unaryImporter<Op>()(ctx);
  };
}

static LogicalResult importReciprocal(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  ctx.setOutput(0, nn::DivOp::create(ctx.b, ctx.loc,
                                     ctx.scalar(ctx.elementOf(x), 1.0), x));
  return success();
}

/// Sum, Max, Min, Mean of any number of inputs, pairwise.
template <typename Op> static OpImporter variadic(bool mean = false) {
  return [mean](NodeContext &ctx) -> LogicalResult {
    if (ctx.numInputs() == 0)
      return ctx.error() << "needs at least one input";
    Value acc = ctx.input(0);
    if (!acc)
      return failure();
    for (int i = 1; i < ctx.numInputs(); ++i) {
      Value next = ctx.input(i);
      if (!next)
        return failure();
      acc = Op::create(ctx.b, ctx.loc, acc, next);
    }
    if (mean && ctx.numInputs() > 1)
      acc = nn::DivOp::create(ctx.b, ctx.loc, acc,
                              ctx.scalar(ctx.elementOf(acc), ctx.numInputs()));
    ctx.setOutput(0, acc);
    return success();
  };
}

/// Comparisons: folded on known integers (shape computations), else the nn
/// comparison (an i1 result, as ONNX's bool).
template <typename Op>
static OpImporter comparison(std::function<int64_t(int64_t, int64_t)> f) {
  return [f](NodeContext &ctx) -> LogicalResult {
    if (foldInts(ctx, f, onnx::TensorProto::BOOL))
      return success();
    return sameTypeBinary<Op>(ctx);
  };
}

/// Not(x) = (x == false).
static LogicalResult importNot(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  ctx.setOutput(0, ctx.logicalNot(x));
  return success();
}

/// Where(cond, x, y): folded when all three are known integers, else
/// nn.select.
static LogicalResult importWhere(NodeContext &ctx) {
  const KnownTensor *c = ctx.known(0, false), *x = ctx.known(1, false),
                    *y = ctx.known(2, false);
  if (c && x && y && x->isInteger() && y->isInteger() && c->dims == x->dims &&
      x->dims == y->dims && c->ints.size() == x->ints.size() &&
      x->ints.size() == y->ints.size()) {
    std::vector<int64_t> values(x->ints.size());
    for (size_t i = 0; i < values.size(); ++i)
      values[i] = c->ints[i] ? x->ints[i] : y->ints[i];
    ctx.setKnown(0, KnownTensor::ofInts(std::move(values), x->dims));
    return success();
  }
  Value cond = ctx.input(0), onTrue = ctx.input(1), onFalse = ctx.input(2);
  if (!cond || !onTrue || !onFalse)
    return failure();
  ctx.setOutput(0, nn::SelectOp::create(ctx.b, ctx.loc, cond, onTrue, onFalse));
  return success();
}

static int64_t divide(int64_t a, int64_t b) { return b == 0 ? 0 : a / b; }

/// Pow allows an exponent of another type (opset 12+): it is converted to
/// the base's.
static LogicalResult importPow(NodeContext &ctx) {
  Value base = ctx.input(0);
  if (!base)
    return failure();
  Value exponent = ctx.legacyBroadcastOperand(base);
  if (!exponent)
    return failure();
  Type element = ctx.elementOf(base);
  auto castTo = [&](Value v, Type to) -> Value {
    if (ctx.elementOf(v) == to)
      return v;
    auto type = cast<RankedTensorType>(v.getType());
    return nn::CastOp::create(ctx.b, ctx.loc, type.clone(to), v);
  };
  if (isa<FloatType>(element)) {
    // x^2 (PyTorch's variance in exported layer norms) is x * x: the same
    // value as pow, without a libm call per element.
    const KnownTensor *known = ctx.known(1, /*required=*/false);
    // (Only an exponent that cannot broadcast the base to a larger rank.)
    std::optional<double> constant =
        known && int64_t(known->dims.size()) <=
                     cast<RankedTensorType>(base.getType()).getRank()
            ? known->scalar()
            : std::nullopt;
    if (constant == 1.0) {
      ctx.setOutput(0, base);
      return success();
    }
    if (constant == 2.0) {
      ctx.setOutput(0, nn::MulOp::create(ctx.b, ctx.loc, base, base));
      return success();
    }
    ctx.setOutput(
        0, nn::PowOp::create(ctx.b, ctx.loc, base, castTo(exponent, element)));
    return success();
  }
  // An integer base: the power in double precision (exact for integer
  // results below 2^53), converted back toward zero, as numpy's
  // power(x, y).astype(x.dtype).
  Type f64 = ctx.b.getF64Type();
  Value power = nn::PowOp::create(ctx.b, ctx.loc, castTo(base, f64),
                                  castTo(exponent, f64));
  ctx.setOutput(0, castTo(power, element));
  return success();
}

/// Mod: fmod = 1 is C's fmod / % (nn.rem); fmod = 0, Python's %, takes the
/// divisor's sign: a nonzero remainder whose sign differs from the
/// divisor's gets the divisor added.
static LogicalResult importMod(NodeContext &ctx) {
  Value x = ctx.input(0), y = ctx.input(1);
  if (!x || !y)
    return failure();
  if (ctx.elementOf(x) != ctx.elementOf(y))
    return ctx.error() << "operands have different element types";
  Value r = nn::RemOp::create(ctx.b, ctx.loc, x, y);
  Type element = ctx.elementOf(x);
  if (ctx.intAttr("fmod", 0) != 0 || element.isUnsignedInteger()) {
    ctx.setOutput(0, r);
    return success();
  }
  Value zero = ctx.scalar(element, 0);
  Value negativeR = nn::LessOp::create(ctx.b, ctx.loc, r, zero);
  Value negativeY = nn::LessOp::create(ctx.b, ctx.loc, y, zero);
  Value signsDiffer =
      ctx.logicalNot(nn::EqualOp::create(ctx.b, ctx.loc, negativeR, negativeY));
  Value nonzero = ctx.logicalNot(nn::EqualOp::create(ctx.b, ctx.loc, r, zero));
  Value adjust = ctx.logicalAnd(nonzero, signsDiffer);
  ctx.setOutput(0, nn::SelectOp::create(ctx.b, ctx.loc, adjust,
                                        nn::AddOp::create(ctx.b, ctx.loc, r, y),
                                        r));
  return success();
}

/// Sign: 1, -1, or x itself (0, and NaN for floats).
static LogicalResult importSign(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  Type element = ctx.elementOf(x);
  Value zero = ctx.scalar(element, 0);
  Value negative = nn::SelectOp::create(
      ctx.b, ctx.loc, nn::LessOp::create(ctx.b, ctx.loc, x, zero),
      ctx.scalar(element, -1), x);
  ctx.setOutput(
      0, nn::SelectOp::create(ctx.b, ctx.loc,
                              nn::GreaterOp::create(ctx.b, ctx.loc, x, zero),
                              ctx.scalar(element, 1), negative));
  return success();
}

/// Bool logic with numpy broadcasting: And(a, b) = a ? b : false, Or(a, b)
/// = a ? true : b, Xor(a, b) = a != b.
enum class Logic { And, Or, Xor };
template <Logic L> static LogicalResult importLogic(NodeContext &ctx) {
  Value a = ctx.input(0);
  if (!a)
    return failure();
  Value b = ctx.legacyBroadcastOperand(a);
  if (!b)
    return failure();
  if (!ctx.elementOf(a).isInteger(1) || !ctx.elementOf(b).isInteger(1))
    return ctx.error() << "operands must be bool tensors";
  ctx.setOutput(0, L == Logic::And  ? ctx.logicalAnd(a, b)
                   : L == Logic::Or ? ctx.logicalOr(a, b)
                                    : ctx.logicalNot(nn::EqualOp::create(
                                          ctx.b, ctx.loc, a, b)));
  return success();
}

/// IsNaN(x) = x != x.
static LogicalResult importIsNaN(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  ctx.setOutput(0, ctx.logicalNot(nn::EqualOp::create(ctx.b, ctx.loc, x, x)));
  return success();
}

/// IsInf(x) = x == +inf (detect_positive) or x == -inf (detect_negative).
static LogicalResult importIsInf(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  Type element = ctx.elementOf(x);
  if (!isa<FloatType>(element))
    return ctx.error() << "the input must be floating point";
  bool positive = ctx.intAttr("detect_positive", 1) != 0;
  bool negative = ctx.intAttr("detect_negative", 1) != 0;
  auto equalTo = [&](double v) -> Value {
    return nn::EqualOp::create(ctx.b, ctx.loc, x, ctx.scalar(element, v));
  };
  Value isPositive = positive ? equalTo(INFINITY) : Value();
  Value isNegative = negative ? equalTo(-INFINITY) : Value();
  Value y;
  if (isPositive && isNegative)
    y = ctx.logicalOr(isPositive, isNegative);
  else if (isPositive || isNegative)
    y = isPositive ? isPositive : isNegative;
  else // nothing to detect: all false
    y = nn::ConstantOp::create(
        ctx.b, ctx.loc,
        DenseElementsAttr::get(
            cast<RankedTensorType>(x.getType()).clone(ctx.b.getI1Type()),
            false));
  ctx.setOutput(0, y);
  return success();
}

/// BitShift (unsigned integers): direction LEFT or RIGHT.
static LogicalResult importBitShift(NodeContext &ctx) {
  std::string direction = ctx.stringAttr("direction", "");
  if (direction == "LEFT")
    return sameTypeBinary<nn::ShiftLeftOp>(ctx);
  if (direction == "RIGHT")
    return sameTypeBinary<nn::ShiftRightOp>(ctx);
  return ctx.error() << "direction '" << direction
                     << "' is not supported (supported: LEFT, RIGHT)";
}

void kiln::onnximport::registerArithmeticOps(OpRegistry &r) {
  // Opsets 1-5 differ from 6 only in `consumed_inputs`, a hint for in-place
  // updates that Kiln ignores; 6 from 7 in the broadcasting rules
  // (NodeContext::legacyBroadcastOperand).
  r.add("Add", 1, 18,
        binary<nn::AddOp>([](int64_t a, int64_t b) { return a + b; }));
  r.add("Sub", 1, 18,
        binary<nn::SubOp>([](int64_t a, int64_t b) { return a - b; }));
  r.add("Mul", 1, 18,
        binary<nn::MulOp>([](int64_t a, int64_t b) { return a * b; }));
  r.add("Div", 1, 18, binary<nn::DivOp>(divide));
  r.add("Pow", 1, 18, importPow);
  r.add("Sqrt", 1, 18, unaryImporter<nn::SqrtOp>());
  r.add("Exp", 1, 18, unaryImporter<nn::ExpOp>());
  r.add("Log", 1, 18, unaryImporter<nn::LogOp>());
  r.add("Abs", 1, 18, integerFoldingUnary<nn::AbsOp>([](int64_t v) {
          return v < 0 ? -v : v;
        }));
  r.add("Neg", 1, 18,
        integerFoldingUnary<nn::NegOp>([](int64_t v) { return -v; }));
  r.add("Reciprocal", 1, 18, importReciprocal);
  r.add("Erf", 9, 18, unaryImporter<nn::ErfOp>());
  r.add("Floor", 1, 18, unaryImporter<nn::FloorOp>());
  r.add("Ceil", 1, 18, unaryImporter<nn::CeilOp>());
  r.add("Round", 11, 18, unaryImporter<nn::RoundOp>());
  // Before opset 8 the inputs of Sum, Mean, Max and Min have one shape, a
  // case of the later broadcasting.
  r.add("Sum", 1, 18, variadic<nn::AddOp>());
  r.add("Mean", 1, 18, variadic<nn::AddOp>(/*mean=*/true));
  r.add("Max", 1, 18, variadic<nn::MaximumOp>());
  r.add("Min", 1, 18, variadic<nn::MinimumOp>());
  r.add("Equal", 1, 18,
        comparison<nn::EqualOp>([](int64_t a, int64_t b) { return a == b; }));
  r.add("Less", 1, 18,
        comparison<nn::LessOp>([](int64_t a, int64_t b) { return a < b; }));
  r.add(
      "LessOrEqual", 12, 18,
      comparison<nn::LessEqualOp>([](int64_t a, int64_t b) { return a <= b; }));
  r.add("Greater", 1, 18,
        comparison<nn::GreaterOp>([](int64_t a, int64_t b) { return a > b; }));
  r.add("GreaterOrEqual", 12, 18,
        comparison<nn::GreaterEqualOp>(
            [](int64_t a, int64_t b) { return a >= b; }));
  r.add("Not", 1, 18, importNot);
  r.add("And", 1, 18, importLogic<Logic::And>);
  r.add("Or", 1, 18, importLogic<Logic::Or>);
  r.add("Xor", 1, 18, importLogic<Logic::Xor>);
  r.add("IsNaN", 9, 18, importIsNaN);
  r.add("IsInf", 10, 18, importIsInf);
  r.add("Sign", 9, 18, importSign);
  r.add("Mod", 10, 18, importMod);
  r.add("BitShift", 11, 18, importBitShift);
  r.add("Sin", 7, 18, unaryImporter<nn::SinOp>());
  r.add("Cos", 7, 18, unaryImporter<nn::CosOp>());
  r.add("Tan", 7, 18, unaryImporter<nn::TanOp>());
  r.add("Asin", 7, 18, unaryImporter<nn::AsinOp>());
  r.add("Acos", 7, 18, unaryImporter<nn::AcosOp>());
  r.add("Atan", 7, 18, unaryImporter<nn::AtanOp>());
  r.add("Sinh", 9, 18, unaryImporter<nn::SinhOp>());
  r.add("Cosh", 9, 18, unaryImporter<nn::CoshOp>());
  r.add("Asinh", 9, 18, unaryImporter<nn::AsinhOp>());
  r.add("Acosh", 9, 18, unaryImporter<nn::AcoshOp>());
  r.add("Atanh", 9, 18, unaryImporter<nn::AtanhOp>());
  r.add("Where", 9, 18, importWhere);
}
