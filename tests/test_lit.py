"""Runs the lit + FileCheck tests under tests/lit (rule table, IR structure, error messages).

    ENZPY_OPT=build/dev/cpp/enzpy-opt lit -v tests/lit

enzpy-opt is found like tests/test_c_programs.py finds it: $ENZPY_OPT, then PATH, then
build/*/cpp/enzpy-opt. FileCheck and not come from LLVM 22 (/usr/lib/llvm-22/bin or
$LLVM_TOOLS_DIR), see tests/lit/lit.cfg.py.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LIT_DIR = REPO / "tests" / "lit"
TIMEOUT = 900  # seconds for the whole suite


from conftest import find_enzpy_opt as _find_enzpy_opt  # noqa: E402  ($ENZPY_OPT, PATH, build/)


def _lit_command() -> list[str] | None:
    # the pip package has no lit/__main__.py: call its entry point, lit.main:main
    if importlib.util.find_spec("lit") is not None and importlib.util.find_spec("lit.main") is not None:
        return [sys.executable, "-c", "import sys, lit.main; sys.exit(lit.main.main())"]
    script = shutil.which("lit") or shutil.which("llvm-lit")
    if script:
        return [script]
    if os.access("/usr/lib/llvm-22/bin/lit", os.X_OK):
        return ["/usr/lib/llvm-22/bin/lit"]
    return None


def _find_filecheck() -> str | None:
    for d in (os.environ.get("LLVM_TOOLS_DIR"), "/usr/lib/llvm-22/bin"):
        if d and os.access(os.path.join(d, "FileCheck"), os.X_OK):
            return os.path.join(d, "FileCheck")
    return shutil.which("FileCheck-22")


ENZPY_OPT = _find_enzpy_opt()
LIT = _lit_command()

if ENZPY_OPT is None:
    pytest.skip(
        "enzpy-opt not found (neither $ENZPY_OPT, nor on PATH, nor build/*/cpp/enzpy-opt); "
        "build the project first",
        allow_module_level=True,
    )
if LIT is None:
    pytest.skip("lit not found (pip install lit)", allow_module_level=True)
if _find_filecheck() is None:
    pytest.skip("LLVM 22 FileCheck not found (/usr/lib/llvm-22/bin or $LLVM_TOOLS_DIR)", allow_module_level=True)
if shutil.which("clang-22") is None:
    pytest.skip("clang-22 not found on PATH (the execution tests link with it)", allow_module_level=True)


def test_lit_suite():
    env = dict(os.environ, ENZPY_OPT=os.path.abspath(ENZPY_OPT))
    cmd = LIT + ["-q", "--no-progress-bar", str(LIT_DIR)]
    try:
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"lit timed out after {TIMEOUT}s: {' '.join(cmd)}\n{e.stdout or ''}\n{e.stderr or ''}")
    assert proc.returncode == 0, (
        f"lit failed (exit code {proc.returncode}): {' '.join(cmd)}\n"
        f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    )
