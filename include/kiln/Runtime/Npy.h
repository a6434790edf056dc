//===- Npy.h - reading and writing NumPy .npy files -------------*- C++ -*-===//
//
// Part of Kiln's runtime: no MLIR or LLVM dependency, so that standalone
// binaries can use it. Little-endian, C-order arrays of fixed-size numeric
// types (what numpy.save writes by default).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_NPY_H
#define KILN_RUNTIME_NPY_H

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace kiln::runtime {

/// Element types an array can hold (the values are kiln_dtype's in
/// ModelABI.h).
enum class DType { Bool, I8, U8, I16, I32, I64, F16, F32, F64, U16, U32, U64 };

/// Bytes per element.
size_t dtypeSize(DType dtype);
/// NumPy's name: "float32", "int64", "bool", ...
const char *dtypeName(DType dtype);

/// Frees memory from allocateAligned.
struct AlignedFree {
  void operator()(void *p) const;
};

/// `bytes` of memory aligned to 64 bytes (a cache line, the widest vector);
/// null when out of memory.
std::unique_ptr<char[], AlignedFree> allocateAligned(size_t bytes);

/// The bytes of an array of `type` and `shape`; nullopt when a dimension is
/// negative or the size overflows.
std::optional<uint64_t> byteSize(DType type, const std::vector<int64_t> &shape);
/// "40.0 GB", "17 bytes".
std::string formatBytes(double bytes);
/// This machine's physical memory in bytes (0 when unknown).
uint64_t physicalMemoryBytes();
/// Why an array of `type` and `shape` could not be allocated, with its size
/// and this machine's memory: "float32 [100000, 100000] needs 40.0 GB, more
/// than can be allocated (this machine has 25.2 GB of memory)".
std::string allocationFailure(DType type, const std::vector<int64_t> &shape);

/// A dense, C-ordered, 64-byte aligned array.
struct Array {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::unique_ptr<char[], AlignedFree> data;

  int64_t numElements() const;
  size_t numBytes() const { return numElements() * dtypeSize(dtype); }
  /// Allocates zeroed storage for `shape`; false when the size overflows or
  /// memory runs out.
  bool allocate(DType type, std::vector<int64_t> dims);
};

/// Fills `array` with reproducible values from `rng`: floats uniform in
/// [-1, 1) (float16: rounded to the nearest half, so 1.0 can occur),
/// integers in [0, 10), bools 0 or 1 (kiln-run --random, kiln-tune).
void fillRandom(Array &array, std::mt19937 &rng);

/// Element `i` of `array` as a double (summaries, comparisons).
double elementAsDouble(const Array &array, int64_t i);

/// The value of an IEEE binary16 (float16) bit pattern.
double float16ToDouble(uint16_t bits);
/// The binary16 nearest `value` (ties to even; beyond 65504: infinity).
uint16_t doubleToFloat16(double value);

/// `[1, 3, 224, 224]`.
std::string formatShape(const std::vector<int64_t> &shape);

/// Reads `path` into `array`. On failure returns false and sets `error` to a
/// message that names the file and the problem (missing, truncated, not an
/// .npy file, unsupported dtype or order, ...).
bool readNpy(const std::string &path, Array &array, std::string &error);
/// The same from an open `stream` (not closed); `path` names it in errors.
/// When the stream can seek, the data size the header declares is checked
/// against it before anything is allocated.
bool readNpy(std::FILE *stream, const std::string &path, Array &array,
             std::string &error);

/// Writes `array` to `path` (format version 1.0).
bool writeNpy(const std::string &path, const Array &array, std::string &error);

} // namespace kiln::runtime

#endif // KILN_RUNTIME_NPY_H
