//===- ProfileTags.h - nn op numbers in locations ---------------*- C++ -*-===//
//
// Part of Kiln. How kiln-tag-profiled-ops marks the nn ops and
// kiln-instrument-profile finds them again in the code they became.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TRANSFORMS_PROFILETAGS_H
#define KILN_TRANSFORMS_PROFILETAGS_H

#include "mlir/IR/Location.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringRef.h"

namespace kiln {

/// The function attribute listing the numbered nn ops: an array of
/// dictionaries {op, node, flops}, indexed by number.
inline constexpr llvm::StringLiteral kProfileOpsAttrName = "kiln.profile_ops";

/// `loc` marked as nn op number `id`'s: `fused<{kiln.profile_op = id}>[loc]`.
mlir::Location profileTaggedLoc(mlir::Location loc, int64_t id);

/// The numbers of the nn ops `loc` carries, added to `ids`.
void collectProfileTags(mlir::Location loc, llvm::SetVector<int64_t> &ids);

} // namespace kiln

#endif // KILN_TRANSFORMS_PROFILETAGS_H
