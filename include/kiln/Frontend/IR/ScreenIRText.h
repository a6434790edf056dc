//===- ScreenIRText.h - reject IR text MLIR's parser cannot survive -*- C++ -*-===//
//
// Part of Kiln. MLIR's textual parser trusts its input in two places where a
// hostile file takes the process down instead of getting a diagnostic:
//
//  - it recurses once per nesting level of attributes and types, so an
//    attribute nested ten thousand deep overflows the stack (SIGSEGV);
//  - a dense_resource blob gives its alignment in its first four bytes, and
//    an alignment of 0 makes the blob allocator fail ("LLVM ERROR: out of
//    memory", abort).
//
// Every tool that reads nn IR text (kiln-run, kiln-compile, kiln-tune,
// kiln-opt, the Python API) screens it with this first. The scan is linear
// and allocation-free; it skips strings and comments.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTEND_IR_SCREENIRTEXT_H
#define KILN_FRONTEND_IR_SCREENIRTEXT_H

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/SourceMgr.h"

namespace kiln {

/// Brackets ((, [, {, <) may nest this deep in IR text. 5,000 levels parse
/// on an 8 MB stack and 10,000 overflow it; real models nest fewer than 20.
constexpr unsigned kMaxIRNesting = 1000;

/// The largest alignment a dense_resource blob may declare (a page).
constexpr uint32_t kMaxResourceAlignment = 4096;

/// Checks the text of buffer `bufferId` of `sourceMgr` for nesting deeper
/// than kMaxIRNesting and for dense_resource blobs whose alignment is not a
/// power of two up to kMaxResourceAlignment. Problems are emitted as errors
/// located in the buffer through `context`'s diagnostic handler. MLIR
/// bytecode is not text and passes unscreened.
mlir::LogicalResult screenIRText(const llvm::SourceMgr &sourceMgr,
                                 unsigned bufferId, mlir::MLIRContext *context);

} // namespace kiln

#endif // KILN_FRONTEND_IR_SCREENIRTEXT_H
