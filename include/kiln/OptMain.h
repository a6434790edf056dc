//===- OptMain.h - kiln-opt's driver ----------------------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_OPTMAIN_H
#define KILN_OPTMAIN_H

namespace kiln {

/// kiln-opt: mlir-opt over Kiln's dialects and passes, reading only input
/// that screenIRText accepts. Returns the process exit code.
int kilnOptMain(int argc, char **argv);

} // namespace kiln

#endif // KILN_OPTMAIN_H
