/* run_model.c - use a model compiled by kiln-compile from C.
 *
 * Works with any model: include its header and name its create function.
 *
 *   kiln-compile docs/examples/tiny_cnn.mlir --emit=lib -o libtiny_cnn.a
 *   cc -O2 -DMODEL_HEADER='"tiny_cnn.h"' -DMODEL_CREATE=tiny_cnn_create \
 *      -I. docs/examples/run_model.c libtiny_cnn.a -lm -pthread \
 *      -o run_model
 *   ./run_model image.bin probs.bin
 *
 * Arguments: one raw file per input (the tensor's bytes, row-major, as
 * numpy's `array.tofile` writes them), then one file per output to write.
 * It prints each input and output, checks that the ABI reports misuse as
 * errors, runs the model and writes the outputs. docs/aot.md explains the
 * ABI; test/tools/kiln-compile/c-abi.test runs this program.
 */
#include MODEL_HEADER

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void describe(const char *kind, const kiln_tensor_info *t) {
  printf("%s %s: %s [", kind, t->name, kiln_dtype_name(t->dtype));
  for (int32_t d = 0; d < t->rank; ++d)
    printf("%s%lld", d ? ", " : "", (long long)t->shape[d]);
  printf("], %zu bytes\n", kiln_tensor_bytes(t));
}

/* Reads exactly `bytes` bytes of `path` into a new buffer. */
static void *read_file(const char *path, size_t bytes) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "run_model: cannot open %s\n", path);
    return NULL;
  }
  void *data = malloc(bytes ? bytes : 1);
  size_t got = fread(data, 1, bytes, f);
  int extra = fgetc(f) != EOF;
  fclose(f);
  if (got != bytes || extra) {
    fprintf(stderr, "run_model: %s: expected %zu bytes\n", path, bytes);
    free(data);
    return NULL;
  }
  return data;
}

/* Misuse is an error with a message, never a crash. */
static int check_errors(kiln_model *model) {
  int ok = 1;
  float dummy[1] = {0};
  if (kiln_model_bind_input(model, 0, dummy, 1) == 0)
    ok = 0; /* wrong size */
  printf("bind with a wrong size: %s\n", kiln_last_error());
  if (kiln_model_bind_input(model, kiln_model_num_inputs(model), dummy, 4) == 0)
    ok = 0; /* no such input */
  printf("bind a missing input: %s\n", kiln_last_error());
  if (kiln_model_num_inputs(model) > 0 && kiln_model_run(model) == 0)
    ok = 0; /* inputs not bound yet */
  printf("run before binding: %s\n", kiln_last_error());
  if (kiln_model_input(model, -1) != NULL)
    ok = 0;
  return ok;
}

int main(int argc, char **argv) {
  kiln_model *model = MODEL_CREATE(NULL);
  if (!model) {
    fprintf(stderr, "run_model: %s\n", kiln_last_error());
    return 1;
  }
  int32_t n_in = kiln_model_num_inputs(model);
  int32_t n_out = kiln_model_num_outputs(model);
  printf("model %s: %d inputs, %d outputs, %.0f FLOP per run\n",
         kiln_model_name(model), n_in, n_out, kiln_model_flops(model));
  for (int32_t i = 0; i < n_in; ++i)
    describe("input", kiln_model_input(model, i));
  for (int32_t i = 0; i < n_out; ++i)
    describe("output", kiln_model_output(model, i));
  if (argc != 1 + n_in + n_out) {
    fprintf(stderr, "run_model: give %d input files and %d output files\n",
            n_in, n_out);
    return 1;
  }
  if (!check_errors(model)) {
    fprintf(stderr, "run_model: misuse was not reported\n");
    return 1;
  }

  void **inputs = calloc(n_in ? n_in : 1, sizeof(void *));
  for (int32_t i = 0; i < n_in; ++i) {
    size_t bytes = kiln_tensor_bytes(kiln_model_input(model, i));
    if (!(inputs[i] = read_file(argv[1 + i], bytes)) ||
        kiln_model_bind_input(model, i, inputs[i], bytes) != 0) {
      fprintf(stderr, "run_model: input %d: %s\n", i, kiln_last_error());
      return 1;
    }
  }
  /* Outputs are left unbound: the instance keeps them. */
  if (kiln_model_run(model) != 0) {
    fprintf(stderr, "run_model: %s\n", kiln_last_error());
    return 1;
  }
  for (int32_t i = 0; i < n_out; ++i) {
    const kiln_tensor_info *t = kiln_model_output(model, i);
    FILE *f = fopen(argv[1 + n_in + i], "wb");
    if (!f || fwrite(kiln_model_output_data(model, i), 1, kiln_tensor_bytes(t),
                     f) != kiln_tensor_bytes(t)) {
      fprintf(stderr, "run_model: cannot write %s\n", argv[1 + n_in + i]);
      return 1;
    }
    fclose(f);
  }
  printf("ran on %d threads\n", kiln_get_num_threads());
  for (int32_t i = 0; i < n_in; ++i)
    free(inputs[i]);
  free(inputs);
  kiln_model_free(model);
  return 0;
}
