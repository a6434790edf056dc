#!/usr/bin/env bash
#===- scripts/fuzz.sh - build and run Kiln's libFuzzer harnesses -----------===#
#
# Builds the harnesses of test/fuzz (the ONNX importer, the .npy reader, nn
# IR through the CPU code generator) with clang-22, libFuzzer, ASan and
# UBSan into build-sanitize/ (the tree scripts/sanitize.sh uses), then runs
# each one:
#
#   scripts/fuzz.sh                      each harness for 10 minutes
#   scripts/fuzz.sh --time 60 npy        one harness for a minute
#   scripts/fuzz.sh --runs 1000000       each harness for a million inputs
#   scripts/fuzz.sh --regression         each harness for 20 s: what
#                                        scripts/test.sh runs
#
# A run starts from the committed seed corpus (test/fuzz/corpus/<name>) and
# keeps what it finds in build-sanitize/fuzz/<name>/corpus (never in the
# source tree). A crash, a sanitizer report, a leak-free timeout (-timeout)
# or an out-of-memory (-rss_limit_mb) leaves its input in
# build-sanitize/fuzz/<name>/ and fails the run. Each run ends with a line
# `fuzz <name>: N runs, cov C ft F, ok` (or FAILED); the whole with
# `fuzz: N passed, N failed` and a non-zero exit when any failed.
#
# Options: --time S, --runs N, --regression, --jobs N (parallel workers per
# harness), --build-dir DIR; names (onnx, npy, ir) pick harnesses.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build-sanitize
time_limit=600
runs=""
jobs=1
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) time_limit="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    --regression) time_limit=20 ;;
    --jobs) jobs="$2"; shift ;;
    --build-dir) build_dir="$2"; shift ;;
    -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    onnx|npy|ir) names+=("$1") ;;
    *) echo "fuzz.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[ ${#names[@]} -gt 0 ] || names=(onnx npy ir)

mkdir -p "$build_dir"
echo "==> Building the fuzz harnesses in $build_dir/"
bash scripts/sanitize.sh --build-only --build-dir "$build_dir" \
  --target kiln-fuzzers > "$build_dir/fuzz-build.log" 2>&1 || {
  tail -n 30 "$build_dir/fuzz-build.log"
  echo "fuzz: the harnesses did not build"
  exit 1
}

# The detect_leaks and allow_user_poisoning settings: docs/development.md,
# "Sanitizers" (Debian's uninstrumented libMLIR).
export ASAN_OPTIONS="detect_leaks=0:allow_user_poisoning=0:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-22/bin/llvm-symbolizer

passed=0
failed=0
for name in "${names[@]}"; do
  work="$build_dir/fuzz/$name"
  mkdir -p "$work/corpus"
  args=(-timeout=30 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1
        -artifact_prefix="$work/")
  [ -f "test/fuzz/$name.dict" ] && args+=(-dict="test/fuzz/$name.dict")
  if [ -n "$runs" ]; then
    args+=(-runs="$runs")
  else
    args+=(-max_total_time="$time_limit")
  fi
  [ "$jobs" -gt 1 ] && args+=(-fork="$jobs")
  log="$work/last-run.log"
  status=0
  "$build_dir/bin/kiln-fuzz-$name" "${args[@]}" "$work/corpus" \
    "test/fuzz/corpus/$name" > "$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 || true)
  if [ "$status" -eq 0 ]; then
    echo "fuzz $name: ${execs:-?} runs, ${cov:-no coverage line}, ok"
    passed=$((passed + 1))
  else
    echo "fuzz $name: ${execs:-?} runs, ${cov:-no coverage line}, FAILED (exit $status; $log):"
    { grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$log" || tail -n 3 "$log"; } \
      | head -n 5 | sed 's/^/  /'
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
