//===- ApproximateMath.cpp - transcendental functions as polynomials ------===//
//
// Part of Kiln. See kiln-cpu-approximate-math in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Target/CPU/Passes.h"

#include "kiln/Codegen/IR/CodegenDialect.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/TargetParser/Triple.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCPUAPPROXIMATEMATH
#include "kiln/Target/CPU/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
struct KilnCPUApproximateMathPass
    : public kiln::impl::KilnCPUApproximateMathBase<
          KilnCPUApproximateMathPass> {
  void runOnOperation() override {
    // RISC-V keeps libm's functions: qemu-user 7.2 (Debian 12's, which runs
    // Kiln's RISC-V binaries here) aborts translating the vector float-to-
    // int conversion the polynomials use (vfcvt.rtz.x.f.v) in some blocks.
    if (auto target = kiln::codegen::CPUTargetAttr::lookup(getOperation()))
      if (llvm::Triple(target.getTriple()).isRISCV())
        return;
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return llvm::is_contained({"math.exp", "math.expm1", "math.log",
                                 "math.log1p", "math.log2", "math.tanh",
                                 "math.erf"},
                                name);
    });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
