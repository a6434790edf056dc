//===- CodegenDialect.cpp - kiln_codegen dialect and attributes -----------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace kiln::codegen;

#include "kiln/Codegen/IR/CodegenDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "kiln/Codegen/IR/CodegenAttrs.cpp.inc"

#define GET_OP_CLASSES
#include "kiln/Codegen/IR/CodegenOps.cpp.inc"

void KilnCodegenDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "kiln/Codegen/IR/CodegenAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "kiln/Codegen/IR/CodegenOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Im2ColOp
//===----------------------------------------------------------------------===//

/// The output size of a window of `kernel` elements with `stride` and
/// `dilation` over `size` (padded) elements; < 1 when it does not fit.
static int64_t outputSize(int64_t size, int64_t kernel, int64_t stride,
                          int64_t dilation) {
  return (size - (kernel - 1) * dilation - 1) / stride + 1;
}

int64_t Im2ColOp::getOutputHeight() {
  return outputSize(getInput().getType().getDimSize(2), getKernel()[0],
                    getStrides()[0], getDilations()[0]);
}

int64_t Im2ColOp::getOutputWidth() {
  return outputSize(getInput().getType().getDimSize(3), getKernel()[1],
                    getStrides()[1], getDilations()[1]);
}

LogicalResult Im2ColOp::verify() {
  auto input = getInput().getType();
  if (input.getRank() != 4)
    return emitOpError() << "expects an NCHW input, got rank "
                         << input.getRank();
  for (auto [name, values] :
       {std::pair<StringRef, ArrayRef<int64_t>>{"kernel", getKernel()},
        {"strides", getStrides()},
        {"dilations", getDilations()}}) {
    if (values.size() != 2)
      return emitOpError() << "expects 2 " << name << ", got " << values.size();
    if (llvm::any_of(values, [](int64_t v) { return v < 1; }))
      return emitOpError() << name << " must be positive";
  }
  int64_t oh = getOutputHeight(), ow = getOutputWidth();
  if (oh < 1 || ow < 1 ||
      input.getDimSize(2) < (getKernel()[0] - 1) * getDilations()[0] + 1 ||
      input.getDimSize(3) < (getKernel()[1] - 1) * getDilations()[1] + 1)
    return emitOpError() << "window does not fit in the " << input.getDimSize(2)
                         << "x" << input.getDimSize(3) << " input";
  auto result = getResult().getType();
  SmallVector<int64_t> expected = {
      input.getDimSize(0),
      input.getDimSize(1) * getKernel()[0] * getKernel()[1], oh * ow};
  auto expectedType = RankedTensorType::get(expected, input.getElementType());
  if (result != expectedType)
    return emitOpError() << "expects result type " << expectedType << ", got "
                         << result;
  return success();
}

/// Parses `[i64, ...]` into `values`.
static ParseResult parseList(AsmParser &parser,
                             SmallVectorImpl<int64_t> &values) {
  return parser.parseCommaSeparatedList(
      AsmParser::Delimiter::Square, [&]() -> ParseResult {
        return parser.parseInteger(values.emplace_back());
      });
}

/// Parses `name = [i64, ...]` into `values`.
static ParseResult parseNamedList(AsmParser &parser, StringRef name,
                                  SmallVectorImpl<int64_t> &values) {
  if (parser.parseKeyword(name) || parser.parseEqual())
    return failure();
  return parseList(parser, values);
}

Attribute LoweringConfigAttr::parse(AsmParser &parser, Type) {
  SmallVector<int64_t> cache, reg, packed, distributed, cacheOrder,
      registerOrder;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() || parseNamedList(parser, "cache", cache) ||
      parser.parseComma() || parseNamedList(parser, "register", reg))
    return {};
  // The optional lists, each at most once, in this order.
  std::pair<StringRef, SmallVector<int64_t> *> optional[] = {
      {"pack", &packed},
      {"distribute", &distributed},
      {"cache_order", &cacheOrder},
      {"register_order", &registerOrder}};
  size_t next = 0;
  while (succeeded(parser.parseOptionalComma())) {
    SMLoc keywordLoc = parser.getCurrentLocation();
    StringRef keyword;
    if (parser.parseKeyword(&keyword))
      return {};
    size_t i = next;
    while (i < std::size(optional) && optional[i].first != keyword)
      ++i;
    if (i == std::size(optional)) {
      parser.emitError(keywordLoc)
          << "expected 'pack', 'distribute', 'cache_order' or "
             "'register_order' (in that order, each at most once), got '"
          << keyword << "'";
      return {};
    }
    if (parser.parseEqual() || parseList(parser, *optional[i].second))
      return {};
    next = i + 1;
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<LoweringConfigAttr>(loc, parser.getContext(), cache,
                                               reg, packed, distributed,
                                               cacheOrder, registerOrder);
}

void LoweringConfigAttr::print(AsmPrinter &printer) const {
  auto list = [&](StringRef name, ArrayRef<int64_t> values) {
    printer << name << " = [";
    llvm::interleaveComma(values, printer);
    printer << "]";
  };
  printer << "<";
  list("cache", getCacheTiles());
  printer << ", ";
  list("register", getRegisterTiles());
  // The optional lists, in the order the parser expects them.
  std::pair<StringRef, ArrayRef<int64_t>> optional[] = {
      {"pack", getPackedOperands()},
      {"distribute", getDistributedLoops()},
      {"cache_order", getCacheOrder()},
      {"register_order", getRegisterOrder()}};
  for (auto [name, values] : optional) {
    if (values.empty())
      continue;
    printer << ", ";
    list(name, values);
  }
  printer << ">";
}

LogicalResult LoweringConfigAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, ArrayRef<int64_t> cache,
    ArrayRef<int64_t> reg, ArrayRef<int64_t> packed,
    ArrayRef<int64_t> distributed, ArrayRef<int64_t> cacheOrder,
    ArrayRef<int64_t> registerOrder) {
  if (cache.size() != reg.size())
    return emitError() << "expects 'cache' and 'register' tiles for the same "
                          "number of loops, got "
                       << cache.size() << " and " << reg.size();
  for (auto [c, r] : llvm::zip(cache, reg)) {
    if (c < 0 || r < 0)
      return emitError() << "expects non-negative tile sizes";
    // A register tile is a piece of a cache tile.
    if (c > 0 && r > c)
      return emitError() << "expects each register tile to fit its cache "
                            "tile, got "
                         << r << " > " << c;
  }
  // Operand indices are checked against the op by the passes that read
  // them; an attribute does not know its op.
  for (int64_t operand : packed)
    if (operand < 0)
      return emitError() << "expects non-negative operand indices in 'pack'";
  if (distributed.size() > 1)
    return emitError() << "expects at most one distributed loop, got "
                       << distributed.size();
  for (int64_t loop : distributed)
    if (loop < 0 || loop >= static_cast<int64_t>(cache.size()) ||
        cache[loop] == 0)
      return emitError() << "expects the distributed loop to be a tiled loop "
                            "(one with a non-zero cache tile), got "
                         << loop;
  for (auto [name, order] : {std::pair{"cache_order", cacheOrder},
                             std::pair{"register_order", registerOrder}}) {
    if (order.empty())
      continue;
    SmallVector<int64_t> sorted(order);
    llvm::sort(sorted);
    if (sorted.size() != cache.size() ||
        !llvm::equal(sorted, llvm::seq<int64_t>(0, cache.size())))
      return emitError() << "expects '" << name
                         << "' to be a permutation of the " << cache.size()
                         << " loops";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// CPUTargetAttr
//===----------------------------------------------------------------------===//

LogicalResult CPUTargetAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, StringRef triple,
    StringRef cpu, StringRef features, unsigned vectorBits,
    unsigned vectorRegisters, int64_t l1Bytes, int64_t l2Bytes,
    unsigned cores, unsigned threads, int64_t memoryBytes) {
  if (triple.empty() || cpu.empty())
    return emitError() << "expects a target triple and a CPU name";
  // From 64-bit registers (rv64gc without V) to SVE's and RVV's 2048.
  if (vectorBits < 64 || vectorBits > 2048 || !llvm::isPowerOf2_32(vectorBits))
    return emitError() << "expects 'vector_bits' to be a power of two from 64 "
                          "to 2048, got "
                       << vectorBits;
  if (vectorRegisters < 1 || vectorRegisters > 256)
    return emitError() << "expects 'vector_registers' from 1 to 256, got "
                       << vectorRegisters;
  if (l1Bytes < 1024 || l2Bytes < 1024)
    return emitError() << "expects cache sizes of at least 1024 bytes, got "
                          "'l1_bytes' "
                       << l1Bytes << " and 'l2_bytes' " << l2Bytes;
  if (cores > 65536 || threads > 1024)
    return emitError() << "expects at most 65536 'cores' and 1024 'threads', "
                          "got "
                       << cores << " and " << threads;
  if (memoryBytes < 0)
    return emitError() << "expects 'memory_bytes' to be 0 (not known) or "
                          "positive, got "
                       << memoryBytes;
  return success();
}

CPUTargetAttr CPUTargetAttr::lookup(Operation *op) {
  for (; op; op = op->getParentOp())
    if (auto target = op->getAttrOfType<CPUTargetAttr>(kAttrName))
      return target;
  return {};
}

LogicalResult
KilnCodegenDialect::verifyOperationAttribute(Operation *op,
                                             NamedAttribute attribute) {
  if (attribute.getName() != CPUTargetAttr::kAttrName)
    return success();
  if (!isa<CPUTargetAttr>(attribute.getValue()))
    return op->emitError() << "'" << CPUTargetAttr::kAttrName
                           << "' must be a #kiln_codegen.cpu_target, got "
                           << attribute.getValue();
  if (!isa<ModuleOp>(op))
    return op->emitError() << "'" << CPUTargetAttr::kAttrName
                           << "' belongs on a module";
  return success();
}
