//===- CompileMain.h - the kiln-compile driver ------------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_COMPILER_COMPILEMAIN_H
#define KILN_COMPILER_COMPILEMAIN_H

namespace kiln {

/// kiln-compile's main: compiles an nn model ahead of time for a target into
/// an executable, a library, an object, or the IR of an intermediate stage.
/// Returns the process exit code.
int kilnCompileMain(int argc, char **argv);

} // namespace kiln

#endif // KILN_COMPILER_COMPILEMAIN_H
