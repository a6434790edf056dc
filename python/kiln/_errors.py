"""Kiln's exceptions."""

from __future__ import annotations

from typing import NamedTuple, Sequence


class Diagnostic(NamedTuple):
    """One message of the compiler: where, how bad, what."""

    severity: str  # "error", "warning", "note" or "remark"
    location: str  # "model.mlir:3:5", "model.onnx: node 'conv1'", or ""
    message: str

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity}: {self.message}"


class CompileError(RuntimeError):
    """The compiler rejected a model.

    ``diagnostics`` holds what it reported (with locations: a line of nn IR,
    or an ONNX node); ``str(error)`` shows the summary and every diagnostic.
    """

    def __init__(self, message: str, diagnostics: Sequence = ()) -> None:
        self.summary = message
        self.diagnostics = [Diagnostic(*d) for d in diagnostics]
        lines = [message] + [str(d) for d in self.diagnostics]
        super().__init__("\n".join(lines))
