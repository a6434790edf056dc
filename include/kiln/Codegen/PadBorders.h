//===- PadBorders.h - which loop writes a pad's border ----------*- C++ -*-===//
//
// Part of Kiln. kiln-codegen-decompose-pads writes a static tensor.pad as a
// loop over one unpadded dimension that fills the border; a target's
// heuristic decides whether the threads share that loop (the pad's
// lowering_config). Both ask here which dimension the loop may walk.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_PADBORDERS_H
#define KILN_CODEGEN_PADBORDERS_H

#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <optional>

namespace kiln::codegen {

/// Whether the border loop of `pad` can walk dimension `d`: an unpadded
/// dimension of more than one element.
bool canWalkBorder(mlir::tensor::PadOp pad, int64_t d);

/// The dimension the border loop of `pad` walks when its config does not
/// say: the outermost one it can walk. None when `pad` is not written as a
/// border loop (dynamic shapes or pads, a padding value that is not a
/// constant, every dimension padded).
std::optional<unsigned> defaultBorderDimension(mlir::tensor::PadOp pad);

} // namespace kiln::codegen

#endif // KILN_CODEGEN_PADBORDERS_H
