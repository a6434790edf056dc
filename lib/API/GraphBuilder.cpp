//===- GraphBuilder.cpp - build an nn function op by op -------------------===//
//
// Part of Kiln.
//
// Ops are created generically, by name, from attributes given as text: the
// builder needs no code per op, and every nn op infers its own result type.
// Inference runs on an op created without results (so its attributes are in
// its properties), then the real op is created with the inferred types and
// verified on its own.
//
//===----------------------------------------------------------------------===//

#include "CompilerContext.h"

#include "kiln/API/GraphBuilder.h"
#include "kiln/Dialect/NN/NNDialect.h"
#include "kiln/Dialect/NN/NNOps.h"
#include "kiln/Engine/ModelSignature.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace kiln::api {

using detail::DiagnosticCollector;

struct GraphBuilder::Impl {
  std::unique_ptr<mlir::MLIRContext> context;
  /// Always valid IR: one function whose body ends in a func.return of the
  /// outputs set so far; ops are added before it.
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp function;
  std::vector<mlir::Value> values;
  size_t constants = 0;
};

GraphBuilder::GraphBuilder(const std::string &name)
    : impl(std::make_unique<Impl>()) {
  impl->context = detail::createContext();
  MLIRContext *context = impl->context.get();
  context->loadDialect<nn::NNDialect, func::FuncDialect>();
  Location loc = FileLineColLoc::get(context, name, 0, 0);
  impl->module = ModuleOp::create(loc);
  OpBuilder b(context);
  b.setInsertionPointToEnd(impl->module->getBody());
  impl->function =
      func::FuncOp::create(b, loc, name, b.getFunctionType({}, {}));
  Block *body = impl->function.addEntryBlock();
  b.setInsertionPointToEnd(body);
  func::ReturnOp::create(b, loc);
}

GraphBuilder::~GraphBuilder() = default;

static Location locationOf(MLIRContext *context, const std::string &what) {
  return NameLoc::get(StringAttr::get(context, what));
}

/// The tensor type of `spec`, or null with `failure` set.
static RankedTensorType tensorType(const TensorSpec &spec, MLIRContext *context,
                                   Failure &failure) {
  for (int64_t d : spec.shape) {
    if (d < 0) {
      failure.kind = Failure::Kind::Usage;
      failure.message = "dimensions must be non-negative, got " +
                        std::to_string(d) + " in " + spec.describe();
      return {};
    }
  }
  return RankedTensorType::get(spec.shape, toElementType(spec.dtype, context));
}

ValueId GraphBuilder::addInput(const TensorSpec &spec, Failure &failure) {
  RankedTensorType type = tensorType(spec, impl->context.get(), failure);
  if (!type)
    return -1;
  func::FuncOp function = impl->function;
  unsigned index = function.getNumArguments();
  Location loc = locationOf(impl->context.get(), spec.name);
  function.insertArgument(index, type, {}, loc);
  if (!spec.name.empty())
    function.setArgAttr(index, kIONameAttr,
                        StringAttr::get(impl->context.get(), spec.name));
  impl->values.push_back(function.getArgument(index));
  return ValueId(impl->values.size() - 1);
}

ValueId GraphBuilder::addConstant(const TensorSpec &spec, const void *bytes,
                                  size_t size, Failure &failure) {
  MLIRContext *context = impl->context.get();
  RankedTensorType type = tensorType(spec, context, failure);
  if (!type)
    return -1;
  size_t expected = size_t(spec.numElements()) * runtime::dtypeSize(spec.dtype);
  if (size != expected) {
    failure.kind = Failure::Kind::Usage;
    failure.message = "a constant of " + spec.describe() + " needs " +
                      std::to_string(expected) + " bytes, got " +
                      std::to_string(size);
    return -1;
  }
  llvm::ArrayRef<char> data(static_cast<const char *>(bytes), size);
  ElementsAttr value;
  if (spec.dtype == runtime::DType::Bool) {
    // i1 elements are not stored a byte each: build them from values.
    llvm::SmallVector<bool> bools(data.begin(), data.end());
    value = DenseElementsAttr::get(type, llvm::ArrayRef<bool>(bools));
  } else {
    std::string name = spec.name.empty()
                           ? "constant" + std::to_string(impl->constants)
                           : spec.name;
    for (char &c : name)
      if (!llvm::isAlnum(c))
        c = '_';
    value = nn::ConstantOp::buildWeights(type, name, data);
  }
  ++impl->constants;
  OpBuilder b(impl->function.getBody().back().getTerminator());
  auto constant =
      nn::ConstantOp::create(b, locationOf(context, spec.name), value);
  impl->values.push_back(constant.getResult());
  return ValueId(impl->values.size() - 1);
}

std::vector<ValueId>
GraphBuilder::addOp(const std::string &name,
                    const std::vector<ValueId> &operands,
                    const std::vector<AttributeText> &attributes,
                    const std::vector<TensorSpec> &resultTypes,
                    const SourceLine &where, Failure &failure) {
  MLIRContext *context = impl->context.get();
  DiagnosticCollector diagnostics(*context);
  auto usage = [&](const llvm::Twine &message) {
    diagnostics.fail(failure, Failure::Kind::Usage, message);
    return std::vector<ValueId>();
  };
  std::optional<RegisteredOperationName> opName =
      RegisteredOperationName::lookup(name, context);
  if (!opName || opName->getDialectNamespace() != "nn" ||
      opName->getStringRef() == "nn.constant")
    return usage("'" + name + "' is not an nn op (see docs/reference/" +
                 "NNDialect.md; constants come from addConstant)");
  Location loc =
      where.file.empty()
          ? locationOf(context, name)
          : Location(FileLineColLoc::get(context, where.file, where.line, 0));
  OperationState state(loc, *opName);
  for (ValueId id : operands) {
    if (id < 0 || size_t(id) >= impl->values.size())
      return usage("operand " + llvm::Twine(id) + " of " + name +
                   " is not a value of this graph");
    state.addOperands(impl->values[id]);
  }
  for (const auto &[attrName, text] : attributes) {
    size_t read = 0;
    Attribute attr = parseAttribute(text, context, Type(), &read);
    if (!attr || read != text.size())
      return usage("attribute '" + attrName + "' of " + name +
                   ": cannot parse '" + text + "'");
    state.addAttribute(attrName, attr);
  }

  llvm::SmallVector<Type> types;
  for (const TensorSpec &spec : resultTypes) {
    RankedTensorType type = tensorType(spec, context, failure);
    if (!type)
      return {};
    types.push_back(type);
  }
  if (resultTypes.empty()) {
    // Without results, the op only carries its operands and properties.
    Operation *probe = Operation::create(state);
    auto inference = dyn_cast<InferTypeOpInterface>(probe);
    LogicalResult inferred =
        inference ? inference.inferReturnTypes(context, probe->getLoc(),
                                               probe->getOperands(),
                                               probe->getRawDictionaryAttrs(),
                                               probe->getPropertiesStorage(),
                                               probe->getRegions(), types)
                  : mlir::failure();
    probe->destroy();
    if (!inference)
      return usage(name + " does not infer its result types: give them");
    if (failed(inferred))
      return usage("cannot infer the result types of " + name);
  }
  state.addTypes(types);
  OpBuilder b(impl->function.getBody().back().getTerminator());
  Operation *op = b.create(state);
  if (failed(verify(op, /*verifyRecursively=*/false))) {
    op->erase();
    diagnostics.fail(failure, Failure::Kind::Compile, "invalid " + name);
    return {};
  }
  std::vector<ValueId> results;
  for (Value result : op->getResults()) {
    impl->values.push_back(result);
    results.push_back(ValueId(impl->values.size() - 1));
  }
  return results;
}

TensorSpec GraphBuilder::spec(ValueId value) const {
  TensorSpec spec;
  if (value < 0 || size_t(value) >= impl->values.size())
    return spec;
  auto type = dyn_cast<RankedTensorType>(impl->values[value].getType());
  if (!type)
    return spec;
  spec.dtype = toDType(type.getElementType()).value_or(runtime::DType::F32);
  spec.shape.assign(type.getShape().begin(), type.getShape().end());
  return spec;
}

bool GraphBuilder::setOutputs(const std::vector<ValueId> &values,
                              const std::vector<std::string> &names,
                              Failure &failure) {
  if (!names.empty() && names.size() != values.size()) {
    failure.kind = Failure::Kind::Usage;
    failure.message = std::to_string(values.size()) + " outputs but " +
                      std::to_string(names.size()) + " names";
    return false;
  }
  llvm::SmallVector<Value> results;
  for (ValueId id : values) {
    if (id < 0 || size_t(id) >= impl->values.size()) {
      failure.kind = Failure::Kind::Usage;
      failure.message =
          "output " + std::to_string(id) + " is not a value of this graph";
      return false;
    }
    results.push_back(impl->values[id]);
  }
  func::FuncOp function = impl->function;
  Operation *terminator = function.getBody().back().getTerminator();
  terminator->setOperands(results);
  function.setType(FunctionType::get(impl->context.get(),
                                     function.getArgumentTypes(),
                                     ValueRange(results).getTypes()));
  function.setAllResultAttrs(llvm::ArrayRef<DictionaryAttr>());
  for (auto [index, outputName] : llvm::enumerate(names))
    if (!outputName.empty())
      function.setResultAttr(index, kIONameAttr,
                             StringAttr::get(impl->context.get(), outputName));
  return true;
}

void GraphBuilder::clear() {
  func::FuncOp function = impl->function;
  Block &body = function.getBody().back();
  Operation *terminator = body.getTerminator();
  terminator->setOperands({});
  while (&body.front() != terminator)
    terminator->getPrevNode()->erase();
  llvm::BitVector all(function.getNumArguments(), true);
  (void)function.eraseArguments(all);
  function.setType(FunctionType::get(impl->context.get(), {}, {}));
  function.setAllResultAttrs(llvm::ArrayRef<DictionaryAttr>());
  impl->values.clear();
}

std::string GraphBuilder::text(bool weights) const {
  std::string text;
  llvm::raw_string_ostream os(text);
  OpPrintingFlags flags;
  if (!weights)
    flags.elideLargeResourceString(1024);
  impl->module->print(os, flags);
  return text;
}

} // namespace kiln::api
