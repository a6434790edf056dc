// The thread count, when the compiler knows it, sizes the tiles the threads
// share; unknown (0) and one thread keep the tiles balanced for 1, 2 and 4.
// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-select-lowering-config{vector-bits=512 vector-registers=32 l2-bytes=1048576}))' | FileCheck %s --check-prefix=ANY
// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-select-lowering-config{vector-bits=512 vector-registers=32 l2-bytes=1048576 threads=1}))' | FileCheck %s --check-prefix=ANY
// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-select-lowering-config{vector-bits=512 vector-registers=32 l2-bytes=1048576 threads=2}))' | FileCheck %s --check-prefix=T2
// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-select-lowering-config{vector-bits=512 vector-registers=32 l2-bytes=1048576 threads=4}))' | FileCheck %s --check-prefix=ANY
// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-select-lowering-config{vector-bits=512 vector-registers=32 l2-bytes=2097152 threads=2}))' | FileCheck %s --check-prefix=T2L2

// A 28x28 output (784 positions = 7 x 112, tiles of whole rows and whole
// vectors): 7 tiles, which 2 threads share 4:3; on 2 threads, one tile of
// 392 = 14 rows (12 register tiles and 8 columns) each.
// ANY-LABEL: func.func @rows_28
// ANY: lowering_config = #kiln_codegen.lowering_config<cache = [1, 128, 112, 192], register = [1, 14, 32, 1], pack = [1], distribute = [2]
// T2-LABEL: func.func @rows_28
// T2: lowering_config = #kiln_codegen.lowering_config<cache = [1, 128, 392, 192], register = [1, 14, 32, 1], pack = [1], distribute = [2]
// With a 2 MiB L2, where all 784 positions of a 192-row reduction block
// (588 KiB) fit in half of it, the 2 threads share the 128 filters
// instead, 64 each, and each packs all the positions.
// T2L2-LABEL: func.func @rows_28
// T2L2: lowering_config = #kiln_codegen.lowering_config<cache = [1, 64, 784, 192], register = [1, 14, 32, 1], pack = [1], distribute = [1]
#w = affine_map<(n, f, p, k) -> (f, k)>
#p = affine_map<(n, f, p, k) -> (n, k, p)>
#o = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @rows_28(%x: tensor<1x64x58x58xf32>, %w: tensor<128x576xf32>, %acc: tensor<1x128x784xf32>) -> tensor<1x128x784xf32> {
  %p = kiln_codegen.im2col %x kernel [3, 3] strides [2, 2] dilations [1, 1] : tensor<1x64x58x58xf32> -> tensor<1x576x784xf32>
  %0 = linalg.generic {indexing_maps = [#w, #p, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %p : tensor<128x576xf32>, tensor<1x576x784xf32>) outs(%acc : tensor<1x128x784xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x128x784xf32>
  return %0 : tensor<1x128x784xf32>
}

// -----

// A 56x56 output with 64 filters: 32 filters (2 register tiles) per thread
// would be too few, and the positions (3136) do not fit a tile: the
// threads share the positions.
// T2L2-LABEL: func.func @rows_56
// T2L2: lowering_config = #kiln_codegen.lowering_config<cache = [1, 64, 224, 192], register = [1, 14, 32, 1], pack = [1], distribute = [2]
#w = affine_map<(n, f, p, k) -> (f, k)>
#p = affine_map<(n, f, p, k) -> (n, k, p)>
#o = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @rows_56(%x: tensor<1x64x58x58xf32>, %w: tensor<64x576xf32>, %acc: tensor<1x64x3136xf32>) -> tensor<1x64x3136xf32> {
  %p = kiln_codegen.im2col %x kernel [3, 3] strides [1, 1] dilations [1, 1] : tensor<1x64x58x58xf32> -> tensor<1x576x3136xf32>
  %0 = linalg.generic {indexing_maps = [#w, #p, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %p : tensor<64x576xf32>, tensor<1x576x3136xf32>) outs(%acc : tensor<1x64x3136xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x64x3136xf32>
  return %0 : tensor<1x64x3136xf32>
}

// -----

// A 1x1 stride-2 convolution (128 -> 256 channels, 14x14 outputs: 6.4M
// multiply-adds) reads its patch matrix whole (one tile of all 196
// positions, one of the whole reduction): one thread would build it
// before the others start, which costs more than they save here. It runs
// on one thread (no distribute) whatever the count.
// ANY-LABEL: func.func @small_built_patches
// ANY: lowering_config = #kiln_codegen.lowering_config<cache = [1, 64, 196, 128], register = [1, 14, 32, 1]>
// T2-LABEL: func.func @small_built_patches
// T2: lowering_config = #kiln_codegen.lowering_config<cache = [1, 64, 196, 128], register = [1, 14, 32, 1]>
// T2L2-LABEL: func.func @small_built_patches
// T2L2: lowering_config = #kiln_codegen.lowering_config<cache = [1, 64, 196, 128], register = [1, 14, 32, 1]>
#w = affine_map<(n, f, p, k) -> (f, k)>
#p = affine_map<(n, f, p, k) -> (n, k, p)>
#o = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @small_built_patches(%x: tensor<1x128x28x28xf32>, %w: tensor<256x128xf32>, %acc: tensor<1x256x196xf32>) -> tensor<1x256x196xf32> {
  %p = kiln_codegen.im2col %x kernel [1, 1] strides [2, 2] dilations [1, 1] : tensor<1x128x28x28xf32> -> tensor<1x128x196xf32>
  %0 = linalg.generic {indexing_maps = [#w, #p, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %p : tensor<256x128xf32>, tensor<1x128x196xf32>) outs(%acc : tensor<1x256x196xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x256x196xf32>
  return %0 : tensor<1x256x196xf32>
}

// -----

// Square matmuls keep their tiles: 4 tiles of 256 rows already split
// evenly.
// ANY-LABEL: func.func @square
// ANY: lowering_config = #kiln_codegen.lowering_config<cache = [252, 256, 256], register = [14, 32, 1], pack = [1], distribute = [1]
// T2-LABEL: func.func @square
// T2: lowering_config = #kiln_codegen.lowering_config<cache = [252, 256, 256], register = [14, 32, 1], pack = [1], distribute = [1]
func.func @square(%a: tensor<1024x1024xf32>, %b: tensor<1024x1024xf32>, %c: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%c : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %0 : tensor<1024x1024xf32>
}
