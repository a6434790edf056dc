// A C++ program using the C++ library itself (strings, threads,
// exceptions) next to a compiled model: the runtime's own copy of the C++
// library inside libkiln_runtime.a must not clash with the program's.
#include "tiny_cnn.h"

#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

int main() {
  std::vector<float> image(64, 0.5f);
  kiln_model *model = tiny_cnn_create(nullptr);
  if (!model)
    return 1;
  std::string name = kiln_model_name(model);
  kiln_model_bind_input(model, 0, image.data(), image.size() * sizeof(float));
  int status = -1;
  std::thread worker([&] { status = kiln_model_run(model); });
  worker.join();
  float first = static_cast<float *>(kiln_model_output_data(model, 0))[0];
  try {
    throw std::runtime_error(name + " ran");
  } catch (const std::exception &e) {
    std::cout << e.what() << ": status " << status << ", first " << first
              << "\n";
  }
  kiln_model_free(model);
  return 0;
}
