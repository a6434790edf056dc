//===- ShapeOps.td - nn data movement ops ------------------*- tablegen -*-===//
//
// Part of Kiln. These ops move or replicate elements without arithmetic, so
// they accept tensors of any element type.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_SHAPEOPS_TD
#define KILN_DIALECT_NN_SHAPEOPS_TD

def NN_ReshapeOp : NN_InferredOp<"reshape"> {
  let summary = "reinterpret the elements with a new shape";
  let description = [{
    Row-major order is kept. At most one entry of `shape` may be -1: that size
    is computed so the element count is unchanged.

    ```mlir
    %y = nn.reshape %x [1, -1] : tensor<1x16x5x5xf32> -> tensor<1x400xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input, DenseI64ArrayAttr:$shape);
  let assemblyFormat = "$input $shape attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def NN_TransposeOp : NN_InferredOp<"transpose"> {
  let summary = "permute dimensions";
  let description = [{
    Result dimension `i` is input dimension `perm[i]` (numpy.transpose).

    ```mlir
    %y = nn.transpose %x [0, 2, 3, 1] : tensor<1x3x8x8xf32> -> tensor<1x8x8x3xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input, DenseI64ArrayAttr:$perm);
  let assemblyFormat = "$input $perm attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def NN_ConcatOp : NN_InferredOp<"concat"> {
  let summary = "join tensors along one axis";
  let description = [{
    All inputs have the same rank and element type, and equal sizes except
    along `axis`.

    ```mlir
    %y = nn.concat %a, %b axis 1 : (tensor<1x16x8x8xf32>, tensor<1x32x8x8xf32>) -> tensor<1x48x8x8xf32>
    ```
  }];
  let arguments = (ins Variadic<NN_AnyTensor>:$inputs, I64Attr:$axis);
  let assemblyFormat = "$inputs `axis` $axis attr-dict `:` functional-type($inputs, results)";
  let hasFolder = 1;
}

def NN_SliceOp : NN_InferredOp<"slice"> {
  let summary = "strided slice";
  let description = [{
    Dimension `d` of the result takes input indices `starts[d]`,
    `starts[d] + steps[d]`, ... below `ends[d]`. One entry per dimension;
    `0 <= start <= end <= size` and steps are positive (frontends normalize
    negative and out-of-range indices). `steps` defaults to all ones.

    ```mlir
    %y = nn.slice %x starts [0, 2] ends [4, 10] steps [1, 2] : tensor<4x16xf32> -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends,
                       DefaultValuedOptionalAttr<DenseI64ArrayAttr, "{}">:$steps);
  let assemblyFormat = [{
    $input `starts` $starts `ends` $ends (`steps` $steps^)?
    attr-dict `:` type($input) `->` type($result)
  }];
  let hasFolder = 1;
}

def NN_FlattenOp : NN_InferredOp<"flatten"> {
  let summary = "collapse to 2-D around an axis";
  let description = [{
    `[d0, ..., dn-1]` becomes `[d0 * ... * d(axis-1), d(axis) * ... * dn-1]`;
    `axis` defaults to 1 and may equal the rank (ONNX Flatten).

    ```mlir
    %y = nn.flatten %x : tensor<8x16x4x4xf32> -> tensor<8x256xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input,
                       DefaultValuedOptionalAttr<I64Attr, "1">:$axis);
  let assemblyFormat = "$input (`axis` $axis^)? attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def NN_PadOp : NN_InferredOp<"pad"> {
  let summary = "pad every dimension with a constant, a reflection or the edge";
  let description = [{
    `pads` holds the leading amounts for every dimension, then the trailing
    ones (ONNX order): `[b0, ..., bn-1, e0, ..., en-1]`, all non-negative.
    `mode` defaults to `constant` with `value` (default 0); `reflect` needs
    pads smaller than the dimension.

    ```mlir
    %y = nn.pad %x [0, 0, 1, 1, 0, 0, 1, 1] : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
    %r = nn.pad %x [0, 0, 2, 2, 0, 0, 2, 2] mode reflect : tensor<1x3x8x8xf32> -> tensor<1x3x12x12xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input, DenseI64ArrayAttr:$pads,
                       OptionalAttr<NN_PadMode>:$mode,
                       DefaultValuedOptionalAttr<F64Attr, "0.0">:$value);
  let assemblyFormat = [{
    $input $pads (`mode` $mode^)? (`value` $value^)?
    attr-dict `:` type($input) `->` type($result)
  }];
  let hasFolder = 1;
}

def NN_BroadcastToOp : NN_InferredOp<"broadcast_to"> {
  let summary = "numpy broadcast to a given shape";
  let description = [{
    The input broadcasts to `shape` under numpy rules (trailing alignment; each
    input size is 1 or equals the target size).

    ```mlir
    %y = nn.broadcast_to %b [8, 16] : tensor<16xf32> -> tensor<8x16xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$input, DenseI64ArrayAttr:$shape);
  let assemblyFormat = "$input $shape attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def NN_GatherOp : NN_InferredOp<"gather"> {
  let summary = "take slices along an axis at integer indices";
  let description = [{
    ONNX Gather / numpy.take: the result shape is
    `data.shape[:axis] + indices.shape + data.shape[axis+1:]`. Negative
    indices count from the end of the axis; indices still out of range (ONNX
    leaves them undefined) are clamped into it, so that no index reads
    outside the data.

    ```mlir
    %e = nn.gather %table, %ids axis 0 : (tensor<1000x64xf32>, tensor<2x8xi64>) -> tensor<2x8x64xf32>
    ```
  }];
  let arguments = (ins NN_AnyTensor:$data, NN_IndexTensor:$indices,
                       DefaultValuedOptionalAttr<I64Attr, "0">:$axis);
  let assemblyFormat = [{
    $data `,` $indices (`axis` $axis^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // KILN_DIALECT_NN_SHAPEOPS_TD
