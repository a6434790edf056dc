//===- ExternalWeights.cpp - where a binary's weights live ----------------===//
//
// Part of Kiln.
//
// Runs on the optimized module: LLVM has already folded what it could from
// the constants' values, so turning them into writable globals filled at
// run time changes no computed value.
//
//===----------------------------------------------------------------------===//

#include "kiln/Compiler/ExternalWeights.h"

#include "llvm/IR/Constants.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace kiln;

/// Appends the bytes of `value` (arrays of arrays of scalars, as memref
/// globals are) to `out`; false for other kinds of constants.
static bool appendBytes(const llvm::Constant *value, std::string &out,
                        const llvm::DataLayout &layout) {
  if (auto *data = llvm::dyn_cast<llvm::ConstantDataSequential>(value)) {
    out += data->getRawDataValues();
    return true;
  }
  if (llvm::isa<llvm::ConstantAggregateZero>(value)) {
    out.append(layout.getTypeAllocSize(value->getType()), '\0');
    return true;
  }
  if (auto *array = llvm::dyn_cast<llvm::ConstantArray>(value)) {
    for (const llvm::Use &element : array->operands())
      if (!appendBytes(llvm::cast<llvm::Constant>(element.get()), out, layout))
        return false;
    return true;
  }
  return false;
}

static uint64_t fnv1a(uint64_t hash, llvm::StringRef bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

void kiln::alignWeights(llvm::Module &module, uint64_t minBytes) {
  const llvm::DataLayout &layout = module.getDataLayout();
  for (llvm::GlobalVariable &global : module.globals())
    if (global.isConstant() && global.hasInitializer() &&
        layout.getTypeAllocSize(global.getValueType()) >= minBytes &&
        global.getAlign().valueOrOne().value() < 64)
      global.setAlignment(llvm::Align(64));
}

llvm::Expected<ExternalWeights> kiln::moveWeightsToFile(llvm::Module &module,
                                                        llvm::StringRef path,
                                                        uint64_t minBytes) {
  const llvm::DataLayout &layout = module.getDataLayout();
  std::error_code error;
  llvm::raw_fd_ostream file(path, error, llvm::sys::fs::OF_None);
  if (error)
    return llvm::createStringError(error, "cannot write weights file '" + path +
                                              "': " + error.message());
  ExternalWeights weights;
  weights.fileName = llvm::sys::path::filename(path).str();
  weights.hash = 0xcbf29ce484222325ull;
  file << "KILNWTS1";
  uint64_t offset = 8;
  for (llvm::GlobalVariable &global : module.globals()) {
    if (!global.isConstant() || !global.hasInitializer() ||
        global.isDeclaration())
      continue;
    uint64_t bytes = layout.getTypeAllocSize(global.getValueType());
    if (bytes < minBytes)
      continue;
    std::string data;
    if (!appendBytes(global.getInitializer(), data, layout) ||
        data.size() != bytes)
      continue; // not plain data: stays in the binary
    uint64_t aligned = llvm::alignTo(offset, 64);
    file.write_zeros(aligned - offset);
    file << data;
    weights.hash = fnv1a(weights.hash, data);
    weights.slots.push_back({&global, aligned, bytes});
    offset = aligned + bytes;
    // Zero-initialized and writable: it takes no space in the binary.
    global.setInitializer(llvm::Constant::getNullValue(global.getValueType()));
    global.setConstant(false);
    global.setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::None);
    if (global.getAlign().valueOrOne().value() < 64)
      global.setAlignment(llvm::Align(64));
  }
  weights.fileBytes = offset;
  file.close();
  if (file.has_error())
    return llvm::createStringError(file.error(),
                                   "cannot write weights file '" + path + "'");
  return weights;
}
