"""enzpy.api.vector_math: derivatives of fastmath=True functions call glibc's vector math (libmvec) in
vectorized loops; derivatives of other functions never do. Values against the scalar derivative and
central differences."""
import math
import re

import numba
import numpy as np
import pytest

from enzpy import Active, Const, Duplicated, Forward, Reverse, api, autodiff
from enzpy import _numba_derivative as nd

pytestmark = pytest.mark.skipif(not nd._vector_math(), reason="no glibc libmvec on this machine")


def _source():
    def f(x, y):
        s = 0.0
        for i in range(x.shape[0]):
            s += math.exp(-x[i] * x[i]) * math.sin(y[i]) + math.log(1.0 + y[i] * y[i]) \
                + math.cos(x[i]) * math.tanh(y[i]) + math.pow(1.5 + x[i] * x[i], 0.75) + math.erf(x[i])
        return s
    return f


def _derivative_text(f, x, y):
    """The module text of f's newest reverse-mode derivative."""
    before = set(nd._cache)
    autodiff(Reverse, f, Active, Duplicated(x, np.zeros_like(x)), Duplicated(y, np.zeros_like(y)))
    new = [d for k, d in nd._cache.items() if k not in before]
    assert new
    return new[-1].text


def _grad(f, x, y):
    dx, dy = np.zeros_like(x), np.zeros_like(y)
    autodiff(Reverse, f, Active, Duplicated(x, dx), Duplicated(y, dy))
    return dx, dy


def test_fastmath_derivative_calls_vector_math_and_agrees():
    rng = np.random.default_rng(1)
    x, y = rng.uniform(-1, 1, 203), rng.uniform(-1, 1, 203)
    fast = numba.njit(fastmath=True)(_source())
    exact = numba.njit(_source())
    text = _derivative_text(fast, x, y)
    assert re.search(r"@_ZGV[bde]N\d+v_exp", text), "no vector exp in the fastmath derivative"
    assert "_ZGV" not in _derivative_text(exact, x, y)
    gx, gy = _grad(fast, x, y)
    ex, ey = _grad(exact, x, y)
    np.testing.assert_allclose(gx, ex, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(gy, ey, rtol=1e-12, atol=1e-14)
    # central differences on a few entries
    for i in (0, 57, 202):
        h = 1e-6
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        assert gx[i] == pytest.approx((exact(xp, y) - exact(xm, y)) / (2 * h), rel=1e-6, abs=1e-8)
    # forward mode: the JVP is <grad, v>
    v, w = rng.normal(size=203), rng.normal(size=203)
    (jvp,) = autodiff(Forward, fast, Duplicated(x, v), Duplicated(y, w))
    assert jvp == pytest.approx(gx @ v + gy @ w, rel=1e-12)


def test_vector_math_off_keeps_scalar_libm():
    x, y = np.linspace(-1, 1, 64), np.linspace(0, 2, 64)
    api.vector_math(False)
    try:
        text = _derivative_text(numba.njit(fastmath=True)(_source()), x, y)
    finally:
        api.vector_math(True)
    assert "_ZGV" not in text


def test_vector_math_inside_njit_callers_and_float32():
    """numba's engine links the derivative into an @njit caller: libmvec must resolve there too."""
    fast = numba.njit(fastmath=True)(_source())

    @numba.njit
    def caller(x, y):
        dx, dy = np.zeros_like(x), np.zeros_like(y)
        autodiff(Reverse, fast, Active, Duplicated(x, dx), Duplicated(y, dy))
        return dx, dy

    x, y = np.linspace(-1, 1, 50), np.linspace(0, 2, 50)
    dx, dy = caller(x, y)
    ex, ey = _grad(numba.njit(_source()), x, y)
    np.testing.assert_allclose(dx, ex, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dy, ey, rtol=1e-12, atol=1e-14)

    @numba.njit(fastmath=True)
    def f32(x):
        s = np.float32(0.0)
        for i in range(x.shape[0]):
            s += np.exp(x[i]) * np.float32(0.5)
        return s

    x32 = np.linspace(-1, 1, 37).astype(np.float32)
    d32 = np.zeros_like(x32)
    autodiff(Reverse, f32, Active, Duplicated(x32, d32))
    np.testing.assert_allclose(d32, 0.5 * np.exp(x32), rtol=1e-6)
