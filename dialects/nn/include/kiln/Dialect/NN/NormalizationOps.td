//===- NormalizationOps.td - nn batch_norm, layer_norm -----*- tablegen -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_NORMALIZATIONOPS_TD
#define KILN_DIALECT_NN_NORMALIZATIONOPS_TD

def NN_BatchNormOp : NN_InferredOp<"batch_norm"> {
  let summary = "batch normalization, inference form";
  let description = [{
    `(x - mean) / sqrt(variance + epsilon) * scale + bias` with per-channel
    statistics: `input` is `[N, C, ...]` (rank 2 or more) and `scale`, `bias`,
    `mean`, `variance` are `[C]`. `epsilon` defaults to 1e-5. The training form
    (batch statistics, running-average update) will be a separate op.

    ```mlir
    %y = nn.batch_norm %x, %gamma, %beta, %mean, %var epsilon 1.000000e-03
        : (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$scale,
                       NN_FloatTensor:$bias, NN_FloatTensor:$mean,
                       NN_FloatTensor:$variance,
                       DefaultValuedOptionalAttr<F64Attr, "1e-5">:$epsilon);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance (`epsilon` $epsilon^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def NN_LayerNormOp : NN_InferredOp<"layer_norm"> {
  let summary = "layer normalization over the trailing dimensions";
  let description = [{
    Normalizes over dimensions `[axis, rank)` (default axis -1): each slice is
    shifted to mean 0 and scaled to variance 1 (with `epsilon`, default 1e-5,
    added to the variance), then multiplied by `scale` and shifted by the
    optional `bias`. `scale` and `bias` have the shape of the normalized
    dimensions.

    ```mlir
    %y = nn.layer_norm %x, %g, %b : (tensor<2x16x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<2x16x768xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$scale,
                       Optional<NN_FloatTensor>:$bias,
                       DefaultValuedOptionalAttr<I64Attr, "-1">:$axis,
                       DefaultValuedOptionalAttr<F64Attr, "1e-5">:$epsilon);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? (`axis` $axis^)? (`epsilon` $epsilon^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

#endif // KILN_DIALECT_NN_NORMALIZATIONOPS_TD
