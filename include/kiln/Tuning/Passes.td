//===- Passes.td - passes that read tuning databases --------*- tablegen -*-===//
//
// Part of Kiln. The tuned half of "decisions as attributes": schedules
// kiln-tune measured become lowering_configs (lib/Tuning).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TUNING_PASSES_TD
#define KILN_TUNING_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnApplyTuningDatabase
    : InterfacePass<"kiln-apply-tuning-db", "mlir::FunctionOpInterface"> {
  let summary = "Give tunable ops the schedules a tuning database holds for them";
  let description = [{
    For every tunable op (a contraction on tensors with static loop ranges:
    matmuls, and convolutions after im2col) without a `lowering_config`,
    looks up the fastest schedule `kiln-tune` measured for its signature
    (op, loop ranges, iterators, indexing maps, element types) on this
    target with this compiler in the SQLite database `database`, and
    attaches it. The target is the module's `kiln_codegen.target`
    (kiln-cpu-attach-target), its key includes the thread count (a schedule
    measured on 2 threads is looked up for code that runs on 2). Ops the database
    has nothing for are left to
    `kiln-cpu-select-lowering-config`'s heuristic. So are ops whose best
    tuned schedule measured less than `min-gain` (default 5%) faster than
    the heuristic's own schedule for the target in the same database
    (kiln-tune measures it first, as its reference): a
    difference that small is within kiln-tune's noise between runs, and
    its regime (inputs rotated out of the caches) is not a model's (a
    schedule 4% faster in kiln-tune ran 24% slower in ResNet-18). With
    `report`, each tunable op gets a remark saying which it got and why.

    With `device=cuda` or `device=emulated-cuda`, the op's GPU schedules
    are looked up instead (kiln-tune --device=...): the tunable ops are
    then contractions and convolutions (a GPU's convolutions are not
    im2col'd), the key is the module's `kiln_codegen.gpu_target` with the
    `precision`, and the heuristic compared with is
    `kiln-gpu-select-lowering-config`'s (with `libraries`). A GPU
    schedule may name a library (cuBLAS, cuDNN) that kiln-tune measured
    fastest: the op then calls it whatever `--gpu-libraries` says.

    A database that cannot be opened, or a schedule in it that is not a
    `lowering_config` for the op's loops, is an error.
  }];
  let options = [
    Option<"database", "database", "std::string", "",
           "The tuning database (SQLite, written by kiln-tune)">,
    Option<"target", "target", "std::string", "",
           "The target key to look up (default: the module's target's)">,
    Option<"report", "report", "bool", "false",
           "Remark on every tunable op: tuned or heuristic">,
    Option<"minGain", "min-gain", "double", "0.05",
           "How much faster than the heuristic's schedule (a fraction of "
           "its time) a tuned one must have measured to replace it">,
    Option<"device", "device", "std::string", "\"cpu\"",
           "Whose schedules: cpu, cuda or emulated-cuda">,
    Option<"precision", "precision", "std::string", "\"fp32\"",
           "GPU only: the --precision the schedules were tuned with">,
    ListOption<"libraries", "libraries", "std::string",
               "GPU only: the libraries the heuristic may call (cublas, "
               "cudnn)">,
  ];
  let dependentDialects = ["kiln::codegen::KilnCodegenDialect"];
}

#endif // KILN_TUNING_PASSES_TD
