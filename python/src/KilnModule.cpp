//===- KilnModule.cpp - the kiln._kiln extension module -------------------===//
//
// Part of Kiln. pybind11 bindings over Kiln's embedding API (kiln/API/):
// compile, run, inspect, build graphs. The Pythonic surface (kiln.compile,
// CompiledModel, kiln.nn) is the pure-Python package around this module.
//
// Arrays cross without copies: a C-contiguous, aligned input of the right
// dtype is handed to compiled code as it is, and outputs are fresh numpy
// arrays the code writes into. The GIL is released while compiling and
// running. Failures become exceptions: kiln.CompileError (with the
// compiler's diagnostics), ValueError, TypeError, FileNotFoundError.
//
//===----------------------------------------------------------------------===//

#include "kiln/API/GraphBuilder.h"
#include "kiln/API/Model.h"
#include "kiln/Compiler/Compiler.h"
#include "kiln/Runtime/ThreadPool.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <chrono>

namespace py = pybind11;
using kiln::TensorSpec;
using kiln::api::Failure;
using kiln::runtime::DType;

namespace {

constexpr DType kDTypes[] = {DType::Bool, DType::I8,  DType::U8,  DType::I16,
                             DType::I32,  DType::I64, DType::F16, DType::F32,
                             DType::F64,  DType::U16, DType::U32, DType::U64};

/// A sequence of at most N elements on the stack, more on the heap: a call
/// of a model allocates nothing for its few arguments (allocations count in
/// every call; benchmarks/python_overhead.py).
template <typename T, size_t N> class SmallArray {
public:
  explicit SmallArray(size_t size) : count(size) {
    if (size > N)
      heap.resize(size);
  }
  T *data() { return count > N ? heap.data() : inline_.data(); }
  T &operator[](size_t i) { return data()[i]; }
  size_t size() const { return count; }

private:
  size_t count;
  std::array<T, N> inline_{};
  std::vector<T> heap;
};

/// `text` as a Python str. Names and messages can come from a corrupt model:
/// bytes that are not UTF-8 become U+FFFD instead of failing the conversion.
py::str pyText(const std::string &text) {
  return py::reinterpret_steal<py::str>(
      PyUnicode_DecodeUTF8(text.data(), Py_ssize_t(text.size()), "replace"));
}

/// Raises the Python exception `type` with `message`.
[[noreturn]] void throwPython(PyObject *type, const std::string &message) {
  PyErr_SetObject(type, pyText(message).ptr());
  throw py::error_already_set();
}

/// Raises the Python exception for `failure`.
[[noreturn]] void raise(const Failure &failure) {
  switch (failure.kind) {
  case Failure::Kind::Usage:
    throwPython(PyExc_ValueError, failure.describe());
  case Failure::Kind::Input:
    throwPython(PyExc_FileNotFoundError, failure.describe());
  case Failure::Kind::Device:
    throwPython(PyExc_RuntimeError, failure.describe());
  default:
    break;
  }
  py::list diagnostics;
  for (const kiln::api::Diagnostic &d : failure.diagnostics)
    diagnostics.append(
        py::make_tuple(d.severity, pyText(d.location), pyText(d.message)));
  py::object type = py::module_::import("kiln._errors").attr("CompileError");
  py::object error = type(pyText(failure.message), diagnostics);
  PyErr_SetObject(type.ptr(), error.ptr());
  throw py::error_already_set();
}

/// The runtime dtype numpy calls `name`.
DType dtypeFromName(const std::string &name) {
  for (DType dtype : kDTypes)
    if (name == kiln::runtime::dtypeName(dtype))
      return dtype;
  std::string supported;
  for (DType dtype : kDTypes)
    supported += std::string(supported.empty() ? "" : ", ") +
                 kiln::runtime::dtypeName(dtype);
  throwPython(PyExc_TypeError, "dtype " + name +
                                   " is not supported (Kiln has " + supported +
                                   ")");
}

py::tuple specTuple(const TensorSpec &spec) {
  return py::make_tuple(pyText(spec.name), kiln::runtime::dtypeName(spec.dtype),
                        py::tuple(py::cast(spec.shape)));
}

TensorSpec specFrom(const std::string &name, const std::string &dtype,
                    const std::vector<int64_t> &shape) {
  TensorSpec spec;
  spec.name = name;
  spec.dtype = dtypeFromName(dtype);
  spec.shape = shape;
  return spec;
}

/// A compiled model with what checking its arguments needs at hand.
class PyModel {
public:
  explicit PyModel(std::unique_ptr<kiln::api::Model> model)
      : model(std::move(model)) {
    auto describe = [](const std::vector<TensorSpec> &specs,
                       std::vector<py::dtype> &dtypes,
                       std::vector<std::vector<py::ssize_t>> &shapes) {
      for (const TensorSpec &spec : specs) {
        dtypes.push_back(py::dtype(kiln::runtime::dtypeName(spec.dtype)));
        shapes.emplace_back(spec.shape.begin(), spec.shape.end());
      }
    };
    describe(this->model->inputs(), inputDTypes, inputShapes);
    describe(this->model->outputs(), outputDTypes, outputShapes);
  }

  const kiln::api::Model &get() const { return *model; }

  /// The error for input `i` (built only when there is one).
  std::string describeInput(size_t i) const {
    return "input '" + model->inputs()[i].name + "' (#" + std::to_string(i) +
           ") of " + model->entry();
  }

  static std::string describeShape(const py::ssize_t *shape, size_t rank) {
    std::string text = "(";
    for (size_t d = 0; d < rank; ++d)
      text += (d ? ", " : "") + std::to_string(shape[d]);
    return text + (rank == 1 ? ",)" : ")");
  }

  /// The inputs as arrays compiled code can read: the arguments themselves
  /// where possible, else contiguous copies (array-likes are converted).
  template <typename Arrays>
  void checkInputs(PyObject *const *arguments, size_t count,
                   Arrays &arrays) const {
    const auto &specs = model->inputs();
    if (count != specs.size())
      throwPython(PyExc_TypeError, model->entry() + " takes " +
                                       std::to_string(specs.size()) + " input" +
                                       (specs.size() == 1 ? "" : "s") +
                                       ", got " + std::to_string(count));
    auto &api = py::detail::npy_api::get();
    constexpr int wanted = py::detail::npy_api::NPY_ARRAY_C_CONTIGUOUS_ |
                           py::detail::npy_api::NPY_ARRAY_ALIGNED_;
    for (size_t i = 0; i < count; ++i) {
      PyObject *argument = arguments[i];
      py::array array;
      if (api.PyArray_Check_(argument)) {
        array = py::reinterpret_borrow<py::array>(argument);
        // Arrays usually share numpy's canonical dtype objects.
        PyObject *dtype = array.dtype().ptr();
        if (dtype != inputDTypes[i].ptr() &&
            !api.PyArray_EquivTypes_(dtype, inputDTypes[i].ptr()))
          throwPython(PyExc_TypeError,
                      describeInput(i) + " must be " +
                          kiln::runtime::dtypeName(specs[i].dtype) + ", got " +
                          py::str(array.dtype()).cast<std::string>() +
                          " (convert it with .astype(numpy." +
                          kiln::runtime::dtypeName(specs[i].dtype) + "))");
      } else {
        // Lists, scalars, other array-likes: converted to the input's dtype.
        array = py::reinterpret_steal<py::array>(api.PyArray_FromAny_(
            argument, inputDTypes[i].inc_ref().ptr(), 0, 0,
            wanted | py::detail::npy_api::NPY_ARRAY_FORCECAST_, nullptr));
        if (!array)
          throw py::error_already_set();
      }
      const auto &shape = inputShapes[i];
      bool sameShape = size_t(array.ndim()) == shape.size();
      for (size_t d = 0; sameShape && d < shape.size(); ++d)
        sameShape = array.shape()[d] == shape[d];
      if (!sameShape)
        throwPython(PyExc_ValueError,
                    describeInput(i) + " must have shape " +
                        describeShape(shape.data(), shape.size()) + ", got " +
                        describeShape(array.shape(), array.ndim()));
      if ((array.flags() & wanted) != wanted) {
        array = py::reinterpret_steal<py::array>(
            api.PyArray_FromAny_(array.ptr(), inputDTypes[i].inc_ref().ptr(), 0,
                                 0, wanted, nullptr));
        if (!array)
          throw py::error_already_set();
      }
      arrays[i] = std::move(array);
    }
  }

  /// Fresh arrays for the outputs.
  template <typename Arrays> void newOutputs(Arrays &outputs) const {
    auto &api = py::detail::npy_api::get();
    for (size_t i = 0; i < outputShapes.size(); ++i) {
      const auto &shape = outputShapes[i];
      // (PyArray_NewFromDescr steals a reference to the dtype.)
      PyObject *array = api.PyArray_NewFromDescr_(
          api.PyArray_Type_, outputDTypes[i].inc_ref().ptr(), int(shape.size()),
          const_cast<py::ssize_t *>(shape.data()), nullptr, nullptr, 0,
          nullptr);
      if (!array)
        throw py::error_already_set();
      outputs[i] = py::reinterpret_steal<py::object>(array);
    }
  }

  // py::object, not py::array: a default py::array is an empty numpy array.
  using Arrays = SmallArray<py::object, 8>;

  /// The data of an array checkInputs or newOutputs made.
  static void *dataOf(const py::object &array) {
    return py::detail::array_proxy(array.ptr())->data;
  }

  /// Runs on `count` arguments into `outputs` (fresh arrays, one per output).
  void run(PyObject *const *arguments, size_t count, Arrays &outputs) {
    Arrays inputs(count);
    checkInputs(arguments, count, inputs);
    newOutputs(outputs);
    SmallArray<const void *, 8> in(count);
    SmallArray<void *, 8> out(outputs.size());
    for (size_t i = 0; i < count; ++i)
      in[i] = dataOf(inputs[i]);
    for (size_t i = 0; i < outputs.size(); ++i)
      out[i] = dataOf(outputs[i]);
    std::string error;
    // The GIL released with CPython's own calls (pybind11's guard looks up
    // its internals first: more cold memory touched per call).
    PyThreadState *thread = PyEval_SaveThread();
    bool ok = model->run(in.data(), out.data(), error);
    lastRun = kiln::api::Model::lastRunSeconds();
    PyEval_RestoreThread(thread);
    if (!ok)
      throwPython(PyExc_RuntimeError, error);
  }

  size_t numOutputs() const { return outputShapes.size(); }

  py::list runSequence(const py::sequence &arguments) {
    py::tuple items(arguments);
    Arrays outputs(numOutputs());
    run(&PyTuple_GET_ITEM(items.ptr(), 0), size_t(items.size()), outputs);
    py::list results;
    for (size_t i = 0; i < outputs.size(); ++i)
      results.append(std::move(outputs[i]));
    return results;
  }

  /// Runs `warmup` times, then `runs` times timing each (seconds), on the
  /// same buffers: the compiled code alone, as a C caller would run it.
  std::vector<double> benchmark(const py::sequence &arguments, int runs,
                                int warmup) {
    if (runs < 1)
      throwPython(PyExc_ValueError,
                  "runs must be at least 1, got " + std::to_string(runs));
    if (warmup < 0)
      throwPython(PyExc_ValueError,
                  "warmup must be at least 0, got " + std::to_string(warmup));
    py::tuple items(arguments);
    Arrays inputs(items.size()), outputs(numOutputs());
    checkInputs(&PyTuple_GET_ITEM(items.ptr(), 0), inputs.size(), inputs);
    newOutputs(outputs);
    std::vector<const void *> in;
    std::vector<void *> out;
    for (size_t i = 0; i < inputs.size(); ++i)
      in.push_back(dataOf(inputs[i]));
    for (size_t i = 0; i < outputs.size(); ++i)
      out.push_back(dataOf(outputs[i]));
    std::vector<double> times;
    std::string error;
    bool ok = true;
    {
      py::gil_scoped_release release;
      for (int i = 0; ok && i < warmup; ++i)
        ok = model->run(in.data(), out.data(), error);
      for (int i = 0; ok && i < runs; ++i) {
        auto start = std::chrono::steady_clock::now();
        ok = model->run(in.data(), out.data(), error);
        times.push_back(std::chrono::duration<double>(
                            std::chrono::steady_clock::now() - start)
                            .count());
      }
    }
    if (!ok)
      throwPython(PyExc_RuntimeError, error);
    return times;
  }

  /// What a C or C++ program embedding Kiln does per call, `runs` times:
  /// check the inputs' shapes, allocate the outputs, run, free the outputs.
  /// Returns (seconds per call, seconds in the compiled code) pairs: the
  /// baseline Python calls are compared with.
  std::vector<std::pair<double, double>>
  embedderCalls(const py::sequence &arguments, int runs) {
    if (runs < 1)
      throwPython(PyExc_ValueError,
                  "runs must be at least 1, got " + std::to_string(runs));
    py::tuple items(arguments);
    Arrays inputs(items.size());
    checkInputs(&PyTuple_GET_ITEM(items.ptr(), 0), inputs.size(), inputs);
    std::vector<TensorSpec> given;
    std::vector<const void *> in;
    for (size_t i = 0; i < inputs.size(); ++i) {
      given.push_back(model->inputs()[i]);
      in.push_back(dataOf(inputs[i]));
    }
    std::vector<std::pair<double, double>> times;
    std::string error;
    bool ok = true;
    {
      py::gil_scoped_release release;
      for (int r = 0; ok && r < runs; ++r) {
        auto start = std::chrono::steady_clock::now();
        for (size_t i = 0; i < given.size(); ++i)
          ok = ok && given[i].shape == model->inputs()[i].shape &&
               given[i].dtype == model->inputs()[i].dtype;
        std::vector<void *> out;
        for (const TensorSpec &spec : model->outputs())
          out.push_back(
              std::aligned_alloc(64, (size_t(spec.numElements()) *
                                          kiln::runtime::dtypeSize(spec.dtype) +
                                      63) / 64 *
                                             64 +
                                         64));
        ok = ok && model->run(in.data(), out.data(), error);
        double inner = kiln::api::Model::lastRunSeconds();
        for (void *p : out)
          std::free(p);
        times.emplace_back(std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - start)
                               .count(),
                           inner);
      }
    }
    if (!ok)
      throwPython(PyExc_RuntimeError, error);
    return times;
  }

  std::string ir(const std::string &stage) const {
    std::optional<kiln::api::Stage> parsed = kiln::api::parseStage(stage);
    if (!parsed) {
      std::string names;
      for (const std::string &name : kiln::api::stageNames())
        names += (names.empty() ? "'" : ", '") + name + "'";
      throwPython(PyExc_ValueError,
                  "unknown stage '" + stage + "' (stages: " + names + ")");
    }
    Failure failure;
    std::optional<std::string> text;
    {
      py::gil_scoped_release release;
      text = model->ir(*parsed, failure);
    }
    if (!text)
      raise(failure);
    return *text;
  }

  /// Seconds the compiled code itself took in the last run().
  double lastRun = 0;

private:
  std::unique_ptr<kiln::api::Model> model;
  std::vector<py::dtype> inputDTypes, outputDTypes;
  std::vector<std::vector<py::ssize_t>> inputShapes, outputShapes;
};

/// What kiln.compile says about the machine: the CPU of this machine's
/// architecture to compile for, features, a target description file.
struct TargetArgs {
  std::string cpu, features, description;
  /// "cpu", "cuda[:N]" or "emulated-cuda"; the GPU architectures,
  /// comma-separated; the matmul input precision; the vendor libraries,
  /// comma-separated.
  std::string device, gpuArchs, precision, gpuLibraries;
};

kiln::api::CompileSettings settings(const std::string &entry, int optLevel,
                                    int threads,
                                    const std::string &tuningDatabase,
                                    const TargetArgs &target) {
  if (optLevel < 0 || optLevel > 3)
    throwPython(PyExc_ValueError,
                "opt_level must be 0 to 3, got " + std::to_string(optLevel));
  if (threads < 0 || threads > 1024)
    throwPython(PyExc_ValueError,
                "threads must be 1 to 1024, got " + std::to_string(threads));
  kiln::api::CompileSettings result;
  result.entry = entry;
  result.optLevel = unsigned(optLevel);
  result.threads = threads;
  result.tuningDatabase = tuningDatabase;
  result.cpu = target.cpu;
  result.features = target.features;
  result.targetDescription = target.description;
  result.device = target.device;
  result.precision = target.precision;
  llvm::SmallVector<llvm::StringRef> archs;
  llvm::StringRef(target.gpuArchs).split(archs, ',', -1, false);
  for (llvm::StringRef arch : archs)
    result.gpuArchs.push_back(arch.trim().str());
  llvm::SmallVector<llvm::StringRef> libraries;
  llvm::StringRef(target.gpuLibraries).split(libraries, ',', -1, false);
  for (llvm::StringRef library : libraries)
    result.gpuLibraries.push_back(library.trim().str());
  return result;
}

std::unique_ptr<PyModel>
compileSource(kiln::api::ModelSource source,
              const kiln::api::CompileSettings &settings) {
  Failure failure;
  std::unique_ptr<kiln::api::Model> model;
  {
    py::gil_scoped_release release;
    model = kiln::api::Model::compile(source, settings, failure);
  }
  if (!model)
    raise(failure);
  return std::make_unique<PyModel>(std::move(model));
}

using Bindings = std::vector<std::pair<std::string, std::string>>;

/// CompiledModel.__call__(self, *arrays), in C: a method descriptor that
/// `install_call` puts on the Python class, so a call runs no Python code of
/// Kiln's (what a call costs over a C++ one: benchmarks/python_overhead.py).
/// The model is `self._handle`, a capsule of the PyModel. Returns the output,
/// or a tuple of them.
PyObject *callModel(PyObject *self, PyObject *const *args, Py_ssize_t count) {
  static PyObject *handleName = PyUnicode_InternFromString("_handle");
  try {
    py::object handle =
        py::reinterpret_steal<py::object>(PyObject_GetAttr(self, handleName));
    if (!handle)
      throw py::error_already_set();
    if (!PyCapsule_IsValid(handle.ptr(), "kiln.Model"))
      throwPython(PyExc_TypeError, "not a compiled model");
    auto *model = static_cast<PyModel *>(
        PyCapsule_GetPointer(handle.ptr(), "kiln.Model"));
    PyModel::Arrays outputs(model->numOutputs());
    model->run(args, size_t(count), outputs);
    if (outputs.size() == 1)
      return outputs[0].release().ptr();
    py::tuple results(outputs.size());
    for (size_t i = 0; i < outputs.size(); ++i)
      PyTuple_SET_ITEM(results.ptr(), i, outputs[i].release().ptr());
    return results.release().ptr();
  } catch (py::error_already_set &e) {
    e.restore();
  } catch (const py::builtin_exception &e) {
    e.set_error();
  } catch (const std::exception &e) {
    PyErr_SetObject(PyExc_RuntimeError, pyText(e.what()).ptr());
  }
  return nullptr;
}

PyMethodDef callDefinition = {
    "__call__",
    reinterpret_cast<PyCFunction>(reinterpret_cast<void *>(callModel)),
    METH_FASTCALL,
    "Runs the model on its inputs, in order; returns the output, or a tuple "
    "of them when there are several."};

} // namespace

PYBIND11_MODULE(_kiln, m) {
  m.doc() = "Kiln's compiler, bound from C++ (use the kiln package instead)";
  m.attr("version") = KILN_VERSION;

  m.def(
      "install_call",
      [](py::type cls) {
        py::object descriptor =
            py::reinterpret_steal<py::object>(PyDescr_NewMethod(
                reinterpret_cast<PyTypeObject *>(cls.ptr()), &callDefinition));
        if (!descriptor)
          throw py::error_already_set();
        cls.attr("__call__") = descriptor;
      },
      "Makes cls.__call__ run the model of self._handle (CompiledModel).");
  m.def("stage_names", &kiln::api::stageNames,
        "The stages CompiledModel.ir shows, in pipeline order.");
  m.def(
      "set_num_threads", [](int n) { kiln_set_num_threads(n); },
      "Sets the runtime's thread count (n <= 0: the default).");
  m.def("get_num_threads", &kiln_get_num_threads,
        "The runtime's thread count.");
  m.def(
      "compile_aot",
      [](const py::dict &args) {
        // (The keys are the kiln package's: CompiledModel.save builds them.)
        kiln::compiler::AOTOptions options;
        auto text = [&](const char *key) {
          return args.contains(key) ? args[key].cast<std::string>()
                                    : std::string();
        };
        options.inputPath = text("input");
        options.outputPath = text("output");
        std::optional<kiln::compiler::Emit> emit =
            kiln::compiler::parseEmit(text("emit"));
        if (!emit)
          throwPython(PyExc_ValueError, "unknown emit '" + text("emit") + "'");
        options.emit = *emit;
        options.pipeline.target.triple = text("target");
        options.pipeline.target.cpu = text("cpu");
        options.pipeline.target.features = text("features");
        options.pipeline.target.descriptionFile = text("target_desc");
        options.pipeline.optLevel = args["opt_level"].cast<unsigned>();
        options.pipeline.threads = args["threads"].cast<unsigned>();
        options.pipeline.tuningDatabase = text("tuning_db");
        options.entry = text("entry");
        options.name = text("name");
        options.weightsPath = text("weights");
        options.bindings = args["bindings"].cast<std::vector<std::string>>();
        options.runtimeDir = text("runtime_dir");
        options.verbose = args["verbose"].cast<bool>();
        std::string device = text("device");
        std::optional<kiln::Device> parsed =
            kiln::parseDevice(device.empty() ? "cpu" : device);
        if (!parsed)
          throwPython(PyExc_ValueError,
                      "device must be 'cpu', 'cuda' or 'emulated-cuda', got '" +
                          device + "'");
        options.pipeline.device = *parsed;
        if (args.contains("gpu_arch"))
          options.pipeline.gpuArchs =
              args["gpu_arch"].cast<std::vector<std::string>>();
        std::string precision = text("precision");
        std::optional<kiln::Precision> inputPrecision =
            kiln::parsePrecision(precision.empty() ? "fp32" : precision);
        if (!inputPrecision)
          throwPython(PyExc_ValueError,
                      "precision must be 'fp32', 'tf32', 'fp16' or 'bf16', "
                      "got '" +
                          precision + "'");
        options.pipeline.precision = *inputPrecision;
        if (args.contains("gpu_libraries"))
          options.pipeline.gpuLibraries =
              args["gpu_libraries"].cast<std::vector<std::string>>();
        std::string log, error;
        {
          py::gil_scoped_release release;
          llvm::raw_string_ostream stream(log);
          if (llvm::Error err = kiln::compiler::compile(options, stream))
            error = llvm::toString(std::move(err));
        }
        return py::make_tuple(error.empty(), log, error);
      },
      "Compiles ahead of time as kiln-compile does, in this process: "
      "(ok, diagnostics, error).");
  m.def(
      "num_threads_env_error",
      []() -> py::object {
        const char *problem = kiln_num_threads_env_error();
        return problem ? py::object(py::str(problem)) : py::none();
      },
      "What is wrong with $KILN_NUM_THREADS, or None.");

  py::class_<PyModel>(m, "Model")
      .def_static(
          "compile_file",
          [](const std::string &path, const std::string &entry, int optLevel,
             int threads, const std::string &tuningDatabase,
             const Bindings &bound, const std::string &cpu,
             const std::string &features, const std::string &targetDesc,
             const std::string &device, const std::string &gpuArch,
             const std::string &precision, const std::string &gpuLibraries) {
            kiln::api::ModelSource source;
            source.kind = kiln::api::ModelSource::Kind::File;
            source.data = path;
            source.boundInputs = bound;
            return compileSource(
                source, settings(entry, optLevel, threads, tuningDatabase,
                                 {cpu, features, targetDesc, device, gpuArch,
                                  precision, gpuLibraries}));
          },
          py::arg("path"), py::arg("entry"), py::arg("opt_level"),
          py::arg("threads"), py::arg("tuning_db"), py::arg("bound"),
          py::arg("cpu"), py::arg("features"), py::arg("target_desc"),
          py::arg("device"), py::arg("gpu_arch"), py::arg("precision"),
          py::arg("gpu_libraries"))
      .def_static(
          "compile_buffer",
          [](const py::bytes &data, bool onnx, const std::string &name,
             const std::string &entry, int optLevel, int threads,
             const std::string &tuningDatabase, const Bindings &bound,
             const std::string &cpu, const std::string &features,
             const std::string &targetDesc, const std::string &device,
             const std::string &gpuArch, const std::string &precision,
             const std::string &gpuLibraries) {
            kiln::api::ModelSource source;
            source.kind = onnx ? kiln::api::ModelSource::Kind::ONNXBytes
                               : kiln::api::ModelSource::Kind::IRText;
            source.data = std::string(data);
            source.name = name;
            source.boundInputs = bound;
            return compileSource(
                source, settings(entry, optLevel, threads, tuningDatabase,
                                 {cpu, features, targetDesc, device, gpuArch,
                                  precision, gpuLibraries}));
          },
          py::arg("data"), py::arg("onnx"), py::arg("name"), py::arg("entry"),
          py::arg("opt_level"), py::arg("threads"), py::arg("tuning_db"),
          py::arg("bound"), py::arg("cpu"), py::arg("features"),
          py::arg("target_desc"), py::arg("device"), py::arg("gpu_arch"),
          py::arg("precision"), py::arg("gpu_libraries"))
      .def_static(
          "compile_graph",
          [](const kiln::api::GraphBuilder &builder, const std::string &entry,
             int optLevel, int threads, const std::string &tuningDatabase,
             const std::string &cpu, const std::string &features,
             const std::string &targetDesc, const std::string &device,
             const std::string &gpuArch, const std::string &precision,
             const std::string &gpuLibraries) {
            Failure failure;
            kiln::api::CompileSettings config =
                settings(entry, optLevel, threads, tuningDatabase,
                         {cpu, features, targetDesc, device, gpuArch, precision,
                          gpuLibraries});
            std::unique_ptr<kiln::api::Model> model;
            {
              py::gil_scoped_release release;
              model = kiln::api::Model::compile(builder, config, failure);
            }
            if (!model)
              raise(failure);
            return std::make_unique<PyModel>(std::move(model));
          },
          py::arg("builder"), py::arg("entry"), py::arg("opt_level"),
          py::arg("threads"), py::arg("tuning_db"), py::arg("cpu"),
          py::arg("features"), py::arg("target_desc"), py::arg("device"),
          py::arg("gpu_arch"), py::arg("precision"), py::arg("gpu_libraries"))
      .def_property_readonly("entry",
                             [](const PyModel &m) { return m.get().entry(); })
      .def_property_readonly("inputs",
                             [](const PyModel &m) {
                               py::list specs;
                               for (const TensorSpec &s : m.get().inputs())
                                 specs.append(specTuple(s));
                               return specs;
                             })
      .def_property_readonly("outputs",
                             [](const PyModel &m) {
                               py::list specs;
                               for (const TensorSpec &s : m.get().outputs())
                                 specs.append(specTuple(s));
                               return specs;
                             })
      .def_property_readonly("flops",
                             [](const PyModel &m) { return m.get().flops(); })
      .def_property_readonly("threads",
                             [](const PyModel &m) { return m.get().threads(); })
      .def_readonly("last_run_seconds", &PyModel::lastRun)
      .def("run", &PyModel::runSequence, py::arg("inputs"))
      .def("handle", [](PyModel &m) { return py::capsule(&m, "kiln.Model"); })
      .def("benchmark", &PyModel::benchmark, py::arg("inputs"), py::arg("runs"),
           py::arg("warmup"))
      .def("embedder_calls", &PyModel::embedderCalls, py::arg("inputs"),
           py::arg("runs"))
      .def("ir", &PyModel::ir, py::arg("stage"))
      .def("nn_text", [](const PyModel &m) {
        std::string text;
        {
          py::gil_scoped_release release;
          text = m.get().nnText();
        }
        return text;
      });

  py::class_<kiln::api::GraphBuilder>(m, "GraphBuilder")
      .def(py::init<const std::string &>(), py::arg("name"))
      .def(
          "add_input",
          [](kiln::api::GraphBuilder &b, const std::string &name,
             const std::string &dtype, const std::vector<int64_t> &shape) {
            Failure failure;
            int id = b.addInput(specFrom(name, dtype, shape), failure);
            if (id < 0)
              raise(failure);
            return id;
          },
          py::arg("name"), py::arg("dtype"), py::arg("shape"))
      .def(
          "add_constant",
          [](kiln::api::GraphBuilder &b, const py::array &value,
             const std::string &name) {
            std::string dtype = py::str(value.dtype()).cast<std::string>();
            py::array dense = py::array::ensure(value, py::array::c_style);
            if (!dense)
              throw py::error_already_set();
            std::vector<int64_t> shape(dense.shape(),
                                       dense.shape() + dense.ndim());
            Failure failure;
            int id = b.addConstant(specFrom(name, dtype, shape), dense.data(),
                                   size_t(dense.nbytes()), failure);
            if (id < 0)
              raise(failure);
            return id;
          },
          py::arg("value"), py::arg("name"))
      .def(
          "add_op",
          [](kiln::api::GraphBuilder &b, const std::string &name,
             const std::vector<int> &operands,
             const std::vector<kiln::api::AttributeText> &attributes,
             const std::vector<std::pair<std::string, std::vector<int64_t>>>
                 &resultTypes,
             const std::string &file, unsigned line) {
            std::vector<TensorSpec> types;
            for (const auto &[dtype, shape] : resultTypes)
              types.push_back(specFrom("", dtype, shape));
            Failure failure;
            std::vector<int> results = b.addOp(name, operands, attributes,
                                               types, {file, line}, failure);
            if (failure)
              raise(failure);
            return results;
          },
          py::arg("name"), py::arg("operands"), py::arg("attributes"),
          py::arg("result_types"), py::arg("file") = "", py::arg("line") = 0)
      .def(
          "spec",
          [](const kiln::api::GraphBuilder &b, int value) {
            TensorSpec spec = b.spec(value);
            return py::make_tuple(kiln::runtime::dtypeName(spec.dtype),
                                  py::tuple(py::cast(spec.shape)));
          },
          py::arg("value"))
      .def(
          "set_outputs",
          [](kiln::api::GraphBuilder &b, const std::vector<int> &values,
             const std::vector<std::string> &names) {
            Failure failure;
            if (!b.setOutputs(values, names, failure))
              raise(failure);
          },
          py::arg("values"), py::arg("names"))
      .def("clear", &kiln::api::GraphBuilder::clear)
      .def("text", &kiln::api::GraphBuilder::text, py::arg("weights") = false);
}
