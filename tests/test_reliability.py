"""Reliability: concurrent differentiation from threads, memory growth of cached and fresh derivatives, and
LLVM-level failures turned into exceptions (the interpreter survives)."""
import gc
import math
import resource
import threading

import numpy as np
import pytest

pytest.importorskip("numba")
from numba import njit  # noqa: E402

from enzpy import Active, Duplicated, EnzpyError, Reverse, autodiff  # noqa: E402
from enzpy import _core  # noqa: E402
from numba_testutil import make_function  # noqa: E402


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def expected_grad(x, a, k):
    return np.cos(x * (k + 1)) * (k + 1) * a + 2 * x * (0.5 + k)


def test_eight_threads_identical_and_different_functions():
    shared = make_function(0)
    x = np.linspace(-0.3, 1.1, 17)
    results, errors = {}, []

    def work(t):
        try:
            for rep in range(5):
                k = 0 if t % 2 == 0 else t  # half share one function, half have their own
                f = shared if k == 0 else make_function(k)
                dx = np.zeros_like(x)
                (res,) = autodiff(Reverse, f, Active, Duplicated(x, dx), Active(0.7))
                results[(t, rep)] = (dx.copy(), res[1], k)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    assert len(results) == 40
    for (t, rep), (dx, da, k) in results.items():
        np.testing.assert_allclose(dx, expected_grad(x, 0.7, k), rtol=1e-12)
        assert math.isclose(da, float(np.sum(np.sin(x * (k + 1)))), rel_tol=1e-12)


def test_core_from_threads_without_numba():
    ir = """
declare double @llvm.exp.f64(double)
define double @f(double %x) {
  %e = call double @llvm.exp.f64(double %x)
  %m = fmul double %e, %x
  ret double %m
}
"""
    outs, errors = [], []

    def work():
        try:
            for _ in range(20):
                outs.append(_core.differentiate(ir, "f", "reverse", ["active"], "active")[0])
        except Exception as e:  # pragma: no cover
            errors.append(repr(e))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert len(outs) == 160 and len(set(outs)) == 1  # bitwise identical output every time


def test_cached_gradient_calls_do_not_grow_memory():
    f = make_function(3)
    x = np.linspace(0.0, 1.0, 8)
    dx = np.zeros_like(x)
    for _ in range(200):  # warm up: compile, caches, allocator pools
        autodiff(Reverse, f, Active, Duplicated(x, dx), Active(1.0))
    gc.collect()
    before = rss_mb()
    for _ in range(10_000):
        autodiff(Reverse, f, Active, Duplicated(x, dx), Active(1.0))
    gc.collect()
    grown = rss_mb() - before
    assert grown < 10, f"RSS grew by {grown:.1f} MB over 10,000 cached gradient calls"


def test_fresh_derivative_compilations_memory():
    """numba keeps every module it compiles (about 1 MB per function here). enzpy compiles the primal's IR
    without machine code (nothing in numba's engine), has its JIT make the derivative's machine code (it
    keeps only that) and calls it through a shared trampoline (no numba compile), so differentiating fresh
    functions costs well under what numba's compile of them does (bench/memory.py: about 0.3 MB per
    function; with a numba compile per primal and per derivative, as before, 2.3 MB)."""
    x = np.linspace(0.0, 1.0, 4)
    n = 40
    gc.collect()
    before = rss_mb()
    for k in range(100, 100 + n):
        make_function(k)(x, 1.0)
    gc.collect()
    primal_cost = max(rss_mb() - before, 1.0)
    before = rss_mb()
    for k in range(1000, 1000 + n):  # different functions: each compiled and differentiated once
        f = make_function(k)
        dx = np.zeros_like(x)
        autodiff(Reverse, f, Active, Duplicated(x, dx), Active(1.0))
    gc.collect()
    grown = rss_mb() - before
    assert grown < 0.6 * primal_cost + 5, (
        f"{n} fresh derivatives grew RSS by {grown:.1f} MB; compiling the primals alone: {primal_cost:.1f} MB")


def test_llvm_level_failures_are_exceptions():
    # invalid IR (verifier) and unparsable IR come back as exceptions; the interpreter lives on
    bad_verifier = "define double @f(double %x) {\n  ret i32 0\n}\n"
    with pytest.raises(_core.CoreError):
        _core.differentiate(bad_verifier, "f", "reverse", ["active"], "active")
    with pytest.raises(_core.CoreError):
        _core.differentiate("\x00\x01garbage", "f", "reverse", ["active"], "active")

    @njit
    def g(x):
        return x * x

    assert autodiff(Reverse, g, Active, Active(3.0)) == ((6.0,),)
    with pytest.raises((EnzpyError, TypeError, ValueError)):
        autodiff(Reverse, lambda x: x, Active, Active(1.0))
