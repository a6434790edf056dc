//===- LinearOps.cpp - ONNX Gemm and MatMul -------------------------------===//
//
// Part of Kiln. Gemm with transposes, alpha and beta (PyTorch's Linear is
// Gemm with transB = 1: nn.dense, whose weight is [out, in]); MatMul with
// numpy semantics, 1-D operands included; Einsum (broadcast products and
// sums, diagonals for repeated labels).
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;

static LogicalResult importGemm(NodeContext &ctx) {
  RankedTensorType aType = ctx.inputType(0), bType = ctx.inputType(1);
  if (!aType || !bType)
    return failure();
  if (aType.getRank() != 2 || bType.getRank() != 2)
    return ctx.error() << "A and B must be matrices";
  Value a = ctx.input(0), b = ctx.input(1);
  float alpha = ctx.floatAttr("alpha", 1.0f),
        beta = ctx.floatAttr("beta", 1.0f);
  bool transA = ctx.intAttr("transA", 0), transB = ctx.intAttr("transB", 0);
  if (transA)
    a = nn::TransposeOp::create(ctx.b, ctx.loc, a, ArrayRef<int64_t>{1, 0});
  Value c;
  RankedTensorType cType;
  if (ctx.hasInput(2)) {
    cType = ctx.inputType(2);
    if (!cType)
      return failure();
    c = ctx.input(2);
  }
  int64_t n = transB ? bType.getDimSize(0) : bType.getDimSize(1);
  // x * W^T + bias in one op when it is PyTorch's Linear.
  bool denseBias = c && beta == 1.0f && cType.getRank() == 1 &&
                   cType.getDimSize(0) == n && alpha == 1.0f;
  Value y;
  if (transB)
    y = nn::DenseOp::create(ctx.b, ctx.loc, a, b, denseBias ? c : Value());
  else
    y = nn::MatmulOp::create(ctx.b, ctx.loc, a, b);
  if (alpha != 1.0f)
    y = nn::MulOp::create(ctx.b, ctx.loc, y,
                          ctx.scalar(ctx.elementOf(y), alpha));
  if (c && !(transB && denseBias)) {
    if (beta != 1.0f)
      c = nn::MulOp::create(ctx.b, ctx.loc, c,
                            ctx.scalar(ctx.elementOf(c), beta));
    y = nn::AddOp::create(ctx.b, ctx.loc, y, c);
  }
  ctx.setOutput(0, y);
  return success();
}

static LogicalResult importMatMul(NodeContext &ctx) {
  RankedTensorType aType = ctx.inputType(0), bType = ctx.inputType(1);
  if (!aType || !bType)
    return failure();
  Value a = ctx.input(0), b = ctx.input(1);
  // numpy: a 1-D lhs is a row, a 1-D rhs a column, removed afterwards.
  bool rowVector = aType.getRank() == 1, columnVector = bType.getRank() == 1;
  if (rowVector)
    a = nn::ReshapeOp::create(ctx.b, ctx.loc, a,
                              ArrayRef<int64_t>{1, aType.getDimSize(0)});
  if (columnVector)
    b = nn::ReshapeOp::create(ctx.b, ctx.loc, b,
                              ArrayRef<int64_t>{bType.getDimSize(0), 1});
  Value y = nn::MatmulOp::create(ctx.b, ctx.loc, a, b);
  if (rowVector || columnVector) {
    auto yType = cast<RankedTensorType>(y.getType());
    if (!yType.hasStaticShape())
      return ctx.error() << "the operands' shapes do not match";
    SmallVector<int64_t> shape(yType.getShape());
    if (columnVector)
      shape.pop_back();
    if (rowVector)
      shape.erase(shape.end() - (columnVector ? 1 : 2));
    y = nn::ReshapeOp::create(ctx.b, ctx.loc, y, shape);
  }
  ctx.setOutput(0, y);
  return success();
}

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

namespace {
/// An operand's labels, one per dimension ('.' dimensions of an ellipsis get
/// labels of their own, aligned from the right as numpy broadcasts them).
using Labels = std::vector<char>;
} // namespace

/// Parses `equation` for operands of `ranks`: the input labels and the
/// output's (implicit output: the labels seen once, sorted, after the
/// ellipsis). Ellipsis dimensions are labelled '0', '1', ... from the left
/// of the widest ellipsis.
static FailureOr<std::pair<std::vector<Labels>, Labels>>
parseEinsum(NodeContext &ctx, std::string equation, ArrayRef<int64_t> ranks) {
  equation.erase(std::remove(equation.begin(), equation.end(), ' '),
                 equation.end());
  size_t arrow = equation.find("->");
  std::string lhs = equation.substr(0, arrow);
  std::vector<std::string> terms;
  for (size_t start = 0;;) {
    size_t comma = lhs.find(',', start);
    terms.push_back(lhs.substr(start, comma - start));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  if (terms.size() != ranks.size())
    return ctx.error() << "the equation '" << equation << "' has "
                       << terms.size() << " operands, the node "
                       << ranks.size();
  // Ellipsis widths.
  int64_t widest = 0;
  std::vector<int64_t> widths;
  for (auto [term, rank] : llvm::zip(terms, ranks)) {
    size_t dots = term.find("...");
    int64_t letters =
        int64_t(term.size()) - (dots == std::string::npos ? 0 : 3);
    int64_t width = dots == std::string::npos ? 0 : rank - letters;
    if (width < 0 || (dots == std::string::npos && letters != rank))
      return ctx.error() << "term '" << term << "' does not match rank "
                         << rank;
    widths.push_back(width);
    widest = std::max(widest, width);
  }
  auto expand = [&](const std::string &term, int64_t width) {
    Labels labels;
    for (size_t i = 0; i < term.size(); ++i) {
      if (term.compare(i, 3, "...") == 0) {
        for (int64_t e = widest - width; e < widest; ++e)
          labels.push_back(char('0' + e));
        i += 2;
      } else {
        labels.push_back(term[i]);
      }
    }
    return labels;
  };
  std::vector<Labels> inputs;
  std::map<char, int> count;
  for (auto [term, width] : llvm::zip(terms, widths)) {
    inputs.push_back(expand(term, width));
    for (char c : inputs.back())
      if (!llvm::isDigit(c) && !llvm::isAlpha(c))
        return ctx.error() << "unexpected character '" << c
                           << "' in the equation";
    for (char c : inputs.back())
      ++count[c];
  }
  Labels output;
  if (arrow != std::string::npos) {
    output = expand(equation.substr(arrow + 2), widest);
  } else {
    for (int64_t e = 0; e < widest; ++e)
      output.push_back(char('0' + e));
    for (auto [c, n] : count)
      if (n == 1 && llvm::isAlpha(c))
        output.push_back(c);
  }
  for (char c : output)
    if (!count.count(c))
      return ctx.error() << "output label '" << c << "' is not in any operand";
  return std::make_pair(inputs, output);
}

/// Takes the diagonal of repeated labels ("ii" -> "i"): the two dimensions
/// moved last, flattened, and every (n + 1)-th element gathered.
static Value takeDiagonals(NodeContext &ctx, Value x, Labels &labels) {
  for (bool again = true; again;) {
    again = false;
    for (size_t p = 0; p < labels.size() && !again; ++p)
      for (size_t q = p + 1; q < labels.size() && !again; ++q) {
        if (labels[p] != labels[q])
          continue;
        auto type = cast<RankedTensorType>(x.getType());
        int64_t n = type.getDimSize(p);
        SmallVector<int64_t> perm;
        Labels moved;
        for (size_t d = 0; d < labels.size(); ++d)
          if (d != p && d != q) {
            perm.push_back(d);
            moved.push_back(labels[d]);
          }
        perm.append({int64_t(p), int64_t(q)});
        x = nn::TransposeOp::create(ctx.b, ctx.loc, x, perm);
        SmallVector<int64_t> shape;
        for (size_t i = 0; i + 2 < perm.size(); ++i)
          shape.push_back(type.getDimSize(perm[i]));
        shape.push_back(n * n);
        x = nn::ReshapeOp::create(ctx.b, ctx.loc, x, shape);
        std::vector<int64_t> diagonal(n);
        for (int64_t i = 0; i < n; ++i)
          diagonal[i] = i * (n + 1);
        KnownTensor indices = KnownTensor::ofInts(diagonal);
        indices.name = "diagonal";
        x = nn::GatherOp::create(ctx.b, ctx.loc, x,
                                 buildConstant(ctx.b, ctx.loc, indices),
                                 uint64_t(shape.size() - 1));
        moved.push_back(labels[p]);
        labels = moved;
        again = true;
      }
  }
  return x;
}

/// `v`, whose dimensions are labelled `have`, transposed to the order
/// `want` (a permutation of `have`) and reshaped to `shape`.
static Value arrange(NodeContext &ctx, Value v, const Labels &have,
                     const Labels &want, ArrayRef<int64_t> shape) {
  SmallVector<int64_t> perm;
  for (char c : want)
    perm.push_back(llvm::find(have, c) - have.begin());
  if (!llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    v = nn::TransposeOp::create(ctx.b, ctx.loc, v, perm);
  return nn::ReshapeOp::create(ctx.b, ctx.loc, v, shape);
}

/// A two-operand einsum whose labels are each batch (both operands and the
/// output), rows (a and the output), columns (b and the output) or
/// contracted (both, not the output), as one batched nn.matmul; failure
/// (nothing built) for other forms.
static FailureOr<Value> contractAsMatmul(NodeContext &ctx, Value a,
                                         const Labels &aLabels, Value b,
                                         const Labels &bLabels,
                                         const Labels &output,
                                         std::map<char, int64_t> &sizes) {
  Labels batch, rows, columns, contracted;
  for (char c : aLabels) {
    bool inB = llvm::is_contained(bLabels, c),
         inOut = llvm::is_contained(output, c);
    if (inB && inOut)
      batch.push_back(c);
    else if (inOut)
      rows.push_back(c);
    else if (inB)
      contracted.push_back(c);
    else
      return failure();
  }
  for (char c : bLabels)
    if (!llvm::is_contained(aLabels, c)) {
      if (!llvm::is_contained(output, c))
        return failure();
      columns.push_back(c);
    }
  // Broadcast batch labels (size 1 in one operand) take the general path.
  auto sizeIn = [&](Value v, const Labels &labels, char c) {
    return cast<RankedTensorType>(v.getType())
        .getDimSize(llvm::find(labels, c) - labels.begin());
  };
  for (char c : batch)
    if (sizeIn(a, aLabels, c) != sizeIn(b, bLabels, c))
      return failure();
  if (contracted.empty() ||
      output.size() != batch.size() + rows.size() + columns.size())
    return failure();
  auto count = [&](const Labels &labels) {
    int64_t n = 1;
    for (char c : labels)
      n *= sizes[c];
    return n;
  };
  int64_t nb = count(batch), m = count(rows), n = count(columns),
          k = count(contracted);
  Labels aOrder = batch, bOrder = batch;
  aOrder.insert(aOrder.end(), rows.begin(), rows.end());
  aOrder.insert(aOrder.end(), contracted.begin(), contracted.end());
  bOrder.insert(bOrder.end(), contracted.begin(), contracted.end());
  bOrder.insert(bOrder.end(), columns.begin(), columns.end());
  Value product = nn::MatmulOp::create(
      ctx.b, ctx.loc, arrange(ctx, a, aLabels, aOrder, {nb, m, k}),
      arrange(ctx, b, bLabels, bOrder, {nb, k, n}));
  Labels produced = batch;
  produced.insert(produced.end(), rows.begin(), rows.end());
  produced.insert(produced.end(), columns.begin(), columns.end());
  SmallVector<int64_t> shape;
  for (char c : output)
    shape.push_back(sizes[c]);
  SmallVector<int64_t> producedShape;
  for (char c : produced)
    producedShape.push_back(sizes[c]);
  product = nn::ReshapeOp::create(ctx.b, ctx.loc, product, producedShape);
  return arrange(ctx, product, produced, output, shape);
}

/// Einsum: repeated labels become diagonals; labels in one operand only and
/// not in the output are summed first; two operands that form a (batched)
/// matrix product become one nn.matmul; otherwise every operand is
/// transposed to
/// one label order (output labels, then contracted ones), given size-1
/// dimensions for the labels it lacks, the operands multiplied (numpy
/// broadcasting) and the contracted labels summed. Floats; integers go
/// through double precision.
static LogicalResult importEinsum(NodeContext &ctx) {
  std::vector<Value> operands;
  SmallVector<int64_t> ranks;
  for (int i = 0; i < ctx.numInputs(); ++i) {
    RankedTensorType type = ctx.inputType(i);
    if (!type)
      return failure();
    operands.push_back(ctx.input(i));
    ranks.push_back(type.getRank());
  }
  if (operands.empty())
    return ctx.error() << "needs at least one input";
  auto parsed = parseEinsum(ctx, ctx.stringAttr("equation", ""), ranks);
  if (failed(parsed))
    return failure();
  auto [inputs, output] = *parsed;
  Type element = ctx.elementOf(operands[0]);
  Type compute = isa<FloatType>(element) ? element : ctx.b.getF64Type();
  std::map<char, int64_t> sizes;
  std::map<char, int> uses;
  for (size_t i = 0; i < operands.size(); ++i) {
    if (ctx.elementOf(operands[i]) != element)
      return ctx.error() << "operands have different element types";
    if (compute != element)
      operands[i] = nn::CastOp::create(
          ctx.b, ctx.loc,
          cast<RankedTensorType>(operands[i].getType()).clone(compute),
          operands[i]);
    operands[i] = takeDiagonals(ctx, operands[i], inputs[i]);
    auto type = cast<RankedTensorType>(operands[i].getType());
    for (auto [d, c] : llvm::enumerate(inputs[i])) {
      int64_t size = type.getDimSize(d);
      int64_t &known = sizes[c];
      if (known > 1 && size > 1 && known != size)
        return ctx.error() << "label '" << c << "' has sizes " << known
                           << " and " << size;
      known = std::max(known, size);
      ++uses[c];
    }
  }
  // Labels that only one operand has and the output lacks: summed now.
  for (size_t i = 0; i < operands.size(); ++i) {
    std::vector<int64_t> alone;
    Labels kept;
    for (auto [d, c] : llvm::enumerate(inputs[i])) {
      if (uses[c] == 1 && !llvm::is_contained(output, c))
        alone.push_back(d);
      else
        kept.push_back(c);
    }
    if (alone.empty())
      continue;
    operands[i] =
        nn::ReduceSumOp::create(ctx.b, ctx.loc, operands[i], alone, false);
    inputs[i] = kept;
  }
  if (operands.size() == 2) {
    FailureOr<Value> product = contractAsMatmul(
        ctx, operands[0], inputs[0], operands[1], inputs[1], output, sizes);
    if (succeeded(product)) {
      Value y = *product;
      if (compute != element)
        y = nn::CastOp::create(
            ctx.b, ctx.loc, cast<RankedTensorType>(y.getType()).clone(element),
            y);
      ctx.setOutput(0, y);
      return success();
    }
  }
  Labels order = output;
  for (const Labels &labels : inputs)
    for (char c : labels)
      if (!llvm::is_contained(order, c))
        order.push_back(c);
  Value product;
  for (size_t i = 0; i < operands.size(); ++i) {
    SmallVector<int64_t> perm, shape;
    for (char c : order) {
      auto it = llvm::find(inputs[i], c);
      if (it != inputs[i].end()) {
        perm.push_back(it - inputs[i].begin());
        shape.push_back(cast<RankedTensorType>(operands[i].getType())
                            .getDimSize(perm.back()));
      } else {
        shape.push_back(1);
      }
    }
    Value v = operands[i];
    if (!llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
      v = nn::TransposeOp::create(ctx.b, ctx.loc, v, perm);
    v = nn::ReshapeOp::create(ctx.b, ctx.loc, v, shape);
    product =
        product ? Value(nn::MulOp::create(ctx.b, ctx.loc, product, v)) : v;
  }
  SmallVector<int64_t> full;
  for (char c : order)
    full.push_back(sizes[c]);
  product = nn::BroadcastToOp::create(ctx.b, ctx.loc, product, full);
  std::vector<int64_t> contracted;
  for (size_t d = output.size(); d < order.size(); ++d)
    contracted.push_back(d);
  if (!contracted.empty())
    product =
        nn::ReduceSumOp::create(ctx.b, ctx.loc, product, contracted, false);
  if (compute != element)
    product = nn::CastOp::create(
        ctx.b, ctx.loc,
        cast<RankedTensorType>(product.getType()).clone(element), product);
  ctx.setOutput(0, product);
  return success();
}

void kiln::onnximport::registerLinearOps(OpRegistry &r) {
  r.add("Einsum", 12, 18, importEinsum);
  // Before opset 7, C broadcasts only with broadcast=1 (the same rule as
  // later when it does; exporters set it).
  r.add("Gemm", 1, 18, importGemm);
  r.add("MatMul", 1, 18, importMatMul);
}
