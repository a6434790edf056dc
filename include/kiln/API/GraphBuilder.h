//===- GraphBuilder.h - build an nn function op by op -----------*- C++ -*-===//
//
// Part of Kiln. What the Python graph builder (kiln.nn) stands on: a
// function of nn ops built one op at a time, each op verified as it is added
// so a mistake is reported where it is made, with result types inferred by
// the ops themselves. Standard-library types only, as kiln/API/Model.h.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_API_GRAPHBUILDER_H
#define KILN_API_GRAPHBUILDER_H

#include "kiln/API/Failure.h"
#include "kiln/Runtime/RunCommand.h"

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kiln::api {

/// A value of the graph under construction: an index into its values.
using ValueId = int;

/// An attribute of an op: its name and its value in MLIR syntax
/// ("array<i64: 2, 2>", "1 : i64", "1.0e-05 : f64").
using AttributeText = std::pair<std::string, std::string>;

class GraphBuilder {
public:
  /// A builder of the function `name` (a valid symbol name).
  explicit GraphBuilder(const std::string &name);
  ~GraphBuilder();
  GraphBuilder(const GraphBuilder &) = delete;
  GraphBuilder &operator=(const GraphBuilder &) = delete;

  /// A new argument of the function. -1 and `failure` set on failure.
  ValueId addInput(const TensorSpec &spec, Failure &failure);
  /// An nn.constant holding `bytes` (dense, C-ordered, the dtype's natural
  /// size; bools one byte each); `name` names its resource.
  ValueId addConstant(const TensorSpec &spec, const void *bytes, size_t size,
                      Failure &failure);
  /// Where an op was written (a line of the user's program), for its
  /// location; an empty file means none.
  struct SourceLine {
    std::string file;
    unsigned line = 0;
  };
  /// Appends the op `name` (e.g. "nn.conv2d") and verifies it. Result types
  /// are inferred, except where `resultTypes` gives them (nn.cast's). Empty
  /// and `failure` set (with the verifier's diagnostics) on failure; the op
  /// is then removed.
  std::vector<ValueId> addOp(const std::string &name,
                             const std::vector<ValueId> &operands,
                             const std::vector<AttributeText> &attributes,
                             const std::vector<TensorSpec> &resultTypes,
                             const SourceLine &where, Failure &failure);
  /// The dtype and shape of a value (its name is empty).
  TensorSpec spec(ValueId value) const;
  /// Makes `values` the function's results, named `names` (may be empty),
  /// replacing earlier ones.
  bool setOutputs(const std::vector<ValueId> &values,
                  const std::vector<std::string> &names, Failure &failure);
  /// Removes every op and input: a builder used to check ops one at a time
  /// (as kiln.nn does) starts over without a new context.
  void clear();
  /// The module as nn IR text (weights over 1 KiB elided unless `weights`).
  std::string text(bool weights) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace kiln::api

#endif // KILN_API_GRAPHBUILDER_H
