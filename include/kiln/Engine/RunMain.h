//===- RunMain.h - the kiln-run driver --------------------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_ENGINE_RUNMAIN_H
#define KILN_ENGINE_RUNMAIN_H

namespace kiln {

/// kiln-run's main: parses the command line, compiles the model through the
/// JIT, runs it on .npy or random inputs, writes or summarizes the outputs,
/// optionally benchmarks. Returns the process exit code.
int kilnRunMain(int argc, char **argv);

} // namespace kiln

#endif // KILN_ENGINE_RUNMAIN_H
