//===- ElementwiseOps.td - nn elementwise arithmetic -------*- tablegen -*-===//
//
// Part of Kiln. Binary ops broadcast like numpy; unary ops keep their
// operand's type.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_ELEMENTWISEOPS_TD
#define KILN_DIALECT_NN_ELEMENTWISEOPS_TD

// Binary op with numpy broadcasting: shapes are aligned at the trailing
// dimension and each pair of sizes must be equal or contain a 1.
class NN_BinaryOp<string mnemonic, string formula, list<Trait> traits = []>
    : NN_InferredOp<mnemonic, traits> {
  let summary = "elementwise " # formula # " with numpy broadcasting";
  let description = [{
    Both operands have the same element type. The result shape is the numpy
    broadcast of the operand shapes.

    ```mlir
    %z = nn.}] # mnemonic # [{ %x, %bias : (tensor<8x16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$lhs, NN_FloatTensor:$rhs);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def NN_AddOp : NN_BinaryOp<"add", "lhs + rhs", [Commutative]>;
def NN_SubOp : NN_BinaryOp<"sub", "lhs - rhs">;
def NN_MulOp : NN_BinaryOp<"mul", "lhs * rhs", [Commutative]>;
def NN_DivOp : NN_BinaryOp<"div", "lhs / rhs">;
def NN_PowOp : NN_BinaryOp<"pow", "lhs raised to rhs">;
def NN_MaximumOp : NN_BinaryOp<"maximum", "max(lhs, rhs), NaN propagating,", [Commutative]>;
def NN_MinimumOp : NN_BinaryOp<"minimum", "min(lhs, rhs), NaN propagating,", [Commutative]>;

// Unary math op; folds when its operand is a small constant.
class NN_MathOp<string mnemonic, string formula> : NN_UnaryOp<mnemonic> {
  let summary = "elementwise " # formula;
  let description = [{
    ```mlir
    %y = nn.}] # mnemonic # [{ %x : tensor<4x4xf32>
    ```
  }];
  let hasFolder = 1;
}

def NN_ExpOp : NN_MathOp<"exp", "e^x">;
def NN_LogOp : NN_MathOp<"log", "natural logarithm">;
def NN_SqrtOp : NN_MathOp<"sqrt", "square root">;
def NN_RsqrtOp : NN_MathOp<"rsqrt", "1 / sqrt(x)">;
def NN_NegOp : NN_MathOp<"neg", "-x">;
def NN_AbsOp : NN_MathOp<"abs", "|x|">;
def NN_ErfOp : NN_MathOp<"erf", "Gauss error function">;
def NN_FloorOp : NN_MathOp<"floor", "largest integer not above x">;
def NN_CeilOp : NN_MathOp<"ceil", "smallest integer not below x">;
def NN_RoundOp : NN_MathOp<"round", "nearest integer, halves to even (as ONNX Round)">;

#endif // KILN_DIALECT_NN_ELEMENTWISEOPS_TD
