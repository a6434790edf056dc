//===- ONNXImporter.cpp - ONNX models into the nn dialect -----------------===//
//
// Part of Kiln. The driver: read and check the model file, create the
// function from the graph's inputs, import the nodes in dependency order
// through the op registry, return the graph's outputs.
//
//===----------------------------------------------------------------------===//

#include "kiln/Frontend/ONNX/ONNXImporter.h"

#include "GraphImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <queue>

using namespace mlir;
using namespace kiln::onnximport;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string kiln::supportedONNXOps() {
  return llvm::join(opRegistry().opTypes(), ", ");
}

namespace {

/// Imports one model; every problem is emitted as a diagnostic at `fileLoc`
/// (or the node's location) and makes run() fail.
class ModelImporter {
public:
  ModelImporter(const onnx::ModelProto &model, llvm::StringRef path,
                MLIRContext &context)
      : model(model), path(path), context(context), b(&context),
        fileLoc(FileLineColLoc::get(&context, path, 0, 0)) {}

  /// Imports the model. With `everywhere`, the values offered for
  /// arguments (ONNXImportOptions::argumentFiles) count as known for every
  /// op, not only where an op needs them.
  FailureOr<OwningOpRef<ModuleOp>> run(const kiln::ONNXImportOptions &options,
                                       bool everywhere = false);

private:
  LogicalResult readOpset();
  LogicalResult addInitializers(GraphImporter &graph);
  LogicalResult bindInputs(GraphImporter &graph,
                           const kiln::ONNXImportOptions &options);
  FailureOr<Type> valueType(const onnx::ValueInfoProto &info);
  /// The nodes in an order where every input is defined first.
  FailureOr<std::vector<const onnx::NodeProto *>>
  orderNodes(const llvm::StringSet<> &defined);
  LogicalResult importNode(GraphImporter &graph, const onnx::NodeProto &node);

  const onnx::ModelProto &model;
  std::string path;
  MLIRContext &context;
  OpBuilder b;
  Location fileLoc;
  int64_t opset = 0;
};

LogicalResult ModelImporter::readOpset() {
  for (const onnx::OperatorSetIdProto &id : model.opset_import())
    if (id.domain().empty() || id.domain() == "ai.onnx")
      opset = id.version();
  if (opset <= 0)
    return emitError(fileLoc) << "the model imports no version of the "
                                 "default ONNX operator set";
  return success();
}

LogicalResult ModelImporter::addInitializers(GraphImporter &graph) {
  std::string baseDir = llvm::sys::path::parent_path(path).str();
  for (const onnx::TensorProto &tensor : model.graph().initializer()) {
    llvm::Expected<KnownTensor> read = readTensor(tensor, baseDir);
    if (!read)
      return emitError(fileLoc)
             << "initializer: " << llvm::toString(read.takeError());
    graph.defineKnown(tensor.name(), std::move(*read));
  }
  return success();
}

LogicalResult
ModelImporter::bindInputs(GraphImporter &graph,
                          const kiln::ONNXImportOptions &options) {
  const onnx::GraphProto &g = model.graph();
  for (const auto &[name, file] : options.boundInputs) {
    const onnx::ValueInfoProto *input = nullptr;
    for (const onnx::ValueInfoProto &candidate : g.input())
      if (candidate.name() == name)
        input = &candidate;
    if (!input) {
      std::vector<std::string> names;
      for (const onnx::ValueInfoProto &candidate : g.input())
        names.push_back("'" + candidate.name() + "'");
      return emitError(fileLoc)
             << "--bind " << name << ": the model has no input '" << name
             << "' (its inputs: " << llvm::join(names, ", ") << ")";
    }
    llvm::Expected<KnownTensor> value = readNpyTensor(file, name);
    if (!value)
      return emitError(fileLoc)
             << "--bind " << name << ": " << llvm::toString(value.takeError());
    if (std::optional<std::string> why = mismatchWith(*value, input->type()))
      return emitError(fileLoc)
             << "--bind " << name << ": " << file << " " << *why;
    // (A bound input that also has an initializer, its default, takes the
    // bound value.)
    graph.defineKnown(name, std::move(*value));
  }
  return success();
}

FailureOr<Type> ModelImporter::valueType(const onnx::ValueInfoProto &info) {
  auto fail = [&]() {
    return emitError(fileLoc)
           << "graph input or output '" << info.name() << "' ";
  };
  if (!info.type().has_tensor_type())
    return fail() << "is not a tensor (sequences, maps and optionals are not "
                     "supported)";
  const auto &tensor = info.type().tensor_type();
  Type element = elementType(&context, tensor.elem_type());
  if (!element)
    return fail() << "has unsupported " << dataTypeName(tensor.elem_type())
                  << " (supported: " << supportedDataTypes() << ")";
  if (!tensor.has_shape())
    return fail() << "has no shape; Kiln compiles static shapes";
  SmallVector<int64_t> shape;
  for (const auto &dim : tensor.shape().dim()) {
    if (!dim.has_dim_value() || dim.dim_value() < 0)
      return fail() << "has a symbolic dimension"
                    << (dim.has_dim_param() ? " '" + dim.dim_param() + "'"
                                            : std::string())
                    << "; Kiln compiles static shapes (export the model with "
                       "fixed sizes)";
    shape.push_back(dim.dim_value());
  }
  if (kiln::nn::exceedsMaxTensorElements(shape))
    return fail() << "has more elements than Kiln supports (at most 2^40)";
  return Type(RankedTensorType::get(shape, element));
}

FailureOr<std::vector<const onnx::NodeProto *>>
ModelImporter::orderNodes(const llvm::StringSet<> &defined) {
  const auto &nodes = model.graph().node();
  int n = nodes.size();
  llvm::StringMap<int> producer;
  for (int i = 0; i < n; ++i)
    for (const std::string &out : nodes[i].output())
      if (!out.empty())
        producer[out] = i;
  // Kahn's algorithm, taking ready nodes in file order.
  std::vector<int> waiting(n, 0);
  std::vector<std::vector<int>> consumers(n);
  for (int i = 0; i < n; ++i) {
    for (const std::string &in : nodes[i].input()) {
      if (in.empty() || defined.contains(in))
        continue;
      auto it = producer.find(in);
      if (it == producer.end())
        return emitError(fileLoc)
               << "input '" << in << "' of " << describeNode(nodes[i]) << " ("
               << nodes[i].op_type()
               << ") is not a graph input, an initializer or the output of "
                  "any node";
      ++waiting[i];
      consumers[it->second].push_back(i);
    }
  }
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < n; ++i)
    if (waiting[i] == 0)
      ready.push(i);
  std::vector<const onnx::NodeProto *> order;
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    order.push_back(&nodes[i]);
    for (int c : consumers[i])
      if (--waiting[c] == 0)
        ready.push(c);
  }
  if (static_cast<int>(order.size()) != n) {
    for (int i = 0; i < n; ++i)
      if (waiting[i] > 0)
        return emitError(fileLoc)
               << "the graph has a cycle: " << describeNode(nodes[i]) << " ("
               << nodes[i].op_type() << ") depends on its own output";
  }
  return order;
}

LogicalResult ModelImporter::importNode(GraphImporter &graph,
                                        const onnx::NodeProto &node) {
  Location loc = NameLoc::get(
      b.getStringAttr(node.name().empty() ? node.op_type() : node.name()),
      fileLoc);
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return emitError(loc) << "ONNX " << node.op_type() << " ("
                          << describeNode(node) << "): operator domain '"
                          << node.domain()
                          << "' is not supported (only the default domain)";
  const OpRegistry &registry = opRegistry();
  const OpRegistry::Entry *entry = registry.lookup(node.op_type(), opset);
  if (!entry) {
    std::string versions = registry.versions(node.op_type());
    if (versions.empty())
      return emitError(loc)
             << "ONNX op '" << node.op_type() << "' (opset " << opset << ", "
             << describeNode(node) << ") is not supported; supported ops: "
             << kiln::supportedONNXOps();
    return emitError(loc) << "ONNX " << node.op_type() << " ("
                          << describeNode(node) << "): opset " << opset
                          << " is not supported (supported opsets: " << versions
                          << ")";
  }
  // The ops a node becomes are verified right away, so that an nn op
  // rejecting its operands (an integer Max, say) is reported as this node's
  // problem.
  struct Collector : OpBuilder::Listener {
    SmallVector<Operation *> ops;
    void notifyOperationInserted(Operation *op,
                                 OpBuilder::InsertPoint) override {
      ops.push_back(op);
    }
  } collector;
  NodeContext ctx(graph, node, opset, b, loc);
  if (failed(checkNodeSchema(ctx)))
    return failure();
  b.setListener(&collector);
  LogicalResult imported = entry->importer(ctx);
  b.setListener(nullptr);
  if (failed(imported))
    return failure();
  for (Operation *op : collector.ops)
    if (failed(verify(op, /*verifyRecursively=*/false)))
      return ctx.error() << "its inputs are not supported by " << op->getName()
                         << " (see the error above)";
  for (const std::string &out : node.output()) {
    if (out.empty())
      continue;
    if (!graph.find(out))
      return ctx.error() << "output '" << out << "' is not supported";
  }
  return success();
}

FailureOr<OwningOpRef<ModuleOp>>
ModelImporter::run(const kiln::ONNXImportOptions &options, bool everywhere) {
  if (!model.has_graph())
    return emitError(fileLoc) << "not an ONNX model: it has no graph";
  if (failed(readOpset()))
    return failure();
  const onnx::GraphProto &g = model.graph();

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  b.setInsertionPointToEnd(module->getBody());
  std::string name = options.functionName;
  if (name.empty()) {
    for (char c : g.name())
      name += llvm::isAlnum(c) ? c : '_';
    if (name.empty() || llvm::isDigit(name[0]))
      name = "main";
  }
  GraphImporter graph(b, fileLoc);
  graph.specializeEverywhere = everywhere;
  if (failed(addInitializers(graph)) || failed(bindInputs(graph, options)))
    return failure();

  // Arguments: the graph inputs that are not initializers.
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const onnx::ValueInfoProto &input : g.input()) {
    if (graph.find(input.name()))
      continue;
    FailureOr<Type> type = valueType(input);
    if (failed(type))
      return failure();
    if (argNames.size() < options.argumentFiles.size())
      graph.offerArgumentValue(
          input.name(), options.argumentFiles[argNames.size()], input.type());
    argTypes.push_back(*type);
    argNames.push_back(input.name());
  }
  auto func =
      func::FuncOp::create(b, fileLoc, name, b.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToStart(body);
  llvm::StringSet<> defined;
  for (auto [i, argName] : llvm::enumerate(argNames)) {
    graph.define(argName, body->getArgument(i));
    func.setArgAttr(i, "nn.name", b.getStringAttr(argName));
  }
  for (const onnx::TensorProto &t : g.initializer())
    defined.insert(t.name());
  for (const auto &bound : options.boundInputs)
    defined.insert(bound.first);
  for (const std::string &argName : argNames)
    defined.insert(argName);

  FailureOr<std::vector<const onnx::NodeProto *>> order = orderNodes(defined);
  if (failed(order))
    return failure();
  for (const onnx::NodeProto *node : *order)
    if (failed(importNode(graph, *node)))
      return failure();
  if (options.specializedOn)
    *options.specializedOn = graph.specialized;

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : g.output()) {
    Value v = graph.materialize(output.name(), fileLoc);
    if (!v)
      return emitError(fileLoc) << "graph output '" << output.name()
                                << "' is not computed by the graph";
    results.push_back(v);
  }
  if (results.empty())
    return emitError(fileLoc) << "the graph has no outputs";
  func::ReturnOp::create(b, fileLoc, results);
  func.setType(b.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, output] : llvm::enumerate(g.output()))
    func.setResultAttr(i, "nn.name", b.getStringAttr(output.name()));
  if (failed(verify(*module)))
    return failure();
  return module;
}

} // namespace

llvm::Expected<OwningOpRef<ModuleOp>>
kiln::importONNX(llvm::StringRef bytes, llvm::StringRef path,
                 MLIRContext &context, const ONNXImportOptions &options) {
  context.loadDialect<kiln::nn::NNDialect, func::FuncDialect>();
  if (bytes.size() > static_cast<size_t>(INT32_MAX))
    return makeError(path + ": larger than 2 GiB, protobuf's limit (store the "
                            "weights as ONNX external data)");
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return makeError(path + ": not a valid ONNX model (the protobuf data is "
                            "truncated or corrupt)");
  auto cannotImport = [&] {
    return makeError("cannot import " + path + " (see the diagnostics above)");
  };
  if (options.argumentFiles.empty()) {
    FailureOr<OwningOpRef<ModuleOp>> module =
        ModelImporter(model, path, context).run(options);
    if (failed(module))
      return cannotImport();
    return std::move(*module);
  }
  // With argument values offered, the model is first specialized only where
  // an op needs a value at import. When a needed value is computed from
  // arguments (Cast(size) -> Range, say), that fails; the import is then
  // repeated with the offered values known everywhere. The first attempt's
  // diagnostics are the ones reported if both fail.
  struct Held {
    Location loc;
    DiagnosticSeverity severity;
    std::string message;
  };
  std::vector<Held> held;
  FailureOr<OwningOpRef<ModuleOp>> module = failure();
  {
    ScopedDiagnosticHandler hold(&context, [&](Diagnostic &diag) {
      held.push_back({diag.getLocation(), diag.getSeverity(), diag.str()});
      return success();
    });
    module = ModelImporter(model, path, context).run(options);
  }
  if (succeeded(module))
    return std::move(*module);
  {
    ScopedDiagnosticHandler quiet(&context,
                                  [](Diagnostic &) { return success(); });
    module =
        ModelImporter(model, path, context).run(options, /*everywhere=*/true);
  }
  if (succeeded(module))
    return std::move(*module);
  for (const Held &diag : held)
    context.getDiagEngine().emit(diag.loc, diag.severity) << diag.message;
  return cannotImport();
}

llvm::Expected<OwningOpRef<ModuleOp>>
kiln::importONNXFile(llvm::StringRef path, MLIRContext &context,
                     const ONNXImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError("cannot open input file '" + path +
                     "': " + buffer.getError().message());
  return importONNX((*buffer)->getBuffer(), path, context, options);
}

llvm::Expected<std::vector<std::pair<std::string, std::string>>>
kiln::parseInputBindings(llvm::ArrayRef<std::string> arguments) {
  std::vector<std::pair<std::string, std::string>> bindings;
  for (const std::string &argument : arguments) {
    auto [name, file] = llvm::StringRef(argument).split('=');
    if (name.empty() || file.empty())
      return makeError("--bind takes NAME=FILE.npy (an input's name and a "
                       ".npy file with its value), got '" +
                       argument + "'");
    for (const auto &earlier : bindings)
      if (earlier.first == name)
        return makeError("--bind " + name + " is given twice");
    bindings.emplace_back(name.str(), file.str());
  }
  return bindings;
}
