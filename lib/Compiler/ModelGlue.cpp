//===- ModelGlue.cpp - a compiled model's entry points, as LLVM IR --------===//
//
// Part of Kiln.
//
// The CPU pipeline lowers the model function `@f(tensors...) -> results` to
// `void @nn.f(memref..., memref out...)` whose memref arguments are expanded
// into (allocated ptr, aligned ptr, offset, sizes..., strides...). The
// wrapper built here, `void NAME_invoke(void **buffers)`, passes each dense
// buffer as such a memref with its static shape and row-major strides.
//
//===----------------------------------------------------------------------===//

#include "kiln/Compiler/ModelGlue.h"

#include "kiln/Compiler/ExternalWeights.h"
#include "kiln/Transforms/Passes.h"

#include "llvm/IR/Constants.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IRBuilder.h"

using namespace kiln;
using llvm::Constant;
using llvm::GlobalValue;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

bool kiln::isValidModelName(llvm::StringRef name) {
  auto letter = [](char c) { return llvm::isAlpha(c) || c == '_'; };
  return !name.empty() && letter(name[0]) &&
         llvm::all_of(name, [&](char c) { return letter(c) || llvm::isDigit(c); });
}

bool kiln::isReservedModelName(llvm::StringRef name) {
  return name.starts_with("kiln_") || name.starts_with("_mlir");
}

std::string kiln::toModelName(llvm::StringRef name) {
  std::string result;
  for (char c : name)
    result += llvm::isAlnum(c) ? c : '_';
  if (result.empty() || llvm::isDigit(result[0]))
    result = "model_" + result;
  return result;
}

static std::string invokeName(const ModelGlueOptions &options) {
  return options.name + "_invoke";
}

/// Renames the global that holds `name`, if any, so that an entry point can
/// take it: a function the model only declares keeps its name (the ones it
/// defines have "nn." names).
static void freeName(llvm::Module &module, llvm::StringRef name) {
  if (GlobalValue *holder = module.getNamedValue(name))
    holder->setName(name + ".model");
}

llvm::Error kiln::addModelInvoke(llvm::Module &module,
                                 const ModelGlueOptions &options) {
  llvm::Function *entry =
      module.getFunction(kiln::modelSymbolName(options.entry));
  if (!entry || entry->isDeclaration())
    return makeError("no compiled function '" + options.entry + "'");
  llvm::LLVMContext &context = module.getContext();
  llvm::Type *ptr = llvm::PointerType::getUnqual(context);
  llvm::Type *i64 = llvm::Type::getInt64Ty(context);

  unsigned expected = 0;
  std::vector<const TensorSpec *> tensors;
  for (const TensorSpec &spec : options.inputs)
    tensors.push_back(&spec);
  for (const TensorSpec &spec : options.outputs)
    tensors.push_back(&spec);
  for (const TensorSpec *spec : tensors)
    expected += 3 + 2 * spec->shape.size();
  if (entry->arg_size() != expected || !entry->getReturnType()->isVoidTy())
    return makeError("compiled function '" + options.entry + "' has " +
                     llvm::Twine(entry->arg_size()) + " arguments, expected " +
                     llvm::Twine(expected) + " (memref-expanded buffers)");

  // Everything the model defines is internal: only the entry points made
  // here are visible outside its object.
  for (llvm::Function &f : module)
    if (!f.isDeclaration())
      f.setLinkage(GlobalValue::InternalLinkage);
  // (llvm.global_ctors and _dtors, which load a GPU model's kernels, keep
  // their appending linkage.)
  for (llvm::GlobalVariable &g : module.globals())
    if (!g.isDeclaration() && !g.getName().starts_with("llvm."))
      g.setLinkage(GlobalValue::InternalLinkage);

  freeName(module, invokeName(options));
  freeName(module, options.name + "_create");
  if (options.withMain)
    freeName(module, "main");

  auto *type =
      llvm::FunctionType::get(llvm::Type::getVoidTy(context), {ptr}, false);
  auto *invoke = llvm::Function::Create(type, GlobalValue::ExternalLinkage,
                                        invokeName(options), module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", invoke));
  std::vector<llvm::Value *> args;
  for (auto [i, spec] : llvm::enumerate(tensors)) {
    llvm::Value *slot = b.CreateConstGEP1_64(ptr, invoke->getArg(0), i);
    llvm::Value *data = b.CreateLoad(ptr, slot);
    args.push_back(data); // allocated
    args.push_back(data); // aligned
    args.push_back(llvm::ConstantInt::get(i64, 0));
    for (int64_t size : spec->shape)
      args.push_back(llvm::ConstantInt::get(i64, size));
    std::vector<int64_t> strides(spec->shape.size(), 1);
    for (int64_t d = int64_t(spec->shape.size()) - 2; d >= 0; --d)
      strides[d] = strides[d + 1] * spec->shape[d + 1];
    for (int64_t stride : strides)
      args.push_back(llvm::ConstantInt::get(i64, stride));
  }
  b.CreateCall(entry, args);
  b.CreateRetVoid();
  return llvm::Error::success();
}

namespace {
/// Builds constant data of the info table.
struct TableBuilder {
  llvm::Module &module;
  llvm::LLVMContext &context = module.getContext();
  llvm::Type *ptr = llvm::PointerType::getUnqual(context);
  llvm::Type *i32 = llvm::Type::getInt32Ty(context);
  llvm::Type *i64 = llvm::Type::getInt64Ty(context);

  Constant *string(llvm::StringRef text, const llvm::Twine &name) {
    Constant *data = llvm::ConstantDataArray::getString(context, text);
    auto *global = new llvm::GlobalVariable(
        module, data->getType(), true, GlobalValue::PrivateLinkage, data, name);
    global->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    return global;
  }

  Constant *array(llvm::Type *element, llvm::ArrayRef<Constant *> elements,
                  const llvm::Twine &name) {
    if (elements.empty())
      return llvm::ConstantPointerNull::get(
          llvm::PointerType::getUnqual(context));
    auto *type = llvm::ArrayType::get(element, elements.size());
    return new llvm::GlobalVariable(
        module, type, true, GlobalValue::PrivateLinkage,
        llvm::ConstantArray::get(type, elements), name);
  }

  /// kiln_tensor_info {name, dtype, rank, shape}.
  llvm::StructType *tensorType() {
    return llvm::StructType::get(context, {ptr, i32, i32, ptr});
  }

  Constant *tensors(const std::vector<TensorSpec> &specs,
                    const std::string &prefix) {
    std::vector<Constant *> entries;
    for (auto [i, spec] : llvm::enumerate(specs)) {
      std::vector<Constant *> dims;
      for (int64_t d : spec.shape)
        dims.push_back(llvm::ConstantInt::get(i64, d));
      Constant *shape = array(i64, dims, prefix + ".shape." + llvm::Twine(i));
      if (dims.empty())
        // A rank-0 tensor's shape pointer still points somewhere.
        shape = array(i64, {llvm::ConstantInt::get(i64, 0)},
                      prefix + ".shape." + llvm::Twine(i));
      entries.push_back(llvm::ConstantStruct::get(
          tensorType(),
          {string(spec.name, prefix + ".name." + llvm::Twine(i)),
           llvm::ConstantInt::get(i32, static_cast<int>(spec.dtype)),
           llvm::ConstantInt::get(i32, spec.shape.size()), shape}));
    }
    return array(tensorType(), entries, prefix);
  }
};
} // namespace

void kiln::addModelEntryPoints(llvm::Module &module,
                               const ModelGlueOptions &options,
                               const ExternalWeights *weights) {
  TableBuilder t{module};
  llvm::LLVMContext &context = module.getContext();
  llvm::Type *ptr = t.ptr, *i32 = t.i32, *i64 = t.i64;
  llvm::Type *f64 = llvm::Type::getDoubleTy(context);
  std::string prefix = "__kiln." + options.name;

  Constant *weightsFile =
      llvm::ConstantPointerNull::get(llvm::PointerType::getUnqual(context));
  Constant *weightSlots = weightsFile;
  uint64_t weightsBytes = 0, weightsHash = 0, numWeights = 0;
  if (weights) {
    weightsFile = t.string(weights->fileName, prefix + ".weights_file");
    auto *slotType = llvm::StructType::get(context, {ptr, i64, i64});
    std::vector<Constant *> slots;
    for (const ExternalWeights::Slot &slot : weights->slots)
      slots.push_back(llvm::ConstantStruct::get(
          slotType, {slot.global, llvm::ConstantInt::get(i64, slot.offset),
                     llvm::ConstantInt::get(i64, slot.bytes)}));
    weightSlots = t.array(slotType, slots, prefix + ".weights");
    weightsBytes = weights->fileBytes;
    weightsHash = weights->hash;
    numWeights = slots.size();
  }

  llvm::Function *invoke = module.getFunction(invokeName(options));
  invoke->setLinkage(GlobalValue::InternalLinkage);
  // kiln_model_info, field by field (ModelInfo.h).
  auto *infoType =
      llvm::StructType::get(context, {i32, i32, i32, i32, ptr, ptr, ptr, ptr,
                                      ptr, f64, ptr, i64, i64, i32, ptr, i32});
  Constant *info = llvm::ConstantStruct::get(
      infoType, {llvm::ConstantInt::get(i32, 1), // KILN_ABI_VERSION
                 llvm::ConstantInt::get(i32, options.inputs.size()),
                 llvm::ConstantInt::get(i32, options.outputs.size()),
                 llvm::ConstantInt::get(i32, options.defaultThreads),
                 t.string(options.name, prefix + ".name"),
                 t.string(options.entry, prefix + ".entry"),
                 t.tensors(options.inputs, prefix + ".inputs"),
                 t.tensors(options.outputs, prefix + ".outputs"), invoke,
                 llvm::ConstantFP::get(f64, options.flops), weightsFile,
                 llvm::ConstantInt::get(i64, weightsBytes),
                 llvm::ConstantInt::get(i64, weightsHash),
                 llvm::ConstantInt::get(i32, numWeights), weightSlots,
                 // KILN_DEVICE_CPU or KILN_DEVICE_CUDA.
                 llvm::ConstantInt::get(i32, options.cuda ? 1 : 0)});
  auto *infoGlobal = new llvm::GlobalVariable(module, infoType, true,
                                              GlobalValue::InternalLinkage,
                                              info, prefix + ".info");

  // kiln_model *NAME_create(const char *weights_path).
  llvm::FunctionCallee create = module.getOrInsertFunction(
      "kiln_model_create", llvm::FunctionType::get(ptr, {ptr, ptr}, false));
  auto *userCreate = llvm::Function::Create(
      llvm::FunctionType::get(ptr, {ptr}, false), GlobalValue::ExternalLinkage,
      options.name + "_create", module);
  {
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", userCreate));
    b.CreateRet(b.CreateCall(create, {infoGlobal, userCreate->getArg(0)}));
  }

  if (options.withMain) {
    llvm::FunctionCallee modelMain = module.getOrInsertFunction(
        "kiln_model_main",
        llvm::FunctionType::get(i32, {ptr, i32, ptr}, false));
    auto *main =
        llvm::Function::Create(llvm::FunctionType::get(i32, {i32, ptr}, false),
                               GlobalValue::ExternalLinkage, "main", module);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", main));
    b.CreateRet(b.CreateCall(modelMain,
                             {infoGlobal, main->getArg(0), main->getArg(1)}));
  }
}
