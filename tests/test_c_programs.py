"""End-to-end tests of the Enzyme C ABI through enzpy-opt.

For every self-checking program tests/c/*.c and every optimisation level
-O1/-O2/-O3:

    clang-22 -O{n} -S -emit-llvm prog.c -o prog.ll
    enzpy-opt prog.ll -o out.ll
    clang-22 out.ll -lm -o prog
    ./prog            # exit code 0 <=> every derivative matched

Each program prints one line per comparison and PASS/FAIL at the end; that
output is shown when a test fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
C_DIR = REPO / "tests" / "c"
PROGRAMS = sorted(C_DIR.glob("*.c"))
OPT_LEVELS = ["-O1", "-O2", "-O3"]
TIMEOUT = 300  # seconds for any single step


from conftest import find_enzpy_opt as _find_enzpy_opt  # noqa: E402  ($ENZPY_OPT, PATH, build/)


ENZPY_OPT = _find_enzpy_opt()
CLANG = shutil.which("clang-22")

if ENZPY_OPT is None:
    pytest.skip(
        "enzpy-opt not found (neither on PATH, nor $ENZPY_OPT, nor build/*/cpp/enzpy-opt); "
        "build the project first",
        allow_module_level=True,
    )
if CLANG is None:
    pytest.skip("clang-22 not found on PATH", allow_module_level=True)


def _run(cmd, cwd, what):
    try:
        proc = subprocess.run(
            [str(c) for c in cmd],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"{what} timed out after {TIMEOUT}s: {' '.join(map(str, cmd))}\n{e.stdout or ''}")
    return proc


def _require_ok(proc, cmd, what):
    if proc.returncode != 0:
        pytest.fail(
            f"{what} failed (exit code {proc.returncode}): {' '.join(map(str, cmd))}\n"
            f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
        )


def test_enzpy_opt_version():
    cmd = [ENZPY_OPT, "--version"]
    proc = _run(cmd, REPO, "enzpy-opt --version")
    _require_ok(proc, cmd, "enzpy-opt --version")
    assert (proc.stdout + proc.stderr).strip(), "enzpy-opt --version printed nothing"


def test_enough_programs():
    assert len(PROGRAMS) >= 34, [p.name for p in PROGRAMS]


@pytest.mark.parametrize("opt", OPT_LEVELS)
@pytest.mark.parametrize("src", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_c_program(src: Path, opt: str, tmp_path: Path):
    ll = tmp_path / f"{src.stem}.ll"
    out_ll = tmp_path / f"{src.stem}.enzpy.ll"
    exe = tmp_path / src.stem

    cmd = [CLANG, opt, "-S", "-emit-llvm", f"-I{C_DIR}", src, "-o", ll]
    _require_ok(_run(cmd, tmp_path, "clang"), cmd, "clang -emit-llvm")

    cmd = [ENZPY_OPT, ll, "-o", out_ll]
    _require_ok(_run(cmd, tmp_path, "enzpy-opt"), cmd, "enzpy-opt")

    cmd = [CLANG, out_ll, "-lm", "-o", exe]
    _require_ok(_run(cmd, tmp_path, "link"), cmd, "clang link")

    proc = _run([exe], tmp_path, "program")
    assert proc.returncode == 0, (
        f"{src.name} {opt}: exit code {proc.returncode}\n"
        f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    )
    assert "PASS" in proc.stdout, proc.stdout
