//===- GraphImporter.cpp - ONNX graph to nn, the shared machinery ---------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace kiln::onnximport;

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

GraphImporter::ValueInfo *GraphImporter::find(llvm::StringRef name) {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

void GraphImporter::define(llvm::StringRef name, Value value) {
  values[name] = ValueInfo{value, std::nullopt};
}

void GraphImporter::defineKnown(llvm::StringRef name, KnownTensor tensor) {
  if (tensor.name.empty())
    tensor.name = name.str();
  values[name] = ValueInfo{Value(), std::move(tensor)};
}

Value GraphImporter::materialize(llvm::StringRef name, Location at) {
  ValueInfo *info = find(name);
  if (!info)
    return {};
  if (!info->value && info->known) {
    // Constants go at the top of the function, in the order they are used.
    OpBuilder::InsertionGuard guard(b);
    Block *body = b.getInsertionBlock();
    b.setInsertionPoint(body, body->begin());
    while (b.getInsertionPoint() != body->end() &&
           isa<kiln::nn::ConstantOp>(*b.getInsertionPoint()))
      b.setInsertionPoint(body, std::next(b.getInsertionPoint()));
    info->value = buildConstant(b, at, *info->known);
  }
  return info->value;
}

void GraphImporter::offerArgumentValue(llvm::StringRef name,
                                       llvm::StringRef path,
                                       const onnx::TypeProto &type) {
  offered[name] = OfferedValue{path.str(), &type, std::nullopt};
}

llvm::Expected<const KnownTensor *>
GraphImporter::argumentValue(llvm::StringRef name) {
  auto it = offered.find(name);
  if (it == offered.end())
    return nullptr;
  OfferedValue &entry = it->second;
  if (!entry.value) {
    llvm::Expected<KnownTensor> read = readNpyTensor(entry.path, name);
    if (!read)
      return read.takeError();
    if (std::optional<std::string> why = mismatchWith(*read, *entry.type))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "the value of input '" + name.str() +
                                         "' in " + entry.path + " " + *why);
    entry.value = std::move(*read);
    specialized.push_back(name.str());
  }
  return &*entry.value;
}

//===----------------------------------------------------------------------===//
// Nodes
//===----------------------------------------------------------------------===//

std::string kiln::onnximport::describeNode(const onnx::NodeProto &node) {
  if (!node.name().empty())
    return "node '" + node.name() + "'";
  if (node.output_size() > 0 && !node.output(0).empty())
    return "unnamed node computing '" + node.output(0) + "'";
  return "unnamed node";
}

InFlightDiagnostic NodeContext::error() {
  return emitError(loc) << "ONNX " << node.op_type() << " (opset " << opset
                        << ", " << describeNode(node) << "): ";
}

bool NodeContext::hasInput(int i) const {
  return i < node.input_size() && !node.input(i).empty();
}

Value NodeContext::input(int i) {
  if (!hasInput(i)) {
    error() << "input " << i << " is required";
    return {};
  }
  Value v = graph.materialize(node.input(i), loc);
  if (!v) {
    if (GraphImporter::ValueInfo *info = graph.find(node.input(i));
        info && info->known)
      error() << "input '" << node.input(i) << "' has "
              << dataTypeName(info->known->dataType)
              << ", which nn has no element type for";
    else
      error() << "input '" << node.input(i) << "' is not defined";
  }
  return v;
}

RankedTensorType NodeContext::inputType(int i) {
  Value v = input(i);
  if (!v)
    return {};
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape()) {
    error() << "input '" << node.input(i) << "' has no static shape";
    return {};
  }
  return type;
}

const KnownTensor *NodeContext::known(int i, bool required) {
  GraphImporter::ValueInfo *info =
      hasInput(i) ? graph.find(node.input(i)) : nullptr;
  if (info && info->known)
    return &*info->known;
  // An argument whose run-time value was offered (kiln-run's inputs): the
  // function is specialized on it. Only where the value is required, so
  // that nothing else is folded away (unless the import needs that, see
  // GraphImporter::specializeEverywhere).
  if (hasInput(i) && graph.hasArgumentValue(node.input(i)) &&
      (required || graph.specializeEverywhere)) {
    llvm::Expected<const KnownTensor *> value =
        graph.argumentValue(node.input(i));
    if (!value) {
      std::string why = llvm::toString(value.takeError());
      if (required)
        error() << "input " << i << ": " << why;
      return nullptr;
    }
    return *value;
  }
  if (!required)
    return nullptr;
  InFlightDiagnostic diag =
      error() << "input " << i
              << (hasInput(i) ? " ('" + node.input(i) + "')" : std::string())
              << " must be known when the model is imported (a constant or "
                 "initializer, or computed from them and static shapes)";
  if (info && info->value && isa<BlockArgument>(info->value))
    diag << "; it is a graph input: give its value with --bind "
         << node.input(i) << "=FILE.npy";
  return nullptr;
}

FailureOr<std::vector<int64_t>> NodeContext::knownInts(int i) {
  const KnownTensor *t = known(i);
  if (!t)
    return failure();
  if (!t->isInteger() || int64_t(t->ints.size()) != t->numElements())
    return error() << "input " << i << " must hold integers";
  return t->ints;
}

FailureOr<double> NodeContext::knownScalar(int i) {
  const KnownTensor *t = known(i);
  if (!t)
    return failure();
  std::optional<double> value = t->scalar();
  if (!value)
    return error() << "input " << i << " must hold one number";
  return *value;
}

static const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                            llvm::StringRef name) {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

bool NodeContext::hasAttr(llvm::StringRef name) const {
  return findAttr(node, name) != nullptr;
}

int64_t NodeContext::intAttr(llvm::StringRef name, int64_t otherwise) const {
  const onnx::AttributeProto *a = findAttr(node, name);
  return a && a->has_i() ? a->i() : otherwise;
}

float NodeContext::floatAttr(llvm::StringRef name, float otherwise) const {
  const onnx::AttributeProto *a = findAttr(node, name);
  return a && a->has_f() ? a->f() : otherwise;
}

std::string NodeContext::stringAttr(llvm::StringRef name,
                                    llvm::StringRef otherwise) const {
  const onnx::AttributeProto *a = findAttr(node, name);
  return a && a->has_s() ? a->s() : otherwise.str();
}

std::vector<int64_t>
NodeContext::intsAttr(llvm::StringRef name,
                      std::vector<int64_t> otherwise) const {
  const onnx::AttributeProto *a = findAttr(node, name);
  if (!a)
    return otherwise;
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

std::vector<float> NodeContext::floatsAttr(llvm::StringRef name) const {
  const onnx::AttributeProto *a = findAttr(node, name);
  if (!a)
    return {};
  return std::vector<float>(a->floats().begin(), a->floats().end());
}

const onnx::TensorProto *NodeContext::tensorAttr(llvm::StringRef name) const {
  const onnx::AttributeProto *a = findAttr(node, name);
  return a && a->has_t() ? &a->t() : nullptr;
}

Value NodeContext::scalar(Type element, double value) {
  auto type = RankedTensorType::get({}, element);
  Attribute attr = isa<FloatType>(element)
                       ? Attribute(b.getFloatAttr(element, value))
                       : Attribute(b.getIntegerAttr(
                             element, saturatingInt64(value)));
  return kiln::nn::ConstantOp::create(b, loc,
                                      DenseElementsAttr::get(type, attr));
}

Value NodeContext::logicalNot(Value v) {
  return kiln::nn::EqualOp::create(b, loc, v, scalar(b.getI1Type(), 0));
}

Value NodeContext::logicalAnd(Value x, Value y) {
  return kiln::nn::SelectOp::create(b, loc, x, y, scalar(b.getI1Type(), 0));
}

Value NodeContext::logicalOr(Value x, Value y) {
  return kiln::nn::SelectOp::create(b, loc, x, scalar(b.getI1Type(), 1), y);
}

void NodeContext::setOutput(int i, Value value) {
  if (i < node.output_size() && !node.output(i).empty())
    graph.define(node.output(i), value);
}

void NodeContext::setKnown(int i, KnownTensor tensor) {
  if (i < node.output_size() && !node.output(i).empty())
    graph.defineKnown(node.output(i), std::move(tensor));
}

Value NodeContext::legacyBroadcastOperand(Value lhs, int rhsInput) {
  Value rhs = input(rhsInput);
  if (!rhs || opset >= 7)
    return rhs;
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  if (intAttr("broadcast", 0) == 0) {
    if (lhsType.getShape() != rhsType.getShape()) {
      error() << "operands of shapes " << lhsType << " and " << rhsType
              << " need broadcast=1 at opset " << opset;
      return {};
    }
    return rhs;
  }
  if (!hasAttr("axis"))
    return rhs; // trailing alignment: numpy's rule
  int64_t rank = lhsType.getRank(), rhsRank = rhsType.getRank();
  int64_t axis = intAttr("axis", 0);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis + rhsRank > rank) {
    error() << "axis " << intAttr("axis", 0) << " does not place a rank-"
            << rhsRank << " operand within rank " << rank;
    return {};
  }
  // [d0, .., dk] at `axis` of a rank-`rank` lhs: [d0, .., dk, 1, .., 1].
  SmallVector<int64_t> shape(rhsType.getShape());
  shape.append(rank - axis - rhsRank, 1);
  return kiln::nn::ReshapeOp::create(b, loc, rhs, shape);
}

LogicalResult NodeContext::checkAttrIs(llvm::StringRef attr, int64_t supported,
                                       int64_t otherwise) {
  int64_t value = intAttr(attr, otherwise);
  if (value == supported)
    return success();
  return error() << "attribute " << attr << " = " << value
                 << " is not supported (supported: " << supported << ")";
}

//===----------------------------------------------------------------------===//
// Registry
//===----------------------------------------------------------------------===//

void OpRegistry::add(llvm::StringRef opType, int64_t minOpset, int64_t maxOpset,
                     OpImporter importer) {
  entries[opType.str()].push_back({minOpset, maxOpset, std::move(importer)});
}

const OpRegistry::Entry *OpRegistry::lookup(llvm::StringRef opType,
                                            int64_t opset) const {
  auto it = entries.find(opType.str());
  if (it == entries.end())
    return nullptr;
  for (const Entry &e : it->second)
    if (opset >= e.minOpset && opset <= e.maxOpset)
      return &e;
  return nullptr;
}

std::string OpRegistry::versions(llvm::StringRef opType) const {
  auto it = entries.find(opType.str());
  if (it == entries.end())
    return "";
  std::string text;
  for (const Entry &e : it->second)
    text += (text.empty() ? "" : ", ") + std::to_string(e.minOpset) + "-" +
            std::to_string(e.maxOpset);
  return text;
}

std::vector<std::string> OpRegistry::opTypes() const {
  std::vector<std::string> names;
  for (const auto &entry : entries)
    names.push_back(entry.first);
  return names;
}

const OpRegistry &kiln::onnximport::opRegistry() {
  static const OpRegistry registry = [] {
    OpRegistry r;
    registerActivationOps(r);
    registerArithmeticOps(r);
    registerConvolutionOps(r);
    registerIndexingOps(r);
    registerLinearOps(r);
    registerLossOps(r);
    registerNormalizationOps(r);
    registerPoolingOps(r);
    registerQuantizationOps(r);
    registerReductionOps(r);
    registerResizeOps(r);
    registerShapeOps(r);
    registerWindowOps(r);
    return r;
  }();
  return registry;
}

int64_t kiln::onnximport::saturatingInt64(double value) {
  if (std::isnan(value))
    return 0;
  // 2^63 is exactly representable; every double below it converts.
  if (value >= 9223372036854775808.0)
    return std::numeric_limits<int64_t>::max();
  if (value < -9223372036854775808.0)
    return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(value);
}
