//===- Elementwise.cpp - nn binary and unary math to linalg.generic -------===//
//
// Part of Kiln. Binary ops (arithmetic and comparisons) and selects become
// one linalg.generic whose indexing maps implement numpy broadcasting;
// unary math ops and casts one generic each. Unsigned integers are signless
// in the generics; the nn op's types choose the unsigned arith ops. Producer
// and consumer generics are fused later by the CPU pipeline.
//
//===----------------------------------------------------------------------===//

#include "LoweringSupport.h"
#include "PopulatePatterns.h"
#include "kiln/Dialect/NN/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace kiln::nn;
using namespace kiln::nn_to_linalg;

namespace {
/// Integer division or remainder (IntOp) that cannot trap: a zero divisor
/// gives 0, and for signed ones INT_MIN / -1 divides by 1 instead (x86
/// raises SIGFPE on both; ONNX leaves them undefined, and a model's data
/// must not crash the program). That gives INT_MIN / -1 = INT_MIN (the
/// wrapped value) and INT_MIN % -1 = 0 (the true one).
template <typename IntOp, bool Signed> struct SafeIntDivision {
  static Value create(OpBuilder &b, Location loc, Value x, Value y) {
    auto type = cast<IntegerType>(x.getType());
    auto constant = [&](const APInt &v) -> Value {
      return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
    };
    auto equal = [&](Value v, const APInt &c) -> Value {
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v,
                                   constant(c));
    };
    unsigned bits = type.getWidth();
    Value zero = constant(APInt(bits, 0));
    Value byZero = equal(y, APInt(bits, 0));
    Value unsafe = byZero;
    if (Signed)
      unsafe = arith::OrIOp::create(
          b, loc, unsafe,
          arith::AndIOp::create(b, loc,
                                equal(x, APInt::getSignedMinValue(bits)),
                                equal(y, APInt::getAllOnes(bits))));
    Value divisor =
        arith::SelectOp::create(b, loc, unsafe, constant(APInt(bits, 1)), y);
    Value result = IntOp::create(b, loc, x, divisor);
    return arith::SelectOp::create(b, loc, byZero, zero, result);
  }
};
using SafeDivSI = SafeIntDivision<arith::DivSIOp, true>;
using SafeDivUI = SafeIntDivision<arith::DivUIOp, false>;
using SafeRemSI = SafeIntDivision<arith::RemSIOp, true>;
using SafeRemUI = SafeIntDivision<arith::RemUIOp, false>;

/// A bit shift (ShiftOp) whose amount, read unsigned, may be the bit width
/// or more (poison for arith): those give 0, or for an arithmetic right
/// shift a shift by width - 1 (all sign bits).
template <typename ShiftOp> struct SafeShift {
  static Value create(OpBuilder &b, Location loc, Value x, Value y) {
    auto type = cast<IntegerType>(x.getType());
    auto constant = [&](int64_t v) -> Value {
      return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
    };
    unsigned bits = type.getWidth();
    Value tooFar = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, y,
                                         constant(bits));
    bool arithmetic = std::is_same_v<ShiftOp, arith::ShRSIOp>;
    Value amount =
        arith::SelectOp::create(b, loc, tooFar, constant(bits - 1), y);
    Value shifted = ShiftOp::create(b, loc, x, amount);
    if (arithmetic)
      return shifted;
    return arith::SelectOp::create(b, loc, tooFar, constant(0), shifted);
  }
};

/// nn binary op -> linalg.generic computing ScalarOp (IntOp for signless
/// integer operands, UIntOp for unsigned ones) on broadcast operands.
template <typename NNOp, typename ScalarOp, typename IntOp = ScalarOp,
          typename UIntOp = IntOp>
struct BinaryLowering : OpConversionPattern<NNOp> {
  using OpConversionPattern<NNOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(NNOp op, typename NNOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(signlessType(op.getType()));
    bool isUnsigned = isUnsignedElement(op.getLhs().getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, {adaptor.getLhs(), adaptor.getRhs()},
        [isUnsigned](OpBuilder &b, Location loc, ValueRange args) -> Value {
          if (!isa<IntegerType>(args[0].getType()))
            return ScalarOp::create(b, loc, args[0], args[1]);
          if (isUnsigned)
            return UIntOp::create(b, loc, args[0], args[1]);
          return IntOp::create(b, loc, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// nn unary op -> linalg.generic computing ScalarOp.
template <typename NNOp, typename ScalarOp>
struct UnaryLowering : OpConversionPattern<NNOp> {
  using OpConversionPattern<NNOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(NNOp op, typename NNOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, {adaptor.getInput()},
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return ScalarOp::create(b, loc, args[0]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// nn comparison -> linalg.generic of arith.cmpf (ordered) / arith.cmpi
/// (signed, or unsigned for unsigned operands) with the op's predicate, on
/// broadcast operands.
template <typename NNOp, arith::CmpFPredicate FloatPredicate,
          arith::CmpIPredicate IntPredicate,
          arith::CmpIPredicate UIntPredicate = IntPredicate>
struct CompareLowering : OpConversionPattern<NNOp> {
  using OpConversionPattern<NNOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(NNOp op, typename NNOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    arith::CmpIPredicate predicate =
        isUnsignedElement(op.getLhs().getType()) ? UIntPredicate : IntPredicate;
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, {adaptor.getLhs(), adaptor.getRhs()},
        [predicate](OpBuilder &b, Location loc, ValueRange args) -> Value {
          if (isa<FloatType>(args[0].getType()))
            return arith::CmpFOp::create(b, loc, FloatPredicate, args[0],
                                         args[1]);
          return arith::CmpIOp::create(b, loc, predicate, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SelectLowering : OpConversionPattern<SelectOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SelectOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(signlessType(op.getType()));
    Value result = buildElementwise(
        rewriter, op.getLoc(), type,
        {adaptor.getCondition(), adaptor.getOnTrue(), adaptor.getOnFalse()},
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// One element converted with ONNX Cast's rules; `fromUnsigned` and
/// `toUnsigned` say how the (signless) integers are meant.
static Value castScalar(OpBuilder &b, Location loc, Value x, Type to,
                        bool fromUnsigned, bool toUnsigned) {
  Type from = x.getType();
  // (Integers of one width: the same bits, as ONNX's wraparound.)
  if (from == to)
    return x;
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(to);
  if (to.isInteger(1)) {
    // Nonzero is true.
    if (fromFloat)
      return arith::CmpFOp::create(
          b, loc, arith::CmpFPredicate::UNE, x,
          arith::ConstantOp::create(b, loc, b.getFloatAttr(from, 0.0)));
    return arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ne, x,
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(from, 0)));
  }
  if (fromFloat && toFloat)
    return from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()
               ? Value(arith::ExtFOp::create(b, loc, to, x))
               : Value(arith::TruncFOp::create(b, loc, to, x));
  if (fromFloat)
    return toUnsigned ? Value(arith::FPToUIOp::create(b, loc, to, x))
                      : Value(arith::FPToSIOp::create(b, loc, to, x));
  // Bools are 0 and 1, unsigned integers zero-extend, the others are signed.
  bool zeroExtend = from.isInteger(1) || fromUnsigned;
  if (toFloat)
    return zeroExtend ? Value(arith::UIToFPOp::create(b, loc, to, x))
                      : Value(arith::SIToFPOp::create(b, loc, to, x));
  unsigned fromBits = from.getIntOrFloatBitWidth(),
           toBits = to.getIntOrFloatBitWidth();
  if (fromBits < toBits)
    return zeroExtend ? Value(arith::ExtUIOp::create(b, loc, to, x))
                      : Value(arith::ExtSIOp::create(b, loc, to, x));
  return arith::TruncIOp::create(b, loc, to, x);
}

struct CastLowering : OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(signlessType(op.getType()));
    Type to = type.getElementType();
    bool fromUnsigned = isUnsignedElement(op.getInput().getType());
    bool toUnsigned = isUnsignedElement(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, {adaptor.getInput()},
        [=](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return castScalar(b, loc, args[0], to, fromUnsigned, toUnsigned);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::nn_to_linalg::populateElementwisePatterns(
    RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<
      BinaryLowering<AddOp, arith::AddFOp, arith::AddIOp>,
      BinaryLowering<SubOp, arith::SubFOp, arith::SubIOp>,
      BinaryLowering<MulOp, arith::MulFOp, arith::MulIOp>,
      BinaryLowering<DivOp, arith::DivFOp, SafeDivSI, SafeDivUI>,
      BinaryLowering<PowOp, math::PowFOp>,
      BinaryLowering<RemOp, arith::RemFOp, SafeRemSI, SafeRemUI>,
      // (Integer-only ops: the float slot is never used.)
      BinaryLowering<ShiftLeftOp, SafeShift<arith::ShLIOp>,
                     SafeShift<arith::ShLIOp>>,
      BinaryLowering<ShiftRightOp, SafeShift<arith::ShRSIOp>,
                     SafeShift<arith::ShRSIOp>, SafeShift<arith::ShRUIOp>>,
      // maximumf/minimumf propagate NaN, as nn.maximum/minimum do.
      BinaryLowering<MaximumOp, arith::MaximumFOp, arith::MaxSIOp,
                     arith::MaxUIOp>,
      BinaryLowering<MinimumOp, arith::MinimumFOp, arith::MinSIOp,
                     arith::MinUIOp>,
      UnaryLowering<ExpOp, math::ExpOp>, UnaryLowering<LogOp, math::LogOp>,
      UnaryLowering<SqrtOp, math::SqrtOp>,
      UnaryLowering<RsqrtOp, math::RsqrtOp>,
      UnaryLowering<NegOp, arith::NegFOp>, UnaryLowering<AbsOp, math::AbsFOp>,
      UnaryLowering<ErfOp, math::ErfOp>, UnaryLowering<FloorOp, math::FloorOp>,
      UnaryLowering<CeilOp, math::CeilOp>,
      UnaryLowering<RoundOp, math::RoundEvenOp>,
      UnaryLowering<SinOp, math::SinOp>, UnaryLowering<CosOp, math::CosOp>,
      UnaryLowering<TanOp, math::TanOp>, UnaryLowering<AsinOp, math::AsinOp>,
      UnaryLowering<AcosOp, math::AcosOp>, UnaryLowering<AtanOp, math::AtanOp>,
      UnaryLowering<SinhOp, math::SinhOp>, UnaryLowering<CoshOp, math::CoshOp>,
      UnaryLowering<AsinhOp, math::AsinhOp>,
      UnaryLowering<AcoshOp, math::AcoshOp>,
      UnaryLowering<AtanhOp, math::AtanhOp>>(context);
  using FP = arith::CmpFPredicate;
  using IP = arith::CmpIPredicate;
  patterns.add<CompareLowering<EqualOp, FP::OEQ, IP::eq>,
               CompareLowering<LessOp, FP::OLT, IP::slt, IP::ult>,
               CompareLowering<LessEqualOp, FP::OLE, IP::sle, IP::ule>,
               CompareLowering<GreaterOp, FP::OGT, IP::sgt, IP::ugt>,
               CompareLowering<GreaterEqualOp, FP::OGE, IP::sge, IP::uge>,
               SelectLowering, CastLowering>(context);
}
