#!/usr/bin/env bash
# Regenerates docs/reference/ from ODS and the Passes.td files (via the
# `kiln-doc` build target). test/docs/reference-up-to-date.test fails until
# this has been run after a change to a .td file.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
cmake --build "$build_dir" --target kiln-doc
mkdir -p docs/reference
cp "$build_dir/docs/Dialects/NNDialect.md" docs/reference/NNDialect.md
cp "$build_dir/docs/Dialects/KilnCodegenDialect.md" docs/reference/CodegenDialect.md
cp "$build_dir/docs/KilnTransformsPasses.md" docs/reference/TransformsPasses.md
cp "$build_dir/docs/KilnConversionPasses.md" docs/reference/ConversionPasses.md
cp "$build_dir/docs/KilnCPUPasses.md" docs/reference/CPUPasses.md
cp "$build_dir/docs/KilnGPUPasses.md" docs/reference/GPUPasses.md
cp "$build_dir/docs/KilnCodegenPasses.md" docs/reference/CodegenPasses.md
cp "$build_dir/docs/KilnTuningPasses.md" docs/reference/TuningPasses.md
rm -f docs/reference/Passes.md
echo "docs/reference/ updated"
