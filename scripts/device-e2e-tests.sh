#!/usr/bin/env bash
# The test/e2e files that run through kiln-run's --device (KILN_E2E_DEVICE),
# one per line: all but the CPU-thread, AOT, tuning-database and PTX ones,
# which do not go through it, and the vendor-library and GPU-benchmark
# ones, which choose their devices themselves. scripts/test.sh runs them on the emulated GPU,
# scripts/gpu-check.sh on a real one. Run from the repository's root.
for test in test/e2e/test_*.py; do
  case "$(basename "$test")" in
    test_threads.py|test_aot.py|test_tuning_db.py|test_gpu_kernels.py) ;;
    test_gpu_libraries.py|test_gpu_benchmarks.py|test_profile.py) ;;
    *) echo "$test" ;;
  esac
done
