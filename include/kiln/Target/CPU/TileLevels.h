//===- TileLevels.h - the tile levels of a CPU lowering_config --*- C++ -*-===//
//
// Part of Kiln. A CPU tiles an op twice: for the caches (the outer tiles,
// and a thread's unit of work), then for the registers (the vector code).
// These are the names of those levels in a #kiln_codegen.lowering_config.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_TILELEVELS_H
#define KILN_TARGET_CPU_TILELEVELS_H

#include "llvm/ADT/StringRef.h"

namespace kiln {
inline constexpr llvm::StringLiteral kCacheLevel = "cache";
inline constexpr llvm::StringLiteral kRegisterLevel = "register";
} // namespace kiln

#endif // KILN_TARGET_CPU_TILELEVELS_H
