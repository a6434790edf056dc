"""pytest setup for the Python API tests: import kiln from the build tree
(not from wherever a kiln.pth points) and fail early, not skip, when it has
not been built."""

import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("KILN_BUILD_DIR", ROOT / "build"))
PACKAGES = BUILD / "python_packages"

sys.path.insert(0, str(PACKAGES))
sys.path.insert(0, str(pathlib.Path(__file__).parent))


def pytest_sessionstart(session):
    if not (PACKAGES / "kiln" / "__init__.py").exists():
        raise SystemExit(f"{PACKAGES}/kiln is missing: build Kiln first "
                         "(scripts/test.sh does)")
