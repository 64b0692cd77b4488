"""autodiff inside @njit code, caching (in memory and on disk), thunks."""
import math
import os
import subprocess
import sys
import textwrap

import numba
import numpy as np
import pytest
from numba import njit

import enzpy
from enzpy import (Active, Const, Duplicated, Forward, ForwardWithPrimal, Reverse,
                   ReverseWithPrimal, autodiff, autodiff_deferred, autodiff_thunk)
from enzpy import _autodiff, _numba_derivative

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@njit
def square(x):
    return x * x


@njit
def rosenbrock(p):
    s = 0.0
    for i in range(p.shape[0] - 1):
        s += 100.0 * (p[i + 1] - p[i] ** 2) ** 2 + (1.0 - p[i]) ** 2
    return s


def test_gradient_descent_entirely_in_njit():
    @njit
    def descend(x0, steps):
        x = x0
        for _ in range(steps):
            g = autodiff(Reverse, square, Active, Active(x))[0][0]
            x -= 0.25 * g
        return x

    assert descend(8.0, 3) == 1.0           # x <- x/2 each step


def test_optimizer_loop_on_array_in_njit():
    @njit
    def minimize(p, steps, lr):
        g = np.zeros_like(p)
        for _ in range(steps):
            g[:] = 0.0
            autodiff(Reverse, rosenbrock, Active, Duplicated(p, g))
            p -= lr * g
        return rosenbrock(p)

    p = np.array([-0.5, 0.5, 0.2])
    f0 = rosenbrock(p.copy())
    f1 = minimize(p, 200, 1e-3)
    assert f1 < 0.5 * f0
    # the same step from Python gives the same numbers (one mechanism)
    q = np.array([-0.5, 0.5, 0.2])
    g = np.zeros(3)
    for _ in range(200):
        g[:] = 0.0
        autodiff(Reverse, rosenbrock, Active, Duplicated(q, g))
        q -= 1e-3 * g
    np.testing.assert_array_equal(p, q)


def test_annotations_and_modes_in_njit():
    @njit
    def use(x, mode):
        a = Active(x)
        d = Duplicated(x, 1.0)
        fwd = autodiff(ForwardWithPrimal, square, d)
        rev = autodiff(mode, square, Active, a)
        return a.val, d.dval, fwd, rev

    assert use(3.0, ReverseWithPrimal) == (3.0, 1.0, (9.0, 6.0), (9.0, (6.0,)))
    assert use(3.0, Reverse) == (3.0, 1.0, (9.0, 6.0), ((6.0,),))


def test_many_requests_in_one_function_are_distinct():
    @njit
    def poly(x, y):
        return x * x * y

    @njit
    def many(x, y):
        r1 = autodiff(Reverse, poly, Active, Active(x), Active(y))
        r2 = autodiff(Reverse, poly, Active, Const(x), Active(y))
        r3 = autodiff(Forward, poly, Duplicated(x, 1.0), Duplicated(y, 0.0))
        r4 = autodiff(Forward, poly, Const(x), Duplicated(y, 1.0))
        r5 = autodiff_deferred(Reverse, square, Active, Active(x))
        return r1, r2, r3, r4, r5

    assert many(2.0, 5.0) == (((20.0, 4.0),), ((None, 4.0),), (20.0,), (4.0,), ((4.0,),))
    names = _numba_derivative.cache_info()["names"]
    assert len(names) == len(set(names))


def test_exceptions_and_shadow_checks_in_njit():
    @njit
    def checked(x):
        if x < 0.0:
            raise ValueError("negative input")
        return x * x

    @njit
    def use(x):
        return autodiff(Forward, checked, Duplicated(x, 1.0))[0]

    assert use(3.0) == 6.0
    with pytest.raises(ValueError, match="negative input"):
        use(-3.0)

    @njit
    def with_shadow(a, da):
        return autodiff(Reverse, rosenbrock, Active, Duplicated(a, da))

    with pytest.raises(enzpy.EnzpyValueError, match="same shape and strides"):
        with_shadow(np.ones(3), np.zeros(4))
    with pytest.raises(ValueError, match="primal array itself"):
        a = np.ones(3)
        with_shadow(a, a)


def test_overlapping_and_repeated_shadows_in_njit():
    """Inside @njit a shadow whose memory extent overlaps its primal's (not only one at the same
    data pointer) is rejected before anything is written, as from Python; so is a BatchDuplicated
    array given the same shadow twice."""
    @njit
    def cubes(a):
        s = 0.0
        for i in range(a.shape[0]):
            s += a[i] ** 3
        return s

    @njit
    def with_shadow(a, da):
        return autodiff(Reverse, cubes, Active, Duplicated(a, da))

    base = np.array([1.0, 2.0, 3.0, 4.0])
    for x, dx in [(base[:2], base[1:3]), (base[1:3], base[:2]), (base[::-1][:2], base[::-1][1:3]),
                  (base[::2], base[1::2])]:
        with pytest.raises(enzpy.EnzpyValueError, match="argument 'a': the shadow overlaps the "
                           "primal array in memory"):
            with_shadow(x, dx)
    assert base.tolist() == [1.0, 2.0, 3.0, 4.0]
    M = np.arange(12.0).reshape(3, 4)
    with pytest.raises(enzpy.EnzpyValueError, match="overlaps"):      # 2-d: rows 0-1 vs 1-2
        @njit
        def with_shadow_2d(a, da):
            return autodiff(Reverse, rosenbrock_2d, Active, Duplicated(a, da))
        with_shadow_2d(M[:2], M[1:])
    assert with_shadow(base[:2], base[2:]) == ((None,),)               # adjacent: fine
    assert base.tolist() == [1.0, 2.0, 6.0, 16.0]

    @njit
    def batch(a, d1, d2):
        return autodiff(Reverse, cubes, Active, enzpy.BatchDuplicated(a, (d1, d2)))

    a, d = np.array([1.0, 2.0]), np.zeros(2)
    with pytest.raises(enzpy.EnzpyValueError, match="argument 'a': the shadows of a "
                       "BatchDuplicated array must be separate arrays"):
        batch(a, d, d)
    assert d.tolist() == [0.0, 0.0]
    d2 = np.zeros(2)
    batch(a, d, d2)
    assert d.tolist() == [3.0, 12.0] and d2.tolist() == [3.0, 12.0]


@njit
def rosenbrock_2d(M):
    return np.sum(M * M)


def test_trampoline_and_derivative_are_cached():
    @njit
    def cubic(x, y):
        return x ** 3 * y

    autodiff(Reverse, cubic, Active, Active(1.0), Active(2.0))
    calls = _numba_derivative.cache_info()["core_calls"]
    tramp = _autodiff._trampoline(cubic, Reverse, Active, ("Active", "Active"), False)
    nsig = len(tramp.signatures)
    for x in range(5):
        assert autodiff(Reverse, cubic, Active, Active(float(x)), Active(1.0))[0][0] == 3.0 * x * x
    assert _numba_derivative.cache_info()["core_calls"] == calls      # core not asked again
    assert len(tramp.signatures) == nsig                              # nothing recompiled


def test_disk_cached_user_function_and_primal(tmp_path):
    """A cache=True user function calling autodiff is cached by numba with its derivative; a
    cache=True primal loaded from disk (object code only) is still differentiable."""
    mod = tmp_path / "cached_user.py"
    mod.write_text(textwrap.dedent("""
        import numba, enzpy
        from enzpy import autodiff, Reverse, Active, _numba_derivative

        @numba.njit(cache=True)
        def sq(x):
            return x * x * x

        @numba.njit(cache=True)
        def user(x):
            return autodiff(Reverse, sq, Active, Active(x))[0][0]

        sq(2.0)       # loaded from disk after the first run: object code only, no IR
        a = user(2.0)
        b = autodiff(Reverse, sq, Active, Active(2.0))[0][0]
        print(a, b, sum(user.stats.cache_hits.values()), sum(sq.stats.cache_hits.values()),
              _numba_derivative.cache_info()["core_calls"])
    """))
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONPATH=os.path.dirname(os.path.dirname(enzpy.__file__)) + os.pathsep  # the enzpy under test
               + os.environ.get("PYTHONPATH", ""))
    outs = []
    for disable in ("0", "1", "0"):    # run 2 without enzpy's own on-disk trampolines
        proc = subprocess.run([sys.executable, str(mod)], capture_output=True, text=True,
                              env=dict(env, ENZPY_DISABLE_DISK_CACHE=disable))
        assert proc.returncode == 0, proc.stderr[-3000:]
        outs.append(proc.stdout.split())
    assert outs[0] == ["12.0", "12.0", "0", "0", "1"]   # compiled; the core asked once
    assert outs[1][:4] == ["12.0", "12.0", "1", "1"]    # user and sq loaded from disk
    assert outs[1][4] == "1"       # only the Python call asks the core (the user function did not)
    # with enzpy's trampoline cached on disk too (sq is cache=True), the core is not asked at all
    assert outs[2] == ["12.0", "12.0", "1", "1", "0"]


def test_thunks_combined_modes():
    thunk = autodiff_thunk(Reverse, square, Active, Active[numba.float64])
    assert thunk(Const(square), Active(3.0)) == ((6.0,),)
    assert thunk(Const(square), Active(3.0), 0.5) == ((3.0,),)        # explicit seed
    fthunk = autodiff_thunk(ForwardWithPrimal, square, Duplicated, Duplicated[numba.float64])
    assert fthunk(square, Duplicated(3.0, 1.0)) == (9.0, 6.0)
    athunk = autodiff_thunk(Reverse, rosenbrock, Active, Duplicated[numba.float64[::1]])
    p, dp = np.array([1.0, 1.0]), np.zeros(2)
    assert athunk(Const(rosenbrock), Duplicated(p, dp)) == ((None,),)
    assert dp.tolist() == [0.0, 0.0]                                  # the minimum
    with pytest.raises(TypeError, match="float32"):
        athunk(Const(rosenbrock), Duplicated(p.astype(np.float32), dp.astype(np.float32)))
    with pytest.raises(TypeError, match="Duplicated"):
        athunk(Const(rosenbrock), Active(1.0))


def test_split_mode_only_through_thunks():
    with pytest.raises(enzpy.EnzpyError, match="autodiff_thunk"):
        autodiff(enzpy.ReverseSplitWithPrimal, square, Active, Active(1.0))

def test_explicit_signature_dispatcher():
    @njit("float64(float64)")
    def sig_sq(x):
        return math.sin(x) * x

    (d,), = autodiff(Reverse, sig_sq, Active, Active(0.5))
    assert d == pytest.approx(math.cos(0.5) * 0.5 + math.sin(0.5), rel=1e-14)
    with pytest.raises(enzpy.EnzpyError, match="explicit signatures"):
        autodiff(Reverse, sig_sq, Active, Active(np.float32(0.5)))
