//===- kiln-opt.cpp - Kiln's mlir-opt -------------------------------------===//
//
// Part of Kiln. See lib/Registration/OptMain.cpp.
//
//===----------------------------------------------------------------------===//

#include "kiln/OptMain.h"

int main(int argc, char **argv) { return kiln::kilnOptMain(argc, argv); }
