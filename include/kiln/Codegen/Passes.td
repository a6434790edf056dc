//===- Passes.td - target-neutral code generation passes ---*- tablegen -*-===//
//
// Part of Kiln. Passes on linalg/tensor IR that every target's code
// generator runs (lib/Codegen/Transforms). Keep the list alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_PASSES_TD
#define KILN_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnSplitReductions
    : InterfacePass<"kiln-split-reductions", "mlir::FunctionOpInterface"> {
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

#endif // KILN_CODEGEN_PASSES_TD
