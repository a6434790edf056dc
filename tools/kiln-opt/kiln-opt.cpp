//===- kiln-opt.cpp - Kiln's mlir-opt -------------------------------------===//
//
// Part of Kiln. Parses, verifies, transforms and prints Kiln IR: every flag of
// mlir-opt, the nn dialect, Kiln's passes and pipelines, and the upstream
// passes they build on.
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAllDialects.h"
#include "kiln/InitAllPasses.h"

#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  kiln::registerAllDialects(registry);
  mlir::registerAllPasses();
  kiln::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "Kiln optimizer driver: nn IR in, transformed IR out\n",
      registry));
}
