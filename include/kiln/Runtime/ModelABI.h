/*===- ModelABI.h - the C ABI of models compiled by kiln-compile --*- C -*-===*\
|*                                                                            *|
|* Part of Kiln's runtime. A model compiled with `kiln-compile --emit=lib`,   *|
|* `--emit=shared` or `--emit=obj` is used through these functions; the      *|
|* header kiln-compile writes (`--emit=header`, and beside every library)    *|
|* is this text plus the model's own create function and a comment listing   *|
|* its inputs and outputs. docs/aot.md documents the ABI with an example.    *|
|*                                                                            *|
|* Stability: the functions and types below keep their meaning across Kiln  *|
|* versions with the same KILN_ABI_VERSION; new functions may be added.      *|
|* Errors: functions that can fail return a negative value (or NULL) and     *|
|* set a message that kiln_last_error() returns (per thread).                *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef KILN_MODEL_ABI_H
#define KILN_MODEL_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KILN_ABI_VERSION 1

/* What a shared library made by kiln-compile exports. */
#if defined(__GNUC__)
#define KILN_API __attribute__((visibility("default")))
#else
#define KILN_API
#endif

/* Element types (numpy's names in kiln_dtype_name). */
typedef enum kiln_dtype {
  KILN_BOOL = 0,
  KILN_INT8 = 1,
  KILN_UINT8 = 2,
  KILN_INT16 = 3,
  KILN_INT32 = 4,
  KILN_INT64 = 5,
  KILN_FLOAT16 = 6,
  KILN_FLOAT32 = 7,
  KILN_FLOAT64 = 8,
  KILN_UINT16 = 9,
  KILN_UINT32 = 10,
  KILN_UINT64 = 11
} kiln_dtype;

/* One input or output: a dense, C-ordered (row-major) array. */
typedef struct kiln_tensor_info {
  const char *name; /* "input #0", or the frontend's name */
  int32_t dtype;    /* a kiln_dtype */
  int32_t rank;
  const int64_t *shape; /* rank sizes */
} kiln_tensor_info;

/* An instance of a compiled model: its buffer bindings. Instances of the same
 * model share the weights; each may run on its own thread. */
typedef struct kiln_model kiln_model;

/* Each model's header declares its create function:
 *   kiln_model *NAME_create(const char *weights_path);
 * `weights_path` is NULL for weights embedded in the binary; for a model
 * compiled with --weights=FILE, NULL looks for FILE's name beside the binary
 * (executable or shared library) that holds the model, else it is the path
 * of the weights file. Weights are loaded once per process. Returns NULL
 * (see kiln_last_error) on failure. */

KILN_API const char *kiln_model_name(const kiln_model *model);
KILN_API int32_t kiln_model_num_inputs(const kiln_model *model);
KILN_API int32_t kiln_model_num_outputs(const kiln_model *model);
/* NULL when `index` is out of range. */
KILN_API const kiln_tensor_info *kiln_model_input(const kiln_model *model,
                                                  int32_t index);
KILN_API const kiln_tensor_info *kiln_model_output(const kiln_model *model,
                                                   int32_t index);
/* Bytes of a dense array of that shape and dtype. */
KILN_API size_t kiln_tensor_bytes(const kiln_tensor_info *info);
/* numpy's name of a kiln_dtype ("float32"), or "unknown". */
KILN_API const char *kiln_dtype_name(int32_t dtype);
/* Floating-point operations of one run (0 when unknown). */
KILN_API double kiln_model_flops(const kiln_model *model);

/* Binds caller-owned memory to an input or output; `bytes` must equal
 * kiln_tensor_bytes of its info. The memory must stay valid while the model
 * runs; a binding lasts until it is replaced. Returns 0, or -1. */
KILN_API int kiln_model_bind_input(kiln_model *model, int32_t index,
                                   const void *data, size_t bytes);
KILN_API int kiln_model_bind_output(kiln_model *model, int32_t index,
                                    void *data, size_t bytes);
/* Runs once on the bound inputs. Outputs without a binding go to buffers the
 * instance owns (see kiln_model_output_data). Returns 0, or -1. */
KILN_API int kiln_model_run(kiln_model *model);
/* An output's memory: its binding, else the instance's own buffer after the
 * first run; NULL before that or when `index` is out of range. */
KILN_API void *kiln_model_output_data(kiln_model *model, int32_t index);
KILN_API void kiln_model_free(kiln_model *model);

/* The last error of this thread ("" when none). */
KILN_API const char *kiln_last_error(void);

/* Threads the compiled loops run on: default $KILN_NUM_THREADS, else the
 * model's compiled-in count (kiln-compile --threads), else every CPU the
 * process may use. */
KILN_API void kiln_set_num_threads(int32_t n);
KILN_API int32_t kiln_get_num_threads(void);

#ifdef __cplusplus
}
#endif

#endif /* KILN_MODEL_ABI_H */
