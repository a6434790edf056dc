//===- kiln-tune.cpp - tune a model's schedules into a database -----------===//
//
// Part of Kiln. See lib/Tuning/TuneMain.cpp.
//
//===----------------------------------------------------------------------===//

#include "kiln/Tuning/TuneMain.h"

int main(int argc, char **argv) { return kiln::kilnTuneMain(argc, argv); }
