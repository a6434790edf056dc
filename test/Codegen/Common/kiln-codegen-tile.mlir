// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-tile{level=cache},canonicalize))' | FileCheck %s --check-prefix=CACHE
// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-tile{level=cache},canonicalize,kiln-codegen-tile{level=register},canonicalize))' | FileCheck %s --check-prefix=REG

#config = #kiln_codegen.lowering_config<cache = [64, 32, 128], register = [8, 16, 1]>

// Cache tiles of 64x32x128; 100 = 64 + 36 and 40 = 32 + 8 leave partial
// tiles, which are peeled into loops of their own, so that every tile has a
// static size. (Single-iteration loops fold away.)
// CACHE-LABEL: func.func @matmul
// CACHE: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<{{.+}}>} ins(%{{.+}}, %{{.+}} : tensor<64x128xf32>, tensor<128x32xf32>) outs(%{{.+}} : tensor<64x32xf32>)
// CACHE: linalg.matmul {{.+}} outs(%{{.+}} : tensor<64x8xf32>)
// CACHE: linalg.matmul {{.+}} outs(%{{.+}} : tensor<36x32xf32>)
// CACHE: linalg.matmul {{.+}} outs(%{{.+}} : tensor<36x8xf32>)
// CACHE-NOT: tensor<?x

// Register tiles inside: full 8x16x1 tiles and the peeled 4-row remainder
// of the 36-row tiles.
// REG-LABEL: func.func @matmul
// REG: linalg.matmul {{.+}} ins(%{{.+}}, %{{.+}} : tensor<8x1xf32>, tensor<1x16xf32>) outs(%{{.+}} : tensor<8x16xf32>)
// REG: linalg.matmul {{.+}} outs(%{{.+}} : tensor<4x16xf32>)
// REG-NOT: tensor<?x
func.func @matmul(%a: tensor<100x128xf32>, %b: tensor<128x40xf32>, %c: tensor<100x40xf32>) -> tensor<100x40xf32> {
  %0 = linalg.matmul {lowering_config = #config} ins(%a, %b : tensor<100x128xf32>, tensor<128x40xf32>) outs(%c : tensor<100x40xf32>) -> tensor<100x40xf32>
  return %0 : tensor<100x40xf32>
}

// -----

// The cache-tile loop of the distributed loop (n; m is untiled and k's
// single tile folds away) is marked for kiln-cpu-outline-parallel-loops;
// the partial tile peeled off it (100 = 3 x 32 + 4) is no loop. The register
// level marks nothing.
// CACHE-LABEL: func.func @distributed
// CACHE: scf.for %{{.+}} = %{{.+}} to %c96 step %c32
// CACHE: } {kiln_codegen.distributed}
// CACHE-NOT: kiln_codegen.distributed
// CACHE: return
// REG-LABEL: func.func @distributed
// REG-COUNT-1: kiln_codegen.distributed
// REG-NOT: kiln_codegen.distributed
func.func @distributed(%a: tensor<16x64xf32>, %b: tensor<64x100xf32>, %c: tensor<16x100xf32>) -> tensor<16x100xf32> {
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [0, 32, 64], register = [8, 16, 1], distribute = [1]>} ins(%a, %b : tensor<16x64xf32>, tensor<64x100xf32>) outs(%c : tensor<16x100xf32>) -> tensor<16x100xf32>
  return %0 : tensor<16x100xf32>
}

// -----

// `register_order` interchanges the register tiles' loops: n's (step 16)
// outside m's (step 8), k's innermost. The cache level keeps the op's order.
// CACHE-LABEL: func.func @ordered
// CACHE: scf.for %{{.+}} = %c0 to %c64 step %c32
// CACHE: scf.for %{{.+}} = %c0 to %c64 step %c32
// REG-LABEL: func.func @ordered
// REG: scf.for %[[N:.+]] = %c0 to %c32 step %c16
// REG: scf.for %[[M:.+]] = %c0 to %c32 step %c8
// REG: scf.for %[[K:.+]] = %c0 to %c64 step %c1
// REG: tensor.extract_slice %{{.+}}[%[[M]], %[[K]]] [8, 1]
func.func @ordered(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [32, 32, 64], register = [8, 16, 1], register_order = [1, 0, 2]>} ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}

// -----

// `cache_order` = n, k, m: the m loop (step 16) is the innermost cache loop,
// and it stays the distributed one.
// CACHE-LABEL: func.func @cache_ordered
// CACHE: scf.for %[[N:.+]] = %c0 to %c64 step %c32
// CACHE: scf.for %[[K:.+]] = %c0 to %c64 step %c16
// CACHE: scf.for %[[M:.+]] = %c0 to %c64 step %c16
// CACHE: tensor.extract_slice %{{.+}}[%[[M]], %[[K]]] [16, 16]
// CACHE: } {kiln_codegen.distributed}
func.func @cache_ordered(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [16, 32, 16], register = [8, 16, 1], distribute = [0], cache_order = [1, 2, 0]>} ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}

// -----

// The accumulator's fill is computed tile by tile in the cache loops of the
// distributed n loop, before the k loop that reduces into the tile (not in
// it, which would reset the tile every k step), with a register tile and no
// cache tiles or distributed loop of its own; the loop nest starts from the
// fill's empty tensor. The fill is gone from outside.
// CACHE-LABEL: func.func @fused_fill
// CACHE: %[[EMPTY:.+]] = tensor.empty() : tensor<16x64xf32>
// CACHE-NOT: linalg.fill
// CACHE: scf.for %[[N:.+]] = %c0 to %c64 step %c32 iter_args(%[[C:.+]] = %[[EMPTY]])
// CACHE: %[[TILE:.+]] = tensor.extract_slice %[[C]][0, %[[N]]] [16, 32]
// CACHE: linalg.fill {lowering_config = #kiln_codegen.lowering_config<cache = [0, 0], register = [1, 16]>} ins(%{{.+}} : f32) outs(%[[TILE]] : tensor<16x32xf32>)
// CACHE: scf.for %{{.+}} = %c0 to %c64 step %c16
// CACHE: linalg.matmul
// CACHE: } {kiln_codegen.distributed}
func.func @fused_fill(%a: tensor<16x64xf32>, %b: tensor<64x64xf32>) -> tensor<16x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x64xf32>
  %f = linalg.fill {lowering_config = #kiln_codegen.lowering_config<cache = [1, 0], register = [1, 16], distribute = [0]>} ins(%zero : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [0, 32, 16], register = [8, 16, 1], distribute = [1]>} ins(%a, %b : tensor<16x64xf32>, tensor<64x64xf32>) outs(%f : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %0 : tensor<16x64xf32>
}

// -----

// Under cache_order = k, n (the reduction outermost) the only tile of the
// accumulator is taken inside the k loop: the fill stays whole, before it.
// CACHE-LABEL: func.func @reduction_outermost
// CACHE: linalg.fill {{.+}} outs(%{{.+}} : tensor<16x64xf32>)
// CACHE: scf.for %{{.+}} = %c0 to %c64 step %c16
// CACHE-NOT: linalg.fill
// CACHE: return
func.func @reduction_outermost(%a: tensor<16x64xf32>, %b: tensor<64x64xf32>) -> tensor<16x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [0, 32, 16], register = [8, 16, 1], cache_order = [2, 1, 0]>} ins(%a, %b : tensor<16x64xf32>, tensor<64x64xf32>) outs(%f : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %0 : tensor<16x64xf32>
}

// -----

// One bias broadcast that two matmuls accumulate into: each computes its
// own tiles of it, from an empty tensor of its own (sharing one, the second
// loop nest's writes would make bufferization copy the first's results).
// CACHE-LABEL: func.func @shared_init
// CACHE-NOT: linalg.broadcast {{.+}} outs(%{{.+}} : tensor<16x64xf32>)
// CACHE: %[[E1:.+]] = tensor.empty() : tensor<16x64xf32>
// CACHE: scf.for {{.+}} iter_args(%{{.+}} = %[[E1]])
// CACHE: linalg.broadcast ins(%{{.+}} : tensor<16xf32>) outs(%{{.+}} : tensor<16x32xf32>)
// CACHE: %[[E2:.+]] = tensor.empty() : tensor<16x64xf32>
// CACHE: scf.for {{.+}} iter_args(%{{.+}} = %[[E2]])
// CACHE: linalg.broadcast ins(%{{.+}} : tensor<16xf32>) outs(%{{.+}} : tensor<16x32xf32>)
func.func @shared_init(%a: tensor<16x64xf32>, %b: tensor<64x64xf32>, %bias: tensor<16xf32>) -> (tensor<16x64xf32>, tensor<16x64xf32>) {
  %e = tensor.empty() : tensor<16x64xf32>
  %f = linalg.broadcast ins(%bias : tensor<16xf32>) outs(%e : tensor<16x64xf32>) dimensions = [1]
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [0, 32, 16], register = [8, 16, 1], distribute = [1]>} ins(%a, %b : tensor<16x64xf32>, tensor<64x64xf32>) outs(%f : tensor<16x64xf32>) -> tensor<16x64xf32>
  %1 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [0, 32, 16], register = [8, 16, 1], distribute = [1]>} ins(%a, %b : tensor<16x64xf32>, tensor<64x64xf32>) outs(%f : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %0, %1 : tensor<16x64xf32>, tensor<16x64xf32>
}
