//===- kiln-compile.cpp - compile an nn model ahead of time ---------------===//
//
// Part of Kiln. See lib/Compiler/CompileMain.cpp.
//
//===----------------------------------------------------------------------===//

#include "kiln/Compiler/CompileMain.h"

int main(int argc, char **argv) { return kiln::kilnCompileMain(argc, argv); }
