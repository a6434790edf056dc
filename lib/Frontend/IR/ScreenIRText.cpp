//===- ScreenIRText.cpp - reject IR text MLIR's parser cannot survive -----===//
//
// Part of Kiln. See ScreenIRText.h.
//
//===----------------------------------------------------------------------===//

#include "kiln/Frontend/IR/ScreenIRText.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

namespace {
/// Scans one buffer; reports the first problem of each kind.
class Screen {
public:
  Screen(const llvm::SourceMgr &sourceMgr, unsigned bufferId,
         MLIRContext *context)
      : sourceMgr(sourceMgr), bufferId(bufferId), context(context),
        text(sourceMgr.getMemoryBuffer(bufferId)->getBuffer()) {}

  LogicalResult run();

private:
  Location locationOf(size_t offset) const {
    auto [line, column] = sourceMgr.getLineAndColumn(
        llvm::SMLoc::getFromPointer(text.data() + offset), bufferId);
    return FileLineColLoc::get(
        context, sourceMgr.getMemoryBuffer(bufferId)->getBufferIdentifier(),
        line, column);
  }
  /// The offset just past the string literal that starts at `begin` (a
  /// quote), or the end of the text when it is not closed.
  size_t skipString(size_t begin) const;
  /// Checks the resource blob in the string literal [begin, end) (quotes
  /// included) of the file metadata.
  LogicalResult checkBlob(size_t begin, size_t end);
  /// The key a resource entry's value at `offset` belongs to (`key: "0x.."`).
  StringRef keyBefore(size_t offset) const;

  const llvm::SourceMgr &sourceMgr;
  unsigned bufferId;
  MLIRContext *context;
  StringRef text;
};
} // namespace

size_t Screen::skipString(size_t begin) const {
  for (size_t i = begin + 1; i < text.size(); ++i) {
    if (text[i] == '\\')
      ++i; // the escaped character
    else if (text[i] == '"')
      return i + 1;
  }
  return text.size();
}

StringRef Screen::keyBefore(size_t offset) const {
  size_t end = offset;
  while (end > 0 && (llvm::isSpace(text[end - 1]) || text[end - 1] == ':'))
    --end;
  size_t begin = end;
  while (begin > 0 && (llvm::isAlnum(text[begin - 1]) ||
                       StringRef("_.$-").contains(text[begin - 1])))
    --begin;
  return text.slice(begin, end);
}

LogicalResult Screen::checkBlob(size_t begin, size_t end) {
  StringRef literal = text.slice(begin + 1, end - 1);
  if (!literal.starts_with("0x") || literal.size() < 10)
    return success(); // not a blob, or one the parser rejects by itself
  uint32_t alignment = 0;
  for (int byte = 3; byte >= 0; --byte) {
    StringRef hex = literal.substr(2 + 2 * byte, 2);
    unsigned value = 0;
    if (hex.getAsInteger(16, value))
      return success(); // not hex: the parser's error
    alignment = alignment << 8 | value;
  }
  if (alignment != 0 && llvm::isPowerOf2_32(alignment) &&
      alignment <= kiln::kMaxResourceAlignment)
    return success();
  emitError(locationOf(begin))
      << "dense resource blob '" << keyBefore(begin) << "' declares alignment "
      << alignment
      << " in its first 4 bytes (little-endian); expected a power of two "
         "from 1 to "
      << kiln::kMaxResourceAlignment << ", e.g. \"0x04000000...\" for 4";
  return failure();
}

LogicalResult Screen::run() {
  unsigned depth = 0;
  bool inMetadata = false;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '"') {
      size_t end = skipString(i);
      if (inMetadata && failed(checkBlob(i, end)))
        return failure();
      i = end;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      size_t end = text.find('\n', i);
      i = end == StringRef::npos ? text.size() : end;
      continue;
    }
    if (text.substr(i).starts_with("{-#"))
      inMetadata = true;
    else if (text.substr(i).starts_with("#-}"))
      inMetadata = false;
    if (StringRef("([{<").contains(c)) {
      if (++depth > kiln::kMaxIRNesting) {
        emitError(locationOf(i))
            << "IR nested more than " << kiln::kMaxIRNesting
            << " levels deep (brackets inside brackets); Kiln does not parse "
               "IR nested this deep";
        return failure();
      }
    } else if (StringRef(")]}>").contains(c)) {
      // `->` and `>=` close nothing: never below zero.
      depth = depth > 0 ? depth - 1 : 0;
    }
    ++i;
  }
  return success();
}

LogicalResult kiln::screenIRText(const llvm::SourceMgr &sourceMgr,
                                 unsigned bufferId, MLIRContext *context) {
  // MLIR bytecode (kiln-opt --emit-bytecode) is binary: its bytes are not
  // brackets. It is read by MLIR's bytecode reader, unscreened.
  if (sourceMgr.getMemoryBuffer(bufferId)->getBuffer().starts_with(
          "ML\xefR"))
    return success();
  return Screen(sourceMgr, bufferId, context).run();
}
