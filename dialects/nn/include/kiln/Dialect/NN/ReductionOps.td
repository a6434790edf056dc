//===- ReductionOps.td - nn reductions ---------------------*- tablegen -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_REDUCTIONOPS_TD
#define KILN_DIALECT_NN_REDUCTIONOPS_TD

// Reduction over a list of distinct axes (negative values count from the
// back). Reduced dimensions are dropped, or kept with size 1 under `keepdims`.
class NN_ReductionOp<string mnemonic, string what> : NN_InferredOp<mnemonic> {
  let summary = what # " over the given axes";
  let description = [{
    ```mlir
    %s = nn.}] # mnemonic # [{ %x axes [2, 3] keepdims : tensor<1x64x7x7xf32> -> tensor<1x64x1x1xf32>
    %t = nn.}] # mnemonic # [{ %x axes [-1] : tensor<1x64x7x7xf32> -> tensor<1x64x7xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, DenseI64ArrayAttr:$axes,
                       UnitAttr:$keepdims);
  let assemblyFormat = [{
    $input `axes` $axes (`keepdims` $keepdims^)? attr-dict `:` type($input) `->` type($result)
  }];
}

def NN_ReduceSumOp : NN_ReductionOp<"reduce_sum", "sum">;
def NN_ReduceMeanOp : NN_ReductionOp<"reduce_mean", "arithmetic mean">;
def NN_ReduceMaxOp : NN_ReductionOp<"reduce_max", "maximum">;
def NN_ReduceProdOp : NN_ReductionOp<"reduce_prod", "product">;

#endif // KILN_DIALECT_NN_REDUCTIONOPS_TD
