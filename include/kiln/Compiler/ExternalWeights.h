//===- ExternalWeights.h - where a binary's weights live --------*- C++ -*-===//
//
// Part of Kiln. Weights are the model's large constant globals: aligned
// read-only data in the binary, or with `kiln-compile --weights=FILE`
// they leave the binary for FILE. Each becomes a writable,
// zero-initialized global (no space in the binary), which the runtime fills
// from FILE when the model is created (ModelABI.cpp, loadWeights).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_EXTERNALWEIGHTS_H
#define KILN_COMPILER_EXTERNALWEIGHTS_H

#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace kiln {

struct ExternalWeights {
  /// The file's name (without directories): where the runtime looks by
  /// default, beside the binary.
  std::string fileName;
  uint64_t fileBytes = 0;
  uint64_t hash = 0;
  struct Slot {
    llvm::GlobalVariable *global;
    uint64_t offset, bytes;
  };
  std::vector<Slot> slots;
};

/// Aligns every constant global of at least `minBytes` bytes (the weights)
/// to 64 bytes, a cache line and the widest vector, in the binary's
/// read-only data and in side files alike.
void alignWeights(llvm::Module &module, uint64_t minBytes = 64);

/// Moves every constant global of at least `minBytes` bytes into the weights
/// file `path` (written here; the format is in ModelInfo.h).
llvm::Expected<ExternalWeights> moveWeightsToFile(llvm::Module &module,
                                                  llvm::StringRef path,
                                                  uint64_t minBytes = 1024);

} // namespace kiln

#endif // KILN_COMPILER_EXTERNALWEIGHTS_H
