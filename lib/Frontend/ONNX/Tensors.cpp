//===- Tensors.cpp - ONNX tensors: data types, contents, constants --------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "kiln/Runtime/Npy.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
using namespace kiln::onnximport;
using onnx::TensorProto;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Largest tensor the importer accepts (elements): far beyond real models,
/// small enough that a corrupt size cannot make it allocate without bound.
static constexpr int64_t kMaxElements = int64_t(1) << 34;

size_t kiln::onnximport::elementBytes(int32_t dataType) {
  switch (dataType) {
  case TensorProto::BOOL:
  case TensorProto::INT8:
  case TensorProto::UINT8:
    return 1;
  case TensorProto::INT16:
  case TensorProto::UINT16:
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16:
    return 2;
  case TensorProto::INT32:
  case TensorProto::UINT32:
  case TensorProto::FLOAT:
    return 4;
  case TensorProto::INT64:
  case TensorProto::UINT64:
  case TensorProto::DOUBLE:
    return 8;
  default:
    return 0;
  }
}

std::string kiln::onnximport::dataTypeName(int32_t dataType) {
  if (TensorProto::DataType_IsValid(dataType))
    return TensorProto::DataType_Name(
        static_cast<TensorProto::DataType>(dataType));
  return "data type " + std::to_string(dataType);
}

Type kiln::onnximport::elementType(MLIRContext *context, int32_t dataType) {
  Builder b(context);
  switch (dataType) {
  case TensorProto::FLOAT:
    return b.getF32Type();
  case TensorProto::DOUBLE:
    return b.getF64Type();
  case TensorProto::FLOAT16:
    return b.getF16Type();
  case TensorProto::BOOL:
    return b.getI1Type();
  case TensorProto::INT8:
    return b.getIntegerType(8);
  case TensorProto::INT16:
    return b.getIntegerType(16);
  case TensorProto::INT32:
    return b.getIntegerType(32);
  case TensorProto::INT64:
    return b.getIntegerType(64);
  case TensorProto::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case TensorProto::UINT16:
    return b.getIntegerType(16, /*isSigned=*/false);
  case TensorProto::UINT32:
    return b.getIntegerType(32, /*isSigned=*/false);
  case TensorProto::UINT64:
    return b.getIntegerType(64, /*isSigned=*/false);
  default:
    return {};
  }
}

const char *kiln::onnximport::supportedDataTypes() {
  return "FLOAT, DOUBLE, FLOAT16, BOOL, INT8, INT16, INT32, INT64, UINT8, "
         "UINT16, UINT32, UINT64";
}

bool KnownTensor::isInteger() const {
  switch (dataType) {
  case TensorProto::FLOAT:
  case TensorProto::DOUBLE:
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16:
    return false;
  default:
    return true;
  }
}

int64_t KnownTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

std::optional<double> KnownTensor::scalar() const {
  if (numElements() != 1)
    return std::nullopt;
  if (isInteger())
    return ints.empty() ? std::nullopt : std::optional<double>(ints[0]);
  return floats.empty() ? std::nullopt : std::optional<double>(floats[0]);
}

bool KnownTensor::encode() {
  raw.clear();
  auto put = [&](auto v) {
    raw.append(reinterpret_cast<const char *>(&v), sizeof(v));
  };
  switch (dataType) {
  case TensorProto::FLOAT:
    for (double v : floats)
      put(float(v));
    return true;
  case TensorProto::DOUBLE:
    for (double v : floats)
      put(v);
    return true;
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16:
    return false;
  case TensorProto::BOOL:
  case TensorProto::UINT8:
  case TensorProto::INT8:
    for (int64_t v : ints)
      put(int8_t(v));
    return true;
  case TensorProto::INT16:
  case TensorProto::UINT16:
    for (int64_t v : ints)
      put(int16_t(v));
    return true;
  case TensorProto::INT32:
  case TensorProto::UINT32:
    for (int64_t v : ints)
      put(int32_t(v));
    return true;
  default:
    for (int64_t v : ints)
      put(v);
    return true;
  }
}

KnownTensor KnownTensor::ofInts(std::vector<int64_t> values,
                                std::optional<std::vector<int64_t>> dims) {
  KnownTensor t;
  t.dataType = TensorProto::INT64;
  t.dims = dims ? *dims : std::vector<int64_t>{int64_t(values.size())};
  t.raw.assign(reinterpret_cast<const char *>(values.data()),
               values.size() * sizeof(int64_t));
  t.ints = std::move(values);
  return t;
}

KnownTensor KnownTensor::ofFloats(std::vector<double> values,
                                  std::vector<int64_t> dims, int32_t dataType) {
  KnownTensor t;
  t.dataType = dataType;
  t.dims = std::move(dims);
  t.floats = std::move(values);
  t.encode();
  return t;
}

/// Fills `ints` or `floats` of `t` from `t.raw` (floats only for small
/// tensors: only folding reads them, and weights need only the bytes).
static void decodeValues(KnownTensor &t) {
  int64_t n = t.numElements();
  const char *raw = t.raw.data();
  auto load = [&](auto sample, int64_t i) {
    decltype(sample) v;
    std::memcpy(&v, raw + i * sizeof(v), sizeof(v));
    return v;
  };
  if (t.isInteger()) {
    if (n > (int64_t(1) << 24))
      return;
    t.ints.resize(n);
    for (int64_t i = 0; i < n; ++i) {
      switch (t.dataType) {
      case TensorProto::BOOL:
      case TensorProto::UINT8:
        t.ints[i] = load(uint8_t(), i);
        break;
      case TensorProto::INT8:
        t.ints[i] = load(int8_t(), i);
        break;
      case TensorProto::INT16:
        t.ints[i] = load(int16_t(), i);
        break;
      case TensorProto::UINT16:
        t.ints[i] = load(uint16_t(), i);
        break;
      case TensorProto::INT32:
        t.ints[i] = load(int32_t(), i);
        break;
      case TensorProto::UINT32:
        t.ints[i] = load(uint32_t(), i);
        break;
      default:
        t.ints[i] = load(int64_t(), i);
        break;
      }
    }
    return;
  }
  if (n > 4096)
    return;
  t.floats.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    switch (t.dataType) {
    case TensorProto::FLOAT:
      t.floats[i] = load(float(), i);
      break;
    case TensorProto::DOUBLE:
      t.floats[i] = load(double(), i);
      break;
    case TensorProto::FLOAT16:
      t.floats[i] = kiln::runtime::float16ToDouble(load(uint16_t(), i));
      break;
    default: { // bfloat16: the high half of a float
      uint32_t bits = uint32_t(load(uint16_t(), i)) << 16;
      float value;
      std::memcpy(&value, &bits, sizeof(value));
      t.floats[i] = value;
      break;
    }
    }
  }
}

/// Appends `values` to `raw` converted to `T`.
template <typename T, typename Range>
static void appendAs(std::string &raw, const Range &values) {
  for (auto v : values) {
    T converted = static_cast<T>(v);
    raw.append(reinterpret_cast<const char *>(&converted), sizeof(T));
  }
}

llvm::Expected<KnownTensor>
kiln::onnximport::readTensor(const TensorProto &tensor,
                             llvm::StringRef baseDir) {
  KnownTensor t;
  t.name = tensor.name();
  t.dataType = tensor.data_type();
  std::string what = "tensor '" + tensor.name() + "'";
  size_t bytesPer = elementBytes(t.dataType);
  if (bytesPer == 0)
    return makeError(what + " has unsupported " + dataTypeName(t.dataType) +
                     " (supported: FLOAT, DOUBLE, FLOAT16, BOOL, INT8, UINT8, "
                     "INT16, UINT16, INT32, UINT32, INT64)");
  int64_t n = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0 || (d > 0 && n > kMaxElements / d))
      return makeError(what + " has an invalid shape");
    n *= d;
    t.dims.push_back(d);
  }
  size_t expected = static_cast<size_t>(n) * bytesPer;

  if (tensor.data_location() == TensorProto::EXTERNAL) {
    std::string location;
    uint64_t offset = 0, length = 0;
    bool hasLength = false;
    for (const auto &entry : tensor.external_data()) {
      if (entry.key() == "location")
        location = entry.value();
      else if (entry.key() == "offset" &&
               !llvm::to_integer(entry.value(), offset))
        return makeError(what + ": invalid external data offset '" +
                         entry.value() + "'");
      else if (entry.key() == "length") {
        if (!llvm::to_integer(entry.value(), length))
          return makeError(what + ": invalid external data length '" +
                           entry.value() + "'");
        hasLength = true;
      }
    }
    if (location.empty())
      return makeError(what + " has external data without a location");
    if (llvm::sys::path::is_absolute(location) ||
        llvm::StringRef(location).contains(".."))
      return makeError(what + ": external data location '" + location +
                       "' must be a relative path beside the model");
    llvm::SmallString<256> path(baseDir);
    llvm::sys::path::append(path, location);
    if (!hasLength)
      length = expected;
    if (length != expected)
      return makeError(what + ": external data length " +
                       std::to_string(length) + " does not match its shape (" +
                       std::to_string(expected) + " bytes)");
    uint64_t fileSize = 0;
    if (llvm::sys::fs::file_size(path, fileSize))
      return makeError(what + ": external data file '" + std::string(path) +
                       "' not found");
    // The file must really be beside the model: a symbolic link there may
    // point anywhere (/etc/passwd loaded as weights), and a device or a
    // pipe may never end.
    llvm::SmallString<256> realFile, realDir;
    if (llvm::sys::fs::real_path(path, realFile) ||
        llvm::sys::fs::real_path(baseDir.empty() ? "." : baseDir, realDir))
      return makeError(what + ": cannot resolve external data file '" +
                       std::string(path) + "'");
    std::string inside = std::string(realDir);
    if (!llvm::StringRef(inside).ends_with("/"))
      inside += "/";
    if (!llvm::StringRef(realFile).starts_with(inside))
      return makeError(what + ": external data file '" + std::string(path) +
                       "' resolves to '" + std::string(realFile) +
                       "', outside the model's directory '" +
                       std::string(realDir) +
                       "' (a symbolic link?); external data must lie beside "
                       "the model");
    if (!llvm::sys::fs::is_regular_file(realFile))
      return makeError(what + ": external data file '" + std::string(path) +
                       "' is not a regular file");
    if (offset > fileSize || fileSize - offset < length)
      return makeError(what + ": external data file '" + std::string(path) +
                       "' is too short (" + std::to_string(fileSize) +
                       " bytes, needs " + std::to_string(offset + length) +
                       ")");
    auto buffer = llvm::MemoryBuffer::getFileSlice(path, length, offset);
    if (!buffer)
      return makeError(what + ": cannot read '" + std::string(path) +
                       "': " + buffer.getError().message());
    t.raw = (*buffer)->getBuffer().str();
  } else if (tensor.has_raw_data()) {
    if (tensor.raw_data().size() != expected)
      return makeError(what + " has " +
                       std::to_string(tensor.raw_data().size()) +
                       " bytes of data, expected " + std::to_string(expected));
    t.raw = tensor.raw_data();
  } else {
    // Typed fields (small tensors, older exporters).
    switch (t.dataType) {
    case TensorProto::FLOAT:
      appendAs<float>(t.raw, tensor.float_data());
      break;
    case TensorProto::DOUBLE:
      appendAs<double>(t.raw, tensor.double_data());
      break;
    case TensorProto::INT64:
      appendAs<int64_t>(t.raw, tensor.int64_data());
      break;
    case TensorProto::UINT32:
    case TensorProto::UINT64:
      if (t.dataType == TensorProto::UINT32)
        appendAs<uint32_t>(t.raw, tensor.uint64_data());
      else
        appendAs<uint64_t>(t.raw, tensor.uint64_data());
      break;
    case TensorProto::INT32:
      appendAs<int32_t>(t.raw, tensor.int32_data());
      break;
    case TensorProto::INT16:
      appendAs<int16_t>(t.raw, tensor.int32_data());
      break;
    case TensorProto::UINT16:
    case TensorProto::FLOAT16:
    case TensorProto::BFLOAT16:
      appendAs<uint16_t>(t.raw, tensor.int32_data());
      break;
    default: // BOOL, INT8, UINT8
      appendAs<uint8_t>(t.raw, tensor.int32_data());
      break;
    }
    if (t.raw.size() != expected)
      return makeError(what + " has " +
                       std::to_string(t.raw.size() / bytesPer) +
                       " values, expected " + std::to_string(n));
  }
  decodeValues(t);
  return t;
}

llvm::Expected<KnownTensor>
kiln::onnximport::readNpyTensor(llvm::StringRef path, llvm::StringRef name) {
  namespace rt = kiln::runtime;
  rt::Array array;
  std::string error;
  if (!rt::readNpy(path.str(), array, error))
    return makeError(error);
  TensorProto tensor;
  tensor.set_name(name.str());
  switch (array.dtype) {
  case rt::DType::Bool:
    tensor.set_data_type(TensorProto::BOOL);
    break;
  case rt::DType::I8:
    tensor.set_data_type(TensorProto::INT8);
    break;
  case rt::DType::U8:
    tensor.set_data_type(TensorProto::UINT8);
    break;
  case rt::DType::I16:
    tensor.set_data_type(TensorProto::INT16);
    break;
  case rt::DType::I32:
    tensor.set_data_type(TensorProto::INT32);
    break;
  case rt::DType::I64:
    tensor.set_data_type(TensorProto::INT64);
    break;
  case rt::DType::F16:
    tensor.set_data_type(TensorProto::FLOAT16);
    break;
  case rt::DType::F32:
    tensor.set_data_type(TensorProto::FLOAT);
    break;
  case rt::DType::F64:
    tensor.set_data_type(TensorProto::DOUBLE);
    break;
  case rt::DType::U16:
    tensor.set_data_type(TensorProto::UINT16);
    break;
  case rt::DType::U32:
    tensor.set_data_type(TensorProto::UINT32);
    break;
  case rt::DType::U64:
    tensor.set_data_type(TensorProto::UINT64);
    break;
  }
  for (int64_t d : array.shape)
    tensor.add_dims(d);
  tensor.set_raw_data(array.data.get(), array.numBytes());
  return readTensor(tensor, "");
}

std::optional<std::string>
kiln::onnximport::mismatchWith(const KnownTensor &tensor,
                               const onnx::TypeProto &type) {
  auto describe = [](llvm::StringRef dtype, llvm::ArrayRef<std::string> dims) {
    return dtype.str() + " [" + llvm::join(dims, ", ") + "]";
  };
  std::vector<std::string> given;
  for (int64_t d : tensor.dims)
    given.push_back(std::to_string(d));
  std::string has = "has " + describe(dataTypeName(tensor.dataType), given);
  if (!type.has_tensor_type())
    return has + ", but the input is not a tensor";
  const auto &declared = type.tensor_type();
  std::vector<std::string> dims;
  bool matches = declared.elem_type() == tensor.dataType;
  if (declared.has_shape()) {
    matches &= declared.shape().dim_size() == int(tensor.dims.size());
    for (auto [i, dim] : llvm::enumerate(declared.shape().dim())) {
      if (dim.has_dim_value()) {
        dims.push_back(std::to_string(dim.dim_value()));
        matches &= i < tensor.dims.size() && dim.dim_value() == tensor.dims[i];
      } else {
        dims.push_back(dim.has_dim_param() ? dim.dim_param() : "?");
      }
    }
  }
  if (matches)
    return std::nullopt;
  return has + ", the model declares " +
         describe(dataTypeName(declared.elem_type()), dims);
}

int64_t kiln::onnximport::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return -1;
  return axis < 0 ? axis + rank : axis;
}

/// A resource key: letters, digits and '_' (dots in PyTorch names).
static std::string resourceName(llvm::StringRef name) {
  std::string result;
  for (char c : name)
    result += llvm::isAlnum(c) ? c : '_';
  if (result.empty() || llvm::isDigit(result[0]))
    result = "w_" + result;
  return result;
}

Value kiln::onnximport::buildConstant(OpBuilder &b, Location loc,
                                      const KnownTensor &tensor) {
  Type element = elementType(b.getContext(), tensor.dataType);
  if (!element)
    return {};
  auto type = RankedTensorType::get(tensor.dims, element);
  ElementsAttr value;
  if (element.isInteger(1)) {
    llvm::SmallVector<bool> flags;
    for (int64_t v : tensor.ints)
      flags.push_back(v != 0);
    value = DenseElementsAttr::get(type, llvm::ArrayRef<bool>(flags));
  } else {
    value = kiln::nn::ConstantOp::buildWeights(
        type, resourceName(tensor.name.empty() ? "constant" : tensor.name),
        llvm::ArrayRef<char>(tensor.raw.data(), tensor.raw.size()));
  }
  return kiln::nn::ConstantOp::create(b, loc, value);
}
