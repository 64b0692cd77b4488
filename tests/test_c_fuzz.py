"""Differential fuzzing of enzpy-opt's derivatives on random C programs (tests/fuzz/cgen.py,
tests/fuzz/crun.py): each program is built with clang-22, passed through enzpy-opt, linked and run;
its reverse-mode gradient is checked against central finite differences, its forward-mode tangent
against the gradient (dot-product test), and the primal side effects of both calls.

``ENZPY_CFUZZ_N`` programs (default 40) under the fixed seed ``ENZPY_CFUZZ_SEED`` (default 2026),
``ENZPY_CFUZZ_JOBS`` at a time (default 2). Asserts no wrong derivative, no crash (a signal,
timeout or internal failure of enzpy-opt, an output that does not link, the program dying) and no
invalid program (a generator bug). Unsupported constructs (``enzpy-opt: error:``) are allowed;
they are printed (``pytest -s``). Long mode: ``python3 tests/fuzz/crun.py --n 300 --seed 1``.
"""
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import find_enzpy_opt  # noqa: E402
from fuzz import crun  # noqa: E402

N = int(os.environ.get("ENZPY_CFUZZ_N", "40"))
SEED = int(os.environ.get("ENZPY_CFUZZ_SEED", "2026"))
JOBS = int(os.environ.get("ENZPY_CFUZZ_JOBS", "2"))

ENZPY_OPT = find_enzpy_opt()
if ENZPY_OPT is None:
    pytest.skip("enzpy-opt not found (neither $ENZPY_OPT, nor on PATH, nor build/*/cpp/enzpy-opt)",
                allow_module_level=True)
if shutil.which("clang-22") is None and not Path("/usr/lib/llvm-22/bin/clang").exists():
    pytest.skip("clang-22 not found", allow_module_level=True)


def test_c_differential_fuzz(tmp_path):
    seeds = [crun.program_seed(SEED, k) for k in range(N)]
    t0 = time.time()
    results = crun.run(seeds, jobs=JOBS, enzpy_opt=ENZPY_OPT, save=str(tmp_path))
    s = crun.summarize(results, time.time() - t0, SEED, JOBS, ENZPY_OPT)
    print()
    print(crun.markdown(s, f"ENZPY_CFUZZ_N={N} ENZPY_CFUZZ_SEED={SEED} pytest tests/test_c_fuzz.py"))
    assert s["programs"] == N
    assert s["counts"].get("ok", 0) >= N // 2, f"most programs should check out: {s['counts']}"
    bad = "\n".join(f"seed {b['seed']} ({b['class']}): {b['detail'][:600]}\n"
                    f"  reproducer: {b['saved']}; re-check: python3 tests/fuzz/crun.py --check {b['seed']}"
                    for b in s["bad"] if b["class"] in crun.BAD)
    assert not bad, f"failing programs (saved under {tmp_path}):\n{bad}"
