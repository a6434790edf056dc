//===- LossOps.cpp - ONNX loss functions ----------------------------------===//
//
// Part of Kiln. NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss
// (log_softmax over the classes, then the former), from nn ops: the score
// of each element's target class is picked with a one-hot mask over the
// class dimension (dimension 1), weighted, and reduced. Targets equal to
// `ignore_index` count for nothing, in the loss and in the mean's divisor.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;

/// The loss of `logProbabilities` ([N, C, d...]) against `targetInput`
/// ([N, d...]) with optional class weights `weightInput` ([C]), reduced as
/// the node's `reduction` says.
static FailureOr<Value> negativeLogLikelihood(NodeContext &ctx,
                                              Value logProbabilities,
                                              int targetInput,
                                              int weightInput) {
  auto type = cast<RankedTensorType>(logProbabilities.getType());
  RankedTensorType targetType = ctx.inputType(targetInput);
  if (!targetType)
    return failure();
  int64_t rank = type.getRank();
  if (rank < 2 || targetType.getRank() != rank - 1 ||
      targetType.getDimSize(0) != type.getDimSize(0) ||
      targetType.getShape().drop_front() != type.getShape().drop_front(2))
    return ctx.error() << "the target " << targetType
                       << " does not match the scores " << type
                       << " ([N, C, d...] and [N, d...])";
  if (!isa<IntegerType>(targetType.getElementType()))
    return ctx.error() << "the target must hold integers";
  std::string reduction = ctx.stringAttr("reduction", "mean");
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return ctx.error() << "reduction '" << reduction
                       << "' is not supported (supported: none, sum, mean)";
  Type element = type.getElementType();
  Type i64 = ctx.b.getI64Type();
  int64_t classes = type.getDimSize(1);

  Value target = ctx.input(targetInput);
  if (!targetType.getElementType().isSignlessInteger(64))
    target = nn::CastOp::create(ctx.b, ctx.loc, targetType.clone(i64), target);
  // Ignored targets may be any number: they are replaced by class 0 and
  // their weight by 0.
  Value valid;
  if (ctx.hasAttr("ignore_index")) {
    Value ignored =
        nn::EqualOp::create(ctx.b, ctx.loc, target,
                            ctx.scalar(i64, ctx.intAttr("ignore_index", 0)));
    valid = ctx.logicalNot(ignored);
    target =
        nn::SelectOp::create(ctx.b, ctx.loc, valid, target, ctx.scalar(i64, 0));
  }

  // The target's score: a one-hot mask over dimension 1, summed.
  SmallVector<int64_t> expanded(targetType.getShape());
  expanded.insert(expanded.begin() + 1, 1);
  SmallVector<int64_t> classShape(rank, 1);
  classShape[1] = classes;
  std::vector<int64_t> classIds(classes);
  for (int64_t c = 0; c < classes; ++c)
    classIds[c] = c;
  KnownTensor ids = KnownTensor::ofInts(
      classIds, std::vector<int64_t>(classShape.begin(), classShape.end()));
  ids.name = "classes";
  Value hot = nn::EqualOp::create(
      ctx.b, ctx.loc, nn::ReshapeOp::create(ctx.b, ctx.loc, target, expanded),
      buildConstant(ctx.b, ctx.loc, ids));
  Value picked = nn::ReduceSumOp::create(
      ctx.b, ctx.loc,
      nn::SelectOp::create(ctx.b, ctx.loc, hot, logProbabilities,
                           ctx.scalar(element, 0)),
      ArrayRef<int64_t>{1}, false);

  Value weight;
  if (ctx.hasInput(weightInput)) {
    RankedTensorType weightType = ctx.inputType(weightInput);
    if (!weightType)
      return failure();
    if (weightType.getRank() != 1 || weightType.getDimSize(0) != classes)
      return ctx.error() << "the weight " << weightType << " must hold one "
                         << "value per class (" << classes << ")";
    weight =
        nn::GatherOp::create(ctx.b, ctx.loc, ctx.input(weightInput), target, 0);
  }
  if (valid) {
    Value one = ctx.scalar(element, 1);
    weight = nn::SelectOp::create(ctx.b, ctx.loc, valid, weight ? weight : one,
                                  ctx.scalar(element, 0));
  }
  Value loss = nn::NegOp::create(ctx.b, ctx.loc, picked);
  if (weight)
    loss = nn::MulOp::create(ctx.b, ctx.loc, loss, weight);
  if (reduction == "none")
    return loss;
  std::vector<int64_t> all;
  for (int64_t d = 0; d < rank - 1; ++d)
    all.push_back(d);
  Value sum = nn::ReduceSumOp::create(ctx.b, ctx.loc, loss, all, false);
  if (reduction == "sum")
    return sum;
  // The mean divides by the weights of the counted elements (their number
  // without weights).
  Value divisor =
      weight ? Value(nn::ReduceSumOp::create(
                   ctx.b, ctx.loc,
                   nn::BroadcastToOp::create(ctx.b, ctx.loc, weight,
                                             targetType.getShape()),
                   all, false))
             : ctx.scalar(element, double(targetType.getNumElements()));
  return Value(nn::DivOp::create(ctx.b, ctx.loc, sum, divisor));
}

static LogicalResult importNegativeLogLikelihoodLoss(NodeContext &ctx) {
  Value input = ctx.input(0);
  if (!input)
    return failure();
  FailureOr<Value> loss = negativeLogLikelihood(ctx, input, 1, 2);
  if (failed(loss))
    return failure();
  ctx.setOutput(0, *loss);
  return success();
}

/// SoftmaxCrossEntropyLoss: log_softmax over the classes (dimension 1),
/// the negative log likelihood of that, and optionally the log
/// probabilities as the second output.
static LogicalResult importSoftmaxCrossEntropyLoss(NodeContext &ctx) {
  RankedTensorType type = ctx.inputType(0);
  if (!type)
    return failure();
  if (type.getRank() < 2)
    return ctx.error() << "the scores need a class dimension ([N, C, d...])";
  Value logProbabilities =
      nn::LogSoftmaxOp::create(ctx.b, ctx.loc, ctx.input(0), uint64_t(1));
  FailureOr<Value> loss = negativeLogLikelihood(ctx, logProbabilities, 1, 2);
  if (failed(loss))
    return failure();
  ctx.setOutput(0, *loss);
  ctx.setOutput(1, logProbabilities);
  return success();
}

void kiln::onnximport::registerLossOps(OpRegistry &r) {
  r.add("NegativeLogLikelihoodLoss", 12, 18, importNegativeLogLikelihoodLoss);
  r.add("SoftmaxCrossEntropyLoss", 12, 18, importSoftmaxCrossEntropyLoss);
}
