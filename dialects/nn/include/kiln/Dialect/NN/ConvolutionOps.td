//===- ConvolutionOps.td - nn conv2d -----------------------*- tablegen -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_CONVOLUTIONOPS_TD
#define KILN_DIALECT_NN_CONVOLUTIONOPS_TD

def NN_Conv2DOp : NN_InferredOp<"conv2d"> {
  let summary = "2-D convolution (NCHW) with strides, padding, dilation and groups";
  let description = [{
    `input` is `[N, C, H, W]`, `filter` is `[F, C/groups, KH, KW]`, the
    optional `bias` is `[F]`. The result is `[N, F, OH, OW]` with

        OH = (H + pad_top + pad_bottom - dilation_h * (KH - 1) - 1) / stride_h + 1

    (and likewise for W), rounded down. `padding` is `[top, left, bottom,
    right]` (asymmetric padding is allowed); `strides` and `dilations` are
    `[h, w]`. Absent attributes mean stride 1, no padding, dilation 1 and one
    group. `groups` must divide both C and F; `groups = C` with
    `F = C * multiplier` is a depthwise convolution.

    ```mlir
    %y = nn.conv2d %x, %w, %b strides [2, 2] padding [3, 3, 3, 3]
        : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
    %d = nn.conv2d %y, %dw padding [1, 1, 1, 1] groups 64
        : (tensor<1x64x112x112xf32>, tensor<64x1x3x3xf32>) -> tensor<1x64x112x112xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, NN_FloatTensor:$filter,
                       Optional<NN_FloatTensor>:$bias,
                       DefaultValuedOptionalAttr<DenseI64ArrayAttr, "{}">:$strides,
                       DefaultValuedOptionalAttr<DenseI64ArrayAttr, "{}">:$padding,
                       DefaultValuedOptionalAttr<DenseI64ArrayAttr, "{}">:$dilations,
                       DefaultValuedOptionalAttr<I64Attr, "1">:$groups);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)?
    (`strides` $strides^)? (`padding` $padding^)? (`dilations` $dilations^)?
    (`groups` $groups^)?
    attr-dict `:` functional-type(operands, results)
  }];
}

#endif // KILN_DIALECT_NN_CONVOLUTIONOPS_TD
