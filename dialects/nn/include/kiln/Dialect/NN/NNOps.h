//===- NNOps.h - nn dialect ops ---------------------------------*- C++ -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_NN_NNOPS_H
#define KILN_DIALECT_NN_NNOPS_H

#include "kiln/Dialect/NN/NNDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "kiln/Dialect/NN/NNOpsEnums.h.inc"

namespace kiln::nn {

/// Where shape inference reports a broken invariant: the verifier passes
/// `emitOpError`, builders pass `silentEmitter`.
using EmitErrorFn = llvm::function_ref<mlir::InFlightDiagnostic()>;

/// An emitter whose diagnostics go nowhere.
mlir::InFlightDiagnostic silentEmitter();

namespace detail {
/// InferTypeOpInterface glue for NN_InferredOp (see NNDialect.td): returns the
/// inferred type, or when inference failed the first operand's type (an
/// unranked tensor of its element type if it is not ranked), so that the
/// verifier can name the problem and builders of further ops see a ranked
/// tensor.
llvm::LogicalResult inferOrUnranked(mlir::FailureOr<mlir::Type> inferred,
                                    mlir::ValueRange operands,
                                    llvm::SmallVectorImpl<mlir::Type> &types);
/// Whether an operand's type is not a ranked tensor (inference would read
/// its shape).
bool hasUnrankedOperand(mlir::ValueRange operands);
/// Two result types are compatible when their element types are equal and
/// their shapes agree wherever both are known.
bool areCompatibleResultTypes(mlir::TypeRange lhs, mlir::TypeRange rhs);
/// Verifier glue: fails (already reported) when inference failed, and
/// rejects an unranked result, which only builders of broken ops produce.
llvm::LogicalResult verifyInferredResult(mlir::Operation *op,
                                         mlir::FailureOr<mlir::Type> inferred);
} // namespace detail

/// The most elements a tensor of nn IR may have (see BoundedTensorSizes).
constexpr int64_t kMaxTensorElements = int64_t(1) << 40;

/// Whether the static sizes of `shape` (dynamic ones not counted) multiply to
/// more than kMaxTensorElements. Never overflows.
bool exceedsMaxTensorElements(llvm::ArrayRef<int64_t> shape);

/// Fails, with an error naming the operand or result, when a ranked tensor
/// `op` takes or makes exceedsMaxTensorElements.
llvm::LogicalResult verifyBoundedTensorSizes(mlir::Operation *op);

/// The op trait behind NN_BoundedTensorSizes (NNDialect.td).
template <typename ConcreteType>
class BoundedTensorSizes
    : public mlir::OpTrait::TraitBase<ConcreteType, BoundedTensorSizes> {
public:
  static llvm::LogicalResult verifyTrait(mlir::Operation *op) {
    return verifyBoundedTensorSizes(op);
  }
};

} // namespace kiln::nn

#define GET_OP_CLASSES
#include "kiln/Dialect/NN/NNOps.h.inc"

#endif // KILN_DIALECT_NN_NNOPS_H
