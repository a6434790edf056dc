#!/usr/bin/env bash
#===- scripts/test.sh - build and run the whole Kiln test suite ------------===#
#
# The README's second command, and what .ci/run calls. Builds incrementally
# (configuring first if needed), then runs every lit test (test/, FileCheck)
# and every pytest test (test/e2e: compiled models against numpy; test/python:
# the Python API, docs/python.md included), then each fuzz harness for 20 s
# under ASan/UBSan (scripts/fuzz.sh --regression, build-sanitize/). Ends with
# one line `kiln: N passed, N failed, N skipped` (the skipped ones, which need
# what this machine lacks, e.g. a CUDA device, named with the reason just
# before it) and exits non-zero when anything failed.
#
# Options: --build-dir DIR, --no-fuzz (skip the fuzzing regression); any
# other argument goes to lit (e.g. --filter NN).
#
#===------------------------------------------------------------------------===#
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
fuzz=1
lit_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift ;;
    --no-fuzz) fuzz=0 ;;
    *) lit_args+=("$1") ;;
  esac
  shift
done

if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -G Ninja -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit
fi
# `all` plus the generated docs, which a test compares with docs/reference/.
cmake --build "$build_dir" --target all kiln-doc

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
/usr/lib/llvm-22/bin/lit -sv --show-unsupported "$build_dir/test" ${lit_args[@]+"${lit_args[@]}"} 2>&1 \
  | tee "$log" || status=$?

# (lit pads the names to one width: `Passed     : 90`.)
count() { sed -n "s/^ *$1 *: *\([0-9]*\).*/\1/p" "$log" | tail -n 1; }
passed=$(( $(count Passed || true) + 0 ))
failed=$(( $(count Failed || true) + 0 + $(count Unresolved || true) + 0 \
  + $(count 'Timed Out' || true) + 0 ))
# Tests whose requirements this machine lacks (a CUDA device, the CUDA
# toolkit): named, with lit's note of why, in the summary.
skipped=$(( $(count Unsupported || true) + 0 ))
skipped_tests=$(sed -n '/^Unsupported Tests/,/^$/s/^  Kiln :: //p' "$log" \
  | paste -sd ' ' -)
skip_notes=$(sed -n 's/^lit: .*note: //p' "$log")

# End-to-end numeric tests and the Python API's (Debian's /usr/bin/python3
# with numpy and pytest).
pylog=$(mktemp)
trap 'rm -f "$log" "$pylog"' EXIT
pystatus=0
# $KILN_TEST_PRELOAD (scripts/sanitize.sh: the ASan runtime) is preloaded
# into this python3 only, not into the processes the tests start.
KILN_BUILD_DIR="$(cd "$build_dir" && pwd)" LD_PRELOAD="${KILN_TEST_PRELOAD:-}" \
  /usr/bin/python3 -c "import os, sys, pytest; os.environ.pop('LD_PRELOAD', None); \
sys.exit(pytest.main(['test/e2e', 'test/python', '-q', '-p', 'no:cacheprovider']))" \
  2>&1 | tee "$pylog" || pystatus=$?
[ "$pystatus" -eq 0 ] || status=$pystatus
pycount() { grep -Eo "[0-9]+ $1" "$pylog" | tail -n 1 | cut -d' ' -f1; }
passed=$(( passed + $(pycount passed || true) + 0 ))
failed=$(( failed + $(pycount failed || true) + 0 + $(pycount error || true) + 0 ))
skipped=$(( skipped + $(pycount skipped || true) + 0 ))

# The op and model tests again on --device=emulated-cuda: the GPU schedule
# (its tiles, buffers and block/thread loops) run on this CPU against the
# same numpy and PyTorch references. Not the tests of CPU threads, AOT
# executables, tuning databases or PTX, which do not go through kiln-run's
# device.
echo "kiln: the op and model tests on --device=emulated-cuda"
mapfile -t emulated < <(bash scripts/device-e2e-tests.sh)
KILN_BUILD_DIR="$(cd "$build_dir" && pwd)" KILN_E2E_DEVICE=emulated-cuda \
  LD_PRELOAD="${KILN_TEST_PRELOAD:-}" \
  /usr/bin/python3 -c "import os, sys, pytest; os.environ.pop('LD_PRELOAD', None); \
sys.exit(pytest.main(sys.argv[1:] + ['-q', '-p', 'no:cacheprovider']))" "${emulated[@]}" \
  2>&1 | tee "$pylog" || pystatus=$?
[ "$pystatus" -eq 0 ] || status=$pystatus
passed=$(( passed + $(pycount passed || true) + 0 ))
failed=$(( failed + $(pycount failed || true) + 0 + $(pycount error || true) + 0 ))
skipped=$(( skipped + $(pycount skipped || true) + 0 ))

# Fuzzing regression: each libFuzzer harness 20 s from its seed corpus,
# under ASan and UBSan (scripts/fuzz.sh; its build tree is
# build-sanitize/). Each harness counts as one test.
if [ "$fuzz" = 1 ]; then
  fuzzlog=$(mktemp)
  trap 'rm -f "$log" "$pylog" "$fuzzlog"' EXIT
  fuzzstatus=0
  bash scripts/fuzz.sh --regression 2>&1 | tee "$fuzzlog" || fuzzstatus=$?
  [ "$fuzzstatus" -eq 0 ] || status=$fuzzstatus
  passed=$(( passed + $(grep -c '^fuzz [a-z]*: .*, ok$' "$fuzzlog" || true) ))
  failed=$(( failed + $(grep -c '^fuzz [a-z]*: .*FAILED' "$fuzzlog" || true) ))
  if ! grep -q '^fuzz: ' "$fuzzlog"; then
    echo "kiln: the fuzzing regression did not run (see above)" >&2
    failed=$(( failed + 1 ))
  fi
fi

if [ "$skipped" -gt 0 ]; then
  echo "kiln: skipped: ${skipped_tests:-(pytest: see its summary)}"
  [ -z "$skip_notes" ] || echo "kiln: $skip_notes"
fi
echo "kiln: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "kiln: no test ran" >&2
  exit 1
fi
exit "$status"
