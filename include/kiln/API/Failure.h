//===- Failure.h - what went wrong in a call of Kiln's API ------*- C++ -*-===//
//
// Part of Kiln. The embedding API (kiln/API/) reports problems as values,
// not exceptions: its callers (the Python bindings) turn them into their own
// errors. Like every header of kiln/API/, this one uses only the standard
// library.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_API_FAILURE_H
#define KILN_API_FAILURE_H

#include <string>
#include <vector>

namespace kiln::api {

/// One compiler diagnostic.
struct Diagnostic {
  /// "error", "warning", "note" or "remark".
  std::string severity;
  /// Where: "model.mlir:3:5", "model.onnx: node 'conv1'", or "" when the
  /// diagnostic has no location.
  std::string location;
  std::string message;
};

/// What went wrong, if anything.
struct Failure {
  enum class Kind {
    None,
    /// The model could not be read: a missing or unreadable file.
    Input,
    /// The model is invalid or the compiler rejected it (diagnostics say why).
    Compile,
    /// An argument of the API call is wrong (an unknown stage, a bad name).
    Usage,
    /// The device asked for cannot be used (no driver, no such GPU).
    Device,
  };
  Kind kind = Kind::None;
  std::string message;
  std::vector<Diagnostic> diagnostics;

  explicit operator bool() const { return kind != Kind::None; }
  /// `message`, then one line per diagnostic ("LOCATION: SEVERITY: TEXT").
  std::string describe() const;
};

} // namespace kiln::api

#endif // KILN_API_FAILURE_H
