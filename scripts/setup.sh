#!/usr/bin/env bash
#===- scripts/setup.sh - install, build and demo Kiln ----------------------===#
#
# The README's first command. On Debian 12 it:
#   1. installs every system package Kiln needs with apt-get (skipped when all
#      are present, so it is safe to re-run),
#   2. configures (Ninja, ccache) and builds into build/,
#   3. makes `import kiln` work for Debian's /usr/bin/python3: a kiln.pth in
#      the user's site-packages points at build/python_packages,
#   4. compiles the bundled example model into an executable for this CPU
#      (kiln-compile) and runs it.
#
#   5. installs the benchmarks' ONNX Runtime (npm's onnxruntime-node, CPU)
#      into build/peers/ (benchmarks/models.py; a failure only warns).
#
# Options: --no-install (skip apt-get), --no-demo, --no-python-path (skip
# step 3; use PYTHONPATH=build/python_packages instead), --no-peers (skip
# step 5), --build-dir DIR.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
cd "$(dirname "$0")/.."

install=1
demo=1
python_path=1
peers=1
build_dir=build
while [ $# -gt 0 ]; do
  case "$1" in
    --no-install) install=0 ;;
    --no-demo) demo=0 ;;
    --no-python-path) python_path=0 ;;
    --no-peers) peers=0 ;;
    --build-dir) build_dir="$2"; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

# Keep this list in step with docs/development.md.
packages=(
  build-essential cmake ninja-build ccache git pkg-config
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools clang-22 lld-22
  libclang-rt-22-dev
  python3 python3-numpy python3-pytest python3-torch libopenblas-dev
  python3-matplotlib python3-dev pybind11-dev libsqlite3-dev
  g++-aarch64-linux-gnu g++-riscv64-linux-gnu qemu-user
  libonnx-dev libprotobuf-dev python3-onnx python3-torchvision libonnx-testdata
)

if [ "$install" = 1 ]; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> Installing: ${missing[*]}"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
      --no-install-recommends "${missing[@]}"
  else
    echo "==> All ${#packages[@]} system packages are installed"
  fi
fi

echo "==> Configuring and building in $build_dir/"
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -G Ninja -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit
fi
cmake --build "$build_dir"

if [ "$python_path" = 1 ]; then
  # What `pip install -e` would do, without pip: Debian's python3 reads .pth
  # files in the user's site-packages at startup.
  site=$(/usr/bin/python3 -m site --user-site)
  mkdir -p "$site"
  echo "$(cd "$build_dir" && pwd)/python_packages" > "$site/kiln.pth"
  echo "==> import kiln: $site/kiln.pth -> $build_dir/python_packages"
fi

if [ "$peers" = 1 ]; then
  # ONNX Runtime for benchmarks/models.py: the npm package's CPU build (its
  # install script would download CUDA binaries: skipped).
  # (Only when npm is missing: NodeSource's nodejs bundles npm and conflicts
  # with Debian's npm package, so npm is not in the list above.)
  if ! command -v npm >/dev/null && [ "$install" = 1 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
      --no-install-recommends nodejs npm \
      || echo "==> warning: apt-get could not install nodejs and npm" >&2
  fi
  if [ -d "$build_dir/peers/node_modules/onnxruntime-node" ]; then
    echo "==> ONNX Runtime (benchmarks): $build_dir/peers/node_modules/onnxruntime-node"
  elif ! command -v npm >/dev/null; then
    echo "==> warning: no npm: benchmarks/models.py needs ONNX Runtime" \
      "(onnxruntime-node); the tests do not" >&2
  else
    echo "==> Installing ONNX Runtime for the benchmarks into $build_dir/peers/"
    mkdir -p "$build_dir/peers"
    (cd "$build_dir/peers" && ONNXRUNTIME_NODE_INSTALL=skip npm install \
      --ignore-scripts --no-audit --no-fund onnxruntime-node >/dev/null) \
      || echo "==> warning: npm could not install onnxruntime-node;" \
        "benchmarks/models.py needs it (the tests do not)" >&2
  fi
fi

if [ "$demo" = 1 ]; then
  model=docs/examples/tiny_cnn.mlir
  echo "==> Demo: compile $model into an executable for this CPU" \
    "($build_dir/demo/tiny_cnn) and run it on a random image"
  mkdir -p "$build_dir/demo"
  "$build_dir/bin/kiln-compile" "$model" -o "$build_dir/demo/tiny_cnn" -v
  "$build_dir/demo/tiny_cnn" --random 42 --bench 100
  cat <<EOF
==> Kiln is built: $build_dir/bin/kiln-compile, kiln-run, kiln-opt.
    The same model for AArch64, run here under qemu (README: "Compiling ahead of time"):
      $build_dir/bin/kiln-compile $model --target=aarch64-linux-gnu -o tiny_cnn-arm64
      qemu-aarch64 ./tiny_cnn-arm64 --random 42
    Run the tests with scripts/test.sh
EOF
fi
