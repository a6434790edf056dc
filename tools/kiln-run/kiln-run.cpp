//===- kiln-run.cpp - run an nn model through the JIT ---------------------===//
//
// Part of Kiln. See lib/Engine/RunMain.cpp.
//
//===----------------------------------------------------------------------===//

#include "kiln/Engine/RunMain.h"

int main(int argc, char **argv) { return kiln::kilnRunMain(argc, argv); }
