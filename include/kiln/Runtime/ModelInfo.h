/*===- ModelInfo.h - what kiln-compile tells the runtime ----------*- C -*-===*\
|*                                                                            *|
|* Part of Kiln's runtime. The contract between kiln-compile and the runtime, *|
|* not part of the user-facing ABI (ModelABI.h): every compiled model object  *|
|* holds one constant kiln_model_info, built as LLVM IR by                   *|
|* lib/Compiler/ModelGlue.cpp field by field in this order (keep the two in  *|
|* step; ModelABI.cpp checks the offsets on LP64 targets), and its           *|
|* NAME_create and main pass it to the functions below.                      *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef KILN_RUNTIME_MODELINFO_H
#define KILN_RUNTIME_MODELINFO_H

#include "kiln/Runtime/ModelABI.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A weight the model reads from a side file (kiln-compile --weights): the
 * compiled code's writable global at `address` receives `bytes` bytes from
 * `offset` in the file. */
typedef struct kiln_weight_slot {
  void *address;
  uint64_t offset;
  uint64_t bytes;
} kiln_weight_slot;

typedef struct kiln_model_info {
  uint32_t abi_version; /* KILN_ABI_VERSION */
  int32_t num_inputs;
  int32_t num_outputs;
  int32_t default_threads; /* kiln-compile --threads; 0 = the runtime's */
  const char *name;        /* the C name (NAME_create) */
  const char *entry;       /* the compiled function */
  const kiln_tensor_info *inputs;
  const kiln_tensor_info *outputs;
  /* Runs the model: `buffers` holds the inputs' then the outputs' data. */
  void (*invoke)(void **buffers);
  double flops;
  /* Side weights file (NULL: weights are embedded). The file is the
   * "KILNWTS1" magic, then every slot's bytes at its offset (64-byte
   * aligned); weights_bytes is the file's size and weights_hash FNV-1a
   * (64-bit) of the slots' bytes in order. */
  const char *weights_file;
  uint64_t weights_bytes;
  uint64_t weights_hash;
  int32_t num_weights;
  const kiln_weight_slot *weights;
  /* Where the kernels run: KILN_DEVICE_CPU, or KILN_DEVICE_CUDA (an NVIDIA
   * GPU, through Kiln's CUDA runtime, CUDARuntime.h). */
  int32_t device;
} kiln_model_info;

enum { KILN_DEVICE_CPU = 0, KILN_DEVICE_CUDA = 1 };

/* Makes the model's device ready on the calling thread (a CUDA model: the
 * driver, device $KILN_CUDA_DEVICE, default 0). Returns 0, else -1 with
 * the reason in kiln_last_error(). NAME_create calls it. */
int kiln_model_init_device(const kiln_model_info *info);

/* NAME_create's body. */
kiln_model *kiln_model_create(const kiln_model_info *info,
                              const char *weights_path);

/* An executable's main: the command line of kiln-run without the model. */
int kiln_model_main(const kiln_model_info *info, int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif /* KILN_RUNTIME_MODELINFO_H */
