//===- TagProfiledOps.cpp - number the nn ops for the profiler ------------===//
//
// Part of Kiln. See kiln-tag-profiled-ops in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Transforms/Passes.h"

#include "kiln/Analysis/FlopCount.h"
#include "kiln/Dialect/NN/NNOps.h"
#include "kiln/Transforms/ProfileTags.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace kiln {
#define GEN_PASS_DEF_KILNTAGPROFILEDOPS
#include "kiln/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;

/// Where `loc` says an op comes from: the innermost name (an ONNX node's),
/// else `file:line:col`, else nothing.
static std::string sourceName(Location loc) {
  std::string name;
  loc->walk([&](Location inner) {
    if (auto named = dyn_cast<NameLoc>(inner)) {
      name = named.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (!name.empty())
    return name;
  loc->walk([&](Location inner) {
    if (auto file = dyn_cast<FileLineColLoc>(inner)) {
      name = (file.getFilename().getValue() + ":" + Twine(file.getLine()) +
              ":" + Twine(file.getColumn()))
                 .str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return name;
}

namespace {
struct KilnTagProfiledOpsPass
    : public kiln::impl::KilnTagProfiledOpsBase<KilnTagProfiledOpsPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    for (auto function : getOperation().getOps<func::FuncOp>()) {
      if (function.isExternal())
        continue;
      SmallVector<Attribute> ops;
      function.walk([&](Operation *op) {
        if (!isa<kiln::nn::NNDialect>(op->getDialect()) ||
            isa<kiln::nn::ConstantOp>(op))
          return;
        int64_t id = ops.size();
        NamedAttribute fields[] = {
            {StringAttr::get(context, "flops"),
             FloatAttr::get(Float64Type::get(context), kiln::countFlops(op))},
            {StringAttr::get(context, "node"),
             StringAttr::get(context, sourceName(op->getLoc()))},
            {StringAttr::get(context, "op"),
             StringAttr::get(context, op->getName().getStringRef())}};
        ops.push_back(DictionaryAttr::get(context, fields));
        op->setLoc(kiln::profileTaggedLoc(op->getLoc(), id));
      });
      function->setAttr(kiln::kProfileOpsAttrName,
                        ArrayAttr::get(context, ops));
    }
  }
};
} // namespace

static constexpr llvm::StringLiteral kProfileOpKey = "kiln.profile_op";

Location kiln::profileTaggedLoc(Location loc, int64_t id) {
  MLIRContext *context = loc->getContext();
  NamedAttribute tag(StringAttr::get(context, kProfileOpKey),
                     IntegerAttr::get(IntegerType::get(context, 64), id));
  return FusedLoc::get(context, {loc}, DictionaryAttr::get(context, {tag}));
}

void kiln::collectProfileTags(Location loc, llvm::SetVector<int64_t> &ids) {
  loc->walk([&](Location inner) {
    if (auto fused = dyn_cast<FusedLoc>(inner))
      if (auto metadata = dyn_cast_or_null<DictionaryAttr>(fused.getMetadata()))
        if (auto id = metadata.getAs<IntegerAttr>(kProfileOpKey))
          ids.insert(id.getInt());
    return WalkResult::advance();
  });
}
