//===- CheckBuffers.cpp - reject buffers no machine run could allocate ----===//
//
// Part of Kiln. See kiln-cpu-check-buffers in Passes.td. A convolution with
// a kernel of a million rows, say, asks im2col for a patch buffer of tens of
// terabytes: without this check the compiled code's allocation fails when
// it runs.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/Support/Format.h"

#include <unistd.h>

namespace kiln {
#define GEN_PASS_DEF_KILNCPUCHECKBUFFERS
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// This machine's physical memory in bytes (0 when unknown).
static int64_t physicalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && pageSize > 0 ? int64_t(pages) * pageSize : 0;
}

/// "12.3 GB", "4.0 kB", "17 bytes".
static std::string humanBytes(double bytes) {
  const char *units[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
  int unit = 0;
  while (bytes >= 1000 && unit < 6) {
    bytes /= 1000;
    ++unit;
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  if (unit == 0)
    os << int64_t(bytes) << " bytes";
  else
    os << llvm::format("%.1f ", bytes) << units[unit];
  return text;
}

/// The bytes of a static memref type (saturating), or nullopt.
static std::optional<double> bufferBytes(MemRefType type) {
  if (!type.hasStaticShape() || !type.getElementType().isIntOrFloat())
    return std::nullopt;
  double elements = 1;
  for (int64_t d : type.getShape())
    elements *= double(d);
  return elements * std::max<double>(1, type.getElementTypeBitWidth() / 8.0);
}

namespace {
struct KilnCPUCheckBuffersPass
    : public kiln::impl::KilnCPUCheckBuffersBase<KilnCPUCheckBuffersPass> {
  using Base::Base;

  void runOnOperation() override {
    int64_t limit = maxBytes > 0 ? int64_t(maxBytes) : physicalMemoryBytes();
    if (limit <= 0)
      return;
    bool tooLarge = false;
    getOperation()->walk([&](Operation *op) {
      // Constants become data in the compiled code: a splat of 10^10
      // floats would be written out, 40 GB of it, before it ever ran.
      if (auto global = dyn_cast<memref::GlobalOp>(op)) {
        std::optional<double> bytes = bufferBytes(global.getType());
        if (!bytes || *bytes <= double(limit))
          return;
        op->emitError() << "needs a constant of " << humanBytes(*bytes)
                        << " (" << global.getType() << "), more than the "
                        << humanBytes(double(limit))
                        << (maxBytes > 0 ? " allowed" : " this machine has");
        tooLarge = true;
        return;
      }
      if (!isa<memref::AllocOp, memref::AllocaOp>(op))
        return;
      auto type = cast<MemRefType>(op->getResult(0).getType());
      std::optional<double> bytes = bufferBytes(type);
      if (!bytes || *bytes <= double(limit))
        return;
      op->emitError() << "needs a temporary buffer of " << humanBytes(*bytes)
                      << " (" << type << "), more than the "
                      << humanBytes(double(limit))
                      << (maxBytes > 0 ? " allowed" : " this machine has");
      tooLarge = true;
    });
    if (tooLarge)
      signalPassFailure();
  }
};
} // namespace
