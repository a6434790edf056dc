//===- ConstantOps.td - nn constant ------------------------*- tablegen -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_CONSTANTOPS_TD
#define KILN_DIALECT_NN_CONSTANTOPS_TD

def NN_ConstantOp : NN_Op<"constant", [ConstantLike, Pure,
                                        AllTypesMatch<["value", "result"]>]> {
  let summary = "a tensor literal: inline dense elements or a blob resource";
  let description = [{
    Small constants are inline `dense<...>` elements. Weights are
    `dense_resource<name>` handles whose bytes live once in the file's
    `dialect_resources` section (and in memory as one blob), so a model's IR
    stays small and fast to parse. `ConstantOp::buildWeights` picks the form
    by size.

    ```mlir
    %c = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
    %w = nn.constant dense_resource<conv1_weight> : tensor<64x3x7x7xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs NN_AnyTensor:$result);
  let assemblyFormat = "$value attr-dict";
  let hasFolder = 1;
  // A dense_resource blob must exist and hold the type's bytes: code
  // generation reads it as such.
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::ElementsAttr":$value), [{
      build($_builder, $_state, value.getType(), value);
    }]>
  ];
  let extraClassDeclaration = [{
    /// Creates the attribute for a weight tensor holding `bytes` (row-major,
    /// the element type's natural size): inline dense elements up to
    /// `kInlineWeightBytes`, a dense resource blob named after `name` above.
    static ::mlir::ElementsAttr
    buildWeights(::mlir::RankedTensorType type, ::llvm::StringRef name,
                 ::llvm::ArrayRef<char> bytes);
    /// Largest weight kept inline in the IR text.
    static constexpr size_t kInlineWeightBytes = 1024;
  }];
}

#endif // KILN_DIALECT_NN_CONSTANTOPS_TD
