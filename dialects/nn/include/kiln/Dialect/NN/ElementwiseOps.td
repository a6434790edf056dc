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
class NN_BinaryOp<string mnemonic, string formula, list<Trait> traits = [],
                  Type operand = NN_FloatTensor>
    : NN_InferredOp<mnemonic, traits> {
  let summary = "elementwise " # formula # " with numpy broadcasting";
  let description = [{
    Both operands have the same element type. The result shape is the numpy
    broadcast of the operand shapes. Integer operands (where allowed) are
    signed when signless (`i32`), unsigned when unsigned (`ui8`); integer
    division rounds toward zero, and division by zero gives 0.

    ```mlir
    %z = nn.}] # mnemonic # [{ %x, %bias : (tensor<8x16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
    ```
  }];
  let arguments = (ins operand:$lhs, operand:$rhs);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def NN_AddOp : NN_BinaryOp<"add", "lhs + rhs", [Commutative], NN_NumericTensor>;
def NN_SubOp : NN_BinaryOp<"sub", "lhs - rhs", [], NN_NumericTensor>;
def NN_MulOp : NN_BinaryOp<"mul", "lhs * rhs", [Commutative], NN_NumericTensor>;
def NN_DivOp : NN_BinaryOp<"div", "lhs / rhs", [], NN_NumericTensor>;
def NN_PowOp : NN_BinaryOp<"pow", "lhs raised to rhs">;
def NN_MaximumOp : NN_BinaryOp<"maximum", "max(lhs, rhs), NaN propagating,",
                               [Commutative], NN_NumericTensor>;
def NN_MinimumOp : NN_BinaryOp<"minimum", "min(lhs, rhs), NaN propagating,",
                               [Commutative], NN_NumericTensor>;
// C's fmod and %: the sign of lhs (ONNX Mod with fmod = 1; Python's sign of
// rhs is built from it). An integer remainder by zero is 0.
def NN_RemOp : NN_BinaryOp<"rem", "remainder of lhs / rhs, with lhs's sign,",
                           [], NN_NumericTensor>;
// Bit shifts of integers by rhs (read as unsigned) bits: zeros come in,
// except that shift_right of signed (signless) integers copies the sign
// bit. Shifting by the bit width or more gives 0 (or all sign bits).
def NN_ShiftLeftOp : NN_BinaryOp<"shift_left", "lhs << rhs", [],
                                 NN_IntegerTensor>;
def NN_ShiftRightOp : NN_BinaryOp<"shift_right", "lhs >> rhs", [],
                                  NN_IntegerTensor>;

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
def NN_SinOp : NN_MathOp<"sin", "sine">;
def NN_CosOp : NN_MathOp<"cos", "cosine">;
def NN_TanOp : NN_MathOp<"tan", "tangent">;
def NN_AsinOp : NN_MathOp<"asin", "arcsine">;
def NN_AcosOp : NN_MathOp<"acos", "arccosine">;
def NN_AtanOp : NN_MathOp<"atan", "arctangent">;
def NN_SinhOp : NN_MathOp<"sinh", "hyperbolic sine">;
def NN_CoshOp : NN_MathOp<"cosh", "hyperbolic cosine">;
def NN_AsinhOp : NN_MathOp<"asinh", "inverse hyperbolic sine">;
def NN_AcoshOp : NN_MathOp<"acosh", "inverse hyperbolic cosine">;
def NN_AtanhOp : NN_MathOp<"atanh", "inverse hyperbolic tangent">;

// Comparison with numpy broadcasting: an i1 tensor. Floats compare ordered
// (NaN compares false), signless integers signed, unsigned ones unsigned.
class NN_CompareOp<string mnemonic, string formula>
    : NN_InferredOp<mnemonic> {
  let summary = "elementwise " # formula # " with numpy broadcasting, as i1";
  let description = [{
    Both operands have the same element type (integer or floating point);
    the result is an `i1` tensor of their numpy broadcast shape.

    ```mlir
    %m = nn.}] # mnemonic # [{ %x, %t : (tensor<8x16xf32>, tensor<f32>) -> tensor<8x16xi1>
    ```
  }];
  let arguments = (ins NN_NumericTensor:$lhs, NN_NumericTensor:$rhs);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def NN_EqualOp : NN_CompareOp<"equal", "lhs == rhs">;
def NN_LessOp : NN_CompareOp<"less", "lhs < rhs">;
def NN_LessEqualOp : NN_CompareOp<"less_equal", "lhs <= rhs">;
def NN_GreaterOp : NN_CompareOp<"greater", "lhs > rhs">;
def NN_GreaterEqualOp : NN_CompareOp<"greater_equal", "lhs >= rhs">;

def NN_SelectOp : NN_InferredOp<"select"> {
  let summary = "condition ? on_true : on_false, elementwise with broadcasting";
  let description = [{
    ONNX Where. `condition` is an `i1` tensor; `on_true` and `on_false`
    have the same element type; all three broadcast like numpy.

    ```mlir
    %y = nn.select %mask, %x, %zero : (tensor<2x8xi1>, tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins NN_BoolTensor:$condition, NN_NumericTensor:$on_true,
                       NN_NumericTensor:$on_false);
  let assemblyFormat = [{
    $condition `,` $on_true `,` $on_false attr-dict `:` functional-type(operands, results)
  }];
}

def NN_CastOp : NN_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "elementwise conversion to another element type";
  let description = [{
    ONNX Cast semantics: floats to integers round toward zero, integers to
    floats to the nearest value, `i1` (bool) is 0 or 1 as a number, and a
    number is true as a bool when it is not zero. Integers widen by their
    own signedness (`ui8` zero-extends) and narrow by truncation.

    ```mlir
    %i = nn.cast %x : tensor<4xf32> -> tensor<4xi64>
    %b = nn.cast %i : tensor<4xi64> -> tensor<4xi1>
    ```
  }];
  let arguments = (ins NN_NumericTensor:$input);
  let results = (outs NN_NumericTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

#endif // KILN_DIALECT_NN_ELEMENTWISEOPS_TD
