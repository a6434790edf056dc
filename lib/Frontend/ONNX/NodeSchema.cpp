//===- NodeSchema.cpp - nodes checked against ONNX's operator schemas -----===//
//
// Part of Kiln. Before a node is imported, its attributes and arity are
// checked against the operator schema ONNX publishes for the model's opset
// (libonnx's OpSchemaRegistry), so that op importers can trust them: an
// attribute of the wrong type used to read as its default (Softmax's axis
// given as a FLOAT became the last axis), a Concat without inputs crashed
// the importer, extra inputs to Relu were ignored.
//
// The registry knows the opsets of the libonnx Kiln was built with. For a
// newer opset the schema of the last known version still gives the types of
// the attributes it has; attributes it does not know and the arity are then
// left to the op importers.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "llvm/ADT/StringSet.h"

#include "onnx/defs/schema.h"

using namespace mlir;
using namespace kiln::onnximport;

/// The type of `attribute`: its `type` field, or for writers that leave it
/// unset (it is optional in old IR versions) the one field that holds a
/// value.
static onnx::AttributeProto::AttributeType
typeOf(const onnx::AttributeProto &attribute) {
  using A = onnx::AttributeProto;
  if (attribute.type() != A::UNDEFINED)
    return attribute.type();
  if (attribute.has_f())
    return A::FLOAT;
  if (attribute.has_i())
    return A::INT;
  if (attribute.has_s())
    return A::STRING;
  if (attribute.has_t())
    return A::TENSOR;
  if (attribute.has_g())
    return A::GRAPH;
  if (attribute.has_sparse_tensor())
    return A::SPARSE_TENSOR;
  if (attribute.has_tp())
    return A::TYPE_PROTO;
  if (attribute.floats_size())
    return A::FLOATS;
  if (attribute.ints_size())
    return A::INTS;
  if (attribute.strings_size())
    return A::STRINGS;
  if (attribute.tensors_size())
    return A::TENSORS;
  if (attribute.graphs_size())
    return A::GRAPHS;
  return A::UNDEFINED;
}

static std::string typeName(onnx::AttributeProto::AttributeType type) {
  return onnx::AttributeProto::AttributeType_Name(type);
}

/// The newest opset of the default domain the linked libonnx has schemas for.
static int knownOpset() {
  static const int known = [] {
    const auto &ranges =
        onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
    auto it = ranges.find(onnx::ONNX_DOMAIN);
    return it == ranges.end() ? 0 : it->second.second;
  }();
  return known;
}

LogicalResult kiln::onnximport::checkNodeSchema(NodeContext &ctx) {
  const onnx::NodeProto &node = ctx.node;
  llvm::StringSet<> seen;
  for (const onnx::AttributeProto &attribute : node.attribute())
    if (!seen.insert(attribute.name()).second)
      return ctx.error() << "attribute '" << attribute.name()
                         << "' is given more than once";

  const onnx::OpSchema *schema = onnx::OpSchemaRegistry::Schema(
      node.op_type(), static_cast<int>(ctx.opset), onnx::ONNX_DOMAIN);
  if (!schema)
    return success(); // an op ONNX does not define: the importer says so
  bool exact = ctx.opset <= knownOpset();
  const auto &declared = schema->attributes();

  for (const onnx::AttributeProto &attribute : node.attribute()) {
    auto it = declared.find(attribute.name());
    if (it == declared.end()) {
      if (!exact)
        continue;
      std::string names;
      for (const auto &[name, unused] : declared)
        names += (names.empty() ? "" : ", ") + name;
      return ctx.error() << "unknown attribute '" << attribute.name()
                         << "' (" << node.op_type() << "-"
                         << schema->since_version() << " has "
                         << (names.empty() ? "none" : names) << ")";
    }
    onnx::AttributeProto::AttributeType actual = typeOf(attribute);
    if (actual != it->second.type)
      return ctx.error() << "attribute '" << attribute.name() << "' must be "
                         << typeName(it->second.type) << ", got "
                         << (actual == onnx::AttributeProto::UNDEFINED
                                 ? std::string("no value")
                                 : typeName(actual));
  }
  // Minimum numbers of inputs and outputs have not grown in newer opsets:
  // they are checked for every opset.
  auto count = [](int n, const char *noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
  };
  int inputs = node.input_size(), outputs = node.output_size();
  if (inputs < schema->min_input())
    return ctx.error() << "needs at least "
                       << count(schema->min_input(), "input") << ", got "
                       << inputs;
  if (outputs < schema->min_output())
    return ctx.error() << "needs at least "
                       << count(schema->min_output(), "output") << ", got "
                       << outputs;
  if (!exact)
    return success();

  for (const auto &[name, attribute] : declared)
    if (attribute.required && !seen.contains(name))
      return ctx.error() << "the required attribute '" << name << "' ("
                         << typeName(attribute.type) << ") is missing";

  if (inputs > schema->max_input())
    return ctx.error() << "takes at most " << count(schema->max_input(), "input")
                       << ", got " << inputs;
  if (outputs > schema->max_output())
    return ctx.error() << "has at most " << count(schema->max_output(), "output")
                       << ", got " << outputs;
  return success();
}
