//===- TileLevels.h - the tile levels of a CPU lowering_config --*- C++ -*-===//
//
// Part of Kiln. A CPU tiles an op twice: for the caches (the outer tiles,
// and a thread's unit of work), then for the registers (the vector code).
// These are the names of those levels in a #kiln_codegen.lowering_config.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_TILELEVELS_H
#define KILN_TARGET_CPU_TILELEVELS_H

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "llvm/ADT/StringRef.h"

#include <array>

namespace kiln {
inline constexpr llvm::StringLiteral kCacheLevel = "cache";
inline constexpr llvm::StringLiteral kRegisterLevel = "register";

/// A CPU config's two levels: `cache` then `register`, each with its loop
/// order (empty: the op's).
inline std::array<codegen::TileLevel, 2>
cpuTileLevels(mlir::MLIRContext *context, llvm::ArrayRef<int64_t> cache,
              llvm::ArrayRef<int64_t> reg,
              llvm::ArrayRef<int64_t> cacheOrder = {},
              llvm::ArrayRef<int64_t> registerOrder = {}) {
  return {codegen::makeTileLevel(context, kCacheLevel, cache, cacheOrder),
          codegen::makeTileLevel(context, kRegisterLevel, reg, registerOrder)};
}
} // namespace kiln

#endif // KILN_TARGET_CPU_TILELEVELS_H
