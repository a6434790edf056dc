//===- ReducePrecision.cpp - matmul and convolution inputs in fewer bits --===//
//
// Part of Kiln. See kiln-gpu-reduce-precision in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/GPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln {
#define GEN_PASS_DEF_KILNGPUREDUCEPRECISION
#include "kiln/Target/GPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// Whether `op` is a multiply-accumulate (a contraction or a convolution)
/// of f32 tensors into an f32 tensor.
static bool isF32MultiplyAccumulate(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumDpsInputs() != 2)
    return false;
  if (!linalg::isaContractionOpInterface(op) &&
      !linalg::isaConvolutionOpInterface(op))
    return false;
  auto isF32Tensor = [](Value v) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    return type && type.getElementType().isF32();
  };
  if (!llvm::all_of(op.getDpsInputs(), isF32Tensor) ||
      !isF32Tensor(op.getDpsInits().front()))
    return false;
  // Products summed, nothing else (not a pooling window's max).
  bool multiplies = false, adds = false;
  for (Operation &body : op.getBlock()->without_terminator()) {
    if (isa<arith::MulFOp>(body))
      multiplies = true;
    else if (isa<arith::AddFOp>(body))
      adds = true;
    else
      return false;
  }
  return multiplies && adds;
}

/// How the inputs are rounded: to a narrower type (f16, bf16), or (tf32)
/// to the 10-bit mantissa of the tensor cores' tf32, kept in f32.
struct InputRounding {
  FloatType type;
  bool tf32 = false;
};

/// The bits of an f32 rounded to tf32 (to nearest, ties to even): the low
/// 13 mantissa bits cleared. (Infinities stay; NaNs are left to callers.)
static uint32_t tf32Bits(uint32_t bits) {
  return (bits + 0xFFFu + ((bits >> 13) & 1u)) & 0xFFFFE000u;
}

/// `value` rounded as `rounding` says (to nearest, ties to even).
static APFloat rounded(APFloat value, InputRounding rounding) {
  if (rounding.tf32) {
    if (value.isNaN())
      return value;
    auto bits = static_cast<uint32_t>(value.bitcastToAPInt().getZExtValue());
    return APFloat(APFloat::IEEEsingle(), APInt(32, tf32Bits(bits)));
  }
  bool lost = false;
  value.convert(rounding.type.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                &lost);
  return value;
}

/// The body of the elementwise op that rounds `x` (an f32) to tf32, as
/// tf32Bits does it, NaNs kept.
static Value roundToTF32(OpBuilder &b, Location loc, Value x) {
  Type i32 = b.getI32Type();
  auto constant = [&](uint32_t v) {
    return arith::ConstantOp::create(
        b, loc, b.getIntegerAttr(i32, static_cast<int32_t>(v)));
  };
  Value bits = arith::BitcastOp::create(b, loc, i32, x);
  Value lowest = arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, bits, constant(13)), constant(1));
  Value sum = arith::AddIOp::create(
      b, loc, arith::AddIOp::create(b, loc, bits, constant(0xFFF)), lowest);
  Value cleared = arith::AndIOp::create(b, loc, sum, constant(0xFFFFE000u));
  Value result = arith::BitcastOp::create(b, loc, b.getF32Type(), cleared);
  Value isNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
  return arith::SelectOp::create(b, loc, isNaN, x, result);
}

/// `input` (an f32 tensor) rounded: a constant folded now, anything else
/// rounded by an elementwise op.
static Value roundInput(OpBuilder &b, Location loc, Value input,
                        InputRounding rounding) {
  auto type = cast<RankedTensorType>(input.getType());
  auto roundedType = type.clone(rounding.type);
  DenseElementsAttr values;
  if (matchPattern(input, m_Constant(&values)))
    return arith::ConstantOp::create(
        b, loc, values.mapValues(rounding.type, [&](const APFloat &v) {
          return rounded(v, rounding).bitcastToAPInt();
        }));
  if (auto constant = input.getDefiningOp<arith::ConstantOp>())
    if (auto resource =
            dyn_cast<DenseF32ResourceElementsAttr>(constant.getValue()))
      if (std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef()) {
        SmallVector<APFloat> converted;
        converted.reserve(data->size());
        for (float v : *data)
          converted.push_back(rounded(APFloat(v), rounding));
        return arith::ConstantOp::create(
            b, loc, DenseElementsAttr::get(roundedType, converted));
      }
  Value empty = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, input), rounding.type);
  AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
  SmallVector<utils::IteratorType> parallel(type.getRank(),
                                            utils::IteratorType::parallel);
  auto round = linalg::GenericOp::create(
      b, loc, roundedType, ValueRange{input}, ValueRange{empty},
      ArrayRef<AffineMap>{identity, identity}, parallel,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = rounding.tf32
                           ? roundToTF32(nested, nestedLoc, args[0])
                           : arith::TruncFOp::create(nested, nestedLoc,
                                                     rounding.type, args[0])
                                 .getResult();
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return round.getResult(0);
}

namespace {
struct KilnGPUReducePrecisionPass
    : public kiln::impl::KilnGPUReducePrecisionBase<
          KilnGPUReducePrecisionPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    InputRounding rounding;
    if (precision == "fp16")
      rounding.type = Float16Type::get(context);
    else if (precision == "bf16")
      rounding.type = BFloat16Type::get(context);
    else if (precision == "tf32")
      rounding = {Float32Type::get(context), /*tf32=*/true};
    else if (precision == "fp32")
      return;
    else {
      getOperation().emitError()
          << "kiln-gpu-reduce-precision: precision must be fp32, tf32, "
             "fp16 or bf16, got '"
          << precision << "'";
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> candidates;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isF32MultiplyAccumulate(op))
        candidates.push_back(op);
    });
    IRRewriter rewriter(context);
    for (linalg::LinalgOp op : candidates) {
      rewriter.setInsertionPoint(op);
      Location loc = op.getLoc();
      SmallVector<Value> inputs;
      for (Value input : op.getDpsInputs())
        inputs.push_back(roundInput(rewriter, loc, input, rounding));
      if (rounding.tf32) {
        // Still f32: the same op reads the rounded inputs.
        rewriter.modifyOpInPlace(op, [&] {
          for (auto [operand, input] :
               llvm::zip(op.getDpsInputOperands(), inputs))
            operand->set(input);
        });
        continue;
      }
      // The same op on the narrow inputs, which its body widens again: the
      // products and their sum stay f32.
      Block *body = op.getBlock();
      auto wide = linalg::GenericOp::create(
          rewriter, loc, op->getResultTypes(), inputs, op.getDpsInits(),
          op.getIndexingMapsArray(), op.getIteratorTypesArray(),
          [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
            IRMapping mapping;
            for (auto [i, arg] : llvm::enumerate(args)) {
              Value value = arg;
              if (i < inputs.size())
                value = arith::ExtFOp::create(nested, nestedLoc,
                                              rewriter.getF32Type(), arg);
              mapping.map(body->getArgument(i), value);
            }
            for (Operation &inner : body->without_terminator())
              nested.clone(inner, mapping);
            SmallVector<Value> yielded;
            for (Value v : body->getTerminator()->getOperands())
              yielded.push_back(mapping.lookupOrDefault(v));
            linalg::YieldOp::create(nested, nestedLoc, yielded);
          });
      wide->setDiscardableAttrs(op->getDiscardableAttrDictionary());
      rewriter.replaceOp(op, wide->getResults());
      // A named op again where one matches (a matmul: the tensor cores'
      // vectorization takes named contractions).
      rewriter.setInsertionPoint(wide);
      (void)linalg::specializeGenericOp(rewriter, wide);
    }
  }
};
} // namespace
