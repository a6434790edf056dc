//===- nn-builders.cpp - build nn IR from C++ without result types --------===//
//
// Part of Kiln. Frontends (ONNX, the Python builder) create ops through the
// generated builders that infer result types. This program exercises that
// path and ConstantOp::buildWeights, and prints the module for FileCheck
// (nn-builders.test). It also builds one inconsistent op, and ops on its
// result, to show that the builders do not crash and the verifier names the
// problem.
//
//===----------------------------------------------------------------------===//

#include "kiln/Dialect/NN/NNOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"

#include "llvm/Support/raw_ostream.h"

#include <vector>

using namespace mlir;
using namespace kiln::nn;

/// A weight constant of `shape` filled with `value`, through buildWeights.
static Value weights(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                     StringRef name, float value) {
  auto type = RankedTensorType::get(shape, b.getF32Type());
  std::vector<float> data(type.getNumElements(), value);
  ArrayRef<char> bytes(reinterpret_cast<const char *>(data.data()),
                       data.size() * sizeof(float));
  return ConstantOp::create(b, loc,
                            ConstantOp::buildWeights(type, name, bytes));
}

int main() {
  MLIRContext context;
  context.loadDialect<NNDialect, func::FuncDialect>();
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());

  // A LeNet-like stack built without writing a single result type.
  auto input = RankedTensorType::get({1, 3, 32, 32}, b.getF32Type());
  auto func = func::FuncOp::create(b, loc, "lenet_like",
                                   b.getFunctionType({input}, {}));
  b.setInsertionPointToStart(func.addEntryBlock());
  Value x = func.getArgument(0);
  Value w1 = weights(b, loc, {6, 3, 5, 5}, "conv1_weight", 0.5f); // 1800 B
  Value b1 = weights(b, loc, {6}, "conv1_bias", 0.25f);           // 24 B
  Value conv = Conv2DOp::create(b, loc, x, w1, b1, /*strides=*/{1, 1},
                                /*padding=*/{2, 2, 2, 2});
  Value act = ReluOp::create(b, loc, conv);
  Value pool = MaxPool2DOp::create(b, loc, act, /*kernel=*/{2, 2},
                                   /*strides=*/{2, 2}, /*padding=*/{},
                                   /*dilations=*/{}, /*rounding=*/nullptr);
  Value flat = FlattenOp::create(b, loc, pool);
  Value w2 = weights(b, loc, {10, 1536}, "fc_weight", 0.125f);
  Value logits = DenseOp::create(b, loc, flat, w2, Value());
  Value probs = SoftmaxOp::create(b, loc, logits);
  func::ReturnOp::create(b, loc, probs);
  func.setType(b.getFunctionType({input}, {probs.getType()}));

  if (failed(verify(*module))) {
    llvm::errs() << "unexpected: the consistent module does not verify\n";
    return 1;
  }
  module->print(llvm::outs());
  llvm::outs() << "\n";

  // An inconsistent matmul: the builder gives it its first operand's type
  // rather than failing, and the verifier reports the contraction mismatch.
  b.setInsertionPoint(func.getBody().front().getTerminator());
  Value lhs = weights(b, loc, {4, 8}, "lhs", 1.0f);
  Value rhs = weights(b, loc, {9, 2}, "rhs", 1.0f);
  Value bad = MatmulOp::create(b, loc, lhs, rhs);
  llvm::outs() << "inconsistent matmul result: " << bad.getType() << "\n";
  // Building on that result works (the importer of an ONNX node builds
  // several ops before the verifier runs); an unranked operand, which only
  // IR from elsewhere has, makes the op broken too instead of crashing.
  Value worse = AddOp::create(b, loc, bad, lhs);
  Value worst = GreaterOp::create(b, loc, worse, bad);
  auto unranked = UnrankedTensorType::get(b.getF32Type());
  Value opaque =
      func::CallOp::create(b, loc, "opaque", TypeRange{unranked}, ValueRange{})
          .getResult(0);
  Value onOpaque = AddOp::create(b, loc, opaque, lhs);
  llvm::outs() << "ops on it: " << worse.getType() << ", " << worst.getType()
               << "; on an unranked value: " << onOpaque.getType() << "\n";
  if (succeeded(verify(*module))) {
    llvm::errs() << "unexpected: the inconsistent module verifies\n";
    return 1;
  }
  return 0;
}
