#!/usr/bin/env bash
# The GPU suite, for a machine with an NVIDIA GPU (the project's own
# machines and CI have none; the `device` tool lends one now and then).
#
#   scripts/gpu-check.sh [--build-dir DIR]
#
# Builds Kiln, checks that the driver and device 0 work with Kiln's CUDA
# runtime, then runs every GPU test: the runtime on the device
# (Runtime/cuda-device.test, which lit skips without a device), the GPU
# passes' and kiln-compile's GPU tests, the kernels of the example,
# ResNet-18 and a transformer encoder through ptxas, the tensor-core
# matmuls on the emulated GPU, then the op and model tests (test/e2e, the
# ones scripts/test.sh runs on the emulated GPU) on the GPU itself
# (kiln-run --device=cuda) and a compiled executable, then kiln-tune on
# the GPU (no candidate may fail or be wrong; the tuned model against
# the CPU's output), then the GPU benchmarks, short (one round, some
# cases; benchmarks/gpu_kernels.py and gpu_models.py time everything).
# Exits 1 on the first missing piece or failure, saying which.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift ;;
    *) echo "gpu-check: unknown argument '$1'" >&2; exit 1 ;;
  esac
  shift
done

if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -G Ninja -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit
fi
cmake --build "$build_dir" --target all

echo "gpu-check: the device"
command -v nvidia-smi >/dev/null && nvidia-smi -L || true
if ! "$build_dir/bin/kiln-test-cuda-runtime" probe; then
  echo "gpu-check: error: no usable CUDA device 0 (above): this script needs an NVIDIA GPU and its driver" >&2
  exit 1
fi

echo "gpu-check: lit's GPU tests"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
/usr/lib/llvm-22/bin/lit -sv --show-unsupported "$build_dir/test" \
  --filter 'Runtime/cuda|Target/GPU|kiln-compile/gpu|kiln-run/device' | tee "$log"
if grep -q "Runtime/cuda-device.test" <(sed -n '/^Unsupported Tests/,/^$/p' "$log"); then
  echo "gpu-check: error: lit did not run Runtime/cuda-device.test (it found no device)" >&2
  exit 1
fi

echo "gpu-check: kernels through ptxas, tensor-core matmuls on the emulated GPU"
KILN_BUILD_DIR="$(cd "$build_dir" && pwd)" /usr/bin/python3 -m pytest -q \
  -p no:cacheprovider test/e2e/test_gpu_kernels.py

echo "gpu-check: cuBLAS matmuls and cuDNN convolutions (--gpu-libraries), fake and real"
KILN_BUILD_DIR="$(cd "$build_dir" && pwd)" KILN_E2E_DEVICE=cuda \
  /usr/bin/python3 -m pytest -q -p no:cacheprovider test/e2e/test_gpu_libraries.py

echo "gpu-check: the op and model tests on the GPU (kiln-run --device=cuda)"
mapfile -t tests < <(bash scripts/device-e2e-tests.sh)
KILN_BUILD_DIR="$(cd "$build_dir" && pwd)" KILN_E2E_DEVICE=cuda \
  /usr/bin/python3 -m pytest -q -p no:cacheprovider "${tests[@]}"

echo "gpu-check: a compiled executable on the GPU against the CPU's"
exe_dir=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$exe_dir"' EXIT
"$build_dir/bin/kiln-compile" docs/examples/tiny_cnn.mlir --device=cuda \
  --gpu-arch=sm_80,sm_90a -o "$exe_dir/gpu"
"$build_dir/bin/kiln-compile" docs/examples/tiny_cnn.mlir -o "$exe_dir/cpu"
"$exe_dir/gpu" --random 1 --output "$exe_dir/gpu.npy"
"$exe_dir/cpu" --random 1 --output "$exe_dir/cpu.npy"
/usr/bin/python3 -c "import numpy, sys; g = numpy.load(sys.argv[1]); c = numpy.load(sys.argv[2]); \
assert numpy.allclose(g, c, rtol=1e-4, atol=1e-5), (g, c); print('gpu-check: executable: GPU output matches the CPU output')" \
  "$exe_dir/gpu.npy" "$exe_dir/cpu.npy"

echo "gpu-check: kiln-tune --device=cuda (Kiln's schedules and cuBLAS/cuDNN)"
cat > "$exe_dir/tune.mlir" <<'MLIR'
func.func @main(%a: tensor<256x128xf16>, %b: tensor<128x256xf16>, %x: tensor<1x16x32x32xf32>, %w: tensor<32x16x3x3xf32>) -> (tensor<256x256xf32>, tensor<1x32x32x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x256xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<256x256xf32>) -> tensor<256x256xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<256x128xf16>, tensor<128x256xf16>) outs(%init : tensor<256x256xf32>) -> tensor<256x256xf32>
  %c = nn.conv2d %x, %w padding [1, 1, 1, 1] : (tensor<1x16x32x32xf32>, tensor<32x16x3x3xf32>) -> tensor<1x32x32x32xf32>
  return %mm, %c : tensor<256x256xf32>, tensor<1x32x32x32xf32>
}
MLIR
"$build_dir/bin/kiln-tune" "$exe_dir/tune.mlir" --db "$exe_dir/tune.db" \
  --device=cuda --budget 8 --runs 5 --warmup 2 | tee "$log"
# Every measured candidate ran and matched (one that compiles slowly may
# time out: that is the harness's limit, not an error).
if grep -Eq ': (wrong|failed) \(' "$log"; then
  echo "gpu-check: error: kiln-tune --device=cuda: some candidates failed or were wrong (above)" >&2
  exit 1
fi
"$build_dir/bin/kiln-run" "$exe_dir/tune.mlir" --device=cuda \
  --tuning-db "$exe_dir/tune.db" -v --random 3 \
  --output "$exe_dir/tuned0.npy" --output "$exe_dir/tuned1.npy"
"$build_dir/bin/kiln-run" "$exe_dir/tune.mlir" --random 3 \
  --output "$exe_dir/cpu0.npy" --output "$exe_dir/cpu1.npy"
for i in 0 1; do
  /usr/bin/python3 -c "import numpy, sys; g = numpy.load(sys.argv[1]); c = numpy.load(sys.argv[2]); \
assert numpy.allclose(g, c, rtol=1e-3, atol=1e-3), abs(g - c).max(); print('gpu-check: tuned output', sys.argv[3], 'matches the CPU output')" \
    "$exe_dir/tuned$i.npy" "$exe_dir/cpu$i.npy" "$i"
done

echo "gpu-check: GPU benchmarks (short: one round, some cases)"
/usr/bin/python3 benchmarks/gpu_kernels.py --build-dir "$build_dir" \
  --rounds 1 --only "sgemm 4096" "hgemm 4096" "conv 64x56x56>64 3x3/1" \
  "conv 256x14x14>256 3x3/1" --out "$exe_dir/gpu_kernels.csv"
/usr/bin/python3 benchmarks/gpu_models.py --build-dir "$build_dir" \
  --rounds 1 --reps 20 --only resnet18/1 transformer/32 \
  --out "$exe_dir/gpu_models.csv"
echo "gpu-check: passed"
