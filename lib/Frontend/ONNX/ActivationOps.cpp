//===- ActivationOps.cpp - ONNX activations, softmax, dropout -------------===//
//
// Part of Kiln. Relu, Sigmoid, Tanh, LeakyRelu, PRelu, HardSigmoid,
// HardSwish, Elu, Selu, Celu, Softplus, Softsign, ThresholdedRelu, Shrink,
// Clip, Softmax, LogSoftmax, Dropout and Identity. The ones nn has no op for
// are built from nn ops in forms that stay exact where the naive formula
// overflows (Softplus as relu(x) + log(1 + exp(-|x|))).
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;

static LogicalResult importLeakyRelu(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  ctx.setOutput(0, nn::LeakyReluOp::create(
                       ctx.b, ctx.loc, x,
                       llvm::APFloat(double(ctx.floatAttr("alpha", 0.01f)))));
  return success();
}

/// PRelu(x, slope) = relu(x) + slope * min(x, 0).
static LogicalResult importPRelu(NodeContext &ctx) {
  Value x = ctx.input(0), slope = ctx.input(1);
  if (!x || !slope)
    return failure();
  // Before opset 7 a 1-D slope holds one value per channel (dimension 1);
  // from 7 it broadcasts like numpy (aligned with the last dimension).
  auto xType = cast<RankedTensorType>(x.getType());
  auto slopeType = cast<RankedTensorType>(slope.getType());
  if (ctx.opset < 7 && slopeType.getRank() == 1 && xType.getRank() > 2 &&
      slopeType.getDimSize(0) == xType.getDimSize(1)) {
    SmallVector<int64_t> shape(xType.getRank() - 1, 1);
    shape[0] = slopeType.getDimSize(0);
    slope = nn::ReshapeOp::create(ctx.b, ctx.loc, slope, shape);
  }
  Value zero = ctx.scalar(ctx.elementOf(x), 0.0);
  Value negative = nn::MinimumOp::create(ctx.b, ctx.loc, x, zero);
  Value scaled = nn::MulOp::create(ctx.b, ctx.loc, negative, slope);
  ctx.setOutput(0, nn::AddOp::create(ctx.b, ctx.loc,
                                     nn::ReluOp::create(ctx.b, ctx.loc, x),
                                     scaled));
  return success();
}

/// max(0, min(1, alpha * x + beta)).
static Value hardSigmoid(NodeContext &ctx, Value x, double alpha, double beta) {
  Type element = ctx.elementOf(x);
  Value scaled =
      nn::MulOp::create(ctx.b, ctx.loc, x, ctx.scalar(element, alpha));
  Value shifted =
      nn::AddOp::create(ctx.b, ctx.loc, scaled, ctx.scalar(element, beta));
  return nn::ClipOp::create(ctx.b, ctx.loc, shifted, ctx.b.getF64FloatAttr(0),
                            ctx.b.getF64FloatAttr(1));
}

static LogicalResult importHardSigmoid(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  ctx.setOutput(0, hardSigmoid(ctx, x, ctx.floatAttr("alpha", 0.2f),
                               ctx.floatAttr("beta", 0.5f)));
  return success();
}

static LogicalResult importHardSwish(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  ctx.setOutput(0, nn::MulOp::create(ctx.b, ctx.loc, x,
                                     hardSigmoid(ctx, x, 1.0 / 6, 0.5)));
  return success();
}

/// alpha * (exp(min(x, 0)) - 1) + relu(x): ELU without overflow for large x.
static Value elu(NodeContext &ctx, Value x, double alpha) {
  Type element = ctx.elementOf(x);
  Value negative =
      nn::MinimumOp::create(ctx.b, ctx.loc, x, ctx.scalar(element, 0.0));
  Value curve = nn::SubOp::create(ctx.b, ctx.loc,
                                  nn::ExpOp::create(ctx.b, ctx.loc, negative),
                                  ctx.scalar(element, 1.0));
  Value scaled =
      nn::MulOp::create(ctx.b, ctx.loc, curve, ctx.scalar(element, alpha));
  return nn::AddOp::create(ctx.b, ctx.loc,
                           nn::ReluOp::create(ctx.b, ctx.loc, x), scaled);
}

static LogicalResult importElu(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  ctx.setOutput(0, elu(ctx, x, ctx.floatAttr("alpha", 1.0f)));
  return success();
}

static LogicalResult importSelu(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  Value y = elu(ctx, x, ctx.floatAttr("alpha", 1.67326319217681884765625f));
  ctx.setOutput(
      0, nn::MulOp::create(
             ctx.b, ctx.loc, y,
             ctx.scalar(ctx.elementOf(x),
                        ctx.floatAttr("gamma", 1.05070102214813232421875f))));
  return success();
}

/// max(0, x) + min(0, alpha * (exp(x / alpha) - 1)) = elu(x / alpha) * alpha.
static LogicalResult importCelu(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  double alpha = ctx.floatAttr("alpha", 1.0f);
  Type element = ctx.elementOf(x);
  Value scaled =
      nn::DivOp::create(ctx.b, ctx.loc, x, ctx.scalar(element, alpha));
  ctx.setOutput(0, nn::MulOp::create(ctx.b, ctx.loc, elu(ctx, scaled, 1.0),
                                     ctx.scalar(element, alpha)));
  return success();
}

static LogicalResult importSoftplus(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  Type element = ctx.elementOf(x);
  Value tail = nn::ExpOp::create(
      ctx.b, ctx.loc,
      nn::NegOp::create(ctx.b, ctx.loc, nn::AbsOp::create(ctx.b, ctx.loc, x)));
  Value log = nn::LogOp::create(
      ctx.b, ctx.loc,
      nn::AddOp::create(ctx.b, ctx.loc, tail, ctx.scalar(element, 1.0)));
  ctx.setOutput(0,
                nn::AddOp::create(ctx.b, ctx.loc,
                                  nn::ReluOp::create(ctx.b, ctx.loc, x), log));
  return success();
}

/// x / (1 + |x|).
static LogicalResult importSoftsign(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  Value denominator =
      nn::AddOp::create(ctx.b, ctx.loc, nn::AbsOp::create(ctx.b, ctx.loc, x),
                        ctx.scalar(ctx.elementOf(x), 1.0));
  ctx.setOutput(0, nn::DivOp::create(ctx.b, ctx.loc, x, denominator));
  return success();
}

/// Clip: bounds are attributes before opset 11, optional inputs from then
/// on: known ones become the op's bounds, computed ones maximum/minimum.
static LogicalResult importClip(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  if (!isa<FloatType>(ctx.elementOf(x))) {
    // Integers (opset 12+): max and min with the bounds' tensors.
    Value y = x;
    for (int i : {1, 2}) {
      if (!ctx.hasInput(i))
        continue;
      Value bound = ctx.input(i);
      if (!bound)
        return failure();
      y = i == 1 ? Value(nn::MaximumOp::create(ctx.b, ctx.loc, y, bound))
                 : Value(nn::MinimumOp::create(ctx.b, ctx.loc, y, bound));
    }
    ctx.setOutput(0, y);
    return success();
  }
  FloatAttr lo, hi;
  Value loValue, hiValue;
  if (ctx.opset < 11) {
    if (ctx.hasAttr("min"))
      lo = ctx.b.getF64FloatAttr(ctx.floatAttr("min", 0));
    if (ctx.hasAttr("max"))
      hi = ctx.b.getF64FloatAttr(ctx.floatAttr("max", 0));
  } else {
    for (int i : {1, 2}) {
      if (!ctx.hasInput(i))
        continue;
      const KnownTensor *bound = ctx.known(i, /*required=*/false);
      if (std::optional<double> v = bound ? bound->scalar() : std::nullopt) {
        (i == 1 ? lo : hi) = ctx.b.getF64FloatAttr(*v);
        continue;
      }
      Value v = ctx.input(i);
      if (!v)
        return failure();
      (i == 1 ? loValue : hiValue) = v;
    }
  }
  Value y = x;
  if (lo || hi)
    y = nn::ClipOp::create(ctx.b, ctx.loc, y, lo, hi);
  if (loValue)
    y = nn::MaximumOp::create(ctx.b, ctx.loc, y, loValue);
  if (hiValue)
    y = nn::MinimumOp::create(ctx.b, ctx.loc, y, hiValue);
  ctx.setOutput(0, y);
  return success();
}

/// Softmax and LogSoftmax. From opset 13 they normalize along `axis`
/// (default -1); before, over the input flattened to 2-D at `axis` (default
/// 1), which is the same when axis is the last dimension.
template <typename Op> static LogicalResult importSoftmax(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  Value x = ctx.input(0);
  int64_t rank = type.getRank();
  int64_t axis =
      normalizeAxis(ctx.intAttr("axis", ctx.opset >= 13 ? -1 : 1), rank);
  if (axis < 0)
    return ctx.error() << "axis " << ctx.intAttr("axis", 0)
                       << " is out of range for rank " << rank;
  if (ctx.opset >= 13 || axis == rank - 1) {
    ctx.setOutput(0, Op::create(ctx.b, ctx.loc, x, uint64_t(axis)));
    return success();
  }
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < axis ? outer : inner) *= type.getDimSize(d);
  Value flat =
      nn::ReshapeOp::create(ctx.b, ctx.loc, x, ArrayRef<int64_t>{outer, inner});
  Value normalized = Op::create(ctx.b, ctx.loc, flat, uint64_t(1));
  ctx.setOutput(
      0, nn::ReshapeOp::create(ctx.b, ctx.loc, normalized, type.getShape()));
  return success();
}

/// Inference: the identity, and a mask that keeps everything. Training
/// mode (opset 12's third input) drops random elements, which Kiln does not
/// do; with a ratio of 0 it is the identity too. Before opset 7, `is_test`
/// said which mode; Kiln compiles for inference either way, as runtimes do.
static LogicalResult importDropout(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  if (ctx.opset >= 12 && ctx.hasInput(2)) {
    const KnownTensor *training = ctx.known(2);
    if (!training)
      return failure();
    if (training->ints.empty() || training->ints[0] != 0) {
      const KnownTensor *ratio = ctx.hasInput(1) ? ctx.known(1) : nullptr;
      if (ctx.hasInput(1) && !ratio)
        return failure();
      if (!ratio || ratio->scalar() != 0.0)
        return ctx.error() << "training mode with a ratio above 0 (random "
                              "dropout) is not supported (inference only)";
    }
  }
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty()) {
    auto type = cast<RankedTensorType>(x.getType());
    auto maskType = type.clone(ctx.b.getI1Type());
    ctx.setOutput(
        1, nn::ConstantOp::create(
               ctx.b, ctx.loc,
               DenseElementsAttr::get(maskType, ctx.b.getBoolAttr(true))));
  }
  ctx.setOutput(0, x);
  return success();
}

/// ThresholdedRelu: x where x > alpha (default 1), else 0.
static LogicalResult importThresholdedRelu(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  Type element = ctx.elementOf(x);
  Value above = nn::GreaterOp::create(
      ctx.b, ctx.loc, x, ctx.scalar(element, ctx.floatAttr("alpha", 1.0f)));
  ctx.setOutput(0, nn::SelectOp::create(ctx.b, ctx.loc, above, x,
                                        ctx.scalar(element, 0)));
  return success();
}

/// Shrink: x + bias below -lambd, x - bias above lambd, else 0.
static LogicalResult importShrink(NodeContext &ctx) {
  Value x = ctx.input(0);
  if (!x)
    return failure();
  Type element = ctx.elementOf(x);
  double lambd = ctx.floatAttr("lambd", 0.5f), bias = ctx.floatAttr("bias", 0);
  Value below =
      nn::LessOp::create(ctx.b, ctx.loc, x, ctx.scalar(element, -lambd));
  Value above =
      nn::GreaterOp::create(ctx.b, ctx.loc, x, ctx.scalar(element, lambd));
  Value zero = ctx.scalar(element, 0);
  Value high = nn::SelectOp::create(
      ctx.b, ctx.loc, above,
      nn::SubOp::create(ctx.b, ctx.loc, x, ctx.scalar(element, bias)), zero);
  ctx.setOutput(
      0, nn::SelectOp::create(
             ctx.b, ctx.loc, below,
             nn::AddOp::create(ctx.b, ctx.loc, x, ctx.scalar(element, bias)),
             high));
  return success();
}

static LogicalResult importIdentity(NodeContext &ctx) {
  GraphImporter::ValueInfo *info =
      ctx.hasInput(0) ? ctx.graph.find(ctx.node.input(0)) : nullptr;
  if (info && !info->value && info->known) {
    ctx.setKnown(0, *info->known);
    return success();
  }
  Value x = ctx.input(0);
  if (!x)
    return failure();
  ctx.setOutput(0, x);
  return success();
}

void kiln::onnximport::registerActivationOps(OpRegistry &r) {
  // Opsets 1-5 differ from 6 only in `consumed_inputs` (an in-place hint
  // Kiln ignores).
  r.add("Relu", 1, 18, unaryImporter<nn::ReluOp>());
  r.add("Sigmoid", 1, 18, unaryImporter<nn::SigmoidOp>());
  r.add("Tanh", 1, 18, unaryImporter<nn::TanhOp>());
  r.add("LeakyRelu", 1, 18, importLeakyRelu);
  r.add("PRelu", 1, 18, importPRelu);
  r.add("HardSigmoid", 1, 18, importHardSigmoid);
  r.add("HardSwish", 14, 18, importHardSwish);
  r.add("Elu", 1, 18, importElu);
  r.add("Selu", 1, 18, importSelu);
  r.add("Celu", 12, 18, importCelu);
  r.add("Softplus", 1, 18, importSoftplus);
  r.add("Softsign", 1, 18, importSoftsign);
  r.add("Clip", 1, 18, importClip);
  r.add("Softmax", 1, 18, importSoftmax<nn::SoftmaxOp>);
  r.add("LogSoftmax", 1, 18, importSoftmax<nn::LogSoftmaxOp>);
  r.add("Dropout", 1, 18, importDropout);
  r.add("Identity", 1, 18, importIdentity);
  r.add("ThresholdedRelu", 10, 18, importThresholdedRelu);
  r.add("Shrink", 9, 18, importShrink);
}
