"""Python calls through the shared trampolines: derivatives compiled by the core's JIT, one numba
trampoline per annotation pattern and argument types for all functions (enzpy._shared_trampolines)."""
import warnings

import numba
import numpy as np
import pytest

import enzpy
from enzpy import Active, Const, Duplicated, Forward, Reverse, ReverseWithPrimal, autodiff
from enzpy import _shared_trampolines as shared
from enzpy._autodiff import autodiff_seeded
from enzpy import _numba_derivative as nd
from enzpy._autodiff import _trampolines as per_function_trampolines
from numba_testutil import make_function


def expected(x, a, k):
    """Gradient of make_function(k) = sum(sin(x (k+1)) a + x^2 (0.5+k)) with respect to x and a."""
    return np.cos(x * (k + 1)) * (k + 1) * a + 2 * x * (0.5 + k), np.sin(x * (k + 1)).sum()


def grad(f, x, a):
    dx = np.zeros_like(x)
    ((_, da),) = autodiff(Reverse, f, Active, Duplicated(x, dx), Active(a))
    return dx, da


def test_functions_share_one_trampoline_and_get_their_own_derivative():
    x = np.linspace(0.1, 0.9, 6)
    fs = [make_function(k) for k in range(500, 506)]
    before = len(shared._trampolines)
    for rep in range(2):                        # second round: the fast path's remembered address
        for k, f in zip(range(500, 506), fs):
            dx, da = grad(f, x, 0.7)
            ex, ea = expected(x, 0.7, k)
            np.testing.assert_allclose(dx, ex, rtol=1e-13)
            assert da == pytest.approx(ea, rel=1e-13)
    assert len(shared._trampolines) - before <= 1       # one pattern, one primal return type
    assert not any(key[0] in map(id, fs) for key in per_function_trampolines)
    entries = [e for (fid, *_), (f, e) in list(shared._entries.items()) if f in fs]
    assert len(entries) == 6 and all(e is not None for e in entries)
    assert len({int(e.desc[1]) for e in entries}) == 6     # six derivatives' machine code


def test_other_argument_types_take_the_checked_path():
    """The fast path remembers the float64 derivative; a float32 array has the same Python classes,
    so the trampoline's signature check sends the call back to the checked path."""
    f = make_function(510)
    x = np.linspace(0.1, 0.9, 5)
    for dtype in (np.float64, np.float32, np.float64, np.float32):
        xs = x.astype(dtype)
        dx, da = grad(f, xs, 0.5)
        assert dx.dtype == dtype
        ex, ea = expected(x, 0.5, 510)
        tol = 1e-12 if dtype == np.float64 else 2e-5
        np.testing.assert_allclose(dx, ex, rtol=tol, atol=tol)
    # a 2-d array: another specialization of the same shared trampoline
    x2 = x[:4].reshape(2, 2)
    dx2 = np.zeros_like(x2)

    @numba.njit
    def g(x):
        return (np.sin(x) * x).sum()

    autodiff(Reverse, g, Active, Duplicated(x2, dx2))
    np.testing.assert_allclose(dx2, np.cos(x2) * x2 + np.sin(x2), rtol=1e-14)
    dx1 = np.zeros(5)
    autodiff(Reverse, g, Active, Duplicated(x, dx1))
    np.testing.assert_allclose(dx1, np.cos(x) * x + np.sin(x), rtol=1e-14)


def test_modes_return_types_and_exceptions_through_shared_trampolines():
    @numba.njit
    def h(x, n):
        if n < 0:
            raise ValueError("n must be >= 0")
        s = 0.0
        for i in range(n):
            s += x[i] ** 3
        return s

    @numba.njit
    def pair(a, b):
        return a * b, a + b

    x = np.array([1.0, 2.0, 3.0])
    dx = np.zeros(3)
    assert autodiff(ReverseWithPrimal, h, Active, Duplicated(x, dx), 2) == (9.0, (None, None))
    np.testing.assert_array_equal(dx, [3.0, 12.0, 0.0])
    assert autodiff(Forward, h, Duplicated(x, np.ones(3)), Const(3)) == (3.0 + 12.0 + 27.0,)
    with pytest.raises(ValueError, match="n must be >= 0"):
        autodiff(Reverse, h, Active, Duplicated(x, dx), -1)
    assert autodiff(Forward, pair, Duplicated(2.0, 1.0), Duplicated(3.0, 0.0)) == ((3.0, 1.0),)
    assert autodiff_seeded(Reverse, pair, (1.0, 2.0), Active, Active(2.0), Active(3.0)) == \
        ((3.0 + 2.0, 2.0 + 2.0),)


def test_derivative_the_jit_cannot_take_uses_a_per_function_trampoline(monkeypatch):
    """When the JIT cannot make the machine code (here: the core's jit_compile fails), the call goes
    through a per-function trampoline, with an EnzpyWarning saying so."""
    core = nd.load_core()

    class FailingCore:
        CoreError = core.CoreError

        def __getattr__(self, name):
            return getattr(core, name)

        def jit_compile(self, *a, **k):
            raise core.CoreError("JIT: simulated failure")

    monkeypatch.setattr(nd, "load_core", lambda: FailingCore())
    f = make_function(520)
    x = np.linspace(0.1, 0.9, 5)
    with pytest.warns(enzpy.EnzpyWarning, match="compiled by numba instead"):
        dx, da = grad(f, x, 0.3)
    ex, ea = expected(x, 0.3, 520)
    np.testing.assert_allclose(dx, ex, rtol=1e-13)
    assert any(key[0] == id(f) for key in per_function_trampolines)
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # decided once: no second warning
        dx, da = grad(f, x, 0.3)
    np.testing.assert_allclose(dx, ex, rtol=1e-13)


def test_jit_compile_reports_bad_modules_as_errors():
    core = nd.load_core()
    with pytest.raises(core.CoreError, match="cannot parse"):
        core.jit_compile("define i32 @f( {", ["f"], {})
    with pytest.raises(core.CoreError, match="no function @g"):
        core.jit_compile("define i32 @f() {\n  ret i32 1\n}\n", ["g"], {})
    with pytest.raises(core.CoreError, match="missing_symbol"):
        core.jit_compile("declare double @missing_symbol(double)\n"
                         "define double @uses_missing(double %x) {\n"
                         "  %y = call double @missing_symbol(double %x)\n  ret double %y\n}\n",
                         ["uses_missing"], {})


def test_jit_compile_machine_code_runs():
    import ctypes
    core = nd.load_core()
    (addr,) = core.jit_compile("define double @jit_twice_sin(double %x) {\n"
                               "  %s = call double @sin(double %x)\n  %y = fmul double %s, 2.0\n"
                               "  ret double %y\n}\ndeclare double @sin(double)\n",
                               ["jit_twice_sin"], {})
    fn = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)(addr)
    assert fn(0.5) == 2 * np.sin(0.5)


def test_split_mode_through_shared_trampolines():
    """Both halves of split mode are compiled by the JIT (one core request) and called through
    trampolines shared by all functions; a float32 call after a float64 one goes through the
    signature check to its own pair."""
    from enzpy import ReverseSplitWithPrimal, autodiff_thunk
    from enzpy import _split

    fs = [make_function(k) for k in (530, 531)]
    x = np.linspace(0.1, 0.9, 7)
    before = len(shared._trampolines)
    for k, f in zip((530, 531), fs):
        fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, f, Active, Duplicated, Active)
        for dtype, tol in ((np.float64, 1e-13), (np.float32, 2e-5), (np.float64, 1e-13)):
            xs = x.astype(dtype)
            dx = np.zeros_like(xs)
            tape, primal, _ = fwd(Const(f), Duplicated(xs, dx), Active(0.4))
            assert primal == pytest.approx(f(xs, 0.4), rel=tol)
            ((_, da),) = rev(Const(f), Duplicated(xs, dx), Active(0.4), 2.0, tape)
            ex, ea = expected(xs.astype(np.float64), 0.4, k)
            np.testing.assert_allclose(dx, 2.0 * ex, rtol=tol, atol=tol)
            assert da == pytest.approx(2.0 * ea, rel=tol)
    assert len(shared._trampolines) - before <= 2          # the two halves, for both functions
    assert not any(key[0] in map(id, fs) for key in _split._trampolines)
    entries = [e for (fid, *rest), (f, e) in list(shared._entries.items()) if f in fs and rest[4]]
    # signature id, the two halves' addresses, the reverse half's parked tape buffer (nonzero: used)
    assert len(entries) == 4 and all(e is not None and len(e.desc) == 4 and e.desc[3] for e in entries)
