//===- NNDialect.td - nn dialect definition and op base classes -*- tablegen -*-===//
//
// Part of Kiln. The `nn` dialect is the entry point of the compiler: frontends
// (ONNX, the Python builder, textual IR) produce it, and the code generators
// lower it through linalg to CPU and GPU code.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_NNDIALECT_TD
#define KILN_DIALECT_NN_NNDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let summary = "Neural-network layers on tensors: Kiln's input dialect";
  let description = [{
    The `nn` dialect describes neural networks as pure functions of ranked
    tensors. Every op has value semantics, a verifier, and infers its result
    type from its operands and attributes; the printed result type is checked
    against the inferred one. Shapes are static today; inference already
    propagates dynamic (`?`) dimensions so that a dynamic batch dimension can be
    added without changing any op.

    Layout conventions: images are NCHW, convolution filters are
    `F x C/groups x KH x KW`, `dense` weights are `out x in` (the result is
    `x * W^T + b`). Axis attributes accept negative values counted from the
    back, as in numpy.
  }];
  let cppNamespace = "::kiln::nn";
  let dependentDialects = [];
  // Folders produce `nn.constant` ops through materializeConstant.
  let hasConstantMaterializer = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

// Compute ops work on floating-point tensors; data-movement ops take any
// element type (integers show up as indices and in shape computations).
def NN_FloatTensor : RankedTensorOf<[AnyFloat]>;
def NN_AnyTensor : RankedTensorOf<[AnyType]>;
def NN_IndexTensor : RankedTensorOf<[AnySignlessInteger]>;
// Class indices (integers) or per-class probabilities (floats).
def NN_TargetTensor : RankedTensorOf<[AnySignlessInteger, AnyFloat]>;
// Numbers of any kind: arithmetic, comparisons, selects and casts (bool is
// i1). Signless integers are signed numbers; unsigned ones (ui8, ...) are
// unsigned (ONNX's UINT8 images, say): division, comparisons, max/min and
// conversions follow the type.
def NN_NumericTensor
    : RankedTensorOf<[AnySignlessInteger, AnyUnsignedInteger, AnyFloat]>;
// Integers of either signedness (bit shifts).
def NN_IntegerTensor
    : RankedTensorOf<[AnySignlessInteger, AnyUnsignedInteger]>;
// What max pooling orders: floats and signed or unsigned integers.
def NN_OrderedTensor
    : RankedTensorOf<[AnyFloat, I8, I16, I32, I64, UI8, UI16, UI32, UI64]>;
def NN_BoolTensor : RankedTensorOf<[I1]>;

//===----------------------------------------------------------------------===//
// Op base classes
//===----------------------------------------------------------------------===//

// Every tensor an nn op takes or makes has at most kMaxTensorElements
// (2^40) elements, far beyond any machine: shape arithmetic on such sizes
// cannot overflow, and absurd shapes (a tensor<9223372036854775807xf32>) are
// rejected before any of it runs. Listed first, so it is verified first.
def NN_BoundedTensorSizes : NativeOpTrait<"BoundedTensorSizes"> {
  let cppNamespace = "::kiln::nn";
}

class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic, !listconcat([NN_BoundedTensorSizes], traits)>;

// The declarations every shape-inferring op shares. Ops that need more
// declarations append to this: `let extraClassDeclaration = inferredOpDecls # ...`.
defvar inferredOpDecls = [{
  /// Infers the single result type from the operands and attributes. Every
  /// broken invariant is reported through `emitError` (which may be a silent
  /// emitter when called from a builder) before failure is returned.
  static ::mlir::FailureOr<::mlir::Type>
  inferResultType(Adaptor adaptor, ::kiln::nn::EmitErrorFn emitError);
}];

// An op whose single result type is inferred from its operands and attributes.
//
// The C++ of such an op is one function, `inferResultType`: it both computes the
// type and checks every invariant the type depends on. The generated code below
// wires it into InferTypeOpInterface (builders without result types, createOrFold,
// the check of the declared result type, which runs first) and into the
// verifier, which reports the precise reason when inference fails.
//
// Inference from a builder never fails: when the operands are inconsistent the
// result takes the first operand's type, and the verifier then names the
// problem. This keeps one diagnostic per broken op instead of a generic
// "failed to infer", and code building on the result (a frontend's node of
// several ops) sees a ranked tensor.
class NN_InferredOp<string mnemonic, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat([Pure, InferTypeOpAdaptorWithIsCompatible],
                                  traits)> {
  // Any tensor, so that a builder can create an inconsistent op for the
  // verifier to report; verifyInferredResult rejects it in valid IR.
  let results = (outs AnyTensor:$result);
  let hasVerifier = 1;
  let extraClassDeclaration = inferredOpDecls;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      // An operand that is not a ranked tensor (the result of a broken op
      // built before) makes this op broken too, without inferring.
      if (::kiln::nn::detail::hasUnrankedOperand(adaptor.getOperands()))
        return ::kiln::nn::detail::inferOrUnranked(
            ::mlir::failure(), adaptor.getOperands(), inferred);
      return ::kiln::nn::detail::inferOrUnranked(
          inferResultType(adaptor, ::kiln::nn::silentEmitter),
          adaptor.getOperands(), inferred);
    }
    bool $cppClass::isCompatibleReturnTypes(::mlir::TypeRange lhs,
                                             ::mlir::TypeRange rhs) {
      return ::kiln::nn::detail::areCompatibleResultTypes(lhs, rhs);
    }
    ::llvm::LogicalResult $cppClass::verify() {
      return ::kiln::nn::detail::verifyInferredResult(
          getOperation(),
          inferResultType(Adaptor(*this), [&] { return emitOpError(); }));
    }
  }];
}

// Elementwise op on one float tensor: the result has the operand's type.
class NN_UnaryOp<string mnemonic, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat([Pure, SameOperandsAndResultType,
                                   InferTypeOpInterface], traits)> {
  let arguments = (ins NN_FloatTensor:$input);
  let results = (outs NN_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

#endif // KILN_DIALECT_NN_NNDIALECT_TD
