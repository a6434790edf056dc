//===- TuneMain.h - the kiln-tune driver ------------------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TUNING_TUNEMAIN_H
#define KILN_TUNING_TUNEMAIN_H

namespace kiln {

/// kiln-tune's main: tunes every tunable op of a model into a tuning
/// database, merges or lists databases. Returns the process exit code.
int kilnTuneMain(int argc, char **argv);

} // namespace kiln

#endif // KILN_TUNING_TUNEMAIN_H
