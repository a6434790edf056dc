//===- ApplyTuningDatabase.cpp - tuned schedules from a database ----------===//
//
// Part of Kiln. The tuned half of "decisions as attributes": the schedule
// kiln-tune measured fastest for an op becomes its lowering_config, which
// kiln-cpu-select-lowering-config then leaves alone. (In lib/Tuning: the
// CPU target does not depend on the tuner; the tuner reads the CPU's
// heuristic, its reference.)
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Target/CPU/ContractionConfig.h"
#include "kiln/Target/CPU/TargetDescription.h"
#include "kiln/Target/GPU/ConfigHeuristic.h"
#include "kiln/Target/GPU/GPUTarget.h"
#include "kiln/Tuning/OpSignature.h"
#include "kiln/Tuning/Passes.h"
#include "kiln/Tuning/TuningDatabase.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/Support/FormatVariadic.h"

namespace kiln {
#define GEN_PASS_DEF_KILNAPPLYTUNINGDATABASE
#include "kiln/Tuning/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;

namespace {
struct KilnApplyTuningDatabasePass
    : public kiln::impl::KilnApplyTuningDatabaseBase<
          KilnApplyTuningDatabasePass> {
  using Base::Base;

  void runOnOperation() override {
    if (database.empty())
      return;
    if (!(minGain >= 0 && minGain < 1)) {
      emitError(getOperation()->getLoc())
          << "kiln-apply-tuning-db: min-gain must be at least 0 and "
             "below 1, got "
          << minGain;
      return signalPassFailure();
    }
    std::string error;
    auto db =
        kiln::tuning::TuningDatabase::open(database, /*readOnly=*/true, error);
    if (!db) {
      emitError(getOperation()->getLoc()) << error;
      return signalPassFailure();
    }
    // The module's target, else a generic CPU, as the heuristic's.
    kiln::CPUTargetDescription description;
    if (auto attr = kiln::codegen::CPUTargetAttr::lookup(getOperation()))
      description = kiln::CPUTargetDescription::fromAttr(attr);
    bool gpu = device != "cpu";
    kiln::codegen::GPUTargetAttr gpuTarget;
    if (gpu) {
      gpuTarget = kiln::codegen::GPUTargetAttr::lookup(getOperation());
      if ((device != "cuda" && device != "emulated-cuda") || !gpuTarget) {
        emitError(getOperation()->getLoc())
            << "kiln-apply-tuning-db: device=" << device
            << (gpuTarget ? " is not cpu, cuda or emulated-cuda"
                          : " needs the module's kiln_codegen.gpu_target "
                            "(kiln-gpu-attach-target)");
        return signalPassFailure();
      }
    }
    kiln::gpu::HeuristicOptions gpuHeuristic;
    gpuHeuristic.wgmma = device == "cuda";
    gpuHeuristic.tf32 = precision == "tf32";
    gpuHeuristic.libraries.assign(libraries.begin(), libraries.end());
    kiln::tuning::TuningKey key;
    if (!target.empty())
      key.target = target;
    else if (gpu)
      key.target = kiln::GPUTargetDescription::fromAttr(gpuTarget).tuningKey(
          device, precision, description.tuningKey());
    else
      key.target = description.tuningKey();
    key.compilerVersion = kiln::tuning::compilerVersionKey();
    // The schedule the heuristic gives `op`, if known.
    auto heuristicSchedule = [&](linalg::LinalgOp op) -> std::string {
      if (gpu) {
        LoweringConfigAttr config =
            kiln::gpu::heuristicConfig(op, gpuTarget, gpuHeuristic);
        return config ? kiln::tuning::scheduleText(config) : std::string();
      }
      FailureOr<linalg::ContractionDimensions> dims =
          linalg::inferContractionDims(op);
      if (failed(dims))
        return std::string();
      return kiln::tuning::scheduleText(
          kiln::heuristicContractionConfig(op, *dims, description));
    };

    WalkResult walk = getOperation()->walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(LoweringConfigAttr::kAttrName) ||
          !kiln::tuning::isTunable(op, gpu))
        return WalkResult::advance();
      key.signature = kiln::tuning::opSignature(op);
      std::optional<kiln::tuning::Measurement> best = db->best(key, error);
      if (!error.empty()) {
        emitError(op->getLoc())
            << "tuning database " << database << ": " << error;
        return WalkResult::interrupt();
      }
      // (Remarks at the op's location: with the op itself attached, as
      // op->emitRemark does, each would print the op in generic form.)
      if (!best) {
        if (report)
          emitRemark(op->getLoc()) << "no tuned schedule in " << database
                                   << ", the heuristic's: " << key.signature;
        return WalkResult::advance();
      }
      auto config = dyn_cast_or_null<LoweringConfigAttr>(
          parseAttribute(best->schedule, op->getContext()));
      // (A library's config has no levels.)
      if (!config || (config.getLibrary().empty() &&
                      config.getNumLoops() != op.getNumLoops())) {
        emitError(op->getLoc())
            << "tuning database " << database
            << " holds a schedule that is not a lowering_config for this "
               "op's "
            << op.getNumLoops() << " loops: " << best->schedule;
        return WalkResult::interrupt();
      }
      // A tuned schedule replaces the heuristic's only when it measured
      // `min-gain` faster (see the pass's description). (With a key given
      // by hand, the heuristic's schedule for that key is not known.)
      std::string heuristic =
          target.empty() ? heuristicSchedule(op) : std::string();
      if (!heuristic.empty()) {
        std::optional<kiln::tuning::Measurement> reference =
            db->find(key, heuristic, error);
        if (!error.empty()) {
          emitError(op->getLoc())
              << "tuning database " << database << ": " << error;
          return WalkResult::interrupt();
        }
        if (reference &&
            reference->status == kiln::tuning::MeasurementStatus::Ok &&
            best->seconds > (1 - minGain) * reference->seconds) {
          if (report && best->schedule == heuristic)
            emitRemark(op->getLoc())
                << "the heuristic's schedule, the fastest measured in "
                << database << " ("
                << llvm::formatv("{0:f1}", best->seconds * 1e6).str() << " us)";
          else if (report)
            emitRemark(op->getLoc())
                << "the heuristic's schedule: the best tuned one in "
                << database << " ("
                << llvm::formatv("{0:f1}", best->seconds * 1e6).str()
                << " us) is not "
                << llvm::formatv("{0:f0}", minGain * 100).str()
                << "% faster than it ("
                << llvm::formatv("{0:f1}", reference->seconds * 1e6).str()
                << " us)";
          return WalkResult::advance();
        }
      }
      op->setAttr(LoweringConfigAttr::kAttrName, config);
      if (report)
        emitRemark(op->getLoc())
            << "tuned schedule from " << database << " ("
            << llvm::formatv("{0:f1}", best->seconds * 1e6).str() << " us on "
            << best->machine << "): " << config;
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
