//===- npy_reader_fuzzer.cpp - libFuzzer harness: the .npy reader ---------===//
//
// Part of Kiln. Each input is the contents of a .npy file, read as
// `kiln-run --input` and compiled executables read them (the runtime's
// readNpy). A crash, a sanitizer report or an allocation far beyond the
// input's size is a bug.
//
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/Npy.h"

#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0; // fmemopen rejects an empty buffer
  std::FILE *stream =
      fmemopen(const_cast<uint8_t *>(data), size, "rb");
  if (!stream)
    return 0;
  kiln::runtime::Array array;
  std::string error;
  if (kiln::runtime::readNpy(stream, "fuzz.npy", array, error)) {
    // A successful read holds exactly what the header declares.
    volatile double sink = 0;
    for (int64_t i = 0, n = array.numElements(); i < n && i < 64; ++i)
      sink = sink + kiln::runtime::elementAsDouble(array, i);
  }
  std::fclose(stream);
  return 0;
}
