//===- ModelGlue.h - a model's entry points, as LLVM IR ---------*- C++ -*-===//
//
// Part of Kiln. What turns the LLVM IR of a model function into something
// the runtime can call (ModelInfo.h): a wrapper that takes an array of
// buffer pointers, the kiln_model_info table, NAME_create and, for
// executables, main. Everything else in the module becomes internal, so
// several models link into one program and LLVM optimizes each as a whole.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_MODELGLUE_H
#define KILN_COMPILER_MODELGLUE_H

#include "kiln/Runtime/RunCommand.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace kiln {

struct ExternalWeights;

struct ModelGlueOptions {
  /// C identifier of the model: NAME_create.
  std::string name;
  /// The compiled function (its memref-expanded LLVM form).
  std::string entry;
  std::vector<TensorSpec> inputs, outputs;
  double flops = 0;
  /// kiln-compile --threads (0: the runtime's default).
  int defaultThreads = 0;
  /// Define `main` (executables).
  bool withMain = false;
  /// The kernels run on an NVIDIA GPU (kiln_model_info.device).
  bool cuda = false;
};

/// Before optimization: adds the buffer-array wrapper of `options.entry` and
/// makes every other definition internal.
llvm::Error addModelInvoke(llvm::Module &module,
                           const ModelGlueOptions &options);

/// After optimization (and moveWeightsToFile, when `weights` is given): the
/// info table, NAME_create and main.
void addModelEntryPoints(llvm::Module &module, const ModelGlueOptions &options,
                         const ExternalWeights *weights);

/// Whether `name` can be a C identifier prefix.
bool isValidModelName(llvm::StringRef name);
/// Whether NAME_create would clash with the runtime's own symbols.
bool isReservedModelName(llvm::StringRef name);
/// `name` made into a C identifier (other characters become '_').
std::string toModelName(llvm::StringRef name);

} // namespace kiln

#endif // KILN_COMPILER_MODELGLUE_H
