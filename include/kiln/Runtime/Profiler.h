//===- Profiler.h - time spent per nn op ------------------------*- C++ -*-===//
//
// Part of Kiln's runtime (no MLIR/LLVM dependency). Code compiled with
// profiling (kiln-run --profile, kiln-compile --profile) calls
// kiln_profile_begin/end around the code of each op (kiln-instrument-profile
// writes the calls). While a profile is being taken the runtime records the
// time between them; otherwise the calls return at once.
//
// `table` is the address of the function's profile description, a text
// that the same pass writes into the code:
//
//   kiln-profile 1
//   function<TAB>NAME
//   op<TAB>ID<TAB>NN-OP<TAB>NODE<TAB>FLOPS     (every nn op of the function)
//   region<TAB>ID<TAB>OP-ID,OP-ID,...          (each timed stretch of code:
//                                               the nn ops it computes)
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_PROFILER_H
#define KILN_RUNTIME_PROFILER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

void kiln_profile_begin(int64_t table, int64_t region);
void kiln_profile_end(int64_t table, int64_t region);

#ifdef __cplusplus
} // extern "C"

#include <string>

namespace kiln {
namespace runtime {

/// Starts recording (forgetting what was recorded before); with `trace`,
/// every op's every call is kept for writeProfileTrace too.
void startProfile(bool trace);
/// Stops recording. `runs` model runs took `seconds` in all.
void stopProfile(unsigned runs, double seconds);
/// Whether the code that ran since startProfile was compiled with
/// profiling (it called kiln_profile_begin).
bool profileRecordedAnything();
/// The table of ops by time, for a terminal.
std::string formatProfile();
/// The recorded calls in the Chrome trace event format (chrome://tracing,
/// Perfetto): false and a message on failure.
bool writeProfileTrace(const std::string &path, std::string &error);

} // namespace runtime
} // namespace kiln
#endif

#endif // KILN_RUNTIME_PROFILER_H
