//===- CodegenOps.td - ops between Kiln's code generation passes -*- tablegen -*-===//
//
// Part of Kiln. Ops that exist only between two code generation passes:
// they name a step whose best lowering depends on what a later pass does.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_CODEGEN_IR_CODEGENOPS_TD
#define KILN_CODEGEN_IR_CODEGENOPS_TD

include "kiln/Codegen/IR/CodegenAttrs.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def KilnCodegen_Im2ColOp : Op<KilnCodegen_Dialect, "im2col", [Pure]> {
  let summary = "the patch matrix of an NCHW convolution";
  let description = [{
    The matrix whose product with the filter (as a `[F, C*KH*KW]` matrix)
    is the convolution of `input` (already padded) with a `KH x KW` window:

    ```
    result[n, (c * KH + kh) * KW + kw, oh * OW + ow] =
        input[n, c, oh * sh + kh * dh, ow * sw + kw * dw]
    ```

    where `OH x OW` is the output size the window, strides and dilations
    give. kiln-codegen-conv-to-im2col writes a convolution as this op and a
    contraction; kiln-cpu-pack-tiles copies a tile of the contraction's
    patch operand straight from `input` into the packed tile (the matrix is
    never written whole); kiln-codegen-lower-im2col materializes what is left as
    loops of vector row copies.

    ```mlir
    %p = kiln_codegen.im2col %x kernel [3, 3] strides [1, 1] dilations [1, 1]
        : tensor<1x64x58x58xf32> -> tensor<1x576x3136xf32>
    ```
  }];
  let arguments = (ins AnyStaticShapeTensor:$input,
                       DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$dilations);
  let results = (outs AnyStaticShapeTensor:$result);
  let assemblyFormat = [{
    $input `kernel` $kernel `strides` $strides `dilations` $dilations attr-dict
    `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The convolution's output height and width.
    int64_t getOutputHeight();
    int64_t getOutputWidth();
  }];
}

def KilnCodegen_DeviceConstantOp
    : Op<KilnCodegen_Dialect, "device_constant",
         [Pure, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "a constant global's data in the GPU's memory";
  let description = [{
    The buffer of the constant `memref.global` named `global` as the GPU
    sees it: what `memref.get_global` is on the host. The data is copied to
    the device once per process and device (on the first run) and kept
    there. kiln-gpu-device-buffers writes it for every host
    `memref.get_global` of a GPU function; kiln-gpu-lower-device-constants
    makes it a call of Kiln's CUDA runtime (`kiln_cuda_device_constant`),
    and the emulated GPU reads the global itself.

    ```mlir
    %w = kiln_codegen.device_constant @__constant_64x3x7x7xf32
        : memref<64x3x7x7xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$global);
  let results = (outs AnyStaticShapeMemRef:$result);
  let assemblyFormat = "$global attr-dict `:` type($result)";
}

#endif // KILN_CODEGEN_IR_CODEGENOPS_TD
