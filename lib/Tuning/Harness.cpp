//===- Harness.cpp - measuring candidate schedules ------------------------===//
//
// Part of Kiln.
//
// Files of a kernel (in its data directory): input_<i>.npy, the arguments;
// reference.npy, the heuristic schedule's output. A candidate is written as
// candidate.mlir (the kernel with the candidate's lowering_config) and run
// as `kiln-tune --measure candidate.mlir --data DIR ...`, which exits 0 and
// prints `seconds=S error=E` when the output matches the reference, 3 when
// it does not, and anything else when it fails.
//
//===----------------------------------------------------------------------===//

#include "kiln/Tuning/Harness.h"

#include "kiln/Codegen/ReshapedConstants.h"
#include "kiln/Engine/CUDADevice.h"
#include "kiln/Engine/CompiledModel.h"
#include "kiln/Engine/ModelSignature.h"
#include "kiln/InitAllDialects.h"
#include "kiln/Runtime/CUDARuntime.h"
#include "kiln/Runtime/Npy.h"
#include "kiln/Target/CPU/Passes.h"
#include "kiln/Tuning/OpSignature.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <random>
#include <utility>

using namespace mlir;
using kiln::codegen::LoweringConfigAttr;
using kiln::runtime::Array;
using kiln::runtime::DType;

namespace kiln::tuning {

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

linalg::LinalgOp Kernel::op() const {
  linalg::LinalgOp found;
  ModuleOp(module.get()).walk([&](linalg::LinalgOp op) {
    if (isTunable(op, gpu))
      found = op;
  });
  return found;
}

/// The fill of a constant into an empty tensor that `value` is, if it is
/// one (the zeros a matmul accumulates into).
static linalg::FillOp constantFill(Value value) {
  auto fill = value.getDefiningOp<linalg::FillOp>();
  if (!fill || !fill.getInputs().front().getDefiningOp<arith::ConstantOp>() ||
      !fill.getOutputs().front().getDefiningOp<tensor::EmptyOp>())
    return {};
  return fill;
}

/// The value of `value` if it is a constant, possibly reshaped (a
/// convolution's filter collapsed to a matrix), as an attribute of
/// `value`'s type (a reshape keeps the bytes); null otherwise.
static TypedAttr constantValue(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  arith::ConstantOp constant = reshapedConstant(value);
  if (!constant || !type || !type.hasStaticShape())
    return {};
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue()))
    return dense.reshape(type);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(constant.getValue()))
    return DenseResourceElementsAttr::get(type, resource.getRawHandle());
  return {};
}

/// `op` alone in `func.func @kernel`: its inputs are the arguments, its
/// inits too unless they are fills of a constant, which come along (a
/// compiled function may write into its arguments' buffers: runs
/// accumulating into an argument would each see other values). A patch
/// matrix (kiln_codegen.im2col) comes along too, its input an argument: a
/// convolution's schedule decides whether its tiles are packed from the
/// input directly, so the kernel is timed the way the model runs it. So do
/// constant inputs (weights), which the model's code reads as constants: a
/// positions-major convolution's filter is transposed at compile time, and
/// as an argument it would be transposed tile by tile on every run.
static OwningOpRef<ModuleOp> kernelModule(linalg::LinalgOp op) {
  OpBuilder b(op->getContext());
  Location loc = op->getLoc();
  SmallVector<Value> arguments;
  for (Value operand : op->getOperands()) {
    if (auto im2col = operand.getDefiningOp<codegen::Im2ColOp>())
      operand = im2col.getInput();
    if (!constantFill(operand) && !constantValue(operand) &&
        !llvm::is_contained(arguments, operand))
      arguments.push_back(operand);
  }
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());
  auto function =
      func::FuncOp::create(b, loc, "kernel",
                           b.getFunctionType(ValueRange(arguments).getTypes(),
                                             op->getResultTypes()));
  Block *body = function.addEntryBlock();
  b.setInsertionPointToStart(body);
  IRMapping mapping;
  for (auto [value, argument] : llvm::zip(arguments, body->getArguments())) {
    mapping.map(value, argument);
    // (An argument the op writes into is copied, not overwritten.)
    function.setArgAttr(argument.getArgNumber(), "bufferization.writable",
                        b.getBoolAttr(false));
  }
  for (Value operand : op->getOperands())
    if (linalg::FillOp fill = constantFill(operand);
        fill && !mapping.contains(operand)) {
      b.clone(*fill.getInputs().front().getDefiningOp(), mapping);
      b.clone(*fill.getOutputs().front().getDefiningOp(), mapping);
      b.clone(*fill, mapping);
    }
  // (One constant of the operand's type: a reshape in the kernel would be
  // folded into the op by the pipeline's fusion, which the model's op
  // never sees.)
  for (Value operand : op->getOperands())
    if (TypedAttr value = constantValue(operand);
        value && !mapping.contains(operand))
      mapping.map(operand, arith::ConstantOp::create(b, loc, value));
  for (Value operand : op->getOperands())
    if (auto im2col = operand.getDefiningOp<codegen::Im2ColOp>();
        im2col && !mapping.contains(operand))
      b.clone(*im2col, mapping);
  Operation *clone = b.clone(*op, mapping);
  clone->removeAttr(LoweringConfigAttr::kAttrName);
  func::ReturnOp::create(b, loc, clone->getResults());
  return module;
}

llvm::Expected<std::vector<Kernel>>
extractKernels(ModuleOp model, const PipelineOptions &options) {
  // (Schedules are built in this context: the attributes' dialect must be
  // there before the pipeline would load it.)
  model.getContext()->getOrLoadDialect<codegen::KilnCodegenDialect>();
  OwningOpRef<ModuleOp> lowered = model.clone();
  // The pipeline up to kiln-cpu-select-lowering-config: the op forms the
  // configs are chosen for (and the tuning database is looked up with).
  PassManager pm(model.getContext());
  PipelineOptions tunable = options;
  tunable.stopAfter = PipelineStage::Tunable;
  buildPipeline(pm, tunable);
  if (failed(pm.run(*lowered)))
    return makeError("the model does not compile (see the diagnostics above)");

  std::vector<Kernel> kernels;
  bool gpu = options.device != Device::CPU;
  lowered->walk([&](linalg::LinalgOp op) {
    if (!isTunable(op, gpu))
      return;
    // The kernel must stand alone: no values from outside the op's body.
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(op->getRegions(), captured);
    if (!captured.empty())
      return;
    std::string signature = opSignature(op);
    for (Kernel &k : kernels)
      if (k.signature == signature) {
        ++k.occurrences;
        return;
      }
    Kernel kernel;
    kernel.signature = signature;
    llvm::raw_string_ostream loops(kernel.loops);
    llvm::interleave(op.getStaticLoopRanges(), loops, "x");
    kernel.occurrences = 1;
    kernel.gpu = gpu;
    kernel.module = kernelModule(op);
    kernels.push_back(std::move(kernel));
  });
  return kernels;
}

static std::string inputPath(llvm::StringRef dir, unsigned i) {
  return (dir + "/input_" + llvm::Twine(i) + ".npy").str();
}

llvm::Error prepareInputs(Kernel &kernel, const HarnessOptions &options) {
  static unsigned counter = 0;
  kernel.dataDir = (options.workDir + "/kernel" + llvm::Twine(counter++)).str();
  if (std::error_code ec = llvm::sys::fs::create_directories(kernel.dataDir))
    return makeError("cannot create " + kernel.dataDir + ": " + ec.message());
  auto function = *kernel.module->getOps<func::FuncOp>().begin();
  std::mt19937 rng(1);
  for (auto [i, type] : llvm::enumerate(function.getArgumentTypes())) {
    auto tensor = cast<RankedTensorType>(type);
    std::optional<DType> dtype = toDType(tensor.getElementType());
    std::string typeText;
    llvm::raw_string_ostream(typeText) << type;
    Array array;
    if (!dtype ||
        !array.allocate(*dtype, std::vector<int64_t>(tensor.getShape().begin(),
                                                     tensor.getShape().end())))
      return makeError("the harness cannot make values for input #" +
                       llvm::Twine(i) + " (" + typeText + ")");
    runtime::fillRandom(array, rng);
    std::string error;
    if (!runtime::writeNpy(inputPath(kernel.dataDir, i), array, error))
      return makeError(error);
  }
  return llvm::Error::success();
}

Measurement measure(const Kernel &kernel, LoweringConfigAttr config,
                    bool writeReference, double baselineSeconds,
                    const HarnessOptions &options, std::string &detail) {
  Measurement m;
  m.key.signature = kernel.signature;
  m.measuredAt = std::time(nullptr);
  m.status = MeasurementStatus::Failed;
  OwningOpRef<ModuleOp> candidate = ModuleOp(kernel.module.get()).clone();
  if (config)
    candidate->walk([&](linalg::LinalgOp op) {
      if (isTunable(op, kernel.gpu))
        op->setAttr(LoweringConfigAttr::kAttrName, config);
    });
  std::string baseline = kernel.dataDir + "/baseline.mlir";
  std::string path =
      writeReference ? baseline : kernel.dataDir + "/candidate.mlir";
  std::string out = kernel.dataDir + "/measure.out";
  std::string err = kernel.dataDir + "/measure.err";
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (ec) {
      detail = "cannot write " + path + ": " + ec.message();
      return m;
    }
    candidate->print(os);
  }
  std::string runs = std::to_string(options.runs);
  std::string warmup = std::to_string(options.warmup);
  std::vector<llvm::StringRef> args = {options.tool, "--measure",    path,
                                       "--data",     kernel.dataDir, "--runs",
                                       runs,         "--warmup",     warmup};
  if (writeReference)
    args.push_back("--write-reference");
  else if (baselineSeconds > 0) {
    args.push_back("--baseline");
    args.push_back(baseline);
  }
  if (options.warmInputs)
    args.push_back("--warm");
  for (const std::string &argument : options.deviceArguments)
    args.push_back(argument);
  std::optional<llvm::StringRef> redirects[] = {
      std::nullopt, llvm::StringRef(out), llvm::StringRef(err)};
  std::string message;
  int rc =
      llvm::sys::ExecuteAndWait(options.tool, args, std::nullopt, redirects,
                                options.timeLimitSeconds, 0, &message);
  auto readFile = [](const std::string &file) {
    auto buffer = llvm::MemoryBuffer::getFile(file);
    return buffer ? (*buffer)->getBuffer().trim().str() : std::string();
  };
  if (rc == 0) {
    std::string text = readFile(out);
    double seconds = 0, error = 0, ratio = 0;
    if (std::sscanf(text.c_str(), "seconds=%lf error=%lf ratio=%lf", &seconds,
                    &error, &ratio) == 3) {
      m.status = MeasurementStatus::Ok;
      m.seconds =
          baselineSeconds > 0 && ratio > 0 ? ratio * baselineSeconds : seconds;
      return m;
    }
    detail = "unexpected output: " + text;
    return m;
  }
  if (message.find("timed out") != std::string::npos) {
    m.status = MeasurementStatus::Timeout;
    detail = "over " + std::to_string(options.timeLimitSeconds) + " s";
    return m;
  }
  std::string stderrText = readFile(err);
  if (rc == 3) {
    m.status = MeasurementStatus::Wrong;
    detail = stderrText;
    return m;
  }
  detail = rc == -2 ? "crashed" : "exit " + std::to_string(rc);
  if (!message.empty())
    detail += " (" + message + ")";
  if (!stderrText.empty())
    detail += ": " + stderrText.substr(0, 300);
  return m;
}

/// The largest difference between two arrays of the same dtype and shape,
/// relative to the largest magnitude of `reference`.
static double relativeError(const Array &output, const Array &reference) {
  auto at = runtime::elementAsDouble;
  double scale = 0, worst = 0;
  for (int64_t i = 0, n = reference.numElements(); i < n; ++i) {
    scale = std::max(scale, std::fabs(at(reference, i)));
    double diff = std::fabs(at(output, i) - at(reference, i));
    if (!(diff <= worst)) // NaN counts as the worst
      worst = std::isnan(diff) ? INFINITY : diff;
  }
  if (worst == 0)
    return 0;
  return scale > 0 ? worst / scale : INFINITY;
}

/// A kernel file compiled for measuring (`module` keeps it).
static llvm::Expected<std::unique_ptr<CompiledModel>>
compileKernel(MLIRContext &context, const std::string &path,
              const PipelineOptions &pipeline, OwningOpRef<ModuleOp> &module) {
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  module = parseSourceFile<ModuleOp>(path, sourceMgr, &context);
  if (!module)
    return makeError("cannot parse " + path);
  CompileOptions options;
  options.pipeline = pipeline;
  return CompiledModel::compile(*module, options);
}

namespace {
/// A copy of an array in device memory (a real GPU's kernels read their
/// inputs there; the copies are made once, not timed).
struct DeviceArray {
  void *data = nullptr;
  size_t bytes = 0;
  DeviceArray() = default;
  DeviceArray(DeviceArray &&other)
      : data(std::exchange(other.data, nullptr)), bytes(other.bytes) {}
  DeviceArray &operator=(DeviceArray &&) = delete;
  ~DeviceArray() {
    if (data)
      kiln_cuda_free(data);
  }
};
} // namespace

/// The CUDA runtime's last error, cleared.
static std::string cudaError() {
  const char *error = kiln_cuda_error();
  std::string message = error ? error : "unknown CUDA error";
  kiln_cuda_clear_error();
  return message;
}

int measureMain(const std::string &kernelPath, const std::string &baselinePath,
                const std::string &dataDir, unsigned runs, unsigned warmup,
                bool writeReference, bool warmInputs,
                const MeasureDevice &device) {
  auto fail = [](const llvm::Twine &message) {
    llvm::errs() << message << "\n";
    return 2;
  };
  PipelineOptions pipeline = device.pipeline;
  bool onGPU = device.cudaDevice >= 0;
  if (onGPU) {
    llvm::Expected<std::string> arch = prepareCUDADevice(device.cudaDevice);
    if (!arch)
      return fail("CUDA device " + llvm::Twine(device.cudaDevice) + ": " +
                  llvm::toString(arch.takeError()));
    pipeline.gpuArgumentsOnDevice = true;
  }
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> kernelModule, baselineModule;
  auto compiled = compileKernel(context, kernelPath, pipeline, kernelModule);
  if (!compiled)
    return fail(llvm::toString(compiled.takeError()));
  CompiledModel &model = **compiled;
  std::unique_ptr<CompiledModel> baseline;
  if (!baselinePath.empty()) {
    auto compiledBaseline =
        compileKernel(context, baselinePath, pipeline, baselineModule);
    if (!compiledBaseline)
      return fail("the baseline: " +
                  llvm::toString(compiledBaseline.takeError()));
    baseline = std::move(*compiledBaseline);
  }

  // Enough copies of the inputs that one run's inputs are out of the caches
  // when they come round again (up to 64 MiB of them, at most 16); one with
  // warm inputs.
  std::vector<Array> inputs(model.inputs().size());
  size_t bytes = 0;
  std::string error;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!runtime::readNpy(inputPath(dataDir, i), inputs[i], error))
      return fail(error);
    bytes += inputs[i].numBytes();
  }
  size_t copies =
      warmInputs ? 1
                 : std::clamp<size_t>(
                       (size_t(64) << 20) / std::max<size_t>(bytes, 1), 1, 16);
  std::vector<std::vector<Array>> sets(copies);
  for (std::vector<Array> &set : sets)
    for (const Array &input : inputs) {
      Array copy;
      if (!copy.allocate(input.dtype, input.shape))
        return fail("out of memory");
      std::memcpy(copy.data.get(), input.data.get(), input.numBytes());
      set.push_back(std::move(copy));
    }
  Array output;
  const TensorSpec &spec = model.outputs().front();
  if (!output.allocate(spec.dtype, spec.shape))
    return fail("out of memory");
  // On a GPU, each set and the output in device memory.
  std::vector<std::vector<DeviceArray>> deviceSets(onGPU ? copies : 0);
  DeviceArray deviceOutput;
  auto toDevice = [&](const void *host, size_t bytes, DeviceArray &copy) {
    copy.bytes = bytes;
    copy.data = kiln_cuda_alloc(std::max<size_t>(bytes, 1));
    return copy.data && (!host || kiln_cuda_copy_to_device(
                                      copy.data, host, bytes, nullptr) == 0);
  };
  for (auto [set, deviceSet] : llvm::zip(sets, deviceSets))
    for (const Array &input : set) {
      deviceSet.emplace_back();
      if (!toDevice(input.data.get(), input.numBytes(), deviceSet.back()))
        return fail("copying the inputs to the GPU: " + cudaError());
    }
  if (onGPU && !toDevice(nullptr, output.numBytes(), deviceOutput))
    return fail("allocating the output on the GPU: " + cudaError());
  auto runOnce = [&](CompiledModel &kernel, size_t set) -> llvm::Error {
    std::vector<const void *> in;
    if (onGPU)
      for (const DeviceArray &a : deviceSets[set])
        in.push_back(a.data);
    else
      for (const Array &a : sets[set])
        in.push_back(a.data.get());
    void *out = onGPU ? deviceOutput.data : output.data.get();
    return kernel.run(in, out);
  };
  auto timeOnce = [&](CompiledModel &kernel,
                      size_t set) -> llvm::Expected<double> {
    auto start = std::chrono::steady_clock::now();
    if (llvm::Error err = runOnce(kernel, set))
      return std::move(err);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };
  for (unsigned i = 0; i < warmup; ++i) {
    if (llvm::Error err = runOnce(model, i % copies))
      return fail(llvm::toString(std::move(err)));
    if (baseline)
      if (llvm::Error err = runOnce(*baseline, (i + 1) % copies))
        return fail(llvm::toString(std::move(err)));
  }
  // With a baseline, each run of the candidate sits between two of the
  // baseline's, and its ratio is to their mean.
  std::vector<double> times, ratios;
  std::optional<double> before;
  size_t set = 0;
  if (baseline) {
    auto t = timeOnce(*baseline, set++ % copies);
    if (!t)
      return fail(llvm::toString(t.takeError()));
    before = *t;
  }
  for (unsigned i = 0; i < std::max(runs, 1u); ++i) {
    auto t = timeOnce(model, set++ % copies);
    if (!t)
      return fail(llvm::toString(t.takeError()));
    times.push_back(*t);
    if (baseline) {
      auto after = timeOnce(*baseline, set++ % copies);
      if (!after)
        return fail(llvm::toString(after.takeError()));
      ratios.push_back(*t / std::max((*before + *after) / 2, 1e-12));
      before = *after;
    }
  }
  auto median = [](std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? 0.0 : values[values.size() / 2];
  };

  // The output of the first set (the inputs' values are the same in each),
  // written over NaNs (all bits set): the baseline's runs wrote the same
  // buffer, and an element the candidate leaves alone must not pass for
  // one it computed.
  std::memset(output.data.get(), 0xff, output.numBytes());
  if (onGPU && kiln_cuda_copy_to_device(deviceOutput.data, output.data.get(),
                                        output.numBytes(), nullptr) != 0)
    return fail("copying to the GPU: " + cudaError());
  if (llvm::Error err = runOnce(model, 0))
    return fail(llvm::toString(std::move(err)));
  if (onGPU && kiln_cuda_copy_to_host(output.data.get(), deviceOutput.data,
                                      output.numBytes(), nullptr) != 0)
    return fail("copying the output from the GPU: " + cudaError());
  std::string referencePath = dataDir + "/reference.npy";
  double relative = 0;
  if (writeReference) {
    if (!runtime::writeNpy(referencePath, output, error))
      return fail(error);
  } else {
    Array reference;
    if (!runtime::readNpy(referencePath, reference, error))
      return fail(error);
    if (reference.shape != output.shape || reference.dtype != output.dtype)
      return fail("the reference is not of the output's type");
    relative = relativeError(output, reference);
    // Floats are summed in another order by another schedule; integers must
    // be exact.
    // (An f16 result is rounded from f32 sums: a different order of them
    // moves it by an f16 ulp, 1e-3 of its magnitude.)
    bool isFloat = output.dtype == DType::F32 || output.dtype == DType::F64;
    double tolerance = output.dtype == DType::F16 ? 1e-2 : isFloat ? 1e-3 : 0;
    if (relative > tolerance) {
      if (std::isinf(relative))
        llvm::errs() << "output differs from the heuristic schedule's: one "
                        "of them has NaNs (elements not written), or the "
                        "reference is all zeros\n";
      else
        llvm::errs() << "output differs from the heuristic schedule's by "
                     << relative << " of its largest magnitude\n";
      return 3;
    }
  }
  llvm::outs() << "seconds=" << llvm::format("%.9g", median(times))
               << " error=" << llvm::format("%.3g", relative)
               << " ratio=" << llvm::format("%.9g", median(ratios)) << "\n";
  return 0;
}

} // namespace kiln::tuning
