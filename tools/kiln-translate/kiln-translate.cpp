//===- kiln-translate.cpp - translate models into and out of nn -----------===//
//
// Part of Kiln. See lib/Frontend/ONNX/Translation.cpp.
//
//===----------------------------------------------------------------------===//

#include "kiln/Frontend/ONNX/ONNXImporter.h"

int main(int argc, char **argv) { return kiln::kilnTranslateMain(argc, argv); }
