//===- PoolingOps.td - nn pooling ops ----------------------*- tablegen -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_POOLINGOPS_TD
#define KILN_DIALECT_NN_POOLINGOPS_TD

// Window attributes follow conv2d: `kernel`, `strides` and `dilations` are
// [h, w], `padding` is [top, left, bottom, right]; absent ones mean stride 1,
// no padding, dilation 1.

def NN_MaxPool2DOp : NN_InferredOp<"max_pool2d"> {
  let summary = "2-D max pooling (NCHW)";
  let description = [{
    The maximum over each `kernel` window of an `[N, C, H, W]` input of
    floats or integers. Padded positions never win (they count as -infinity,
    or the type's lowest value). With `rounding ceil`, a
    last partial window is kept when it starts inside the input or the
    leading padding (PyTorch's and ONNX's `ceil_mode`).

    ```mlir
    %y = nn.max_pool2d %x kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1]
        : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins NN_OrderedTensor:$input, DenseI64ArrayAttr:$kernel,
                       DefaultValuedOptionalAttr<DenseI64ArrayAttr, "{}">:$strides,
                       DefaultValuedOptionalAttr<DenseI64ArrayAttr, "{}">:$padding,
                       DefaultValuedOptionalAttr<DenseI64ArrayAttr, "{}">:$dilations,
                       OptionalAttr<NN_RoundingMode>:$rounding);
  let assemblyFormat = [{
    $input `kernel` $kernel (`strides` $strides^)? (`padding` $padding^)?
    (`dilations` $dilations^)? (`rounding` $rounding^)?
    attr-dict `:` type($input) `->` type($result)
  }];
}

def NN_MaxPool2DIndicesOp : NN_InferredOp<"max_pool2d_indices"> {
  let summary = "where 2-D max pooling found each maximum (ONNX MaxPool's Indices)";
  let description = [{
    For each window of `nn.max_pool2d` with the same attributes, the
    position of its maximum in the input flattened to 1-D, batch and
    channels included: `((n * C + c) * H + h) * W + w`, or with
    `column_major`, `(n * C + c) * H * W + w * H + h` (ONNX's
    `storage_order = 1`). Padding is never chosen; on ties the smallest
    index wins. The result is `i64`, of `nn.max_pool2d`'s shape.

    ```mlir
    %i = nn.max_pool2d_indices %x kernel [2, 2] strides [2, 2]
        : tensor<1x16x10x10xf32> -> tensor<1x16x5x5xi64>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, DenseI64ArrayAttr:$kernel,
                       DefaultValuedOptionalAttr<DenseI64ArrayAttr, "{}">:$strides,
                       DefaultValuedOptionalAttr<DenseI64ArrayAttr, "{}">:$padding,
                       DefaultValuedOptionalAttr<DenseI64ArrayAttr, "{}">:$dilations,
                       OptionalAttr<NN_RoundingMode>:$rounding,
                       UnitAttr:$column_major);
  let assemblyFormat = [{
    $input `kernel` $kernel (`strides` $strides^)? (`padding` $padding^)?
    (`dilations` $dilations^)? (`rounding` $rounding^)?
    (`column_major` $column_major^)?
    attr-dict `:` type($input) `->` type($result)
  }];
}

def NN_AvgPool2DOp : NN_InferredOp<"avg_pool2d"> {
  let summary = "2-D average pooling (NCHW)";
  let description = [{
    The mean over each `kernel` window of an `[N, C, H, W]` input. Without
    `count_include_pad` the divisor is the number of input elements in the
    window; with it, padded positions count too (but positions added only by
    `rounding ceil` never do). Dilation is not defined for average pooling.

    ```mlir
    %y = nn.avg_pool2d %x kernel [2, 2] strides [2, 2] count_include_pad
        : tensor<1x16x10x10xf32> -> tensor<1x16x5x5xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, DenseI64ArrayAttr:$kernel,
                       DefaultValuedOptionalAttr<DenseI64ArrayAttr, "{}">:$strides,
                       DefaultValuedOptionalAttr<DenseI64ArrayAttr, "{}">:$padding,
                       OptionalAttr<NN_RoundingMode>:$rounding,
                       UnitAttr:$count_include_pad);
  let assemblyFormat = [{
    $input `kernel` $kernel (`strides` $strides^)? (`padding` $padding^)?
    (`rounding` $rounding^)? (`count_include_pad` $count_include_pad^)?
    attr-dict `:` type($input) `->` type($result)
  }];
}

def NN_GlobalAvgPoolOp : NN_InferredOp<"global_avg_pool"> {
  let summary = "mean over all spatial dimensions";
  let description = [{
    `[N, C, D1, ..., Dk]` becomes `[N, C, 1, ..., 1]` (rank 3 or more).

    ```mlir
    %y = nn.global_avg_pool %x : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

#endif // KILN_DIALECT_NN_POOLINGOPS_TD
