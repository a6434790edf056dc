//===- Mapping.h - how a GPU schedule's foralls are mapped ------*- C++ -*-===//
//
// Part of Kiln. The GPU passes tile onto scf.foralls mapped to blocks,
// warps and threads with linear ids: the innermost tiled loop is
// linear_dim_0, the fastest-varying id (consecutive threads, consecutive
// elements).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_GPU_MAPPING_H
#define KILN_TARGET_GPU_MAPPING_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace kiln::gpu {

/// The mapping of `count` tiled loops to `MappingAttr` ids
/// (GPUBlockMappingAttr, GPUWarpMappingAttr, GPUThreadMappingAttr),
/// outermost first: linear_dim_(count - 1), ..., linear_dim_0.
template <typename MappingAttr>
llvm::SmallVector<mlir::Attribute> linearMapping(mlir::MLIRContext *context,
                                                 int64_t count) {
  llvm::SmallVector<mlir::Attribute> mapping;
  for (int64_t i = 0; i < count; ++i)
    mapping.push_back(MappingAttr::get(
        context, static_cast<mlir::gpu::MappingId>(
                     static_cast<int64_t>(mlir::gpu::MappingId::LinearDim0) +
                     count - 1 - i)));
  return mapping;
}

/// Whether `op` is the loop of a GPU schedule's thread blocks: an
/// scf.forall mapped to #gpu.block ids.
inline bool isBlockForall(mlir::Operation *op) {
  auto forall = llvm::dyn_cast<mlir::scf::ForallOp>(op);
  if (!forall)
    return false;
  std::optional<mlir::ArrayAttr> mapping = forall.getMapping();
  return mapping && !mapping->empty() &&
         llvm::isa<mlir::gpu::GPUBlockMappingAttr>(mapping->getValue().front());
}

/// Whether `op` runs on the device: inside a block forall or a gpu.launch.
inline bool isInDeviceCode(mlir::Operation *op) {
  for (mlir::Operation *parent = op->getParentOp(); parent;
       parent = parent->getParentOp())
    if (llvm::isa<mlir::gpu::LaunchOp>(parent) || isBlockForall(parent))
      return true;
  return false;
}

} // namespace kiln::gpu

#endif // KILN_TARGET_GPU_MAPPING_H
