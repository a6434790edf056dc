//===- ModelSignature.cpp - the function a model compiles -----------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Engine/ModelSignature.h"

#include "kiln/Analysis/FlopCount.h"
#include "kiln/Dialect/NN/NNOps.h"

using namespace mlir;
using kiln::runtime::DType;

namespace kiln {

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::optional<DType> toDType(Type type) {
  if (type.isF32())
    return DType::F32;
  if (type.isF64())
    return DType::F64;
  if (type.isF16())
    return DType::F16;
  if (type.isSignlessInteger(1))
    return DType::Bool;
  if (type.isSignlessInteger(8))
    return DType::I8;
  if (type.isSignlessInteger(16))
    return DType::I16;
  if (type.isSignlessInteger(32))
    return DType::I32;
  if (type.isSignlessInteger(64))
    return DType::I64;
  if (type.isUnsignedInteger(8))
    return DType::U8;
  if (type.isUnsignedInteger(16))
    return DType::U16;
  if (type.isUnsignedInteger(32))
    return DType::U32;
  if (type.isUnsignedInteger(64))
    return DType::U64;
  return std::nullopt;
}

Type toElementType(DType dtype, MLIRContext *context) {
  Builder b(context);
  switch (dtype) {
  case DType::F32:
    return b.getF32Type();
  case DType::F64:
    return b.getF64Type();
  case DType::F16:
    return b.getF16Type();
  case DType::Bool:
    return b.getI1Type();
  case DType::I8:
    return b.getI8Type();
  case DType::I16:
    return b.getI16Type();
  case DType::I32:
    return b.getI32Type();
  case DType::I64:
    return b.getI64Type();
  case DType::U8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case DType::U16:
    return b.getIntegerType(16, /*isSigned=*/false);
  case DType::U32:
    return b.getIntegerType(32, /*isSigned=*/false);
  case DType::U64:
    return b.getIntegerType(64, /*isSigned=*/false);
  }
  return {};
}

/// The spec of argument or result `index` of type `type`.
static llvm::Expected<TensorSpec> toSpec(Type type, StringRef kind,
                                         unsigned index) {
  std::string name = (kind + " #" + llvm::Twine(index)).str();
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return makeError(name + " is not a ranked tensor");
  if (!tensor.hasStaticShape())
    return makeError(name + " has a dynamic shape; only static shapes can be "
                            "compiled yet");
  if (nn::exceedsMaxTensorElements(tensor.getShape()))
    return makeError(name + " has more elements than Kiln supports (at most "
                            "2^40)");
  std::optional<DType> dtype = toDType(tensor.getElementType());
  if (!dtype) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << tensor.getElementType();
    return makeError(name + " has unsupported element type " + text);
  }
  return TensorSpec{name, *dtype, std::vector<int64_t>(tensor.getShape())};
}

/// The function to compile: `name`, or the only public function.
static llvm::Expected<func::FuncOp> findEntry(ModuleOp module, StringRef name) {
  if (!name.empty()) {
    auto func = module.lookupSymbol<func::FuncOp>(name);
    if (!func || func.isExternal())
      return makeError("no function named '" + name + "' in the module");
    return func;
  }
  SmallVector<func::FuncOp> candidates;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      candidates.push_back(func);
  if (candidates.size() == 1)
    return candidates.front();
  if (candidates.empty())
    return makeError("the module has no public function to run");
  std::string names;
  for (func::FuncOp f : candidates)
    names += (names.empty() ? "" : ", ") + f.getSymName().str();
  return makeError("the module has several public functions (" + names +
                   "); choose one with --entry");
}

llvm::Expected<ModelSignature> getModelSignature(ModuleOp module,
                                                 StringRef entryName) {
  llvm::Expected<func::FuncOp> entry = findEntry(module, entryName);
  if (!entry)
    return entry.takeError();
  ModelSignature signature;
  signature.function = *entry;
  FunctionType type = entry->getFunctionType();
  for (auto [i, t] : llvm::enumerate(type.getInputs())) {
    llvm::Expected<TensorSpec> spec = toSpec(t, "input", i);
    if (!spec)
      return spec.takeError();
    if (auto name = entry->getArgAttrOfType<StringAttr>(i, kIONameAttr))
      spec->name = name.str();
    signature.inputs.push_back(std::move(*spec));
  }
  for (auto [i, t] : llvm::enumerate(type.getResults())) {
    llvm::Expected<TensorSpec> spec = toSpec(t, "output", i);
    if (!spec)
      return spec.takeError();
    if (auto name = entry->getResultAttrOfType<StringAttr>(i, kIONameAttr))
      spec->name = name.str();
    signature.outputs.push_back(std::move(*spec));
  }
  signature.flops = countFlops(*entry);
  return signature;
}

void removeIONames(func::FuncOp function) {
  for (unsigned i = 0; i < function.getNumArguments(); ++i)
    function.removeArgAttr(i, kIONameAttr);
  for (unsigned i = 0; i < function.getNumResults(); ++i)
    function.removeResultAttr(i, kIONameAttr);
}

} // namespace kiln
