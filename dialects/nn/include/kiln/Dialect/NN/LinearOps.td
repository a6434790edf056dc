//===- LinearOps.td - nn matmul and dense ------------------*- tablegen -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_LINEAROPS_TD
#define KILN_DIALECT_NN_LINEAROPS_TD

def NN_MatmulOp : NN_InferredOp<"matmul"> {
  let summary = "matrix product with numpy-broadcast batch dimensions";
  let description = [{
    `lhs` is `[B..., M, K]`, `rhs` is `[B'..., K, N]`; the result is
    `[broadcast(B, B')..., M, N]`. Both operands have rank 2 or more and the
    same element type; the contraction sizes must agree.

    ```mlir
    %c = nn.matmul %a, %b : (tensor<8x64x32xf32>, tensor<32x16xf32>) -> tensor<8x64x16xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$lhs, NN_FloatTensor:$rhs);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def NN_DenseOp : NN_InferredOp<"dense"> {
  let summary = "fully connected layer: input * weight^T + bias";
  let description = [{
    The "affine" layer of SystemML and `torch.nn.Linear`: `input` is
    `[..., in]`, `weight` is `[out, in]`, the optional `bias` is `[out]`, and
    the result is `[..., out]`.

    ```mlir
    %y = nn.dense %x, %w, %b : (tensor<1x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<1x128xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$weight,
                       Optional<NN_FloatTensor>:$bias);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // KILN_DIALECT_NN_LINEAROPS_TD
