"""Shared test helpers: where the enzpy-opt binary and clang-22 are."""
import glob
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

if os.environ.get("ENZPY_CHECK_SPLIT") == "1":     # split mode cross-checks every Reverse call
    pytest_plugins = ["split_crosscheck"]


def find_enzpy_opt():
    """$ENZPY_OPT, else enzpy-opt on PATH (pip install .), else a development build under build/."""
    env = os.environ.get("ENZPY_OPT")
    if env and os.access(env, os.X_OK):
        return env
    found = shutil.which("enzpy-opt")
    if found:
        return found
    builds = sorted(glob.glob(str(REPO / "build" / "*" / "cpp" / "enzpy-opt")))
    return builds[0] if builds else None


@pytest.fixture(scope="session")
def enzpy_opt():
    path = find_enzpy_opt()
    if path is None:
        pytest.skip("enzpy-opt not built (pip install . or a build under build/)")
    return path


def pytest_configure(config):
    config.addinivalue_line("markers", "gpu: needs a CUDA GPU (tests/test_cuda_gpu.py); skipped "
                            "when numba.cuda.is_available() is false")
