//===- InstrumentProfile.cpp - time the code of each nn op ----------------===//
//
// Part of Kiln. See kiln-instrument-profile in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "kiln/Transforms/Passes.h"

#include "kiln/Transforms/ProfileTags.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace kiln {
#define GEN_PASS_DEF_KILNINSTRUMENTPROFILE
#include "kiln/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;

static constexpr llvm::StringLiteral kBegin = "kiln_profile_begin";
static constexpr llvm::StringLiteral kEnd = "kiln_profile_end";

/// The nn ops `op` computes: the tags of its location and of every op
/// nested in it, in order of first appearance.
static llvm::SetVector<int64_t> computedOps(Operation *op) {
  llvm::SetVector<int64_t> ids;
  op->walk([&](Operation *nested) {
    kiln::collectProfileTags(nested->getLoc(), ids);
  });
  return ids;
}

/// Text without the tabs and newlines that separate the description's
/// fields.
static std::string field(StringRef text) {
  std::string clean = text.str();
  for (char &c : clean)
    if (c == '\t' || c == '\n' || c == '\r' || c == '\0')
      c = ' ';
  return clean;
}

namespace {
struct Region {
  Operation *first, *last;
  llvm::SmallVector<int64_t> ops;
};

struct KilnInstrumentProfilePass
    : public kiln::impl::KilnInstrumentProfileBase<KilnInstrumentProfilePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    OpBuilder builder(context);
    SymbolTable symbols(module);
    Type i64 = builder.getI64Type();
    auto declare = [&](StringRef name) {
      if (symbols.lookup(name))
        return;
      builder.setInsertionPointToStart(module.getBody());
      auto declaration =
          func::FuncOp::create(builder, module.getLoc(), name,
                               builder.getFunctionType({i64, i64}, {}));
      declaration.setPrivate();
      symbols.insert(declaration);
    };

    for (auto function :
         llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
      auto ops = function->getAttrOfType<ArrayAttr>(kiln::kProfileOpsAttrName);
      if (!ops)
        continue;
      function->removeAttr(kiln::kProfileOpsAttrName);
      if (function.isExternal() || !function.getBody().hasOneBlock())
        continue;
      Block &body = function.getBody().front();

      // Regions: consecutive top-level ops computing the same nn ops.
      SmallVector<Region> regions;
      for (Operation &op : body.without_terminator()) {
        llvm::SetVector<int64_t> ids = computedOps(&op);
        if (ids.empty())
          continue;
        llvm::SmallVector<int64_t> sorted(ids.begin(), ids.end());
        llvm::sort(sorted);
        if (!regions.empty() && regions.back().ops == sorted) {
          regions.back().last = &op;
          continue;
        }
        regions.push_back({&op, &op, sorted});
      }

      // The description (see kiln/Runtime/Profiler.h).
      std::string text;
      llvm::raw_string_ostream os(text);
      os << "kiln-profile 1\nfunction\t" << field(function.getSymName())
         << "\n";
      for (auto [id, attr] : llvm::enumerate(ops)) {
        auto entry = cast<DictionaryAttr>(attr);
        auto name = entry.getAs<StringAttr>("op");
        auto node = entry.getAs<StringAttr>("node");
        auto flops = entry.getAs<FloatAttr>("flops");
        os << "op\t" << id << "\t" << field(name ? name.getValue() : "?")
           << "\t" << field(node ? node.getValue() : "") << "\t"
           << llvm::format("%.0f", flops ? flops.getValueAsDouble() : 0.0)
           << "\n";
      }
      for (auto [index, region] : llvm::enumerate(regions)) {
        os << "region\t" << index << "\t";
        llvm::interleave(region.ops, os, ",");
        os << "\n";
      }
      text.push_back('\0');

      // The description as a constant, its address an i64.
      builder.setInsertionPoint(function);
      auto type = MemRefType::get({int64_t(text.size())}, builder.getI8Type());
      auto data = DenseElementsAttr::get(
          RankedTensorType::get(type.getShape(), builder.getI8Type()),
          llvm::ArrayRef(reinterpret_cast<const int8_t *>(text.data()),
                         text.size()));
      auto global = memref::GlobalOp::create(
          builder, function.getLoc(),
          ("__kiln_profile_" + function.getSymName()).str(),
          builder.getStringAttr("private"), type, data, /*constant=*/true,
          /*alignment=*/nullptr);
      symbols.insert(global);
      if (regions.empty())
        continue;
      declare(kBegin);
      declare(kEnd);
      Location loc = function.getLoc();
      builder.setInsertionPointToStart(&body);
      Value table =
          memref::GetGlobalOp::create(builder, loc, type, global.getSymName());
      Value address =
          memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, table);
      address = arith::IndexCastOp::create(builder, loc, i64, address);
      for (auto [index, region] : llvm::enumerate(regions)) {
        builder.setInsertionPoint(region.first);
        Value id = arith::ConstantIntOp::create(builder, loc, index, 64);
        func::CallOp::create(builder, loc, kBegin, TypeRange{},
                             ValueRange{address, id});
        builder.setInsertionPointAfter(region.last);
        func::CallOp::create(builder, loc, kEnd, TypeRange{},
                             ValueRange{address, id});
      }
    }
  }
};
} // namespace
