//===- ReductionOps.cpp - ONNX ReduceSum, ReduceMean, ReduceMax -----------===//
//
// Part of Kiln. Axes are an attribute up to opset 12 (ReduceSum) or 17
// (the others) and a known input from then on; no axes reduce everything,
// unless noop_with_empty_axes.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

using namespace mlir;
using namespace kiln::onnximport;
namespace nn = kiln::nn;

template <typename Op>
static OpImporter reduction(int64_t axesInputSince) {
  return [axesInputSince](NodeContext &ctx) -> LogicalResult {
    RankedTensorType type = ctx.inputType(0);
    if (!type)
      return failure();
    int64_t rank = type.getRank();
    std::vector<int64_t> axes;
    if (ctx.opset >= axesInputSince) {
      if (ctx.hasInput(1)) {
        const KnownTensor *known = ctx.known(1);
        if (!known)
          return failure();
        axes = known->ints;
      }
    } else {
      axes = ctx.intsAttr("axes");
    }
    if (axes.empty()) {
      if (ctx.intAttr("noop_with_empty_axes", 0)) {
        ctx.setOutput(0, ctx.input(0));
        return success();
      }
      for (int64_t d = 0; d < rank; ++d)
        axes.push_back(d);
    }
    for (int64_t &axis : axes) {
      int64_t normalized = normalizeAxis(axis, rank);
      if (normalized < 0)
        return ctx.error() << "axis " << axis << " is out of range for rank "
                           << rank;
      axis = normalized;
    }
    llvm::sort(axes);
    ctx.setOutput(0, Op::create(ctx.b, ctx.loc, ctx.input(0), axes,
                                ctx.intAttr("keepdims", 1) != 0));
    return success();
  };
}

void kiln::onnximport::registerReductionOps(OpRegistry &r) {
  r.add("ReduceSum", 1, 18, reduction<nn::ReduceSumOp>(13));
  r.add("ReduceMean", 1, 18, reduction<nn::ReduceMeanOp>(18));
  r.add("ReduceMax", 1, 18, reduction<nn::ReduceMaxOp>(18));
}
