#!/usr/bin/env bash
#===- scripts/sanitize.sh - Kiln's tests under ASan and UBSan --------------===#
#
# Builds Kiln with clang-22, AddressSanitizer and UndefinedBehaviorSanitizer
# (KILN_ENABLE_SANITIZERS; the fuzz harnesses too, KILN_ENABLE_FUZZERS) into
# build-sanitize/, then runs the lit and pytest suites against that build:
# every kiln-* tool and the Python extension are instrumented; LLVM/MLIR
# are Debian's uninstrumented libraries. Any sanitizer report fails the
# test that triggered it. Ends with `kiln (sanitized): N passed, N failed`.
#
# Known exceptions, switched off here (docs/development.md, "Sanitizers"):
#  - allow_user_poisoning=0: LLVM's BumpPtrAllocator is a header template
#    that poisons its slabs in instrumented code while the copy inside
#    libMLIR.so never unpoisons them: every attribute MLIR creates would be
#    reported as a use-after-poison.
#  - detect_leaks=0: MLIR contexts and LLVM's global registries are freed
#    at exit or never, by design.
#
# Options: --build-only (configure and build, run nothing), --target T
# (build only T), --build-dir DIR; other arguments go to lit.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build-sanitize
build_only=0
targets=(all kiln-doc)
lit_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-only) build_only=1 ;;
    --target) targets=("$2"); shift ;;
    --build-dir) build_dir="$2"; shift ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) lit_args+=("$1") ;;
  esac
  shift
done

for tool in clang-22 clang++-22; do
  command -v "$tool" > /dev/null || {
    echo "sanitize.sh: $tool is missing (scripts/setup.sh installs it)" >&2
    exit 1
  }
done
asan_runtime=$(clang-22 -print-file-name=libclang_rt.asan-x86_64.so)
[ -f "$asan_runtime" ] || {
  echo "sanitize.sh: clang's sanitizer runtimes are missing (libclang-rt-22-dev)" >&2
  exit 1
}

if [ ! -f "$build_dir/build.ninja" ]; then
  # -g1: line tables for the reports' stack traces, at a fraction of -g's
  # size and build time.
  cmake -G Ninja -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_C_FLAGS=-g1 -DCMAKE_CXX_FLAGS=-g1 \
    -DKILN_ENABLE_SANITIZERS=ON -DKILN_ENABLE_FUZZERS=ON \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit > /dev/null
fi
# Cache hits from any checkout directory (-g1 would otherwise put the
# directory into ccache's key).
CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true \
  cmake --build "$build_dir" --target "${targets[@]}"
[ "$build_only" = 1 ] && exit 0

export ASAN_OPTIONS="detect_leaks=0:allow_user_poisoning=0:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-22/bin/llvm-symbolizer
# Debian's python3 is not instrumented: the ASan runtime is preloaded into
# the pytest process for the extension module (the tools the tests start
# have theirs linked in; two runtimes in one process abort).
export KILN_TEST_PRELOAD="$asan_runtime"
bash scripts/test.sh --build-dir "$build_dir" --no-fuzz \
  ${lit_args[@]+"${lit_args[@]}"} | sed 's/^kiln: \([0-9]* passed\)/kiln (sanitized): \1/'
