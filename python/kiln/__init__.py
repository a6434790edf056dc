"""Kiln: compile neural networks to native code, from Python.

    import kiln
    model = kiln.compile("resnet18.onnx")     # or .mlir, ONNX bytes, nn IR
    logits = model(image)                      # numpy in, numpy out
    print(model.benchmark(50))
    model.save("resnet18", emit="exe")        # through kiln-compile

Graphs can also be written directly with :mod:`kiln.nn`.
"""

from . import nn
from ._errors import CompileError, Diagnostic
from ._model import (BenchmarkResult, CompiledModel, TensorInfo, compile,
                     get_num_threads, set_num_threads, stages)
from ._build_config import VERSION as __version__

__all__ = [
    "BenchmarkResult",
    "CompileError",
    "CompiledModel",
    "Diagnostic",
    "TensorInfo",
    "compile",
    "get_num_threads",
    "nn",
    "set_num_threads",
    "stages",
]
