"""kiln.compile and CompiledModel."""

from __future__ import annotations

import os
import pathlib
import re
import statistics
import tempfile
from dataclasses import dataclass
from typing import Any, Mapping, NamedTuple, Optional, Sequence, Union

import numpy as np

from . import _kiln, nn
from ._build_config import TOOLS_DIR
from ._errors import CompileError, Diagnostic

ModelLike = Union[str, os.PathLike, bytes, bytearray, memoryview, "nn.Tensor",
                  Sequence["nn.Tensor"], Mapping[str, "nn.Tensor"]]

#: What kiln-compile can emit (``CompiledModel.save(emit=...)``).
EMIT_KINDS = ("exe", "lib", "shared", "obj", "header", "llvm", "asm", "mlir")


class TensorInfo(NamedTuple):
    """An input or output of a compiled model."""

    name: str
    shape: tuple
    dtype: np.dtype

    def __repr__(self) -> str:
        shape = "x".join(str(d) for d in self.shape) or "scalar"
        return f"TensorInfo({self.name!r}, {shape}, {self.dtype})"


@dataclass(frozen=True)
class BenchmarkResult:
    """Latencies of repeated runs of the compiled code, in seconds."""

    times: tuple
    warmup: int
    flops: float

    @property
    def runs(self) -> int:
        return len(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.times)

    @property
    def min(self) -> float:
        return min(self.times)

    @property
    def max(self) -> float:
        return max(self.times)

    @property
    def stdev(self) -> float:
        return statistics.stdev(self.times) if len(self.times) > 1 else 0.0

    @property
    def gflops(self) -> float:
        """GFLOP/s at the median latency (0 when the model has no FLOPs)."""
        return self.flops / self.median / 1e9 if self.median > 0 else 0.0

    def __str__(self) -> str:
        text = (f"median {_duration(self.median)} (min "
                f"{_duration(self.min)}, max {_duration(self.max)}) over "
                f"{self.runs} runs")
        if self.flops:
            text += f", {self.gflops:.2f} GFLOP/s"
        return text


def _duration(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.3f} ms"
    return f"{seconds:.3f} s"


def set_num_threads(n: Optional[int]) -> None:
    """Sets how many threads compiled models run on (None: the default,
    $KILN_NUM_THREADS or every CPU). A model compiled with ``threads=N``
    sets this to N whenever it runs."""
    _kiln.set_num_threads(0 if n is None else _check_threads(n))


def get_num_threads() -> int:
    """How many threads compiled models run on."""
    return _kiln.get_num_threads()


def stages() -> list:
    """The stages :meth:`CompiledModel.ir` shows, in pipeline order."""
    return list(_kiln.stage_names())


def _check_threads(threads: Any) -> int:
    if isinstance(threads, bool) or not isinstance(threads, int):
        raise TypeError(f"threads must be an int or None, got {threads!r}")
    if not 1 <= threads <= 1024:
        raise ValueError(f"threads must be 1 to 1024, got {threads}")
    return threads


def _looks_like_ir(text: str) -> bool:
    start = text.lstrip()
    return "\n" in text or start.startswith(
        ("module", "func.func", "#", "//", "{-#", "\"builtin.module\""))


class _Source(NamedTuple):
    kind: str  # "file", "onnx", "ir", "graph"
    data: Any
    name: str


def _source_of(model: Any) -> _Source:
    if isinstance(model, nn.Tensor) or (
            isinstance(model, (list, tuple, dict)) and model and all(
                isinstance(t, nn.Tensor)
                for t in (model.values() if isinstance(model, dict) else model))):
        return _Source("graph", model, "graph")
    if isinstance(model, os.PathLike) or (isinstance(model, str)
                                          and not _looks_like_ir(model)):
        path = os.fspath(model)
        if not os.path.exists(path):
            raise FileNotFoundError(f"no model file {path!r}")
        if os.path.isdir(path):
            raise IsADirectoryError(f"{path!r} is a directory, not a model")
        return _Source("file", path, path)
    if isinstance(model, str):
        return _Source("ir", model.encode(), "<string>")
    if isinstance(model, (bytes, bytearray, memoryview)):
        return _Source("onnx", bytes(model), "<ONNX bytes>")
    if hasattr(model, "SerializeToString"):  # an onnx.ModelProto
        return _Source("onnx", model.SerializeToString(), "<onnx.ModelProto>")
    raise TypeError(
        "kiln.compile takes a path to a .onnx or .mlir file, ONNX bytes or an "
        "onnx.ModelProto, nn IR text, or kiln.nn tensors; got "
        f"{type(model).__name__}")


def compile(model: ModelLike, target: str = "cpu", opt_level: int = 3,
            threads: Optional[int] = None, tuning_db: Optional[str] = None, *,
            entry: Optional[str] = None,
            bind: Optional[Mapping[str, Any]] = None,
            cpu: Optional[str] = None, features: Optional[str] = None,
            target_desc: Optional[str] = None, device: str = "cpu",
            gpu_arch: Optional[Union[str, Sequence[str]]] = None,
            precision: str = "fp32",
            gpu_libraries: Sequence[str] = ()
            ) -> "CompiledModel":
    """Compiles a model to native code for this machine.

    Args:
        model: a path to a ``.onnx`` or ``.mlir`` file; ONNX bytes or an
            ``onnx.ModelProto``; nn IR text; or the output tensor(s) of a
            graph built with :mod:`kiln.nn` (a tensor, a sequence of them, or
            a dict naming them).
        target: ``"cpu"`` (this machine). To compile for another machine,
            use :meth:`CompiledModel.save` with ``target=``.
        opt_level: LLVM optimization level, 0 to 3.
        threads: threads the model runs on (None: $KILN_NUM_THREADS, else
            every CPU).
        tuning_db: a tuning database from ``kiln-tune``: its schedules for
            this machine replace the tiling heuristic's where it has them
            and they measured at least 5% faster than the heuristic's.
        entry: the function to compile when the module has several.
        bind: ONNX models only: values (arrays) for graph inputs that shapes
            depend on (a Reshape's shape, say); they become constants, as
            ``kiln-compile --bind``.
        cpu, features, target_desc: generate code and choose tiles for
            another CPU of this machine's architecture (an LLVM name such as
            ``"x86-64-v3"``), with LLVM features added or removed
            (``"-avx512f"``), or with the facts of a JSON target description
            file, as ``kiln-run --cpu/--features/--target-desc`` (default:
            this machine's CPU). ``model.ir()`` shows the target.
        device: ``"cpu"``; ``"cuda"`` or ``"cuda:N"``: NVIDIA GPU N
            (default 0) through its driver, compiled for its architecture
            (inputs and outputs are copied to and from the GPU on every
            call; ``RuntimeError`` when there is no usable GPU); or
            ``"emulated-cuda"``: the GPU schedule (its tiles, buffers, block
            and thread loops) run on this CPU, as
            ``kiln-run --device=emulated-cuda`` (docs/gpu.md).
        gpu_arch: the NVIDIA architecture to compile for (``"sm_80"``, ...
            ``"sm_90a"``): with ``device="cuda"`` the device's by default,
            with ``device="emulated-cuda"`` the one whose schedule runs
            (default ``"sm_80"``).
        precision: on a GPU, the inputs of matmuls and convolutions:
            ``"fp32"`` (default), ``"tf32"`` (f32 matmuls on tensor
            cores), ``"fp16"`` (tensor cores for the matmuls) or
            ``"bf16"``, rounded to nearest; products and sums stay f32, as
            ``kiln-run --precision``.
        gpu_libraries: on a GPU, vendor libraries that compute ops instead
            of Kiln's kernels: ``"cublas"`` (matmuls, through
            ``cublasGemmEx``) and ``"cudnn"`` (f32 convolutions, through
            ``cudnnConvolutionForward``), loaded when the model first runs,
            as ``kiln-run --gpu-libraries``. The emulated GPU computes
            those ops on the CPU.

    Raises:
        CompileError: the model is invalid or uses what Kiln does not support
            (``error.diagnostics`` says where).
        FileNotFoundError: there is no such file.
        RuntimeError: ``device="cuda"`` and no usable GPU (the reason
            says why: no driver, no such device).
        TypeError, ValueError: a wrong argument.
    """
    if target != "cpu":
        raise ValueError(
            f"target must be 'cpu' (this machine), got {target!r}; for other "
            "machines, compile ahead of time: CompiledModel.save(path, "
            "target='aarch64-linux-gnu')")
    if isinstance(opt_level, bool) or not isinstance(opt_level, int):
        raise TypeError(f"opt_level must be an int, got {opt_level!r}")
    if not 0 <= opt_level <= 3:
        raise ValueError(f"opt_level must be 0 to 3, got {opt_level}")
    nthreads = 0 if threads is None else _check_threads(threads)
    env_problem = _kiln.num_threads_env_error() if threads is None else None
    if env_problem is not None:
        raise ValueError(env_problem + "; unset it or pass threads=N")
    database = ""
    if tuning_db is not None:
        database = os.fspath(tuning_db)
        if not os.path.isfile(database):
            raise FileNotFoundError(f"no tuning database {database!r} "
                                    "(kiln-tune writes them)")
    source = _source_of(model)
    if bind and source.kind not in ("file", "onnx"):
        raise ValueError("bind= applies to ONNX models only")
    if bind and source.kind == "file" and not source.data.lower().endswith(
            ".onnx"):
        raise ValueError("bind= applies to ONNX models only")
    target = []
    for name, value in (("cpu", cpu), ("features", features),
                        ("target_desc", target_desc)):
        if value is not None and not isinstance(value, (str, os.PathLike)):
            raise TypeError(f"{name} must be a str, got {value!r}")
        target.append("" if value is None else os.fspath(value))
    if not isinstance(device, str):
        raise TypeError(f"device must be a str, got {device!r}")
    archs = _gpu_arch_list(gpu_arch) if gpu_arch is not None else []
    if not isinstance(precision, str):
        raise TypeError(f"precision must be a str, got {precision!r}")
    if isinstance(gpu_libraries, str) or not all(
            isinstance(x, str) for x in gpu_libraries):
        raise TypeError("gpu_libraries must be a sequence of str, got "
                        f"{gpu_libraries!r}")
    libraries = list(gpu_libraries)
    target += [device, ",".join(archs), precision, ",".join(libraries)]
    entry_name = entry or ""
    with tempfile.TemporaryDirectory(prefix="kiln-bind-") as tmp:
        bound = _write_bindings(bind, tmp)
        if source.kind == "graph":
            builder, _ = nn._build(source.data)
            native = _kiln.Model.compile_graph(builder, entry_name, opt_level,
                                               nthreads, database, *target)
        elif source.kind == "file":
            native = _kiln.Model.compile_file(source.data, entry_name,
                                              opt_level, nthreads, database,
                                              bound, *target)
        else:
            native = _kiln.Model.compile_buffer(source.data,
                                                source.kind == "onnx",
                                                source.name, entry_name,
                                                opt_level, nthreads, database,
                                                bound, *target)
    # Only a file is kept (save() hands it to kiln-compile); bytes, text and
    # graphs are not: the model keeps their nn IR.
    kept = source if source.kind == "file" else source._replace(data=None)
    model = CompiledModel(native, kept, opt_level, bind)
    model._tuning_db = database or None
    # save() compiles for the same kind of device ("cuda:1" -> "cuda").
    model._device = device.split(":")[0]
    model._gpu_archs = archs
    model._precision = precision
    model._gpu_libraries = libraries
    return model


def _gpu_arch_list(gpu_arch: Union[str, Sequence[str]]) -> list:
    """gpu_arch= as a list of architecture names."""
    if isinstance(gpu_arch, str):
        return [gpu_arch]
    if isinstance(gpu_arch, Sequence) and all(
            isinstance(a, str) for a in gpu_arch):
        return list(gpu_arch)
    raise TypeError("gpu_arch must be a str or a sequence of str, got "
                    f"{gpu_arch!r}")


def _write_bindings(bind: Optional[Mapping[str, Any]], directory: str) -> list:
    if not bind:
        return []
    if not isinstance(bind, Mapping):
        raise TypeError("bind must map input names to arrays")
    bound = []
    for index, (name, value) in enumerate(bind.items()):
        if not isinstance(name, str):
            raise TypeError(f"bind keys must be input names, got {name!r}")
        path = os.path.join(directory, f"bound{index}.npy")
        np.save(path, np.asarray(value))
        bound.append((name, path))
    return bound


class CompiledModel:
    """A model compiled to native code, callable on numpy arrays.

    ``model(x, y)`` (``__call__``) returns the output (a tuple of outputs
    when there are several); ``model.run({"x": x})`` returns a dict of outputs by name.
    Inputs that are C-contiguous arrays of the input's dtype are read in
    place; other dtypes raise TypeError, other shapes ValueError. Calls
    release the GIL, and one model may run on several threads at once.
    """

    # __call__(self, *arrays) is installed below, in C: see _kiln.install_call.
    __slots__ = ("_native", "_handle", "_source", "_opt_level", "_bind",
                 "_tuning_db", "_device", "_gpu_archs", "_precision",
                 "_gpu_libraries",
                 "inputs", "outputs")

    def __init__(self, native: Any, source: _Source, opt_level: int,
                 bind: Optional[Mapping[str, Any]]) -> None:
        self._native = native
        # The model's address for _kiln.call (valid while _native lives).
        self._handle = native.handle()
        self._source = source
        self._opt_level = opt_level
        self._bind = dict(bind) if bind else {}
        self._tuning_db = None
        self._device = "cpu"
        self._gpu_archs = []
        self._precision = "fp32"
        self._gpu_libraries = []
        self.inputs = tuple(
            TensorInfo(n, tuple(s), np.dtype(d)) for n, d, s in native.inputs)
        self.outputs = tuple(
            TensorInfo(n, tuple(s), np.dtype(d)) for n, d, s in native.outputs)

    @property
    def entry(self) -> str:
        """The compiled function's name."""
        return self._native.entry

    @property
    def flops(self) -> float:
        """Floating-point operations per run."""
        return self._native.flops

    @property
    def threads(self) -> Optional[int]:
        """The threads= the model was compiled with (None: the default)."""
        return self._native.threads or None

    def __repr__(self) -> str:
        ins = ", ".join(repr(i) for i in self.inputs)
        outs = ", ".join(repr(o) for o in self.outputs)
        return f"<CompiledModel {self.entry}({ins}) -> ({outs})>"

    def run(self, feeds: Mapping[str, Any]) -> dict:
        """Runs the model on inputs given by name; returns outputs by name."""
        if not isinstance(feeds, Mapping):
            raise TypeError("run takes a dict of inputs by name; call the "
                            "model to pass them in order")
        names = [i.name for i in self.inputs]
        missing = [n for n in names if n not in feeds]
        unexpected = [n for n in feeds if n not in names]
        if missing or unexpected:
            problems = []
            if missing:
                problems.append(f"missing {missing}")
            if unexpected:
                problems.append(f"unexpected {unexpected}")
            raise TypeError(f"{self.entry} takes inputs {names}: " +
                            ", ".join(problems))
        results = self._native.run([feeds[n] for n in names])
        return {o.name: r for o, r in zip(self.outputs, results)}

    def random_inputs(self, seed: int = 0) -> list:
        """Inputs of the right shapes and dtypes: floats uniform in [-1, 1),
        integers in [0, 10), booleans fair coins."""
        rng = np.random.default_rng(seed)
        arrays = []
        for info in self.inputs:
            if info.dtype.kind == "f":
                a = rng.uniform(-1, 1, info.shape).astype(info.dtype)
            elif info.dtype.kind == "b":
                a = rng.integers(0, 2, info.shape).astype(bool)
            else:
                a = rng.integers(0, 10, info.shape).astype(info.dtype)
            # (np.ascontiguousarray would make a rank-0 input rank 1.)
            arrays.append(np.array(a, dtype=info.dtype, order="C"))
        return arrays

    def benchmark(self, runs: int = 100, inputs: Optional[Sequence] = None,
                  warmup: int = 3, seed: int = 0) -> BenchmarkResult:
        """Times ``runs`` runs of the compiled code (after ``warmup`` runs) on
        ``inputs`` (default: random ones from ``seed``), without Python in
        the loop."""
        if inputs is None:
            inputs = self.random_inputs(seed)
        times = self._native.benchmark(list(inputs), runs, warmup)
        return BenchmarkResult(tuple(times), warmup, self.flops)

    def ir(self, stage: str = "nn") -> str:
        """The IR at ``stage``: ``"nn"`` (the model as read), ``"linalg"``
        (lowered to linalg on tensors, fused), ``"tiled"`` (tiled, packed,
        vectorized), ``"bufferized"`` (on buffers) or ``"llvm"`` (the LLVM
        dialect). Weights over 1 KiB are elided. The stages are those of the
        code the model runs (the same pipeline and options, the module's
        target and thread count included): ``kiln-compile --emit=mlir
        --stage=STAGE`` prints the same for the same options."""
        if not isinstance(stage, str):
            raise TypeError(f"stage must be a str, got {stage!r}")
        return self._native.ir(stage)

    def save(self, path: Union[str, os.PathLike], target: Optional[str] = None,
             emit: str = "exe", *, cpu: Optional[str] = None,
             features: Optional[str] = None, threads: Optional[int] = None,
             name: Optional[str] = None, weights: Optional[str] = None,
             verbose: bool = False,
             target_desc: Optional[str] = None,
             device: Optional[str] = None,
             gpu_arch: Optional[Union[str, Sequence[str]]] = None
             ) -> pathlib.Path:
        """Compiles the model ahead of time, as ``kiln-compile`` does (in
        this process: kiln::compiler::compile).

        Args:
            path: the file to write (a library's C header goes beside it).
            target: ``x86_64-linux-gnu``, ``aarch64-linux-gnu`` or
                ``riscv64-linux-gnu`` (default: this machine).
            emit: ``"exe"`` (a standalone executable with kiln-run's command
                line), ``"lib"`` (static library + header), ``"shared"``
                (shared library + header), or ``obj``, ``header``, ``llvm``,
                ``asm``, ``mlir``.
            cpu, features, threads, name, weights, target_desc: as
                kiln-compile's ``--cpu``, ``--features``, ``--threads``
                (default: this model's), ``--name``, ``--weights``,
                ``--target-desc``.
            verbose: print the compiler's stages and times.
            device, gpu_arch: as kiln-compile's ``--device`` (``"cpu"``,
                ``"cuda"``, ``"emulated-cuda"``) and ``--gpu-arch`` (a str
                or a sequence of them); default: the device this model was
                compiled for and the ``gpu_arch`` it was given (else
                kiln-compile's default, sm_80). On the model's device, its
                ``precision`` and ``gpu_libraries`` are kept.

        Returns the path written (absolute). Raises CompileError when the
        compilation fails (``error.diagnostics`` says where).
        """
        if emit not in EMIT_KINDS:
            raise ValueError(f"emit must be one of {', '.join(EMIT_KINDS)}, "
                             f"got {emit!r}")
        if device is None:
            device = self._device
        if not isinstance(device, str):
            raise TypeError(f"device must be a str, got {device!r}")
        if gpu_arch is None:
            archs = self._gpu_archs if device == self._device else []
        else:
            archs = _gpu_arch_list(gpu_arch)
        runtime_dir = os.path.join(os.path.dirname(TOOLS_DIR), "lib", "kiln")
        out = pathlib.Path(path)
        nthreads = threads if threads is not None else self.threads
        with tempfile.TemporaryDirectory(prefix="kiln-save-") as tmp:
            if self._source.kind == "file":
                model_path = self._source.data
            else:
                # The nn module as read, weights included.
                model_path = os.path.join(tmp, f"{self.entry}.mlir")
                with open(model_path, "w") as f:
                    f.write(self._native.nn_text())
            bindings = []
            if self._source.kind == "file":
                bindings = [f"{input_name}={npy}" for input_name, npy in
                            _write_bindings(self._bind, tmp)]
            ok, log, error = _kiln.compile_aot({
                "input": model_path, "output": os.fspath(out), "emit": emit,
                "opt_level": self._opt_level, "entry": self.entry,
                "target": target or "", "cpu": cpu or "",
                "features": features or "",
                "target_desc": os.fspath(target_desc) if target_desc else "",
                "threads": (0 if nthreads is None
                            else _check_threads(nthreads)),
                "name": name or "",
                "weights": os.fspath(weights) if weights else "",
                "tuning_db": self._tuning_db or "", "bindings": bindings,
                "runtime_dir": runtime_dir, "verbose": bool(verbose),
                "device": device, "gpu_arch": archs,
                "precision": (self._precision if device == self._device
                              else "fp32"),
                "gpu_libraries": (self._gpu_libraries
                                  if device == self._device else [])})
        if verbose and log:
            print(log, end="")
        if not ok:
            raise CompileError(f"kiln-compile failed: {error}",
                               _parse_diagnostics(
                                   log + f"kiln-compile: error: {error}\n"))
        return out.resolve()


_kiln.install_call(CompiledModel)

_DIAGNOSTIC = re.compile(
    r"^(?:(?P<loc>.+?):\s)?(?P<sev>error|warning|note|remark):\s(?P<msg>.*)$")


def _parse_diagnostics(text: str) -> list:
    """kiln-compile's stderr as diagnostics ("LOC: error: MESSAGE")."""
    found = []
    for line in text.splitlines():
        m = _DIAGNOSTIC.match(line)
        if not m:
            continue
        loc = m.group("loc") or ""
        if loc == "kiln-compile":
            loc = ""
        found.append(Diagnostic(m.group("sev"), loc, m.group("msg")))
    if not found and text.strip():
        found.append(Diagnostic("error", "", text.strip()))
    return found
