//===- kiln-translate.cpp - translate models into and out of nn -----------===//
//
// Part of Kiln. mlir-translate with Kiln's translations: --import-onnx.
//
//===----------------------------------------------------------------------===//

#include "kiln/Frontend/ONNX/ONNXImporter.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  kiln::registerONNXImportTranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "Kiln translation driver"));
}
