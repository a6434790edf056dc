// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-tile{level=cache},canonicalize,kiln-cpu-pack-tiles))' | FileCheck %s
// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-codegen-tile{level=cache},canonicalize,kiln-cpu-pack-tiles,kiln-codegen-tile{level=register},canonicalize,kiln-cpu-vectorize))' | FileCheck %s --check-prefix=VEC

#config = #kiln_codegen.lowering_config<cache = [32, 64, 128], register = [8, 16, 1], pack = [1]>

// Each 128x64 cache tile of B is copied into a dense tensor, which the
// tiled matmul reads; the copy gets one-row register tiles. A is not packed.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[B:.+]] = tensor.extract_slice %arg1[{{.+}}] [128, 64] [1, 1]
// CHECK: %[[E:.+]] = tensor.empty() : tensor<128x64xf32>
// CHECK: %[[P:.+]] = linalg.copy {lowering_config = #kiln_codegen.lowering_config<cache = [0, 0], register = [1, 64]>} ins(%[[B]] : tensor<128x64xf32>) outs(%[[E]] : tensor<128x64xf32>)
// CHECK: linalg.matmul {lowering_config = {{.+}}} ins(%{{.+}}, %[[P]] : tensor<32x128xf32>, tensor<128x64xf32>)
// CHECK-NOT: linalg.copy

// The copy becomes a loop over rows (whole-row slices, which bufferize to
// contiguous copies); the register tiles read B from the packed tensor.
// VEC-LABEL: func.func @matmul
// VEC: %[[E:.+]] = tensor.empty() : tensor<128x64xf32>
// VEC: %[[P:.+]] = scf.for {{.+}} iter_args(%[[ACC:.+]] = %[[E]])
// VEC: %[[ROW:.+]] = tensor.extract_slice {{.+}} [1, 64] [1, 1]
// VEC: tensor.insert_slice %[[ROW]] into %[[ACC]]{{.+}} [1, 64] [1, 1]
// VEC: tensor.extract_slice %[[P]]{{.+}} [1, 16] [1, 1]
// VEC: vector.contract
func.func @matmul(%a: tensor<64x256xf32>, %b: tensor<256x256xf32>, %c: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = linalg.matmul {lowering_config = #config} ins(%a, %b : tensor<64x256xf32>, tensor<256x256xf32>) outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// An untiled op reads its operands whole: nothing to pack.
// CHECK-LABEL: func.func @untiled
// CHECK-NOT: linalg.copy
func.func @untiled(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [0, 0, 0], register = [8, 8, 1], pack = [1]>} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

#configT = #kiln_codegen.lowering_config<cache = [32, 64, 128], register = [8, 16, 1], pack = [1]>

// x * W^T (nn.dense's form): W's tile has its rows along k, but the
// register tiles read vectors along n. It is packed transposed (8x8 blocks)
// into [k, n], and the matmul, now a generic, reads it through the
// permuted map (the verifier checks the maps against the shapes: B is now
// 128x64, [k, n]).
// CHECK-LABEL: func.func @transposed
// CHECK: %[[W:.+]] = tensor.extract_slice %arg1[{{.+}}] [64, 128] [1, 1]
// CHECK: %[[E:.+]] = tensor.empty() : tensor<128x64xf32>
// CHECK: %[[P:.+]] = linalg.transpose ins(%[[W]] : tensor<64x128xf32>) outs(%[[E]] : tensor<128x64xf32>) permutation = [1, 0] {lowering_config = #kiln_codegen.lowering_config<cache = [0, 0], register = [8, 8]>}
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %[[P]] : tensor<32x128xf32>, tensor<128x64xf32>) {{.+}}lowering_config = #kiln_codegen.lowering_config<cache = [32, 64, 128], register = [8, 16, 1], pack = [1]>
// VEC-LABEL: func.func @transposed
// VEC: vector.transpose {{.+}} [1, 0] : vector<8x8xf32> to vector<8x8xf32>
// VEC: vector.contract
func.func @transposed(%a: tensor<64x256xf32>, %w: tensor<256x256xf32>, %c: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] {lowering_config = #configT} ins(%a, %w : tensor<64x256xf32>, tensor<256x256xf32>) outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// pack = [0, 1]: A's 32x128 cache tile is copied too (its rows then lie 128
// floats apart instead of 1024), as is B's.
// CHECK-LABEL: func.func @both
// CHECK: %[[A:.+]] = tensor.extract_slice %arg0[{{.+}}] [32, 128] [1, 1]
// CHECK: %[[B:.+]] = tensor.extract_slice %arg1[{{.+}}] [128, 64] [1, 1]
// CHECK: %[[PA:.+]] = linalg.copy {{.+}} ins(%[[A]] : tensor<32x128xf32>)
// CHECK: %[[PB:.+]] = linalg.copy {{.+}} ins(%[[B]] : tensor<128x64xf32>)
// CHECK: linalg.matmul {lowering_config = {{.+}}} ins(%[[PA]], %[[PB]] : tensor<32x128xf32>, tensor<128x64xf32>)
func.func @both(%a: tensor<64x1024xf32>, %b: tensor<1024x256xf32>, %c: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [32, 64, 128], register = [8, 16, 1], pack = [0, 1]>} ins(%a, %b : tensor<64x1024xf32>, tensor<1024x256xf32>) outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// Under cache_order = n, k, m, B's tile depends on the two outer loops only:
// its packing moves out of the m loop (even a distributed one: it then runs
// before the threads start), while A's, which depends on m, stays in it
// with its buffer.
// CHECK-LABEL: func.func @hoisted
// CHECK: scf.for %[[N:.+]] = %c0 to %c256 step %c64
// CHECK: scf.for %[[K:.+]] = %c0 to %c1024 step %c128
// CHECK: %[[B:.+]] = tensor.extract_slice %arg1[%[[K]], %[[N]]] [128, 64] [1, 1]
// CHECK: %[[PB:.+]] = linalg.copy {{.+}} ins(%[[B]] : tensor<128x64xf32>)
// CHECK: scf.for %[[M:.+]] = %c0 to %c64 step %c32
// CHECK: tensor.empty() : tensor<32x128xf32>
// CHECK: %[[PA:.+]] = linalg.copy {{.+}} ins(%{{.+}} : tensor<32x128xf32>)
// CHECK: linalg.matmul {lowering_config = {{.+}}} ins(%[[PA]], %[[PB]] : tensor<32x128xf32>, tensor<128x64xf32>)
// CHECK: } {kiln_codegen.distributed}
func.func @hoisted(%a: tensor<64x1024xf32>, %b: tensor<1024x256xf32>, %c: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [32, 64, 128], register = [8, 16, 1], pack = [0, 1], distribute = [0], cache_order = [1, 2, 0]>} ins(%a, %b : tensor<64x1024xf32>, tensor<1024x256xf32>) outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// A tile of a patch matrix whose tiles start on output rows (112 = 2 x 56
// positions) is packed from the convolution's input: packed row i is
// k = k0 + i (channel k floordiv 9, window position (k floordiv 3 mod 3,
// k mod 3)), each of its 2 output rows one 56-element row of the input
// (every 2nd element: a stride-2 slice). The tile's packing leaves the f
// loop, on which it does not depend; the patch matrix is never built.
// CHECK-LABEL: func.func @patches
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x16x113x113xf32>
// CHECK: scf.for %[[P:.+]] = %{{.+}} to %c3136 step %c112
// CHECK: scf.for %[[K:.+]] = %{{.+}} to %c144 step %c48
// CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<1x48x112xf32>
// CHECK: %[[PACKED:.+]] = scf.for %[[I:.+]] = %{{.+}} to %c1{{.*}} step %{{.+}} iter_args(%{{.+}} = %[[EMPTY]])
// CHECK: scf.for %[[ROW:.+]] = %{{.+}} to %c48 step %{{.+}}
// CHECK: scf.for %[[J:.+]] = %{{.+}} to %c2 step %{{.+}}
// CHECK: %[[SEGMENT:.+]] = tensor.extract_slice %[[X]][%[[I]], %{{.+}}, %{{.+}}, %{{.+}}] [1, 1, 1, 56] [1, 1, 1, 2] : tensor<1x16x113x113xf32> to tensor<1x1x1x56xf32>
// CHECK: %[[V:.+]] = vector.transfer_read %[[SEGMENT]]{{.+}} : tensor<1x1x1x56xf32>, vector<56xf32>
// CHECK: vector.transfer_write %[[V]], %{{.+}}[%{{.+}}, %[[ROW]], %{{.+}}] {in_bounds = [true]} : vector<56xf32>, tensor<1x48x112xf32>
// CHECK: scf.for %{{.+}} = %{{.+}} to %c32 step %c16
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %[[PACKED]] : tensor<16x48xf32>, tensor<1x48x112xf32>)
#w = affine_map<(n, f, p, k) -> (f, k)>
#p = affine_map<(n, f, p, k) -> (n, k, p)>
#o = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @patches(%x: tensor<1x16x113x113xf32>, %w: tensor<32x144xf32>, %acc: tensor<1x32x3136xf32>) -> tensor<1x32x3136xf32> {
  %p = kiln_codegen.im2col %x kernel [3, 3] strides [2, 2] dilations [1, 1] : tensor<1x16x113x113xf32> -> tensor<1x144x3136xf32>
  %0 = linalg.generic {indexing_maps = [#w, #p, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %p : tensor<32x144xf32>, tensor<1x144x3136xf32>) outs(%acc : tensor<1x32x3136xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [1, 16, 112, 48], register = [1, 8, 16, 1], pack = [1], cache_order = [0, 2, 3, 1]>} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x32x3136xf32>
  return %0 : tensor<1x32x3136xf32>
}

// -----

// The same from a zero-padded input (1 row and column on each side): the
// packing reads the unpadded input. A packed row whose input row lies in
// the padding is zeros; in the others, each window column (a case of an
// index_switch) copies the output columns inside the input and writes
// zeros where the window overhangs it: column 0 on the left (a zero for
// output column 0, then 55 elements from input column 1), column 1 not at
// all (56 elements from input column 0), column 2 on the right (55
// elements from input column 1, then a zero). The padded input is left
// unused (the pipeline's next canonicalization erases it).
// CHECK-LABEL: func.func @padded_patches
// CHECK-SAME: (%[[X:[^:]+]]: tensor<1x16x111x111xf32>
// CHECK: %[[INSIDE:.+]] = arith.andi
// CHECK: scf.if %[[INSIDE]] -> (tensor<1x48x112xf32>)
// CHECK: scf.index_switch
// CHECK: case 0 {
// CHECK: vector.transfer_write %{{.+}} : vector<1xf32>, tensor<1x48x112xf32>
// CHECK: tensor.extract_slice %[[X]][{{.+}}, 1] [1, 1, 1, 55] [1, 1, 1, 2]
// CHECK: vector.transfer_write %{{.+}} : vector<55xf32>, tensor<1x48x112xf32>
// CHECK: case 1 {
// CHECK: tensor.extract_slice %[[X]][{{.+}}, 0] [1, 1, 1, 56] [1, 1, 1, 2]
// CHECK: case 2 {
// CHECK: tensor.extract_slice %[[X]][{{.+}}, 1] [1, 1, 1, 55] [1, 1, 1, 2]
// CHECK: vector.transfer_write %{{.+}} : vector<55xf32>, tensor<1x48x112xf32>
// CHECK: vector.transfer_write %{{.+}} : vector<1xf32>, tensor<1x48x112xf32>
// CHECK: } else {
// CHECK: vector.transfer_write %{{.+}} : vector<56xf32>, tensor<1x48x112xf32>
// CHECK: linalg.generic
#w = affine_map<(n, f, p, k) -> (f, k)>
#p = affine_map<(n, f, p, k) -> (n, k, p)>
#o = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @padded_patches(%x: tensor<1x16x111x111xf32>, %w: tensor<32x144xf32>, %acc: tensor<1x32x3136xf32>) -> tensor<1x32x3136xf32> {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x16x111x111xf32> to tensor<1x16x113x113xf32>
  %p = kiln_codegen.im2col %padded kernel [3, 3] strides [2, 2] dilations [1, 1] : tensor<1x16x113x113xf32> -> tensor<1x144x3136xf32>
  %0 = linalg.generic {indexing_maps = [#w, #p, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %p : tensor<32x144xf32>, tensor<1x144x3136xf32>) outs(%acc : tensor<1x32x3136xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [1, 16, 112, 48], register = [1, 8, 16, 1], pack = [1], cache_order = [0, 2, 3, 1]>} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x32x3136xf32>
  return %0 : tensor<1x32x3136xf32>
}

// -----

// Tiles that do not start on output rows (100 positions, rows of 56) are
// copied from the materialized patch matrix as usual.
// CHECK-LABEL: func.func @patches_off_rows
// CHECK: %[[P:.+]] = kiln_codegen.im2col
// CHECK: %[[TILE:.+]] = tensor.extract_slice %[[P]]
// CHECK: linalg.copy {{.+}} ins(%[[TILE]] :
#w = affine_map<(n, f, p, k) -> (f, k)>
#p = affine_map<(n, f, p, k) -> (n, k, p)>
#o = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @patches_off_rows(%x: tensor<1x16x113x113xf32>, %w: tensor<32x144xf32>, %acc: tensor<1x32x3136xf32>) -> tensor<1x32x3136xf32> {
  %p = kiln_codegen.im2col %x kernel [3, 3] strides [2, 2] dilations [1, 1] : tensor<1x16x113x113xf32> -> tensor<1x144x3136xf32>
  %0 = linalg.generic {indexing_maps = [#w, #p, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %p : tensor<32x144xf32>, tensor<1x144x3136xf32>) outs(%acc : tensor<1x32x3136xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [1, 16, 100, 48], register = [1, 8, 16, 1], pack = [1]>} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x32x3136xf32>
  return %0 : tensor<1x32x3136xf32>
}

// -----

// When the threads share the m loop, the patch tile (144 x 224: packed once,
// outside their loop) is packed by all threads, as the config's
// `shared_packing` says for a tile of at least 16384 elements: its row
// loop is distributed too.
// CHECK-LABEL: func.func @patches_before_threads
// CHECK: scf.for %{{.+}} = %{{.+}} to %c3136 step %c224
// CHECK: tensor.empty() : tensor<1x144x224xf32>
// CHECK: scf.for
// CHECK: scf.for %{{.+}} = %{{.+}} to %c144 step
// CHECK: vector.transfer_write
// CHECK: } {kiln_codegen.distributed}
// CHECK: linalg.generic
// CHECK: } {kiln_codegen.distributed}
#w = affine_map<(n, f, p, k) -> (f, k)>
#p = affine_map<(n, f, p, k) -> (n, k, p)>
#o = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @patches_before_threads(%x: tensor<1x16x113x113xf32>, %w: tensor<32x144xf32>, %acc: tensor<1x32x3136xf32>) -> tensor<1x32x3136xf32> {
  %p = kiln_codegen.im2col %x kernel [3, 3] strides [2, 2] dilations [1, 1] : tensor<1x16x113x113xf32> -> tensor<1x144x3136xf32>
  %0 = linalg.generic {indexing_maps = [#w, #p, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %p : tensor<32x144xf32>, tensor<1x144x3136xf32>) outs(%acc : tensor<1x32x3136xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [1, 16, 224, 0], register = [1, 8, 16, 1], pack = [1], distribute = [1], cache_order = [0, 2, 3, 1], shared_packing = 16384>} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x32x3136xf32>
  return %0 : tensor<1x32x3136xf32>
}

// -----

// Without `shared_packing` (or with a larger one), one thread packs it.
// CHECK-LABEL: func.func @patches_before_threads_unshared
// CHECK: scf.for %{{.+}} = %{{.+}} to %c3136 step %c224
// CHECK: tensor.empty() : tensor<1x144x224xf32>
// CHECK: scf.for
// CHECK: scf.for %{{.+}} = %{{.+}} to %c144 step
// CHECK: vector.transfer_write
// CHECK-NOT: kiln_codegen.distributed
// CHECK: linalg.generic
// CHECK: } {kiln_codegen.distributed}
#w = affine_map<(n, f, p, k) -> (f, k)>
#p = affine_map<(n, f, p, k) -> (n, k, p)>
#o = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @patches_before_threads_unshared(%x: tensor<1x16x113x113xf32>, %w: tensor<32x144xf32>, %acc: tensor<1x32x3136xf32>) -> tensor<1x32x3136xf32> {
  %p = kiln_codegen.im2col %x kernel [3, 3] strides [2, 2] dilations [1, 1] : tensor<1x16x113x113xf32> -> tensor<1x144x3136xf32>
  %0 = linalg.generic {indexing_maps = [#w, #p, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %p : tensor<32x144xf32>, tensor<1x144x3136xf32>) outs(%acc : tensor<1x32x3136xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [1, 16, 224, 0], register = [1, 8, 16, 1], pack = [1], distribute = [1], cache_order = [0, 2, 3, 1], shared_packing = 65536>} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x32x3136xf32>
  return %0 : tensor<1x32x3136xf32>
}

// -----

// A constant read transposed (a dense layer's weights W in x * W^T) is
// transposed once at compile time (W^T = [[1, 3, 5, 7], [2, 4, 6, 8]]), and
// since its tiles are 2 of its 4 columns, laid out in blocks of 2 columns
// ([[[1, 3], [2, 4]], [[5, 7], [6, 8]]]): each tile is one block, read in
// place, with no copy and no transpose at run time.
// CHECK-LABEL: func.func @constant_weights
// CHECK: %[[BLOCKS:.+]] = arith.constant dense_resource<kiln_blocked> : tensor<2x2x2xf32>
// CHECK: scf.for %[[N:.+]] = %{{.+}} to %{{.+}} step %c2
// CHECK: %[[B:.+]] = affine.apply #{{.+}}(%[[N]])
// CHECK: %[[TILE:.+]] = tensor.extract_slice %[[BLOCKS]][%[[B]], 0, 0] [1, 2, 2] [1, 1, 1] : tensor<2x2x2xf32> to tensor<2x2xf32>
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %[[TILE]] : tensor<4x2xf32>, tensor<2x2xf32>)
// CHECK-NOT: linalg.copy
// CHECK-NOT: linalg.transpose
// CHECK: kiln_blocked: "0x400000000000803F0000404000000040000080400000A0400000E0400000C04000000041"
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @constant_weights(%x: tensor<4x2xf32>, %acc: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x2xf32>, tensor<4x2xf32>) outs(%acc : tensor<4x4xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [4, 2, 0], register = [1, 2, 1], pack = [1]>} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// The same through a reshape of the constant (a convolution's filter
// [F, C, KH, KW] collapsed to [F, C*KH*KW], read transposed by a
// positions-major convolution): a reshape does not move the bytes, so the
// constant is transposed at compile time all the same. (A resource, which
// canonicalization does not fold the reshape into.)
// CHECK-LABEL: func.func @reshaped_constant_weights
// CHECK: %[[BLOCKS:.+]] = arith.constant dense_resource<kiln_blocked> : tensor<2x2x2xf32>
// CHECK: tensor.extract_slice %[[BLOCKS]]
// CHECK-NOT: linalg.copy
// CHECK-NOT: linalg.transpose
// CHECK: kiln_blocked: "0x400000000000803F0000404000000040000080400000A0400000E0400000C04000000041"
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @reshaped_constant_weights(%x: tensor<4x2xf32>, %acc: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %w4 = arith.constant dense_resource<filter> : tensor<4x2x1x1xf32>
  %w = tensor.collapse_shape %w4 [[0], [1, 2, 3]] : tensor<4x2x1x1xf32> into tensor<4x2xf32>
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x2xf32>, tensor<4x2xf32>) outs(%acc : tensor<4x4xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [4, 2, 0], register = [1, 2, 1], pack = [1]>} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      filter: "0x040000000000803F0000004000004040000080400000A0400000C0400000E04000000041"
    }
  }
#-}

// -----

// A tile of whole rows of the transposed constant (all 4 columns, 2 of the
// 4 rows: a positions-major convolution's filter in k tiles) is a
// contiguous block of it: read in place, no copy.
// CHECK-LABEL: func.func @constant_weights_whole_rows
// CHECK: %[[WT:.+]] = arith.constant dense_resource<kiln_transposed> : tensor<4x4xf32>
// CHECK: scf.for %[[K:.+]] = %{{.+}} to %{{.+}} step %c2
// CHECK: %[[TILE:.+]] = tensor.extract_slice %[[WT]][%[[K]], 0] [2, 4] [1, 1] : tensor<4x4xf32> to tensor<2x4xf32>
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %[[TILE]] : tensor<4x2xf32>, tensor<2x4xf32>)
// CHECK-NOT: linalg.copy
// CHECK-NOT: kiln_blocked
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @constant_weights_whole_rows(%x: tensor<4x4xf32>, %acc: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]> : tensor<4x4xf32>
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x4xf32>, tensor<4x4xf32>) outs(%acc : tensor<4x4xf32>) attrs = {lowering_config = #kiln_codegen.lowering_config<cache = [4, 0, 2], register = [1, 4, 1], pack = [1]>} {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
