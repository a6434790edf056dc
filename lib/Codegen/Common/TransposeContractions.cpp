//===- TransposeContractions.cpp - compute contractions transposed --------===//
//
// Part of Kiln. Rewrites every contraction whose lowering_config says
// `transposed` into its transposed product and the elementwise op that adds
// it, transposed, to the accumulator (TransposedContraction.h). The product
// takes the config (without `transposed`): its tiles were chosen for it.
//
//===----------------------------------------------------------------------===//

#include "kiln/Codegen/IR/CodegenDialect.h"
#include "kiln/Codegen/Passes.h"
#include "kiln/Codegen/TransposedContraction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace kiln {
#define GEN_PASS_DEF_KILNCODEGENTRANSPOSECONTRACTIONS
#include "kiln/Codegen/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;

/// The register tiles of the transposing sum: 8 x 8 blocks, read as 8 rows,
/// transposed in registers, written as 8 rows.
static constexpr int64_t kTransposeBlock = 8;

/// Whether `block` is `yield(add(c, mul(a, b)))` on floats, a, b, c its
/// arguments in order.
static bool isMultiplyAdd(Block &block) {
  if (block.getNumArguments() != 3 || block.getOperations().size() != 3)
    return false;
  auto yield = dyn_cast<linalg::YieldOp>(block.getTerminator());
  auto add = yield && yield.getNumOperands() == 1
                 ? yield.getOperand(0).getDefiningOp<arith::AddFOp>()
                 : nullptr;
  if (!add || add.getLhs() != block.getArgument(2))
    return false;
  auto mul = add.getRhs().getDefiningOp<arith::MulFOp>();
  return mul && mul.getLhs() == block.getArgument(0) &&
         mul.getRhs() == block.getArgument(1);
}

bool kiln::codegen::canTranspose(linalg::LinalgOp op, std::string *why) {
  auto fail = [&](StringRef reason) {
    if (why)
      *why = reason.str();
    return false;
  };
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op->getNumResults() != 1)
    return fail("it is not a contraction of two tensors into one");
  MLIRContext *context = op->getContext();
  AffineExpr n, i, j, k;
  bindDims(context, n, i, j, k);
  SmallVector<AffineMap> expected = {AffineMap::get(4, 0, {i, k}, context),
                                     AffineMap::get(4, 0, {n, k, j}, context),
                                     AffineMap::get(4, 0, {n, i, j}, context)};
  auto parallel = utils::IteratorType::parallel;
  if (op.getIndexingMapsArray() != expected ||
      op.getIteratorTypesArray() !=
          SmallVector<utils::IteratorType>{parallel, parallel, parallel,
                                           utils::IteratorType::reduction})
    return fail("its loops are not (n, i, j, k) of C[n, i, j] += A[i, k] * "
                "B[n, k, j]");
  if (!isMultiplyAdd(*op.getBlock()))
    return fail("its body is not a float multiply-add");
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type || !type.hasStaticShape() ||
      llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
    return fail("its sizes are not static");
  return true;
}

kiln::codegen::TransposedContraction
kiln::codegen::buildTransposed(RewriterBase &rewriter, linalg::LinalgOp op,
                               ArrayRef<StringRef> levels) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  MLIRContext *context = rewriter.getContext();
  Location loc = op->getLoc();
  Value filters = op.getDpsInputs()[0], patches = op.getDpsInputs()[1],
        accumulator = op.getDpsInits()[0];
  auto accType = cast<RankedTensorType>(accumulator.getType());
  int64_t n = accType.getDimSize(0), f = accType.getDimSize(1),
          positions = accType.getDimSize(2);
  Type element = accType.getElementType();
  Value zero = arith::ConstantOp::create(rewriter, loc, element,
                                         rewriter.getZeroAttr(element));
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, {n, positions, f}, element);
  // (As the elementwise generic kiln-codegen-generalize-broadcasts makes of
  // every initializer: a target configures it like any elementwise op.)
  auto fill = linalg::FillOp::create(rewriter, loc, zero, empty);
  FailureOr<linalg::GenericOp> generalized =
      linalg::generalizeNamedOp(rewriter, fill);
  Value zeros =
      succeeded(generalized) ? generalized->getResult(0) : fill.getResult(0);
  // T[n, p, f] = sum_k P[n, k, p] * W[f, k], loops (n, p, f, k).
  AffineExpr dn, dp, df, dk;
  bindDims(context, dn, dp, df, dk);
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {dn, dk, dp}, context),
                                 AffineMap::get(4, 0, {df, dk}, context),
                                 AffineMap::get(4, 0, {dn, dp, df}, context)};
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto product = linalg::GenericOp::create(
      rewriter, loc, zeros.getType(), ValueRange{patches, filters},
      ValueRange{zeros}, maps, iterators,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        Value mul = arith::MulFOp::create(b, loc, args[0], args[1]);
        linalg::YieldOp::create(
            b, loc, arith::AddFOp::create(b, loc, args[2], mul).getResult());
      });
  // acc[n, f, p] += T[n, p, f], loops (n, f, p).
  AffineExpr en, ef, ep;
  bindDims(context, en, ef, ep);
  SmallVector<AffineMap> addMaps = {
      AffineMap::get(3, 0, {en, ep, ef}, context),
      AffineMap::get(3, 0, {en, ef, ep}, context)};
  auto add = linalg::GenericOp::create(
      rewriter, loc, accType, ValueRange{product.getResult(0)},
      ValueRange{accumulator}, addMaps,
      SmallVector<utils::IteratorType>(3, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location loc, ValueRange args) {
        linalg::YieldOp::create(
            b, loc,
            arith::AddFOp::create(b, loc, args[1], args[0]).getResult());
      });
  if (!levels.empty()) {
    SmallVector<TileLevel> tiles;
    for (StringRef level : levels.drop_back())
      tiles.push_back(makeTileLevel(context, level, {0, 0, 0}));
    tiles.push_back(makeTileLevel(context, levels.back(),
                                  {1, std::min(kTransposeBlock, f),
                                   std::min(kTransposeBlock, positions)}));
    add->setAttr(LoweringConfigAttr::kAttrName,
                 LoweringConfigAttr::get(context, tiles, {}, {}));
  }
  return {product, add};
}

/// Erases what buildTransposed built.
static void
eraseTransposed(RewriterBase &rewriter,
                const kiln::codegen::TransposedContraction &transposed) {
  linalg::GenericOp product = transposed.product;
  Operation *init = product.getDpsInits()[0].getDefiningOp();
  rewriter.eraseOp(transposed.add);
  rewriter.eraseOp(product);
  // The zero fill: the constant, the empty tensor, the op.
  SmallVector<Operation *> operands;
  for (Value operand : init->getOperands())
    operands.push_back(operand.getDefiningOp());
  rewriter.eraseOp(init);
  for (Operation *op : operands)
    if (op && op->use_empty())
      rewriter.eraseOp(op);
}

void kiln::codegen::withTransposedProduct(
    linalg::LinalgOp op, function_ref<void(linalg::LinalgOp)> visit) {
  IRRewriter rewriter(op->getContext());
  TransposedContraction transposed = buildTransposed(rewriter, op, {});
  visit(transposed.product);
  eraseTransposed(rewriter, transposed);
}

namespace {
struct KilnCodegenTransposeContractionsPass
    : public kiln::impl::KilnCodegenTransposeContractionsBase<
          KilnCodegenTransposeContractionsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> targets;
    getOperation()->walk([&](linalg::LinalgOp op) {
      auto config =
          op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
      if (config && config.getTransposed())
        targets.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : targets) {
      auto config =
          op->getAttrOfType<LoweringConfigAttr>(LoweringConfigAttr::kAttrName);
      std::string why;
      if (!kiln::codegen::canTranspose(op, &why)) {
        op->emitOpError() << "has a lowering_config that computes it "
                             "transposed, but "
                          << why;
        return signalPassFailure();
      }
      SmallVector<StringRef> levels;
      for (const kiln::codegen::TileLevel &level : config.getLevels())
        levels.push_back(level.name.getValue());
      kiln::codegen::TransposedContraction transposed =
          kiln::codegen::buildTransposed(rewriter, op, levels);
      transposed.product->setAttr(LoweringConfigAttr::kAttrName,
                                  config.withTransposed(false));
      rewriter.replaceOp(op, transposed.add->getResults());
    }
  }
};
} // namespace
