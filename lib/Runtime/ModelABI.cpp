//===- ModelABI.cpp - the C ABI of compiled models ------------------------===//
//
// Part of Kiln's runtime (no MLIR/LLVM dependency). Implements ModelABI.h on
// top of the kiln_model_info table that kiln-compile puts into every model
// (ModelInfo.h), including loading side weights files.
//
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/ModelABI.h"

#include "kiln/Runtime/CUDARuntime.h"
#include "kiln/Runtime/ModelInfo.h"
#include "kiln/Runtime/Npy.h"
#include "kiln/Runtime/ThreadPool.h"

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#ifdef __linux__
#include <dlfcn.h>
#include <unistd.h>
#endif

using kiln::runtime::AlignedFree;
using kiln::runtime::allocateAligned;

// The compiler lays the table out as a C compiler does on LP64 targets
// (lib/Compiler/ModelGlue.cpp); these pin the offsets it assumes.
static_assert(sizeof(void *) != 8 || offsetof(kiln_model_info, name) == 16,
              "kiln_model_info layout");
static_assert(sizeof(void *) != 8 || offsetof(kiln_model_info, flops) == 56,
              "kiln_model_info layout");
static_assert(sizeof(void *) != 8 || offsetof(kiln_model_info, weights) == 96,
              "kiln_model_info layout");
static_assert(sizeof(void *) != 8 || offsetof(kiln_model_info, device) == 104,
              "kiln_model_info layout");
static_assert(sizeof(void *) != 8 || sizeof(kiln_tensor_info) == 24,
              "kiln_tensor_info layout");

struct kiln_model {
  const kiln_model_info *info;
  std::vector<const void *> inputs; // bindings (null: unbound)
  std::vector<void *> outputs;
  std::vector<std::unique_ptr<char[], AlignedFree>> ownedOutputs;
  std::vector<void *> buffers; // what invoke gets
};

namespace {

thread_local std::string lastError;

int setError(const std::string &message) {
  lastError = message;
  return -1;
}

/// FNV-1a, 64-bit, continued from `hash`.
uint64_t fnv1a(uint64_t hash, const unsigned char *data, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    hash ^= data[i];
    hash *= 0x100000001b3ull;
  }
  return hash;
}
constexpr uint64_t kFnvBasis = 0xcbf29ce484222325ull;
constexpr char kWeightsMagic[8] = {'K', 'I', 'L', 'N', 'W', 'T', 'S', '1'};

/// The directory of the binary (executable or shared library) that holds
/// `address`, with a trailing '/'; empty when unknown.
std::string directoryOf(const void *address) {
  std::string path;
#ifdef __linux__
  Dl_info where;
  if (dladdr(address, &where) && where.dli_fname && where.dli_fname[0] == '/')
    path = where.dli_fname;
  if (path.empty()) {
    char buffer[4096];
    ssize_t n = readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
    if (n > 0)
      path.assign(buffer, n);
  }
#endif
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

/// Loads `info`'s side weights from `path` into its slots, checking that the
/// file is the one the model was compiled with.
int loadWeights(const kiln_model_info *info, const std::string &path) {
  FILE *file = std::fopen(path.c_str(), "rb");
  if (!file)
    return setError(path +
                    ": cannot open weights file: " + std::strerror(errno));
  struct Closer {
    FILE *f;
    ~Closer() { std::fclose(f); }
  } closer{file};
  char magic[8];
  if (std::fread(magic, 1, 8, file) != 8 ||
      std::memcmp(magic, kWeightsMagic, 8) != 0)
    return setError(path + ": not a Kiln weights file (bad magic)");
  if (std::fseek(file, 0, SEEK_END) != 0)
    return setError(path + ": cannot seek");
  long size = std::ftell(file);
  if (size < 0 || static_cast<uint64_t>(size) != info->weights_bytes)
    return setError(path + ": " + std::to_string(size) + " bytes, but model '" +
                    info->name + "' was compiled with a weights file of " +
                    std::to_string(info->weights_bytes) + " bytes");
  uint64_t hash = kFnvBasis;
  for (int32_t i = 0; i < info->num_weights; ++i) {
    const kiln_weight_slot &slot = info->weights[i];
    if (std::fseek(file, static_cast<long>(slot.offset), SEEK_SET) != 0 ||
        std::fread(slot.address, 1, slot.bytes, file) != slot.bytes)
      return setError(path + ": cannot read weight " + std::to_string(i));
    hash = fnv1a(hash, static_cast<const unsigned char *>(slot.address),
                 slot.bytes);
  }
  if (hash != info->weights_hash)
    return setError(path + ": the weights differ from those model '" +
                    std::string(info->name) + "' was compiled with");
  return 0;
}

/// Loads the weights of `info` once per process.
int ensureWeights(const kiln_model_info *info, const char *requested) {
  if (!info->weights_file)
    return 0;
  static std::mutex mutex;
  static std::vector<std::pair<const kiln_model_info *, std::string>> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  std::string path = requested ? std::string(requested)
                               : directoryOf(info) + info->weights_file;
  for (const auto &[model, from] : loaded) {
    if (model != info)
      continue;
    if (requested && from != path)
      return setError("model '" + std::string(info->name) +
                      "' already has its weights from " + from +
                      "; a process loads them once");
    return 0;
  }
  if (loadWeights(info, path) != 0)
    return -1;
  loaded.emplace_back(info, path);
  return 0;
}

size_t bytesOf(const kiln_tensor_info &t) {
  size_t n =
      kiln::runtime::dtypeSize(static_cast<kiln::runtime::DType>(t.dtype));
  for (int32_t d = 0; d < t.rank; ++d)
    n *= static_cast<size_t>(t.shape[d]);
  return n;
}

} // namespace

extern "C" {

/// The CUDA runtime's error, taken (cleared) for the next run.
static std::string takeCUDAError() {
  const char *error = kiln_cuda_error();
  std::string message = error ? error : "unknown CUDA error";
  kiln_cuda_clear_error();
  return message;
}

int kiln_model_init_device(const kiln_model_info *info) {
  if (!info || info->device != KILN_DEVICE_CUDA)
    return 0;
  int device = 0;
  if (const char *chosen = std::getenv("KILN_CUDA_DEVICE")) {
    char *end = nullptr;
    long value = std::strtol(chosen, &end, 10);
    if (!*chosen || *end || value < 0 || value > 1024)
      return setError("KILN_CUDA_DEVICE must be a device number, got '" +
                      std::string(chosen) + "'");
    device = static_cast<int>(value);
  }
  // Threads that run the model later make the same device current.
  mgpuSetDefaultDevice(device);
  if (kiln_cuda_init(device) != 0)
    return setError("the model runs on an NVIDIA GPU (CUDA device " +
                    std::to_string(device) + "): " + takeCUDAError());
  return 0;
}

kiln_model *kiln_model_create(const kiln_model_info *info,
                              const char *weights_path) {
  lastError.clear();
  if (!info || info->abi_version != KILN_ABI_VERSION) {
    setError("model was compiled for another version of the Kiln runtime");
    return nullptr;
  }
  if (kiln_model_init_device(info) != 0)
    return nullptr;
  if (ensureWeights(info, weights_path) != 0)
    return nullptr;
  kiln_suggest_num_threads(info->default_threads);
  auto *model = new kiln_model();
  model->info = info;
  model->inputs.assign(info->num_inputs, nullptr);
  model->outputs.assign(info->num_outputs, nullptr);
  model->ownedOutputs.resize(info->num_outputs);
  model->buffers.resize(info->num_inputs + info->num_outputs);
  return model;
}

const char *kiln_model_name(const kiln_model *model) {
  return model ? model->info->name : "";
}
int32_t kiln_model_num_inputs(const kiln_model *model) {
  return model ? model->info->num_inputs : 0;
}
int32_t kiln_model_num_outputs(const kiln_model *model) {
  return model ? model->info->num_outputs : 0;
}
const kiln_tensor_info *kiln_model_input(const kiln_model *model,
                                         int32_t index) {
  if (!model || index < 0 || index >= model->info->num_inputs)
    return nullptr;
  return &model->info->inputs[index];
}
const kiln_tensor_info *kiln_model_output(const kiln_model *model,
                                          int32_t index) {
  if (!model || index < 0 || index >= model->info->num_outputs)
    return nullptr;
  return &model->info->outputs[index];
}
size_t kiln_tensor_bytes(const kiln_tensor_info *info) {
  return info ? bytesOf(*info) : 0;
}
const char *kiln_dtype_name(int32_t dtype) {
  if (dtype < KILN_BOOL || dtype > KILN_UINT64)
    return "unknown";
  return kiln::runtime::dtypeName(static_cast<kiln::runtime::DType>(dtype));
}
double kiln_model_flops(const kiln_model *model) {
  return model ? model->info->flops : 0;
}

static int bind(kiln_model *model, bool input, int32_t index, const void *data,
                size_t bytes) {
  if (!model)
    return setError("null model");
  const char *kind = input ? "input" : "output";
  int32_t count = input ? model->info->num_inputs : model->info->num_outputs;
  if (index < 0 || index >= count)
    return setError("model '" + std::string(model->info->name) + "' has " +
                    std::to_string(count) + " " + kind + "s, no " + kind +
                    " #" + std::to_string(index));
  const kiln_tensor_info &t =
      input ? model->info->inputs[index] : model->info->outputs[index];
  if (!data)
    return setError(std::string(t.name) + ": null buffer");
  if (bytes != bytesOf(t))
    return setError(std::string(t.name) + ": " + std::to_string(bytes) +
                    " bytes given, expected " + std::to_string(bytesOf(t)));
  if (input)
    model->inputs[index] = data;
  else
    model->outputs[index] = const_cast<void *>(data);
  return 0;
}

int kiln_model_bind_input(kiln_model *model, int32_t index, const void *data,
                          size_t bytes) {
  return bind(model, true, index, data, bytes);
}
int kiln_model_bind_output(kiln_model *model, int32_t index, void *data,
                           size_t bytes) {
  return bind(model, false, index, data, bytes);
}

int kiln_model_run(kiln_model *model) {
  if (!model)
    return setError("null model");
  const kiln_model_info &info = *model->info;
  for (int32_t i = 0; i < info.num_inputs; ++i) {
    if (!model->inputs[i])
      return setError(std::string(info.inputs[i].name) +
                      " is not bound (kiln_model_bind_input)");
    model->buffers[i] = const_cast<void *>(model->inputs[i]);
  }
  for (int32_t i = 0; i < info.num_outputs; ++i) {
    void *out = model->outputs[i];
    if (!out) {
      if (!model->ownedOutputs[i]) {
        // At least one byte, so that empty outputs get a distinct buffer.
        model->ownedOutputs[i] = allocateAligned(bytesOf(info.outputs[i]) + 1);
        if (!model->ownedOutputs[i])
          return setError(std::string(info.outputs[i].name) +
                          ": out of memory");
      }
      out = model->ownedOutputs[i].get();
    }
    model->buffers[info.num_inputs + i] = out;
  }
  info.invoke(model->buffers.data());
  // Launches and copies report failures through the CUDA runtime.
  if (info.device == KILN_DEVICE_CUDA && kiln_cuda_error())
    return setError("running on the GPU failed: " + takeCUDAError());
  return 0;
}

void *kiln_model_output_data(kiln_model *model, int32_t index) {
  if (!model || index < 0 || index >= model->info->num_outputs)
    return nullptr;
  if (model->outputs[index])
    return model->outputs[index];
  return model->ownedOutputs[index].get();
}

void kiln_model_free(kiln_model *model) { delete model; }

const char *kiln_last_error(void) { return lastError.c_str(); }

} // extern "C"
