//===- CodegenDialect.cpp - kiln_codegen dialect and attributes -----------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

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

//===----------------------------------------------------------------------===//
// DeviceConstantOp
//===----------------------------------------------------------------------===//

LogicalResult
DeviceConstantOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto global = symbolTable.lookupNearestSymbolFrom<memref::GlobalOp>(
      *this, getGlobalAttr());
  if (!global)
    return emitOpError() << "'" << getGlobal()
                         << "' does not name a memref.global";
  if (!global.getConstant() || !global.getInitialValue())
    return emitOpError() << "'" << getGlobal()
                         << "' is not a constant with a value";
  if (global.getType() != getResult().getType())
    return emitOpError() << "result type " << getResult().getType()
                         << " differs from the global's " << global.getType();
  return success();
}

//===----------------------------------------------------------------------===//
// LoweringConfigAttr
//===----------------------------------------------------------------------===//

TileLevel kiln::codegen::makeTileLevel(MLIRContext *context, StringRef name,
                                       ArrayRef<int64_t> sizes,
                                       ArrayRef<int64_t> order) {
  return {StringAttr::get(context, name),
          DenseI64ArrayAttr::get(context, sizes),
          order.empty() ? DenseI64ArrayAttr()
                        : DenseI64ArrayAttr::get(context, order)};
}

const TileLevel *LoweringConfigAttr::getLevel(StringRef name) const {
  for (const TileLevel &level : getLevels())
    if (level.name.getValue() == name)
      return &level;
  return nullptr;
}

ArrayRef<int64_t> LoweringConfigAttr::getTiles(StringRef name) const {
  const TileLevel *level = getLevel(name);
  return level ? level->getSizes() : ArrayRef<int64_t>();
}

ArrayRef<int64_t> LoweringConfigAttr::getOrder(StringRef name) const {
  const TileLevel *level = getLevel(name);
  return level ? level->getOrder() : ArrayRef<int64_t>();
}

size_t LoweringConfigAttr::getNumLoops() const {
  return getLevels().empty() ? 0 : getLevels().front().getSizes().size();
}

LoweringConfigAttr
LoweringConfigAttr::withLevels(ArrayRef<TileLevel> levels) const {
  return get(getContext(), levels, getPackedOperands(), getDistributedLoops(),
             getSharedPacking(), getTransposed(), getLibrary());
}

LoweringConfigAttr LoweringConfigAttr::withTransposed(bool transposed) const {
  return get(getContext(), getLevels(), getPackedOperands(),
             getDistributedLoops(), getSharedPacking(), transposed,
             getLibrary());
}

/// The fields that follow the levels, in the order they are written.
static constexpr StringLiteral kPack = "pack", kDistribute = "distribute",
                               kSharedPacking = "shared_packing",
                               kTransposed = "transposed", kLibrary = "library",
                               kOrderSuffix = "_order";

/// Whether `name` may name a tile level: not a field, not an order.
static bool isLevelName(StringRef name) {
  return !name.empty() && !name.ends_with(kOrderSuffix) &&
         !llvm::is_contained({StringRef(kPack), StringRef(kDistribute),
                              StringRef(kSharedPacking), StringRef(kTransposed),
                              StringRef(kLibrary)},
                             name);
}

/// Parses `[i64, ...]` into `values`.
static ParseResult parseList(AsmParser &parser,
                             SmallVectorImpl<int64_t> &values) {
  return parser.parseCommaSeparatedList(
      AsmParser::Delimiter::Square, [&]() -> ParseResult {
        return parser.parseInteger(values.emplace_back());
      });
}

Attribute LoweringConfigAttr::parse(AsmParser &parser, Type) {
  MLIRContext *context = parser.getContext();
  SMLoc loc = parser.getCurrentLocation();
  // Entries come in this order of kinds; orders and levels may repeat.
  enum Kind {
    Level,
    Pack,
    Distribute,
    Order,
    SharedPacking,
    Transposed,
    Library
  };
  static const char *const kExpected =
      "a tile level (NAME = [sizes]), then 'pack', 'distribute', "
      "'NAME_order', 'shared_packing', 'transposed', 'library' in that order";
  SmallVector<std::string> names;
  SmallVector<SmallVector<int64_t>> sizes, orders;
  SmallVector<int64_t> packed, distributed;
  int64_t sharedPacking = 0;
  bool transposed = false;
  std::string library;
  int last = -1;
  if (parser.parseLess())
    return {};
  if (succeeded(parser.parseOptionalGreater()))
    return parser.getChecked<LoweringConfigAttr>(
        loc, context, ArrayRef<TileLevel>(), ArrayRef<int64_t>(),
        ArrayRef<int64_t>(), 0, false, StringRef());
  do {
    SMLoc keywordLoc = parser.getCurrentLocation();
    StringRef keyword;
    if (parser.parseKeyword(&keyword))
      return {};
    Kind kind = keyword == kPack                  ? Pack
                : keyword == kDistribute          ? Distribute
                : keyword == kSharedPacking       ? SharedPacking
                : keyword == kTransposed          ? Transposed
                : keyword == kLibrary             ? Library
                : keyword.ends_with(kOrderSuffix) ? Order
                                                  : Level;
    bool repeats = kind == Level || kind == Order;
    if (kind < last || (kind == last && !repeats)) {
      parser.emitError(keywordLoc)
          << "expected " << kExpected << ", each field at most once; got '"
          << keyword << "'";
      return {};
    }
    last = kind;
    if (kind == Transposed)
      transposed = true;
    else if (parser.parseEqual())
      return {};
    switch (kind) {
    case Level:
      if (llvm::is_contained(names, keyword)) {
        parser.emitError(keywordLoc)
            << "tile level '" << keyword << "' given twice";
        return {};
      }
      names.push_back(keyword.str());
      if (parseList(parser, sizes.emplace_back()))
        return {};
      orders.emplace_back();
      break;
    case Order: {
      StringRef level = keyword.drop_back(kOrderSuffix.size());
      auto it = llvm::find(names, level);
      if (it == names.end()) {
        parser.emitError(keywordLoc)
            << "'" << keyword << "' orders no tile level: there is no level '"
            << level << "'";
        return {};
      }
      SmallVector<int64_t> &order = orders[it - names.begin()];
      if (!order.empty()) {
        parser.emitError(keywordLoc) << "'" << keyword << "' given twice";
        return {};
      }
      if (parseList(parser, order))
        return {};
      break;
    }
    case Pack:
      if (parseList(parser, packed))
        return {};
      break;
    case Distribute:
      if (parseList(parser, distributed))
        return {};
      break;
    case SharedPacking:
      if (parser.parseInteger(sharedPacking))
        return {};
      break;
    case Transposed:
      break;
    case Library:
      if (parser.parseString(&library))
        return {};
      break;
    }
  } while (succeeded(parser.parseOptionalComma()));
  if (parser.parseGreater())
    return {};
  SmallVector<TileLevel> levels;
  for (auto [name, tiles, order] : llvm::zip(names, sizes, orders))
    levels.push_back(makeTileLevel(context, name, tiles, order));
  return parser.getChecked<LoweringConfigAttr>(loc, context, levels, packed,
                                               distributed, sharedPacking,
                                               transposed, library);
}

void LoweringConfigAttr::print(AsmPrinter &printer) const {
  bool first = true;
  auto separate = [&] {
    if (!first)
      printer << ", ";
    first = false;
  };
  auto list = [&](StringRef name, StringRef suffix, ArrayRef<int64_t> values) {
    if (values.empty())
      return;
    separate();
    printer << name << suffix << " = [";
    llvm::interleaveComma(values, printer);
    printer << "]";
  };
  printer << "<";
  for (const TileLevel &level : getLevels()) {
    // (A level with no loops still prints: `name = []`.)
    separate();
    printer << level.name.getValue() << " = [";
    llvm::interleaveComma(level.getSizes(), printer);
    printer << "]";
  }
  list(kPack, "", getPackedOperands());
  list(kDistribute, "", getDistributedLoops());
  for (const TileLevel &level : getLevels())
    list(level.name.getValue(), kOrderSuffix, level.getOrder());
  if (getSharedPacking() != 0) {
    separate();
    printer << kSharedPacking << " = " << getSharedPacking();
  }
  if (getTransposed()) {
    separate();
    printer << kTransposed;
  }
  if (!getLibrary().empty()) {
    separate();
    printer << kLibrary << " = \"" << getLibrary() << "\"";
  }
  printer << ">";
}

LogicalResult
LoweringConfigAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                           ArrayRef<TileLevel> levels, ArrayRef<int64_t> packed,
                           ArrayRef<int64_t> distributed, int64_t sharedPacking,
                           bool transposed, StringRef library) {
  // Only what holds for every target: the passes that read a level check
  // that their target's levels are there.
  if (levels.empty() && packed.empty() && distributed.empty() &&
      sharedPacking == 0 && !transposed && library.empty())
    return emitError() << "expects a tile level or a field";
  if (!library.empty() && library != kCuBLAS && library != kCuDNN)
    return emitError() << "expects 'library' to be \"" << kCuBLAS << "\" or \""
                       << kCuDNN << "\" (the libraries Kiln calls), got \""
                       << library << "\"";
  size_t loops = levels.empty() ? 0 : levels.front().getSizes().size();
  for (auto [i, level] : llvm::enumerate(levels)) {
    if (!level.name || !isLevelName(level.name.getValue()))
      return emitError() << "expects a tile level's name not to be a field's "
                            "or end in '_order', got '"
                         << (level.name ? level.name.getValue() : "") << "'";
    for (const TileLevel &other : levels.take_front(i))
      if (other.name == level.name)
        return emitError() << "expects tile level '" << level.name.getValue()
                           << "' once";
    ArrayRef<int64_t> tiles = level.getSizes();
    if (tiles.size() != loops)
      return emitError() << "expects every tile level to have as many sizes "
                            "as '"
                         << levels.front().name.getValue() << "' (" << loops
                         << "), got " << tiles.size() << " in '"
                         << level.name.getValue() << "'";
    if (llvm::any_of(tiles, [](int64_t t) { return t < 0; }))
      return emitError() << "expects non-negative tile sizes";
    // A tile of one level is a piece of a tile of the level before it.
    if (i > 0)
      for (auto [outer, inner] : llvm::zip(levels[i - 1].getSizes(), tiles))
        if (outer > 0 && inner > outer)
          return emitError()
                 << "expects each '" << level.name.getValue()
                 << "' tile to fit its '" << levels[i - 1].name.getValue()
                 << "' tile, got " << inner << " > " << outer;
    ArrayRef<int64_t> order = level.getOrder();
    if (order.empty())
      continue;
    SmallVector<int64_t> sorted(order);
    llvm::sort(sorted);
    if (sorted.size() != loops ||
        !llvm::equal(sorted, llvm::seq<int64_t>(0, loops)))
      return emitError() << "expects '" << level.name.getValue()
                         << "_order' to be a permutation of the " << loops
                         << " loops";
  }
  // Operand and loop indices are checked against the op by the passes that
  // read them; an attribute does not know its op.
  for (int64_t operand : packed)
    if (operand < 0)
      return emitError() << "expects non-negative operand indices in 'pack'";
  if (distributed.size() > 1)
    return emitError() << "expects at most one distributed loop, got "
                       << distributed.size();
  for (int64_t loop : distributed) {
    if (loop < 0)
      return emitError() << "expects a non-negative distributed loop, got "
                         << loop;
    if (!levels.empty() && (loop >= static_cast<int64_t>(loops) ||
                            levels.front().getSizes()[loop] == 0))
      return emitError() << "expects the distributed loop to be a tiled loop "
                            "(one with a non-zero '"
                         << levels.front().name.getValue() << "' tile), got "
                         << loop;
  }
  if (sharedPacking < 0)
    return emitError() << "expects 'shared_packing' to be positive, got "
                       << sharedPacking;
  if (sharedPacking > 0 && packed.empty())
    return emitError() << "expects 'shared_packing' only with 'pack'";
  return success();
}

//===----------------------------------------------------------------------===//
// CPUTargetAttr
//===----------------------------------------------------------------------===//

LogicalResult
CPUTargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      StringRef triple, StringRef cpu, StringRef features,
                      unsigned vectorBits, unsigned vectorRegisters,
                      int64_t l1Bytes, int64_t l2Bytes, unsigned cores,
                      unsigned threads, int64_t memoryBytes) {
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

//===----------------------------------------------------------------------===//
// GPUTargetAttr
//===----------------------------------------------------------------------===//

LogicalResult
GPUTargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      StringRef chip, StringRef features, unsigned smCount,
                      unsigned maxThreadsPerBlock, unsigned registersPerSM,
                      int64_t sharedMemoryBytes, StringRef mma,
                      int64_t memoryBytes) {
  // sm_<version>[a]: the version's digits, an optional `a`.
  StringRef version = chip;
  unsigned number = 0;
  if (!version.consume_front("sm_") ||
      version.drop_back(version.ends_with("a") ? 1 : 0)
          .getAsInteger(10, number) ||
      number < 50)
    return emitError() << "expects 'chip' to be an NVIDIA architecture "
                          "sm_NN or sm_NNa (sm_50 or later), got '"
                       << chip << "'";
  if (smCount < 1 || smCount > 1024)
    return emitError() << "expects 'sm_count' from 1 to 1024, got " << smCount;
  if (maxThreadsPerBlock < 32 || maxThreadsPerBlock > 1024 ||
      !llvm::isPowerOf2_32(maxThreadsPerBlock))
    return emitError() << "expects 'max_threads_per_block' to be a power of "
                          "two from 32 to 1024, got "
                       << maxThreadsPerBlock;
  if (registersPerSM < 1024)
    return emitError() << "expects at least 1024 'registers_per_sm', got "
                       << registersPerSM;
  if (sharedMemoryBytes < 16 * 1024 || sharedMemoryBytes > 1024 * 1024)
    return emitError() << "expects 'shared_memory_bytes' from 16 KiB to 1 "
                          "MiB, got "
                       << sharedMemoryBytes;
  if (mma != "none" && mma != "mma_sync" && mma != "wgmma")
    return emitError() << "expects 'mma' to be none, mma_sync or wgmma, got '"
                       << mma << "'";
  if (mma == "mma_sync" && number < 80)
    return emitError() << "'mma_sync' (m16n8k16) needs sm_80 or later, got "
                       << chip;
  if (mma == "wgmma" && chip != "sm_90a")
    return emitError() << "'wgmma' needs sm_90a, got " << chip;
  if (memoryBytes < 0)
    return emitError() << "expects 'memory_bytes' to be 0 (not known) or "
                          "positive, got "
                       << memoryBytes;
  return success();
}

GPUTargetAttr GPUTargetAttr::lookup(Operation *op) {
  for (; op; op = op->getParentOp())
    if (auto target = op->getAttrOfType<GPUTargetAttr>(kAttrName))
      return target;
  return {};
}

LogicalResult
KilnCodegenDialect::verifyOperationAttribute(Operation *op,
                                             NamedAttribute attribute) {
  if (attribute.getName() == GPUTargetAttr::kAttrName) {
    if (!isa<GPUTargetAttr>(attribute.getValue()))
      return op->emitError() << "'" << GPUTargetAttr::kAttrName
                             << "' must be a #kiln_codegen.gpu_target, got "
                             << attribute.getValue();
    if (!isa<ModuleOp>(op))
      return op->emitError()
             << "'" << GPUTargetAttr::kAttrName << "' belongs on a module";
    return success();
  }
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
