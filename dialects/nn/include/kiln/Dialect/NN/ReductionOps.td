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

// The position of the maximum or minimum along one axis.
class NN_ArgReductionOp<string mnemonic, string what>
    : NN_InferredOp<mnemonic> {
  let summary = "index of the " # what # " along an axis";
  let description = [{
    An `i64` tensor of the input's shape without `axis` (kept with size 1
    under `keepdims`): where along `axis` the }] # what # [{ is. Of equal
    values the first wins, or the last with `select_last_index`; a NaN wins
    over numbers (numpy's argmax and argmin). Floats and signed or unsigned
    integers.

    ```mlir
    %i = nn.}] # mnemonic # [{ %x axis 1 : tensor<8x1000xf32> -> tensor<8xi64>
    %k = nn.}] # mnemonic # [{ %x axis -1 keepdims select_last_index : tensor<8x1000xf32> -> tensor<8x1xi64>
    ```
  }];
  let arguments = (ins NN_OrderedTensor:$input, I64Attr:$axis,
                       UnitAttr:$keepdims, UnitAttr:$select_last_index);
  let assemblyFormat = [{
    $input `axis` $axis (`keepdims` $keepdims^)?
    (`select_last_index` $select_last_index^)? attr-dict `:` type($input)
    `->` type($result)
  }];
}

def NN_ArgMaxOp : NN_ArgReductionOp<"arg_max", "maximum">;
def NN_ArgMinOp : NN_ArgReductionOp<"arg_min", "minimum">;

#endif // KILN_DIALECT_NN_REDUCTIONOPS_TD
