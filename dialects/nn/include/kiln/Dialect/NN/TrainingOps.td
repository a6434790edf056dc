//===- TrainingOps.td - nn dropout and losses --------------*- tablegen -*-===//
//
// Part of Kiln. Ops whose meaning is about training. Gradient and optimizer
// ops will join this family.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_TRAININGOPS_TD
#define KILN_DIALECT_NN_TRAININGOPS_TD

def NN_DropoutOp : NN_UnaryOp<"dropout"> {
  let summary = "random zeroing during training; identity in inference";
  let description = [{
    In training, each element is zeroed with probability `ratio` (default 0.5)
    and the survivors are scaled by `1 / (1 - ratio)`; `seed` fixes the random
    stream. Inference compilation removes it (`nn-strip-dropout`); a dropout
    with ratio 0 folds away everywhere.

    ```mlir
    %y = nn.dropout %x ratio 1.000000e-01 seed 42 : tensor<8x128xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input,
                       DefaultValuedOptionalAttr<F64Attr, "0.5">:$ratio,
                       OptionalAttr<I64Attr>:$seed);
  let assemblyFormat = "$input (`ratio` $ratio^)? (`seed` $seed^)? attr-dict `:` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def NN_CrossEntropyOp : NN_InferredOp<"cross_entropy"> {
  let summary = "cross-entropy loss on logits";
  let description = [{
    `logits` is `[N, C]` or `[N, C, d1, ...]` (unnormalized scores; the op
    applies log_softmax over C). `targets` is either integer class indices of
    shape `[N, d1, ...]` or float class probabilities of the logits' shape.
    With `reduction none` the result is the per-sample loss `[N, d1, ...]`;
    `mean` (default) and `sum` give a rank-0 tensor.

    ```mlir
    %l = nn.cross_entropy %logits, %labels : (tensor<32x10xf32>, tensor<32xi64>) -> tensor<f32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$logits, NN_TargetTensor:$targets,
                       OptionalAttr<NN_Reduction>:$reduction);
  let assemblyFormat = [{
    $logits `,` $targets (`reduction` $reduction^)? attr-dict `:` functional-type(operands, results)
  }];
}

def NN_MseOp : NN_InferredOp<"mse"> {
  let summary = "mean squared error loss";
  let description = [{
    `(prediction - target)^2` on operands of the same shape; `reduction`
    as for cross_entropy (default `mean`: a rank-0 result).

    ```mlir
    %l = nn.mse %y, %t : (tensor<32x1xf32>, tensor<32x1xf32>) -> tensor<f32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$prediction, NN_FloatTensor:$target,
                       OptionalAttr<NN_Reduction>:$reduction);
  let assemblyFormat = [{
    $prediction `,` $target (`reduction` $reduction^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // KILN_DIALECT_NN_TRAININGOPS_TD
