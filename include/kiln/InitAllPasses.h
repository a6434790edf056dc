//===- InitAllPasses.h - every Kiln pass and pipeline -----------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_INITALLPASSES_H
#define KILN_INITALLPASSES_H

namespace kiln {

/// Registers every Kiln pass (conversions and transforms) and every named
/// Kiln pipeline with the global registry, for kiln-opt and pass pipelines
/// given as text.
void registerAllPasses();

} // namespace kiln

#endif // KILN_INITALLPASSES_H
