//===- InitAllPasses.cpp - every Kiln pass and pipeline -------------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#include "kiln/InitAllPasses.h"

#include "kiln/Codegen/Passes.h"
#include "kiln/Codegen/Pipeline.h"
#include "kiln/Conversion/Passes.h"
#include "kiln/Target/CPU/Passes.h"
#include "kiln/Target/GPU/Passes.h"
#include "kiln/Transforms/Passes.h"
#include "kiln/Tuning/Passes.h"

void kiln::registerAllPasses() {
  registerKilnCodegenPasses();
  registerKilnConversionPasses();
  registerKilnTransformsPasses();
  registerKilnCPUPasses();
  registerKilnGPUPasses();
  registerKilnTuningPasses();
  registerNNSimplifyPipeline();
  registerCodegenPipeline();
}
