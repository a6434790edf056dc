//===- ReducePrecision.cpp - matmul and convolution inputs in 16 bits -----===//
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

/// `value`'s elements rounded to `narrow` (to nearest, ties to even).
static APFloat narrowed(APFloat value, FloatType narrow) {
  bool lost = false;
  value.convert(narrow.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                &lost);
  return value;
}

/// `input` (an f32 tensor) as `narrow`: a constant folded now, anything
/// else rounded by an elementwise op.
static Value narrowInput(OpBuilder &b, Location loc, Value input,
                         FloatType narrow) {
  auto type = cast<RankedTensorType>(input.getType());
  auto narrowType = type.clone(narrow);
  DenseElementsAttr values;
  if (matchPattern(input, m_Constant(&values)))
    return arith::ConstantOp::create(
        b, loc, values.mapValues(narrow, [&](const APFloat &v) {
          return narrowed(v, narrow).bitcastToAPInt();
        }));
  if (auto constant = input.getDefiningOp<arith::ConstantOp>())
    if (auto resource =
            dyn_cast<DenseF32ResourceElementsAttr>(constant.getValue()))
      if (std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef()) {
        SmallVector<APFloat> converted;
        converted.reserve(data->size());
        for (float v : *data)
          converted.push_back(narrowed(APFloat(v), narrow));
        return arith::ConstantOp::create(
            b, loc, DenseElementsAttr::get(narrowType, converted));
      }
  Value empty = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, input), narrow);
  AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
  SmallVector<utils::IteratorType> parallel(type.getRank(),
                                            utils::IteratorType::parallel);
  auto round = linalg::GenericOp::create(
      b, loc, narrowType, ValueRange{input}, ValueRange{empty},
      ArrayRef<AffineMap>{identity, identity}, parallel,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value rounded =
            arith::TruncFOp::create(nested, nestedLoc, narrow, args[0]);
        linalg::YieldOp::create(nested, nestedLoc, rounded);
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
    FloatType narrow;
    if (precision == "fp16")
      narrow = Float16Type::get(context);
    else if (precision == "bf16")
      narrow = BFloat16Type::get(context);
    else if (precision == "fp32")
      return;
    else {
      getOperation().emitError()
          << "kiln-gpu-reduce-precision: precision must be fp32, fp16 or "
             "bf16, got '"
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
        inputs.push_back(narrowInput(rewriter, loc, input, narrow));
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
