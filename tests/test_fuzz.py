"""Differential fuzzing of derivatives (tests/fuzz): random @njit programs, reverse and forward mode
against central finite differences and against each other (dot-product test), float64 and float32;
some with long arrays (vectorized loops), exact and fastmath=True, batch and split mode.

``ENZPY_FUZZ_N`` programs (default 300) under the fixed seed ``ENZPY_FUZZ_SEED`` (default 2026), in
``ENZPY_FUZZ_JOBS`` worker processes (default: one per CPU). Asserts no wrong derivative, no crash
(exception other than EnzpyError, a dying worker, a hang) and no invalid program (a generator bug).
Unsupported constructs (EnzpyError) are allowed; their classes are printed (``pytest -s``).
Long mode: ``python3 tests/fuzz/run.py --n 10000 --seed 1 --out docs/fuzzing.md``.
"""
import os
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz import run as fuzzrun  # noqa: E402

pytest.importorskip("numba")

N = int(os.environ.get("ENZPY_FUZZ_N", "300"))
SEED = int(os.environ.get("ENZPY_FUZZ_SEED", "2026"))
JOBS = int(os.environ.get("ENZPY_FUZZ_JOBS", "0")) or None


def test_differential_fuzz(tmp_path):
    seeds = [fuzzrun.program_seed(SEED, k) for k in range(N)]
    t0 = time.time()
    results = fuzzrun.run(seeds, jobs=JOBS, save=str(tmp_path))
    s = fuzzrun.summarize(results, time.time() - t0, SEED, JOBS or os.cpu_count(), 4)
    print()
    print(fuzzrun.markdown(s, f"ENZPY_FUZZ_N={N} ENZPY_FUZZ_SEED={SEED} pytest tests/test_fuzz.py"))
    assert s["programs"] == N
    assert s["counts"].get("ok", 0) >= N // 2, f"most programs should check out: {s['counts']}"
    bad = "\n".join(f"seed {b['seed']} ({b['class']}): {b['detail'][:600]}\n"
                    f"  re-check: python3 tests/fuzz/check.py {b['seed']}" for b in s["bad"])
    assert not s["bad"], f"{len(s['bad'])} failing programs (saved under {tmp_path}):\n{bad}"
