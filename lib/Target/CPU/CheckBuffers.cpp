//===- CheckBuffers.cpp - reject buffers no machine run could allocate ----===//
//
// Part of Kiln. See kiln-cpu-check-buffers in Passes.td. A convolution with
// a kernel of a million rows, say, asks im2col for a patch buffer of tens of
// terabytes: without this check the compiled code's allocation fails when
// it runs.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/Passes.h"

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Runtime/Npy.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPUCHECKBUFFERS
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

using kiln::runtime::formatBytes;

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
    // The option, else the target's memory, else the 2^47 bytes (128 TB)
    // of a 64-bit Linux process's address space.
    int64_t limit = maxBytes;
    const char *whose = " allowed";
    if (limit <= 0) {
      auto target = kiln::codegen::CPUTargetAttr::lookup(getOperation());
      limit = target ? target.getMemoryBytes() : 0;
      whose = " the target has";
    }
    if (limit <= 0) {
      limit = int64_t(1) << 47;
      whose = " a 64-bit process can address";
    }
    bool tooLarge = false;
    getOperation()->walk([&](Operation *op) {
      // Constants become data in the compiled code: a splat of 10^10
      // floats would be written out, 40 GB of it, before it ever ran.
      MemRefType type;
      const char *what;
      if (auto global = dyn_cast<memref::GlobalOp>(op)) {
        type = global.getType();
        what = "a constant";
      } else if (isa<memref::AllocOp, memref::AllocaOp>(op)) {
        type = cast<MemRefType>(op->getResult(0).getType());
        what = "a temporary buffer";
      } else {
        return;
      }
      std::optional<double> bytes = bufferBytes(type);
      if (!bytes || *bytes <= double(limit))
        return;
      op->emitError() << "needs " << what << " of " << formatBytes(*bytes)
                      << " (" << type << "), more than the "
                      << formatBytes(double(limit)) << whose;
      tooLarge = true;
    });
    if (tooLarge)
      signalPassFailure();
  }
};
} // namespace
