//===- NNEnums.td - nn dialect enum attributes ------------*- tablegen -*-===//
//
// Part of Kiln. Closed sets of modes are enums, never strings: the parser
// rejects a misspelt mode and lowerings switch over a C++ enum. The custom
// assembly prints them as bare keywords (`rounding ceil`).
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_NNENUMS_TD
#define KILN_DIALECT_NN_NNENUMS_TD

include "mlir/IR/EnumAttr.td"

// How a pooling window count is rounded when the window does not tile the
// padded input exactly (ONNX `ceil_mode`, PyTorch `ceil_mode`).
def NN_RoundingMode : I32EnumAttr<"RoundingMode", "output size rounding", [
    I32EnumAttrCase<"Floor", 0, "floor">,
    I32EnumAttrCase<"Ceil", 1, "ceil">]> {
  let cppNamespace = "::kiln::nn";
}

// Which formula `nn.gelu` uses.
def NN_GeluApproximation : I32EnumAttr<"GeluApproximation", "gelu formula", [
    I32EnumAttrCase<"None", 0, "none">,   // x * Phi(x), with erf
    I32EnumAttrCase<"Tanh", 1, "tanh">]> { // the tanh approximation
  let cppNamespace = "::kiln::nn";
}

// How `nn.pad` fills the border.
def NN_PadMode : I32EnumAttr<"PadMode", "padding fill mode", [
    I32EnumAttrCase<"Constant", 0, "constant">, // a constant value
    I32EnumAttrCase<"Reflect", 1, "reflect">,   // mirror, edge not repeated
    I32EnumAttrCase<"Edge", 2, "edge">]> {      // repeat the edge element
  let cppNamespace = "::kiln::nn";
}

// How a loss combines its per-element values.
def NN_Reduction : I32EnumAttr<"Reduction", "loss reduction", [
    I32EnumAttrCase<"None", 0, "none">, // keep the per-sample losses
    I32EnumAttrCase<"Mean", 1, "mean">,
    I32EnumAttrCase<"Sum", 2, "sum">]> {
  let cppNamespace = "::kiln::nn";
}

#endif // KILN_DIALECT_NN_NNENUMS_TD
