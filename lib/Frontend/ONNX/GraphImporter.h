//===- GraphImporter.h - ONNX graph to nn, the shared machinery -*- C++ -*-===//
//
// Part of Kiln. What every op importer uses: the values of the graph (an
// nn Value, and for tensors whose contents are known at import time, those
// contents), the node being imported with typed access to its inputs and
// attributes, and the table from op types to importers.
//
// Known contents (initializers, Constant outputs, results of shape
// arithmetic on them) are kept on the host and only become nn.constant ops
// when an op needs them as data: Reshape's shape input, Slice's starts and
// the Shape -> Gather -> Concat chains that exporters emit are folded at
// import, so the nn IR has static shapes.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_LIB_FRONTEND_ONNX_GRAPHIMPORTER_H
#define KILN_LIB_FRONTEND_ONNX_GRAPHIMPORTER_H

#include "kiln/Dialect/NN/NNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "onnx/onnx_pb.h"

namespace kiln::onnximport {

/// A tensor whose contents are known at import time. Integer and bool
/// tensors keep their values as int64, floating-point ones as double (for
/// folding) plus the raw little-endian bytes (for weights, exactly).
struct KnownTensor {
  int32_t dataType = onnx::TensorProto::FLOAT; // an onnx::TensorProto_DataType
  std::vector<int64_t> dims;
  std::vector<int64_t> ints;  // integer/bool types
  std::vector<double> floats; // floating-point types
  std::string raw;            // bytes in dataType's layout
  std::string name;           // for the weight's resource name

  bool isInteger() const;
  int64_t numElements() const;
  /// The value of a one-element tensor whose contents were decoded.
  std::optional<double> scalar() const;
  /// Rewrites `raw` from `ints` or `floats` in `dataType`'s layout; false
  /// for types it cannot encode (float16, bfloat16).
  bool encode();
  /// An int64 tensor of `values` with `dims` (default: 1-D).
  static KnownTensor ofInts(std::vector<int64_t> values,
                            std::optional<std::vector<int64_t>> dims = {});
  /// A floating-point tensor (FLOAT or DOUBLE) of `values` with `dims`.
  static KnownTensor ofFloats(std::vector<double> values,
                              std::vector<int64_t> dims,
                              int32_t dataType = onnx::TensorProto::FLOAT);
};

/// "node 'conv1'", or for unnamed nodes what they compute.
std::string describeNode(const onnx::NodeProto &node);

/// The element type of an ONNX data type, or null if nn has none.
mlir::Type elementType(mlir::MLIRContext *context, int32_t dataType);
/// "FLOAT", "INT64", ...
std::string dataTypeName(int32_t dataType);
/// The ONNX data types nn has element types for, for messages.
const char *supportedDataTypes();
/// Bytes per element of `dataType`, 0 for types the importer cannot read.
size_t elementBytes(int32_t dataType);

class GraphImporter;

/// The node an op importer works on.
class NodeContext {
public:
  NodeContext(GraphImporter &graph, const onnx::NodeProto &node, int64_t opset,
              mlir::OpBuilder &builder, mlir::Location loc)
      : graph(graph), node(node), opset(opset), b(builder), loc(loc) {}

  GraphImporter &graph;
  const onnx::NodeProto &node;
  /// The model's opset for the node's domain.
  const int64_t opset;
  mlir::OpBuilder &b;
  const mlir::Location loc;

  /// Number of inputs, counting trailing empty (omitted) ones.
  int numInputs() const { return node.input_size(); }
  /// Whether input `i` is given (present and not the empty name).
  bool hasInput(int i) const;
  /// Input `i` as an nn value (materializing known contents); null and an
  /// error when it is missing.
  mlir::Value input(int i);
  /// Input `i`'s ranked tensor type (null and an error otherwise).
  mlir::RankedTensorType inputType(int i);
  /// Input `i`'s contents when known at import time; an error naming the
  /// input when `required` and they are not.
  const KnownTensor *known(int i, bool required = true);
  /// Input `i`'s contents as integers, which must be known (an error
  /// otherwise).
  mlir::FailureOr<std::vector<int64_t>> knownInts(int i);
  /// Input `i`'s one value (known), as a double; an error otherwise.
  mlir::FailureOr<double> knownScalar(int i);

  bool hasAttr(llvm::StringRef name) const;
  int64_t intAttr(llvm::StringRef name, int64_t otherwise) const;
  float floatAttr(llvm::StringRef name, float otherwise) const;
  std::string stringAttr(llvm::StringRef name, llvm::StringRef otherwise) const;
  std::vector<int64_t> intsAttr(llvm::StringRef name,
                                std::vector<int64_t> otherwise = {}) const;
  std::vector<float> floatsAttr(llvm::StringRef name) const;
  const onnx::TensorProto *tensorAttr(llvm::StringRef name) const;

  /// Sets output `i`.
  void setOutput(int i, mlir::Value value);
  /// Sets output `i` to contents known at import time.
  void setKnown(int i, KnownTensor tensor);

  /// A rank-0 nn.constant of `element` holding `value`.
  mlir::Value scalar(mlir::Type element, double value);
  /// Bool tensors (i1), elementwise with numpy broadcasting: not `v`,
  /// `a and b`, `a or b`.
  mlir::Value logicalNot(mlir::Value v);
  mlir::Value logicalAnd(mlir::Value a, mlir::Value b);
  mlir::Value logicalOr(mlir::Value a, mlir::Value b);
  /// Input `i`'s rank and element type shortcuts (input must exist).
  mlir::Type elementOf(mlir::Value v) const {
    return mlir::cast<mlir::ShapedType>(v.getType()).getElementType();
  }

  /// Input 1 of a binary op, ready for numpy broadcasting with input 0 `lhs`
  /// under the node's opset. Before opset 7 ONNX broadcast differently: only
  /// with the attribute broadcast=1 (else the shapes are equal), the second
  /// operand aligned at `axis` (default: the trailing dimensions); it is
  /// reshaped to align. Null after an error.
  mlir::Value legacyBroadcastOperand(mlir::Value lhs, int rhsInput = 1);

  /// An error about this node: "ONNX <op> (opset N, node 'name'): ...".
  mlir::InFlightDiagnostic error();

  /// Failure when `attr` has a value other than the supported ones.
  mlir::LogicalResult checkAttrIs(llvm::StringRef attr, int64_t supported,
                                  int64_t otherwise);
};

/// Checks the node's attributes (names, types, duplicates, required ones)
/// and its numbers of inputs and outputs against ONNX's schema of the op at
/// the node's opset (NodeSchema.cpp); an error naming the node otherwise.
mlir::LogicalResult checkNodeSchema(NodeContext &ctx);

using OpImporter = std::function<mlir::LogicalResult(NodeContext &)>;

/// The importer of a one-input op that is one nn op.
template <typename Op> OpImporter unaryImporter() {
  return [](NodeContext &ctx) -> mlir::LogicalResult {
    mlir::Value x = ctx.input(0);
    if (!x)
      return mlir::failure();
    ctx.setOutput(0, Op::create(ctx.b, ctx.loc, x));
    return mlir::success();
  };
}

/// Op type -> importer, with the opset versions it handles.
class OpRegistry {
public:
  /// Registers `importer` for `opType` at opsets [minOpset, maxOpset].
  void add(llvm::StringRef opType, int64_t minOpset, int64_t maxOpset,
           OpImporter importer);
  struct Entry {
    int64_t minOpset, maxOpset;
    OpImporter importer;
  };
  const Entry *lookup(llvm::StringRef opType, int64_t opset) const;
  /// The versions registered for `opType`, "7-18", or "" when none.
  std::string versions(llvm::StringRef opType) const;
  std::vector<std::string> opTypes() const;

private:
  std::map<std::string, std::vector<Entry>> entries;
};

/// The registry with every supported op (built once).
const OpRegistry &opRegistry();

// One registration function per op family (the files of this folder).
void registerActivationOps(OpRegistry &registry);
void registerArithmeticOps(OpRegistry &registry);
void registerConvolutionOps(OpRegistry &registry);
void registerIndexingOps(OpRegistry &registry);
void registerLinearOps(OpRegistry &registry);
void registerLossOps(OpRegistry &registry);
void registerNormalizationOps(OpRegistry &registry);
void registerPoolingOps(OpRegistry &registry);
void registerQuantizationOps(OpRegistry &registry);
void registerReductionOps(OpRegistry &registry);
void registerResizeOps(OpRegistry &registry);
void registerShapeOps(OpRegistry &registry);
void registerWindowOps(OpRegistry &registry);

/// The values of a graph being imported.
class GraphImporter {
public:
  GraphImporter(mlir::OpBuilder &builder, mlir::Location loc)
      : b(builder), loc(loc) {}

  struct ValueInfo {
    mlir::Value value;
    std::optional<KnownTensor> known;
  };
  /// Null when `name` is not (yet) defined.
  ValueInfo *find(llvm::StringRef name);
  void define(llvm::StringRef name, mlir::Value value);
  void defineKnown(llvm::StringRef name, KnownTensor tensor);
  /// The value of `name`, materializing known contents as nn.constant.
  mlir::Value materialize(llvm::StringRef name, mlir::Location at);

  /// Offers the value that the argument `name` (declared `type`) will have
  /// at run time, in the .npy file `path`: ops that need the argument's
  /// contents at import use it (see ONNXImportOptions::argumentFiles).
  void offerArgumentValue(llvm::StringRef name, llvm::StringRef path,
                          const onnx::TypeProto &type);
  /// Whether `name` is an argument with an offered value.
  bool hasArgumentValue(llvm::StringRef name) const {
    return offered.count(name) != 0;
  }
  /// The offered value of the argument `name`, read on first use (and
  /// recorded in `specialized`); an error when the file cannot be read or
  /// does not match the argument.
  llvm::Expected<const KnownTensor *> argumentValue(llvm::StringRef name);
  /// The arguments whose offered values were used, in order of first use.
  std::vector<std::string> specialized;
  /// Whether offered values count as known for every op (else only where an
  /// op requires its input known).
  bool specializeEverywhere = false;

private:
  mlir::OpBuilder &b;
  mlir::Location loc;
  llvm::StringMap<ValueInfo> values;
  struct OfferedValue {
    std::string path;
    const onnx::TypeProto *type;
    std::optional<KnownTensor> value; // once read
  };
  llvm::StringMap<OfferedValue> offered;
};

/// An nn.constant of `tensor` (weights as dense resources).
mlir::Value buildConstant(mlir::OpBuilder &b, mlir::Location loc,
                          const KnownTensor &tensor);

/// Reads a TensorProto's contents (typed fields or raw_data; external data
/// from `baseDir`). Errors name the tensor.
llvm::Expected<KnownTensor> readTensor(const onnx::TensorProto &tensor,
                                       llvm::StringRef baseDir);

/// Reads the .npy file `path` as the value of the tensor `name`. Errors name
/// the file.
llvm::Expected<KnownTensor> readNpyTensor(llvm::StringRef path,
                                          llvm::StringRef name);

/// Whether `tensor` has the element type and shape of `type` (a graph input's
/// or an argument's); otherwise an explanation ("has int32 [3], the model
/// declares INT64 [2]").
std::optional<std::string> mismatchWith(const KnownTensor &tensor,
                                        const onnx::TypeProto &type);

/// The `[begin..., end...]` pads of a Conv or pooling node over the spatial
/// sizes `input`, from its `pads` or `auto_pad` attribute.
mlir::FailureOr<std::vector<int64_t>>
resolvePads(NodeContext &ctx, llvm::ArrayRef<int64_t> input,
            llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> strides,
            llvm::ArrayRef<int64_t> dilations);

/// A convolution of `x` by `w` plus `bias` (may be null) with the node's
/// Conv attributes (strides, pads or auto_pad, dilations, group), over 1 to
/// 3 spatial dimensions.
mlir::FailureOr<mlir::Value> convolveLikeConv(NodeContext &ctx, mlir::Value x,
                                              mlir::Value w, mlir::Value bias);

/// saturate(round(v) + zeroPoint) as `element` (ui8 or i8): ONNX's
/// quantization of `v`, already divided by its scale. Halves round to even.
mlir::Value quantizeRounded(NodeContext &ctx, mlir::Value v,
                            mlir::Value zeroPoint, mlir::Type element);

/// `value` rounded toward zero and saturated to int64's range (NaN: 0): a
/// double read from a model may hold anything, and a plain conversion of
/// one out of range is undefined behavior.
int64_t saturatingInt64(double value);

/// Normalizes `axis` of a rank-`rank` tensor to [0, rank); -1 when out of
/// range.
int64_t normalizeAxis(int64_t axis, int64_t rank);

} // namespace kiln::onnximport

#endif // KILN_LIB_FRONTEND_ONNX_GRAPHIMPORTER_H
