//===- Passes.td - target-neutral code generation passes ---*- tablegen -*-===//
//
// Part of Kiln. Passes on linalg/tensor IR that every target's code
// generator runs (lib/Codegen/Common). Keep the list alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_PASSES_TD
#define KILN_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnCodegenConvToIm2Col
    : InterfacePass<"kiln-codegen-conv-to-im2col", "mlir::FunctionOpInterface"> {
  let summary = "Rewrite NCHW convolutions as im2col + a matrix product";
  let description = [{
    Each `linalg.conv_2d_nchw_fchw` with static shapes becomes the patch
    matrix of its input, `kiln_codegen.im2col` (`P[N, C*KH*KW, OH*OW]`), and
    a contraction `out[n, f, p] += W[f, k] * P[n, k, p]` on the collapsed
    views (`k = (c, kh, kw)`, `p = (oh, ow)`), so that convolutions take the
    tiled, packed, vectorized matmul path (kiln-cpu-select-lowering-config
    picks the contraction up). Its lowering_config may compute it
    positions-major instead (`transposed`: see
    kiln-codegen-transpose-contractions). kiln-cpu-pack-tiles copies the tiles of P
    from the input straight into packed tiles where the tiles start on
    output rows; kiln-codegen-lower-im2col materializes the rest. Convolutions
    with dynamic sizes stay direct convolutions (scalar loops). An `out`
    that is a fill or a broadcast of a bias is made again on the collapsed
    shape rather than collapsed, so that kiln-codegen-tile can compute it tile
    by tile inside the contraction's loops.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "kiln::codegen::KilnCodegenDialect"];
}

def KilnCodegenTransposeContractions
    : InterfacePass<"kiln-codegen-transpose-contractions",
                    "mlir::FunctionOpInterface"> {
  let summary = "Compute contractions whose config says so transposed";
  let description = [{
    A contraction `C[n, i, j] += A[i, k] * B[n, k, j]` (a convolution as
    im2col's product, filters-major) whose `lowering_config` has
    `transposed` becomes `T[n, j, i] = sum_k B[n, k, j] * A[i, k]` from zero
    (positions-major), loops (n, j, i, k), which takes the config without
    `transposed` (its tiles are the transposed op's), and an elementwise op
    that adds `T` transposed to `C`, tiled in 8 x 8 blocks at the config's
    innermost level. Register tiles are then rows of positions by vectors of
    filters, which a layer with few positions and many filters fills
    (filters-major, 196 or 49 positions leave a partial vector in every row
    block). The heuristic (kiln-cpu-select-lowering-config) and kiln-tune
    decide which contractions are computed so; `transposed` on another op
    is an error.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect"];
}

def KilnCodegenCopyRepeatedResults
    : Pass<"kiln-codegen-copy-repeated-results", "mlir::func::FuncOp"> {
  let summary = "Give a value returned more than once a copy per repetition";
  let description = [{
    On tensors, before bufferization: `return %v, %v` becomes `return %v,
    %copy` with `%copy = bufferization.alloc_tensor() copy(%v)`. Every
    result then has a buffer of its own, which buffer-results-to-out-params
    needs to write each result into its own caller-allocated out-parameter
    (a model whose graph outputs two names for one value, or two empty
    results that CSE made one).
  }];
  let dependentDialects = ["mlir::bufferization::BufferizationDialect"];
}

def KilnCodegenDecomposePads
    : InterfacePass<"kiln-codegen-decompose-pads", "mlir::FunctionOpInterface"> {
  let summary = "Write tensor.pad as border fills and an insert_slice";
  let description = [{
    Rewrites each `tensor.pad` with a constant padding value and static
    shapes into a loop that fills only the border of a new tensor, walking
    an unpadded dimension, marked `kiln_codegen.padding_border`; and a
    `tensor.insert_slice` of the padded
    value into its interior. Run before bufferization: empty-tensor
    elimination then makes the producer of the padded value write into the
    padded buffer directly, instead of a copy of the whole tensor. A padded
    function argument has no producer to do that: its copy into the
    interior moves into the border loop (a vector read and write per row,
    for rows of at most 1024 elements), so the threads share it. Pads of
    every dimension or with dynamic shapes become a `linalg.fill` of the
    whole tensor and the `tensor.insert_slice`.

    The pad's `lowering_config` (fields only: `#kiln_codegen.lowering_config<
    distribute = [d]>`, written by the target's heuristic) makes the loop
    walk dimension `d` and marks it `kiln_codegen.distributed`, so that the
    threads share it; without one, the loop walks the outermost unpadded
    dimension of more than one element on one thread. A config that
    distributes a padded dimension, or has tile levels, is an error.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::ub::UBDialect",
                           "mlir::vector::VectorDialect"];
}

def KilnCodegenDepthwiseToElementwise
    : InterfacePass<"kiln-codegen-depthwise-to-elementwise", "mlir::FunctionOpInterface"> {
  let summary = "Rewrite NCHW depthwise convolutions as elementwise generics";
  let description = [{
    Each `linalg.depthwise_conv_2d_nchw_chw` with static shapes and a window
    of at most 25 positions becomes one elementwise `linalg.generic` over
    the output: for each window position `(kh, kw)`, a strided
    `tensor.extract_slice` of the input, `x[:, :, kh*dh :: sh, kw*dw ::
    sw]`, and the channels' weights at that position, `w[:, kh, kw]`
    (indexed by the channel), are two inputs, and the depthwise op's own
    body multiplies and adds them into the accumulator one position after
    another. The generic then gets a lowering_config like any elementwise op
    (vectors along the output's rows, the channels shared by the threads);
    the depthwise op, whose input map is not a permutation, stayed scalar
    loops.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"];
}

def KilnCodegenDropUnitContractionDims
    : Pass<"kiln-codegen-drop-unit-contraction-dims", "mlir::func::FuncOp"> {
  let summary = "Contractions without their loops of range 1";
  let description = [{
    Each contraction `linalg.generic` on tensors that is a matrix product
    but for loops of static range 1 (a dense layer over a `[1, 128, 256]`
    activation, a batch of one; reshapes that elementwise fusion propagated
    into a matmul) loses them: its operands and result are reshaped
    (collapsed and expanded, views of the same memory) and its maps drop
    those dimensions. What is left must be `C[m, n] += A[m, k...] *
    B[k..., n]` or `B[n, k...]`, one loop each for m and n; several
    reduction loops, adjacent and in the same order in A and B (the heads
    and head size of an attention's output projection), are collapsed into
    one. It then becomes a `linalg.matmul` where it is one. A `[1, 128,
    256] x [256, 1024]` product becomes the plain `128 x 1024 x 256` matmul
    that the CPU's and the tensor cores' schedules, cuBLAS and kiln-tune's
    signatures recognize, and a `[128, 1, 256] x [256, 768]` one no longer
    takes its unit loop for the rows of its register tiles. Other
    contractions are left alone. Part of the tunable forms.
  }];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
}

def KilnCodegenDuplicateSharedInits
    : InterfacePass<"kiln-codegen-duplicate-shared-inits", "mlir::FunctionOpInterface"> {
  let summary = "Give each op that writes into a value computed from constants its own copy of the computation";
  let description = [{
    An op at the top level of a function that computes one tensor from
    constants alone (nothing from above flows into it but constants and the
    `tensor.empty` it fills, or one reshape of it: a tiled bias broadcast
    or fill, of a convolution's output collapsed to `[N, F, OH*OW]`) and whose
    result several ops write into (the init of a destination-style op or
    of a loop's iteration argument, directly or through a reshape) is
    cloned, with a `tensor.empty` (and reshape) of its own, once per such
    use after the first. CSE merges equal broadcasts (convolutions with equal biases: all
    zero in a freshly initialized network), and bufferization then gave
    every writer but one a copy of the shared buffer, a whole activation
    per convolution; a clone writes its own buffer as it is computed, which
    costs no more than that copy. Run after the last CSE, before
    bufferization.
  }];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
}

def KilnCodegenFuseElementwise
    : Pass<"kiln-codegen-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Elementwise producers into their consumers, where that computes them once";
  let description = [{
    Upstream's `linalg-fuse-elementwise-ops` (elementwise producer generics
    fused into their consumers, reshapes propagated by expansion, constant
    folding) with one more rule: a producer is fused only into a consumer
    that reads each of its elements once, through a permutation of all the
    consumer's loops. Chains of elementwise ops (bias + ReLU, softmax's
    steps) and the producers of reductions (a square summed) still fuse;
    a ReLU feeding a matmul does not: inside the contraction it would be
    computed once per output column, in the innermost loop, and the
    contraction would no longer be a plain one that vectorizes (a
    transformer's feed-forward layer ran 70 times slower so).
  }];
  let dependentDialects = ["mlir::affine::AffineDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def KilnCodegenGeneralizeBroadcasts
    : InterfacePass<"kiln-codegen-generalize-broadcasts", "mlir::FunctionOpInterface"> {
  let summary = "Rewrite linalg.broadcast and linalg.fill as linalg.generic";
  let description = [{
    Each `linalg.broadcast` and `linalg.fill` on tensors (an accumulator's
    first value: a bias broadcast over a convolution's output, or zeros)
    becomes the equivalent elementwise `linalg.generic`, so that
    kiln-cpu-select-lowering-config gives it the elementwise config (vector
    stores, distributed over the threads when large) instead of leaving it
    scalar loops or a memset on one thread.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def KilnCodegenLowerIm2Col
    : InterfacePass<"kiln-codegen-lower-im2col", "mlir::FunctionOpInterface"> {
  let summary = "Materialize kiln_codegen.im2col as loops of vector row copies";
  let description = [{
    Rewrites each `kiln_codegen.im2col` that kiln-cpu-pack-tiles left (its
    tiles were not copied from the input directly) into a loop nest over
    (n, c, kh, kw, oh) that copies one input row per step, as one vector
    (for strided convolutions, a strided slice of the row, which
    kiln-cpu-contiguous-strided-reads reads as a contiguous span and a
    shuffle), into P[N, C, KH, KW, OH, OW], collapsed to the op's
    [N, C*KH*KW, OH*OW]. The channel loop is distributed over the threads
    when the op's `lowering_config` (fields only, written by the target's
    heuristic) says `distribute = [1]` (dimension 1 of the patch matrix,
    the channels' patches); any other config is an error.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect", "mlir::vector::VectorDialect"];
}

def KilnCodegenPoolingToElementwise
    : InterfacePass<"kiln-codegen-pooling-to-elementwise", "mlir::FunctionOpInterface"> {
  let summary = "Rewrite small NCHW max/sum poolings as elementwise generics";
  let description = [{
    Each `linalg.pooling_nchw_max` and `linalg.pooling_nchw_sum` with static
    shapes and a window of at most 16 positions becomes one elementwise
    `linalg.generic` over the output: for each window position `(kh, kw)` a
    strided `tensor.extract_slice` of the input,
    `x[:, :, kh*dh :: sh, kw*dw :: sw]`, is one input, and the pooling op's
    own body combines them with the accumulator one after another. The
    generic then gets a lowering_config like any elementwise op and becomes
    vector code; the pooling ops (whose input maps are not permutations)
    would stay scalar loops.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"];
}

def KilnCodegenReadPaddedInteriors
    : InterfacePass<"kiln-codegen-read-padded-interiors", "mlir::FunctionOpInterface"> {
  let summary = "Read a padded value from its padded tensor after the padding";
  let description = [{
    For each `tensor.insert_slice %x into %filled` whose destination is a
    `linalg.fill` (a padding, as `kiln-codegen-decompose-pads` writes it), the
    uses of `%x` after the insert_slice read the interior of the padded
    tensor instead (a `tensor.extract_slice` of it). The value is the same;
    the difference is for one-shot bufferization, which counts the
    insert_slice as a write over `%x`'s buffer: a later read of `%x` (a
    residual connection reading a block's input that the next convolution
    reads padded) made it keep `%x` in a buffer of its own and copy it into
    the interior and back. Run after `empty-tensor-to-alloc-tensor`, which
    folds the extract_slice of an insert_slice back to `%x`, and right
    before bufferization.
  }];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
}

def KilnCodegenSplitReductions
    : InterfacePass<"kiln-codegen-split-reductions", "mlir::FunctionOpInterface"> {
  let summary = "Sum long floating-point reductions in blocks";
  let description = [{
    A reduction lowered as one `linalg.generic` adds every element into its
    accumulator in turn: in float32 a sum of 2^26 ones stops growing at
    2^24, and the mean of a large tensor loses digits long before that.
    This pass rewrites each floating-point sum whose chain of additions into
    one result element is longer than `block-size` as a tree of blocked
    sums: a first op sums blocks of at most `block-size` elements into a
    tensor of partial sums (the loops outside the block become parallel),
    and a second op reduces the partial sums into the original accumulator;
    that op is split again while it is still too long. Every chain is then
    at most `block-size` long and the rounding error grows like
    `block-size * log(n) / log(block-size)` instead of `n`, as numpy's
    pairwise summation's does. The partial sums are what a vectorized or
    multithreaded reduction computes anyway.

    Applies to `linalg.generic` ops with one float result whose combiner is
    `arith.addf` (the body may compute the added value: squares, exp,
    products of inputs), static reduction sizes, projected-permutation
    indexing maps and no `linalg.index`. Contractions (matmuls,
    convolutions) are left alone: their reductions are tiled for the
    caches. A reduced dimension that does not divide into blocks is split
    into a divisible part and a remainder, summed apart.

    ```mlir
    // sum of 65536 elements
    %r = linalg.generic {iterator_types = ["reduction"]} ins(%x : tensor<65536xf32>) ...
    // becomes 256 partial sums of 256 elements, summed into %r
    %p = linalg.generic {iterator_types = ["parallel", "reduction"]}
           ins(%x' : tensor<256x256xf32>) outs(%zeros : tensor<256xf32>) ...
    %r = linalg.generic {iterator_types = ["reduction"]} ins(%p : tensor<256xf32>) ...
    ```
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "The longest chain of additions into one accumulator">
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect"];
}

def KilnCodegenTile
    : InterfacePass<"kiln-codegen-tile", "mlir::FunctionOpInterface"> {
  let summary = "Tile linalg ops to the sizes of their lowering_config";
  let description = [{
    Tiles every linalg op that carries a `lowering_config` with `scf.for`
    loops to the sizes of one level of the config, named by `level` (a CPU's
    are `cache`, then `register`); an op whose config lacks that level is
    an error. Each loop's last,
    partial iteration is peeled off, so that the main tiles have static sizes
    (and vectorize without masks). The tiled ops keep the config, so the next
    level (and the vectorizer) find it. At a config's first level, the loop
    of the config's `distribute` loop is marked `kiln_codegen.distributed` for
    kiln-cpu-outline-parallel-loops; distributing a reduction loop is an
    error.

    At the first level, a contraction's accumulator init computed by an
    all-parallel linalg op (a fill, a bias broadcast) is computed tile by
    tile inside the cache loops, before the reduction loops (never inside
    them), from an empty tensor of the nest's own: each thread then writes
    the accumulator tiles it reduces into, instead of a separate loop,
    shared out another way, leaving them in the other core's cache
    (ResNet-18's 64->128 3x3/2 convolution on 2 threads: 0.43 -> 0.39 ms).
    Ops are tiled consumers first, so that the init is still whole then.
  }];
  let options = [
    Option<"level", "level", "std::string", "",
           "The tile level to tile to, by name (a CPU's: cache, register)">,
  ];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::affine::AffineDialect",
                           "mlir::tensor::TensorDialect"];
}

#endif // KILN_CODEGEN_PASSES_TD
