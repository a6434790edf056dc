"""pytest setup for the end-to-end tests: make kiln_e2e importable and fail
early (not skip) when kiln-run has not been built."""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import kiln_e2e  # noqa: E402


def pytest_sessionstart(session):
    if not kiln_e2e.KILN_RUN.exists():
        raise SystemExit(f"{kiln_e2e.KILN_RUN} is missing: build Kiln first "
                         "(scripts/test.sh does)")
