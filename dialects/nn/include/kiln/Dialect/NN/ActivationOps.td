//===- ActivationOps.td - nn activation functions ----------*- tablegen -*-===//
//
// Part of Kiln. Activations keep the operand's type; softmax-like ops take an
// axis, the others act elementwise.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_ACTIVATIONOPS_TD
#define KILN_DIALECT_NN_ACTIVATIONOPS_TD

def NN_ReluOp : NN_UnaryOp<"relu"> {
  let summary = "max(x, 0)";
  let description = [{
    NaN stays NaN (as in PyTorch).

    ```mlir
    %y = nn.relu %x : tensor<1x64xf32>
    ```
  }];
  let hasFolder = 1;
}

def NN_LeakyReluOp : NN_UnaryOp<"leaky_relu"> {
  let summary = "x if x >= 0 else alpha * x";
  let description = [{
    `alpha` defaults to 0.01 (PyTorch's default).

    ```mlir
    %y = nn.leaky_relu %x alpha 2.000000e-01 : tensor<1x64xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input,
                       DefaultValuedOptionalAttr<F64Attr, "0.01">:$alpha);
  let assemblyFormat = "$input (`alpha` $alpha^)? attr-dict `:` type($result)";
}

def NN_SigmoidOp : NN_UnaryOp<"sigmoid"> {
  let summary = "1 / (1 + exp(-x))";
  let description = [{
    ```mlir
    %y = nn.sigmoid %x : tensor<4xf32>
    ```
  }];
}

def NN_TanhOp : NN_UnaryOp<"tanh"> {
  let summary = "hyperbolic tangent";
  let description = [{
    ```mlir
    %y = nn.tanh %x : tensor<4xf32>
    ```
  }];
}

def NN_GeluOp : NN_UnaryOp<"gelu"> {
  let summary = "Gaussian error linear unit";
  let description = [{
    `x * Phi(x)` with the exact erf form by default, or the tanh approximation
    with `approximate tanh`.

    ```mlir
    %y = nn.gelu %x : tensor<2x768xf32>
    %z = nn.gelu %x approximate tanh : tensor<2x768xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input,
                       OptionalAttr<NN_GeluApproximation>:$approximate);
  let assemblyFormat = "$input (`approximate` $approximate^)? attr-dict `:` type($result)";
}

def NN_SoftmaxOp : NN_UnaryOp<"softmax"> {
  let summary = "exp(x) / sum(exp(x)) along one axis";
  let description = [{
    Normalizes along `axis` (default -1, the last).

    ```mlir
    %p = nn.softmax %logits axis 1 : tensor<8x10xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input,
                       DefaultValuedOptionalAttr<I64Attr, "-1">:$axis);
  let assemblyFormat = "$input (`axis` $axis^)? attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def NN_LogSoftmaxOp : NN_UnaryOp<"log_softmax"> {
  let summary = "log(softmax(x)) along one axis";
  let description = [{
    ```mlir
    %p = nn.log_softmax %logits : tensor<8x10xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input,
                       DefaultValuedOptionalAttr<I64Attr, "-1">:$axis);
  let assemblyFormat = "$input (`axis` $axis^)? attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def NN_ClipOp : NN_UnaryOp<"clip"> {
  let summary = "clamp into [min, max]";
  let description = [{
    Either bound may be absent (no clamping on that side); a clip with neither
    folds away. `min` must not exceed `max`, and neither may be NaN; a NaN
    input stays NaN. ReLU6 is `clip min 0 max 6`.

    ```mlir
    %y = nn.clip %x min 0.000000e+00 max 6.000000e+00 : tensor<1x32xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input, OptionalAttr<F64Attr>:$min,
                       OptionalAttr<F64Attr>:$max);
  let assemblyFormat = "$input (`min` $min^)? (`max` $max^)? attr-dict `:` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

#endif // KILN_DIALECT_NN_ACTIVATIONOPS_TD
