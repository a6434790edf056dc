// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-select-lowering-config{vector-bits=512 vector-registers=32 l2-bytes=1048576}))' | FileCheck %s --check-prefix=AVX512
// RUN: kiln-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(kiln-cpu-select-lowering-config{vector-bits=256 vector-registers=16 l2-bytes=524288}))' | FileCheck %s --check-prefix=AVX2

// Register tile = rows x 2 vectors (14 x 32 f32 with 32 zmm registers, 6 x
// 16 with 16 ymm); cache tiles are multiples of it, capped at the loop size.
// m has rows for 4 tiles of 4 register tiles: it gets at least 4 full tiles
// for the threads to share, and then the tile that 1, 2 and 4 threads share
// most evenly: 256 = 4 x 64 (each 4 x 14 + 8 rows, or 10 x 6 + 4; where
// 6 x 42 + 4 left 4 rows for one thread after the others).
// The whole of n fits one cache tile, so B's tiles are dense: no packing.
// m is the only loop with several tiles: the threads share it.
// AVX512-LABEL: func.func @matmul
// AVX512: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [64, 100, 256], register = [14, 32, 1], distribute = [0]>}
// AVX2-LABEL: func.func @matmul
// AVX2: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [64, 100, 256], register = [6, 16, 1], distribute = [0]>}
func.func @matmul(%a: tensor<256x512xf32>, %b: tensor<512x100xf32>, %c: tensor<256x100xf32>) -> tensor<256x100xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<256x512xf32>, tensor<512x100xf32>) outs(%c : tensor<256x100xf32>) -> tensor<256x100xf32>
  return %0 : tensor<256x100xf32>
}

// -----

// Small loops get tiles no larger than they are; f64 vectors hold half as
// many lanes; batch dims are tiled by 1.
// AVX512-LABEL: func.func @small_batch_f64
// AVX512: linalg.batch_matmul {lowering_config = #kiln_codegen.lowering_config<cache = [1, 3, 10, 7], register = [1, 3, 10, 1]>}
func.func @small_batch_f64(%a: tensor<4x3x7xf64>, %b: tensor<4x7x10xf64>, %c: tensor<4x3x10xf64>) -> tensor<4x3x10xf64> {
  %0 = linalg.batch_matmul ins(%a, %b : tensor<4x3x7xf64>, tensor<4x7x10xf64>) outs(%c : tensor<4x3x10xf64>) -> tensor<4x3x10xf64>
  return %0 : tensor<4x3x10xf64>
}

// -----

// A config that is already there (from the tuner or by hand) is kept;
// non-contractions get none.
// AVX512-LABEL: func.func @keeps_existing
// AVX512: lowering_config = #kiln_codegen.lowering_config<cache = [4, 4, 4], register = [2, 2, 1]>
// AVX512: linalg.fill
// AVX512-NOT: lowering_config
func.func @keeps_existing(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [4, 4, 4], register = [2, 2, 1]>} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  %cst = arith.constant 0.0 : f32
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %1 : tensor<8x8xf32>
}

// -----

// Wide B: its cache tiles (256 rows of 128 or 256 columns, rows 2 KiB
// apart) are packed; A's are not (1 KiB apart is not enough to alias). m,
// the outer loop, has at least 4 tiles: the threads share it, in tiles of
// 64 rows (512 = 8 x 64: the multiple of 6 near 96 with the smallest
// partial tile, 5 x 102 + 2, left 306 rows to one of 2 threads and 206 to
// the other; with 14-row register tiles, 4 x 126 + 8 left the 8 rows after
// the others).
// AVX512-LABEL: func.func @wide
// AVX512: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [64, 256, 256], register = [14, 32, 1], pack = [1], distribute = [0]>}
// AVX2-LABEL: func.func @wide
// AVX2: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [64, 128, 256], register = [6, 16, 1], pack = [1], distribute = [0]>}
func.func @wide(%a: tensor<512x256xf32>, %b: tensor<256x512xf32>, %c: tensor<512x512xf32>) -> tensor<512x512xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<512x256xf32>, tensor<256x512xf32>) outs(%c : tensor<512x512xf32>) -> tensor<512x512xf32>
  return %0 : tensor<512x512xf32>
}

// -----

// B larger than L2 (4 MiB): BLIS's cache order n, k, m, so that each tile
// of B is packed once for every m tile; the threads share n, the outermost
// loop, and pack their own tiles. nc stays at 256 where 512 would leave n
// fewer than 4 tiles.
// AVX512-LABEL: func.func @large_b
// AVX512: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [126, 256, 256], register = [14, 32, 1], pack = [1], distribute = [1], cache_order = [1, 2, 0]>}
// AVX2-LABEL: func.func @large_b
// AVX2: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [102, 128, 256], register = [6, 16, 1], pack = [1], distribute = [1], cache_order = [1, 2, 0]>}
func.func @large_b(%a: tensor<512x1024xf32>, %b: tensor<1024x1024xf32>, %c: tensor<512x1024xf32>) -> tensor<512x1024xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<512x1024xf32>, tensor<1024x1024xf32>) outs(%c : tensor<512x1024xf32>) -> tensor<512x1024xf32>
  return %0 : tensor<512x1024xf32>
}

// -----

// Long rows of A (K = 2048 floats, 8 KiB): A's cache tiles are packed too.
// B is larger than L2 (BLIS's order, as above); n would have 4 tiles of
// 512 columns, but a 256 x 512 tile would take more than a quarter of the
// 1 MiB L2 given here.
// AVX512-LABEL: func.func @long_rows
// AVX512: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [126, 256, 256], register = [14, 32, 1], pack = [0, 1], distribute = [1], cache_order = [1, 2, 0]>}
// AVX2-LABEL: func.func @long_rows
// AVX2: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [102, 128, 256], register = [6, 16, 1], pack = [0, 1], distribute = [1], cache_order = [1, 2, 0]>}
func.func @long_rows(%a: tensor<512x2048xf32>, %b: tensor<2048x2048xf32>, %c: tensor<512x2048xf32>) -> tensor<512x2048xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<512x2048xf32>, tensor<2048x2048xf32>) outs(%c : tensor<512x2048xf32>) -> tensor<512x2048xf32>
  return %0 : tensor<512x2048xf32>
}

// A short m (one tile) and a wide n: the threads share n (K = 784 in 4
// blocks of 196). Small ops stay on
// one thread: waking the pool would cost more than it saves.
// AVX2-LABEL: func.func @short_and_small
// AVX2: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [64, 128, 196], register = [6, 16, 1], pack = [1], distribute = [1]>}
// AVX2: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [32, 32, 32], register = [6, 16, 1]>}
func.func @short_and_small(%a: tensor<64x784xf32>, %b: tensor<784x512xf32>, %c: tensor<64x512xf32>, %x: tensor<32x32xf32>, %y: tensor<32x32xf32>) -> (tensor<64x512xf32>, tensor<32x32xf32>) {
  %0 = linalg.matmul ins(%a, %b : tensor<64x784xf32>, tensor<784x512xf32>) outs(%c : tensor<64x512xf32>) -> tensor<64x512xf32>
  %1 = linalg.matmul ins(%x, %y : tensor<32x32xf32>, tensor<32x32xf32>) outs(%x : tensor<32x32xf32>) -> tensor<32x32xf32>
  return %0, %1 : tensor<64x512xf32>, tensor<32x32xf32>
}

// -----

// Elementwise generics get register tiles of 4 vectors along the innermost
// loop (capped at its size) and no cache tiles; so does a row reduction
// (see @reductions); generics with ops other than arith/math in their body
// get none.
// AVX2-LABEL: func.func @elementwise
// AVX2: linalg.generic {{.+}}lowering_config = #kiln_codegen.lowering_config<cache = [0, 0], register = [1, 32]>
// AVX2: linalg.generic {{.+}}lowering_config = #kiln_codegen.lowering_config<cache = [0, 0], register = [1, 7]>
// AVX2: linalg.generic {{.+}}lowering_config = #kiln_codegen.lowering_config<cache = [0, 0], register = [1, 7]>
// AVX2-NOT: lowering_config
// AVX2: return
func.func @elementwise(%x: tensor<3x100xf32>, %y: tensor<5x7xf32>, %z: tensor<5xf32>) -> (tensor<3x100xf32>, tensor<5x7xf32>, tensor<5xf32>, tensor<5x7xf32>) {
  %0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<3x100xf32>) outs(%x : tensor<3x100xf32>) {
  ^bb0(%a: f32, %b: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  } -> tensor<3x100xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y, %z : tensor<5x7xf32>, tensor<5xf32>) outs(%y : tensor<5x7xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %s = arith.subf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<5x7xf32>
  %2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]} ins(%y : tensor<5x7xf32>) outs(%z : tensor<5xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<5xf32>
  %3 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} outs(%y : tensor<5x7xf32>) {
  ^bb0(%a: f32):
    %i = linalg.index 0 : index
    %f = arith.index_cast %i : index to i32
    %g = arith.sitofp %f : i32 to f32
    linalg.yield %g : f32
  } -> tensor<5x7xf32>
  return %0, %1, %2, %3 : tensor<3x100xf32>, tensor<5x7xf32>, tensor<5xf32>, tensor<5x7xf32>
}

// -----

// Reductions: a register tile of 4 vectors along the loop the input is
// contiguous in, 1 elsewhere. Softmax's max over rows: along the reduced
// loop, the 4 x 128 rows shared by the threads (65536 elements: as many as
// an elementwise op needs to be spread). A sum over the channels of a
// [8, 16, 100] tensor: along the positions (a parallel loop), each lane an
// output's accumulator; too small to spread.
// AVX2-LABEL: func.func @reductions
// AVX2: linalg.generic {{.+}}lowering_config = #kiln_codegen.lowering_config<cache = [1, 0, 0], register = [1, 1, 32], distribute = [0]>
// AVX2: linalg.generic {{.+}}lowering_config = #kiln_codegen.lowering_config<cache = [0, 0, 0], register = [1, 32, 1]>
func.func @reductions(%x: tensor<4x128x128xf32>, %m: tensor<4x128xf32>, %y: tensor<8x16x100xf32>, %n: tensor<8x100xf32>) -> (tensor<4x128xf32>, tensor<8x100xf32>) {
  %0 = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, j, k)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x : tensor<4x128x128xf32>) outs(%m : tensor<4x128xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.maximumf %a, %acc : f32
    linalg.yield %r : f32
  } -> tensor<4x128xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%y : tensor<8x16x100xf32>) outs(%n : tensor<8x100xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %a, %acc : f32
    linalg.yield %r : f32
  } -> tensor<8x100xf32>
  return %0, %1 : tensor<4x128xf32>, tensor<8x100xf32>
}

// -----

// Generics that read or write i1 (comparisons, selects) stay scalar: vectors
// of i1 are bit-packed in memory, bool buffers hold a byte per element.
// AVX2-LABEL: func.func @bools
// AVX2-NOT: lowering_config
// AVX2: return
func.func @bools(%x: tensor<4x64xf32>, %m: tensor<4x64xi1>) -> tensor<4x64xi1> {
  %0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x64xf32>) outs(%m : tensor<4x64xi1>) {
  ^bb0(%a: f32, %b: i1):
    %zero = arith.constant 0.0 : f32
    %c = arith.cmpf olt, %a, %zero : f32
    linalg.yield %c : i1
  } -> tensor<4x64xi1>
  return %0 : tensor<4x64xi1>
}

// -----

// Short and narrow (one tile in m and n): n's cache tile is halved until it
// has 4 tiles for the threads to share.
// AVX2-LABEL: func.func @narrow
// AVX2: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [64, 32, 196], register = [6, 16, 1], pack = [1], distribute = [1]>}
func.func @narrow(%a: tensor<64x784xf32>, %b: tensor<784x128xf32>, %c: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<64x784xf32>, tensor<784x128xf32>) outs(%c : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %0 : tensor<64x128xf32>
}

// -----

// A narrow n between 2 and 4 vectors (49 output positions of ResNet-18's
// last convolutions) gets one-vector register tiles with twice the rows:
// 49 = 3 x 16 + 1 rather than 32 + 17.
// AVX512-LABEL: func.func @narrow_n
// AVX512: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [128, 49, 256], register = [16, 16, 1], pack = [0], distribute = [0]>}
func.func @narrow_n(%a: tensor<512x4608xf32>, %b: tensor<4608x49xf32>, %c: tensor<512x49xf32>) -> tensor<512x49xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<512x4608xf32>, tensor<4608x49xf32>) outs(%c : tensor<512x49xf32>) -> tensor<512x49xf32>
  return %0 : tensor<512x49xf32>
}

// -----

// A convolution's patch matrix (56 output columns) gets n tiles that are
// multiples of both the output width and the register tile (224 = 4 x 56 =
// 7 x 32), so that kiln-cpu-pack-tiles packs them from the input; the
// threads then share them in tiles of whole rows of whole vectors that
// divide the loop (3136 = 28 x 112; 112 = 2 x 56 = 7 x 16). The reduction
// (576) is 3 blocks of 192 rather than 256 + 256 + 64.
// AVX512-LABEL: func.func @patch_rows
// AVX512: linalg.generic {{.+}}lowering_config = #kiln_codegen.lowering_config<cache = [1, 64, 112, 192], register = [1, 14, 32, 1], pack = [1], distribute = [2]
#w = affine_map<(n, f, p, k) -> (f, k)>
#p = affine_map<(n, f, p, k) -> (n, k, p)>
#o = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @patch_rows(%x: tensor<1x64x58x58xf32>, %w: tensor<64x576xf32>, %acc: tensor<1x64x3136xf32>) -> tensor<1x64x3136xf32> {
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

// Positions-major convolutions (kiln-codegen-conv-to-im2col: the patch matrix
// is the left operand, output positions the m loop). The patch tiles are
// packed (from the input), and so is the filter, read transposed (filters
// along vectors), although n is one tile. 196 positions (14 x 14) fit one
// m tile and split into two of 7 whole rows, 98 = 7 x 14, which the threads
// share; 49 positions (7 x 7) do not split into whole rows of whole
// register tiles: the threads share the 512 filters instead.
// AVX512-LABEL: func.func @positions_major
// The patch tiles packed before the threads start are packed by all of
// them when at least 16384 elements (`shared_packing`).
// AVX512: linalg.generic {{.+}}lowering_config = #kiln_codegen.lowering_config<cache = [1, 98, 256, 256], register = [1, 14, 32, 1], pack = [0, 1], distribute = [1], shared_packing = 16384>
// AVX512: linalg.generic {{.+}}lowering_config = #kiln_codegen.lowering_config<cache = [1, 49, 256, 256], register = [1, 14, 32, 1], pack = [0, 1], distribute = [2], shared_packing = 16384>
#pm_p = affine_map<(n, p, f, k) -> (n, k, p)>
#pm_w = affine_map<(n, p, f, k) -> (f, k)>
#pm_o = affine_map<(n, p, f, k) -> (n, p, f)>
func.func @positions_major(%x: tensor<1x256x16x16xf32>, %w: tensor<256x2304xf32>, %t: tensor<1x196x256xf32>, %x7: tensor<1x512x9x9xf32>, %w7: tensor<512x4608xf32>, %t7: tensor<1x49x512xf32>) -> (tensor<1x196x256xf32>, tensor<1x49x512xf32>) {
  %p = kiln_codegen.im2col %x kernel [3, 3] strides [1, 1] dilations [1, 1] : tensor<1x256x16x16xf32> -> tensor<1x2304x196xf32>
  %0 = linalg.generic {indexing_maps = [#pm_p, #pm_w, #pm_o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%p, %w : tensor<1x2304x196xf32>, tensor<256x2304xf32>) outs(%t : tensor<1x196x256xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x196x256xf32>
  %p7 = kiln_codegen.im2col %x7 kernel [3, 3] strides [1, 1] dilations [1, 1] : tensor<1x512x9x9xf32> -> tensor<1x4608x49xf32>
  %1 = linalg.generic {indexing_maps = [#pm_p, #pm_w, #pm_o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%p7, %w7 : tensor<1x4608x49xf32>, tensor<512x4608xf32>) outs(%t7 : tensor<1x49x512xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x49x512xf32>
  return %0, %1 : tensor<1x196x256xf32>, tensor<1x49x512xf32>
}

// -----

// A convolution's filters-major product W[f, k] * P[n, k, p] is computed
// positions-major (`transposed`, with the positions-major op's tiles, as
// above) when its filter is a constant, it has at least as many filters as
// positions and a reduction of at least 256; otherwise it stays
// filters-major: a filter that is an argument, a shallow reduction (128),
// more positions (196) than filters (64).
// AVX512-LABEL: func.func @choose_positions_major
// A patch matrix of at least 64K elements (451584) is copied by all
// threads where its tiles are not packed from the input; a smaller one
// (25088) by one.
// AVX512: kiln_codegen.im2col {{.+}} {lowering_config = #kiln_codegen.lowering_config<distribute = [1]>} : tensor<1x256x16x16xf32>
// AVX512: linalg.generic {{.+}}lowering_config = #kiln_codegen.lowering_config<cache = [1, 98, 256, 256], register = [1, 14, 32, 1], pack = [0, 1], distribute = [1], shared_packing = 16384, transposed>
// AVX512: linalg.generic {{.+}}lowering_config = #kiln_codegen.lowering_config<cache = [1, 64, 196, 256], register = [1, 14, 32, 1], pack = [0, 1], distribute = [1], shared_packing = 16384>}
// AVX512: kiln_codegen.im2col {{.+}} dilations [1, 1] : tensor<1x128x14x14xf32>
// AVX512: linalg.generic {{.+}}lowering_config = #kiln_codegen.lowering_config<cache = [1, 64, 196, 128], register = [1, 14, 32, 1]>}
// AVX512: linalg.generic {{.+}}lowering_config = #kiln_codegen.lowering_config<cache = [1, 64, 196, 256], register = [1, 14, 32, 1], pack = [0, 1], shared_packing = 16384>}
#cw = affine_map<(n, f, p, k) -> (f, k)>
#cp = affine_map<(n, f, p, k) -> (n, k, p)>
#co = affine_map<(n, f, p, k) -> (n, f, p)>
func.func @choose_positions_major(%x: tensor<1x256x16x16xf32>, %acc: tensor<1x256x196xf32>, %arg_w: tensor<256x2304xf32>, %x128: tensor<1x128x14x14xf32>, %acc64: tensor<1x64x196xf32>) -> (tensor<1x256x196xf32>, tensor<1x256x196xf32>, tensor<1x256x196xf32>, tensor<1x64x196xf32>) {
  %filter = arith.constant dense<0.5> : tensor<256x256x3x3xf32>
  %w = tensor.collapse_shape %filter [[0], [1, 2, 3]] : tensor<256x256x3x3xf32> into tensor<256x2304xf32>
  %p = kiln_codegen.im2col %x kernel [3, 3] strides [1, 1] dilations [1, 1] : tensor<1x256x16x16xf32> -> tensor<1x2304x196xf32>
  %0 = linalg.generic {indexing_maps = [#cw, #cp, #co], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %p : tensor<256x2304xf32>, tensor<1x2304x196xf32>) outs(%acc : tensor<1x256x196xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x256x196xf32>
  %1 = linalg.generic {indexing_maps = [#cw, #cp, #co], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%arg_w, %p : tensor<256x2304xf32>, tensor<1x2304x196xf32>) outs(%acc : tensor<1x256x196xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x256x196xf32>
  %filter1 = arith.constant dense<0.5> : tensor<256x128x1x1xf32>
  %w1 = tensor.collapse_shape %filter1 [[0], [1, 2, 3]] : tensor<256x128x1x1xf32> into tensor<256x128xf32>
  %p1 = kiln_codegen.im2col %x128 kernel [1, 1] strides [1, 1] dilations [1, 1] : tensor<1x128x14x14xf32> -> tensor<1x128x196xf32>
  %2 = linalg.generic {indexing_maps = [#cw, #cp, #co], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w1, %p1 : tensor<256x128xf32>, tensor<1x128x196xf32>) outs(%acc : tensor<1x256x196xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x256x196xf32>
  %filter64 = arith.constant dense<0.5> : tensor<64x256x3x3xf32>
  %w64 = tensor.collapse_shape %filter64 [[0], [1, 2, 3]] : tensor<64x256x3x3xf32> into tensor<64x2304xf32>
  %3 = linalg.generic {indexing_maps = [#cw, #cp, #co], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w64, %p : tensor<64x2304xf32>, tensor<1x2304x196xf32>) outs(%acc64 : tensor<1x64x196xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x64x196xf32>
  return %0, %1, %2, %3 : tensor<1x256x196xf32>, tensor<1x256x196xf32>, tensor<1x256x196xf32>, tensor<1x64x196xf32>
}

// -----

// B read transposed (x * W^T) as a single n tile (128 columns) is packed,
// transposed, all the same: its register tiles would read each vector's
// elements 64 floats apart.
// AVX512-LABEL: func.func @transposed_b_one_tile
// AVX512: linalg.generic {{.+}}lowering_config = #kiln_codegen.lowering_config<cache = [64, 128, 64], register = [14, 32, 1], pack = [1]>
#tb_x = affine_map<(m, n, k) -> (m, k)>
#tb_w = affine_map<(m, n, k) -> (n, k)>
#tb_o = affine_map<(m, n, k) -> (m, n)>
func.func @transposed_b_one_tile(%x: tensor<64x64xf32>, %w: tensor<128x64xf32>, %acc: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %0 = linalg.generic {indexing_maps = [#tb_x, #tb_w, #tb_o], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<64x64xf32>, tensor<128x64xf32>) outs(%acc : tensor<64x128xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x128xf32>
  return %0 : tensor<64x128xf32>
}

// -----

// Elementwise ops of 64K elements or more share the outermost loop with
// several iterations (cut into one-iteration tiles) over the threads;
// smaller ones stay on one thread.
// AVX512-LABEL: func.func @large_elementwise
// AVX512: lowering_config = #kiln_codegen.lowering_config<cache = [0, 1, 0, 0], register = [1, 1, 1, 32], distribute = [1]>
// AVX512: lowering_config = #kiln_codegen.lowering_config<cache = [0, 0, 0, 0], register = [1, 1, 1, 32]>}
#id = affine_map<(a, b, c, d) -> (a, b, c, d)>
func.func @large_elementwise(%x: tensor<1x64x32x32xf32>, %y: tensor<1x8x32x32xf32>) -> (tensor<1x64x32x32xf32>, tensor<1x8x32x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x64x32x32xf32>) outs(%x : tensor<1x64x32x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x64x32x32xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y : tensor<1x8x32x32xf32>) outs(%y : tensor<1x8x32x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x32x32xf32>
  return %0, %1 : tensor<1x64x32x32xf32>, tensor<1x8x32x32xf32>
}

// -----

// The reduction in equal blocks near the preferred 256: 1152 = 6 x 192,
// 1100 = 5 x 220; 1031 (a prime) keeps 256 (4 x 256 + 7).
// AVX512-LABEL: func.func @equal_k_blocks
// AVX512: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [{{[0-9]+}}, {{[0-9]+}}, 192]
// AVX512: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [{{[0-9]+}}, {{[0-9]+}}, 220]
// AVX512: linalg.matmul {lowering_config = #kiln_codegen.lowering_config<cache = [{{[0-9]+}}, {{[0-9]+}}, 256]
func.func @equal_k_blocks(%a: tensor<64x1152xf32>, %b: tensor<1152x64xf32>, %c: tensor<64x64xf32>,
                          %d: tensor<64x1100xf32>, %e: tensor<1100x64xf32>,
                          %f: tensor<64x1031xf32>, %g: tensor<1031x64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {
  %0 = linalg.matmul ins(%a, %b : tensor<64x1152xf32>, tensor<1152x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  %1 = linalg.matmul ins(%d, %e : tensor<64x1100xf32>, tensor<1100x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  %2 = linalg.matmul ins(%f, %g : tensor<64x1031xf32>, tensor<1031x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %0, %1, %2 : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>
}

// -----

// A pad of at least 64K elements shares its border loop over the threads,
// along its outermost unpadded dimension of more than one element (the
// channels); a smaller one runs on one thread (no config).
// AVX2-LABEL: func.func @pads
// AVX2: tensor.pad
// AVX2: } {lowering_config = #kiln_codegen.lowering_config<distribute = [1]>} : tensor<1x64x56x56xf32> to tensor<1x64x58x58xf32>
// AVX2: tensor.pad
// AVX2: } : tensor<1x8x6x6xf32> to tensor<1x8x8x8xf32>
func.func @pads(%x: tensor<1x64x56x56xf32>, %y: tensor<1x8x6x6xf32>) -> (tensor<1x64x58x58xf32>, tensor<1x8x8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %0 = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x64x56x56xf32> to tensor<1x64x58x58xf32>
  %1 = tensor.pad %y low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x8x6x6xf32> to tensor<1x8x8x8xf32>
  return %0, %1 : tensor<1x64x58x58xf32>, tensor<1x8x8x8xf32>
}
