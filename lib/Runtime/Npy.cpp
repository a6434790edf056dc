//===- Npy.cpp - reading and writing NumPy .npy files ---------------------===//
//
// Part of Kiln's runtime (no MLIR/LLVM dependency).
//
// Format: "\x93NUMPY", major, minor, a little-endian header length (2 bytes
// in version 1, 4 in versions 2 and 3), then a Python dict literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded with
// spaces to a multiple of 64 bytes, then the raw data.
//
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/Npy.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <unistd.h>

namespace kiln::runtime {

double float16ToDouble(uint16_t h) {
  int exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  double magnitude = exponent == 0 ? std::ldexp(mantissa, -24)
                     : exponent == 31
                         ? (mantissa ? NAN : INFINITY)
                         : std::ldexp(mantissa + 1024, exponent - 25);
  return (h & 0x8000) ? -magnitude : magnitude;
}

uint16_t doubleToFloat16(double value) {
  uint16_t sign = std::signbit(value) ? 0x8000 : 0;
  double magnitude = std::fabs(value);
  if (std::isnan(value))
    return sign | 0x7e00;
  // Past the largest half (65504) plus half an ulp: infinity.
  if (magnitude >= 65520.0)
    return sign | 0x7c00;
  int exponent;
  std::frexp(magnitude, &exponent); // magnitude = m * 2^exponent, m in [.5, 1)
  // Halves are multiples of 2^(exponent - 11) in their binade, and of 2^-24
  // (the subnormals' step) below 2^-14.
  int step = std::max(exponent - 11, -24);
  // nearbyint rounds half to even in the default rounding mode.
  double units = std::nearbyint(std::ldexp(magnitude, -step));
  // The rounded value is units * 2^step. Below 1024 units of 2^-24 it is a
  // subnormal (or zero), whose mantissa field is the units themselves.
  if (units == 0)
    return sign;
  if (step == -24 && units < 1024)
    return sign | static_cast<uint16_t>(units);
  // A normal number (units / 1024) * 2^e with units in [1024, 2048);
  // rounding up may have carried into the next binade (units == 2048).
  int e = step + 10;
  if (units == 2048) {
    units = 1024;
    ++e;
  }
  if (e + 15 >= 31)
    return sign | 0x7c00;
  return sign | static_cast<uint16_t>((e + 15) << 10) |
         static_cast<uint16_t>(static_cast<int>(units) - 1024);
}

namespace {
struct DTypeInfo {
  DType dtype;
  const char *descr; // as numpy.save writes it
  const char *name;
  size_t size;
};
const DTypeInfo kDTypes[] = {
    {DType::Bool, "|b1", "bool", 1},   {DType::I8, "|i1", "int8", 1},
    {DType::U8, "|u1", "uint8", 1},    {DType::I16, "<i2", "int16", 2},
    {DType::I32, "<i4", "int32", 4},   {DType::I64, "<i8", "int64", 8},
    {DType::F16, "<f2", "float16", 2}, {DType::F32, "<f4", "float32", 4},
    {DType::F64, "<f8", "float64", 8}, {DType::U16, "<u2", "uint16", 2},
    {DType::U32, "<u4", "uint32", 4},  {DType::U64, "<u8", "uint64", 8}};

const DTypeInfo &info(DType dtype) {
  for (const DTypeInfo &i : kDTypes)
    if (i.dtype == dtype)
      return i;
  return kDTypes[0];
}

/// Largest header we accept: real ones are a few hundred bytes.
constexpr size_t kMaxHeader = 1 << 16;

struct File {
  FILE *f = nullptr;
  ~File() {
    if (f)
      std::fclose(f);
  }
};

/// The text after `'key':` in the header dict, or npos.
size_t findValue(const std::string &header, const char *key) {
  std::string quoted = std::string("'") + key + "'";
  size_t at = header.find(quoted);
  if (at == std::string::npos)
    return at;
  at = header.find(':', at + quoted.size());
  if (at == std::string::npos)
    return at;
  return header.find_first_not_of(' ', at + 1);
}
} // namespace

size_t dtypeSize(DType dtype) { return info(dtype).size; }
const char *dtypeName(DType dtype) { return info(dtype).name; }

void AlignedFree::operator()(void *p) const { std::free(p); }

std::unique_ptr<char[], AlignedFree> allocateAligned(size_t bytes) {
  // aligned_alloc wants a multiple of the alignment (and a non-zero size).
  size_t rounded = (bytes + 63) / 64 * 64;
  if (rounded == 0)
    rounded = 64;
  return std::unique_ptr<char[], AlignedFree>(
      static_cast<char *>(std::aligned_alloc(64, rounded)));
}

void fillRandom(Array &array, std::mt19937 &rng) {
  std::uniform_real_distribution<double> real(-1.0, 1.0);
  std::uniform_int_distribution<int> integer(0, 9);
  int64_t n = array.numElements();
  char *data = array.data.get();
  for (int64_t i = 0; i < n; ++i) {
    switch (array.dtype) {
    case DType::F32:
      reinterpret_cast<float *>(data)[i] = static_cast<float>(real(rng));
      break;
    case DType::F64:
      reinterpret_cast<double *>(data)[i] = real(rng);
      break;
    case DType::F16:
      reinterpret_cast<uint16_t *>(data)[i] =
          doubleToFloat16(real(rng));
      break;
    case DType::Bool:
      reinterpret_cast<uint8_t *>(data)[i] = integer(rng) % 2;
      break;
    case DType::I8:
    case DType::U8:
      reinterpret_cast<int8_t *>(data)[i] = static_cast<int8_t>(integer(rng));
      break;
    case DType::I16:
    case DType::U16:
      reinterpret_cast<int16_t *>(data)[i] = static_cast<int16_t>(integer(rng));
      break;
    case DType::I32:
    case DType::U32:
      reinterpret_cast<int32_t *>(data)[i] = integer(rng);
      break;
    case DType::I64:
    case DType::U64:
      reinterpret_cast<int64_t *>(data)[i] = integer(rng);
      break;
    }
  }
}

double elementAsDouble(const Array &array, int64_t i) {
  const char *data = array.data.get();
  switch (array.dtype) {
  case DType::F32:
    return reinterpret_cast<const float *>(data)[i];
  case DType::F64:
    return reinterpret_cast<const double *>(data)[i];
  case DType::F16:
    return float16ToDouble(reinterpret_cast<const uint16_t *>(data)[i]);
  case DType::Bool:
  case DType::U8:
    return reinterpret_cast<const uint8_t *>(data)[i];
  case DType::I8:
    return reinterpret_cast<const int8_t *>(data)[i];
  case DType::I16:
    return reinterpret_cast<const int16_t *>(data)[i];
  case DType::I32:
    return reinterpret_cast<const int32_t *>(data)[i];
  case DType::I64:
    return static_cast<double>(reinterpret_cast<const int64_t *>(data)[i]);
  case DType::U16:
    return reinterpret_cast<const uint16_t *>(data)[i];
  case DType::U32:
    return reinterpret_cast<const uint32_t *>(data)[i];
  case DType::U64:
    return static_cast<double>(reinterpret_cast<const uint64_t *>(data)[i]);
  }
  return 0;
}

int64_t Array::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::optional<uint64_t> byteSize(DType type, const std::vector<int64_t> &shape) {
  uint64_t bytes = dtypeSize(type);
  for (int64_t d : shape) {
    if (d < 0 || (d != 0 && bytes > (uint64_t(1) << 62) / uint64_t(d)))
      return std::nullopt;
    bytes *= uint64_t(d);
  }
  return bytes;
}

std::string formatBytes(double bytes) {
  const char *units[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
  int unit = 0;
  while (bytes >= 1000 && unit < 6) {
    bytes /= 1000;
    ++unit;
  }
  char text[32];
  if (unit == 0)
    std::snprintf(text, sizeof text, "%.0f bytes", bytes);
  else
    std::snprintf(text, sizeof text, "%.1f %s", bytes, units[unit]);
  return text;
}

uint64_t physicalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && pageSize > 0 ? uint64_t(pages) * uint64_t(pageSize) : 0;
}

std::string allocationFailure(DType type, const std::vector<int64_t> &shape) {
  std::string what = std::string(dtypeName(type)) + " " + formatShape(shape);
  std::optional<uint64_t> bytes = byteSize(type, shape);
  if (!bytes)
    return what + ": the size overflows 64 bits";
  std::string text = what + " needs " + formatBytes(double(*bytes)) +
                     ", more than can be allocated";
  if (uint64_t memory = physicalMemoryBytes())
    text += " (this machine has " + formatBytes(double(memory)) +
            " of memory)";
  return text;
}

bool Array::allocate(DType type, std::vector<int64_t> dims) {
  dtype = type;
  shape = std::move(dims);
  std::optional<uint64_t> bytes = byteSize(type, shape);
  if (!bytes)
    return false;
  data = allocateAligned(*bytes);
  if (!data)
    return false;
  std::memset(data.get(), 0, *bytes);
  return true;
}

std::string formatShape(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

bool readNpy(const std::string &path, Array &array, std::string &error) {
  File file;
  file.f = std::fopen(path.c_str(), "rb");
  if (!file.f) {
    error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  return readNpy(file.f, path, array, error);
}

bool readNpy(std::FILE *stream, const std::string &path, Array &array,
             std::string &error) {
  auto fail = [&](const std::string &what) {
    error = path + ": " + what;
    return false;
  };
  unsigned char magic[8];
  if (std::fread(magic, 1, 8, stream) != 8 ||
      std::memcmp(magic, "\x93NUMPY", 6) != 0)
    return fail("not a .npy file (bad magic string)");
  size_t headerLength = 0;
  if (magic[6] == 1) {
    unsigned char len[2];
    if (std::fread(len, 1, 2, stream) != 2)
      return fail("truncated header");
    headerLength = len[0] | (size_t(len[1]) << 8);
  } else if (magic[6] == 2 || magic[6] == 3) {
    unsigned char len[4];
    if (std::fread(len, 1, 4, stream) != 4)
      return fail("truncated header");
    headerLength = len[0] | (size_t(len[1]) << 8) | (size_t(len[2]) << 16) |
                   (size_t(len[3]) << 24);
  } else {
    return fail("unsupported .npy format version " + std::to_string(magic[6]));
  }
  if (headerLength > kMaxHeader)
    return fail("header too large (" + std::to_string(headerLength) +
                " bytes; at most " + std::to_string(kMaxHeader) + ")");
  std::string header(headerLength, '\0');
  if (std::fread(header.data(), 1, headerLength, stream) != headerLength)
    return fail("truncated header");

  // dtype
  size_t at = findValue(header, "descr");
  if (at == std::string::npos || header[at] != '\'')
    return fail("header has no 'descr'");
  size_t end = header.find('\'', at + 1);
  if (end == std::string::npos)
    return fail("malformed 'descr'");
  std::string descr = header.substr(at + 1, end - at - 1);
  // '=' is native order, which is little-endian on every target we run on;
  // single-byte types may be written with any order character.
  if (descr.size() == 3 && (descr[0] == '=' || descr[0] == '<' ||
                            (descr[0] == '|' && descr[2] == '1')))
    descr[0] = descr[2] == '1' ? '|' : '<';
  if (descr == "<b1" || descr == "<i1" || descr == "<u1")
    descr[0] = '|';
  const DTypeInfo *dtype = nullptr;
  for (const DTypeInfo &i : kDTypes)
    if (descr == i.descr)
      dtype = &i;
  if (!dtype)
    return fail("unsupported dtype '" + descr +
                "' (supported: bool, int8/16/32/64, uint8, float16/32/64, "
                "little-endian)");

  // order
  at = findValue(header, "fortran_order");
  if (at == std::string::npos)
    return fail("header has no 'fortran_order'");
  if (header.compare(at, 4, "True") == 0)
    return fail("Fortran-ordered arrays are not supported (save a C-ordered "
                "copy: numpy.ascontiguousarray)");

  // shape
  at = findValue(header, "shape");
  if (at == std::string::npos || header[at] != '(')
    return fail("header has no 'shape'");
  end = header.find(')', at);
  if (end == std::string::npos)
    return fail("malformed 'shape'");
  std::vector<int64_t> shape;
  const char *p = header.c_str() + at + 1;
  const char *stop = header.c_str() + end;
  while (p < stop) {
    while (p < stop && (*p == ' ' || *p == ','))
      ++p;
    if (p >= stop)
      break;
    char *next = nullptr;
    errno = 0;
    long long dim = std::strtoll(p, &next, 10);
    if (next == p || errno || dim < 0)
      return fail("malformed 'shape'");
    shape.push_back(dim);
    p = next;
  }
  // Compare the size the header declares with the file before allocating:
  // a 100-byte file may claim terabytes.
  std::optional<uint64_t> bytes = byteSize(dtype->dtype, shape);
  if (!bytes)
    return fail(std::string(dtype->name) + " " + formatShape(shape) +
                ": the size overflows 64 bits");
  // (A pipe cannot tell: its data is read as it comes.)
  long dataStart = std::ftell(stream);
  std::optional<uint64_t> available;
  if (dataStart >= 0 && std::fseek(stream, 0, SEEK_END) == 0) {
    long fileEnd = std::ftell(stream);
    available = fileEnd > dataStart ? uint64_t(fileEnd - dataStart) : 0;
    if (std::fseek(stream, dataStart, SEEK_SET) != 0)
      return fail("cannot seek: " + std::string(std::strerror(errno)));
  }
  if (available && *available < *bytes)
    return fail("truncated data: expected " + std::to_string(*bytes) +
                " bytes for " + dtype->name + " " + formatShape(shape) +
                ", the file has " + std::to_string(*available));
  if (!array.allocate(dtype->dtype, shape))
    return fail(allocationFailure(dtype->dtype, shape));
  if (std::fread(array.data.get(), 1, *bytes, stream) != *bytes)
    return fail("truncated data: expected " + std::to_string(*bytes) +
                " bytes for " + dtype->name + " " + formatShape(shape));
  return true;
}

bool writeNpy(const std::string &path, const Array &array, std::string &error) {
  std::string header = std::string("{'descr': '") + info(array.dtype).descr +
                       "', 'fortran_order': False, 'shape': (";
  for (int64_t d : array.shape)
    header += std::to_string(d) + ", ";
  if (!array.shape.empty())
    header.resize(header.size() - 2);
  if (array.shape.size() == 1)
    header += ",";
  header += "), }";
  // Pad so that magic + version + length + header + '\n' is a multiple of 64.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  File file;
  file.f = std::fopen(path.c_str(), "wb");
  if (!file.f) {
    error = path + ": cannot create: " + std::strerror(errno);
    return false;
  }
  unsigned char prefix[10] = {0x93,
                              'N',
                              'U',
                              'M',
                              'P',
                              'Y',
                              1,
                              0,
                              static_cast<unsigned char>(header.size() & 0xff),
                              static_cast<unsigned char>(header.size() >> 8)};
  // Buffered data reaches the file only at fflush/fclose, where a full
  // disk is reported: both are checked, or results would be lost silently.
  bool written =
      std::fwrite(prefix, 1, 10, file.f) == 10 &&
      std::fwrite(header.data(), 1, header.size(), file.f) == header.size() &&
      std::fwrite(array.data.get(), 1, array.numBytes(), file.f) ==
          array.numBytes() &&
      std::fflush(file.f) == 0;
  int closed = std::fclose(file.f);
  file.f = nullptr;
  if (!written || closed != 0) {
    error = path + ": write failed: " + std::strerror(errno);
    return false;
  }
  return true;
}

} // namespace kiln::runtime
