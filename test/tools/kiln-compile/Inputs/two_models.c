/* Two models compiled separately, linked into one program: each static
 * library carries the runtime, the model's own symbols are internal. */
#include "scale.h"
#include "tiny_cnn.h"

#include <stdio.h>

int main(void) {
  kiln_model *a = scale_create(NULL), *b = tiny_cnn_create(NULL);
  if (!a || !b)
    return 1;
  float s = 3, x[6] = {1, 2, 3, 4, 5, 6}, image[64] = {0};
  if (kiln_model_bind_input(a, 0, &s, sizeof s) ||
      kiln_model_bind_input(a, 1, x, sizeof x) ||
      kiln_model_bind_input(b, 0, image, sizeof image) ||
      kiln_model_run(a) || kiln_model_run(b)) {
    fprintf(stderr, "%s\n", kiln_last_error());
    return 1;
  }
  const float *twice = kiln_model_output_data(a, 0);
  const float *scaled = kiln_model_output_data(a, 1);
  const float *probs = kiln_model_output_data(b, 0);
  float total = 0;
  for (int i = 0; i < 10; ++i)
    total += probs[i];
  printf("%s: %g %g; %s: sum %.4f\n", kiln_model_name(a), twice[0], scaled[5],
         kiln_model_name(b), total);
  kiln_model_free(a);
  kiln_model_free(b);
  return 0;
}
