"""Reverse mode of vectorized stencils: the shadow windows of one iteration overlap and are merged per chunk
(Increments.cpp), both in IR compiled for enzpy (f not called yet: one base pointer plus offsets) and in
numba's finalized IR (f called first: one pointer induction variable per window after loop strength
reduction, related through ScalarEvolution)."""
import numpy as np
import pytest
from numba import njit, types

from enzpy import Active, Const, Duplicated, Forward, Reverse, autodiff
from numba_testutil import fd_grad


def make_smooth1d():
    @njit
    def smooth1d(x, y, a, b, c):
        # loads x[j-1..], x[j..], x[j+1..]: overlapping vector windows once the loop vectorizes
        for j in range(1, x.shape[0] - 1):
            y[j] = a * x[j - 1] + b * x[j] + c * x[j + 1]
    return smooth1d


@njit
def heat(u0, kappa, nsteps):
    n, m = u0.shape
    u = u0.copy()
    v = u0.copy()
    for _ in range(nsteps):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                v[i, j] = u[i, j] + kappa * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1]
                                             + u[i, j + 1] - 4.0 * u[i, j])
        u, v = v, u
    s = 0.0
    for i in range(n):
        for j in range(m):
            s += u[i, j] * u[i, j] * (1.0 + 0.01 * (i + 2 * j))
    return s


def transpose_check(f, v, w, consts, called_first, rel):
    """y = A v for the linear in-place stencil f(x, y, *consts); reverse mode must give A^T w exactly:
    <A v, w> == <v, A^T w>. Returns (A^T w, what is left of y's adjoint). called_first: numba compiles
    f before it is differentiated (its finalized IR, not IR compiled for enzpy)."""
    y = np.zeros_like(v)
    if called_first:
        f(v, y, *consts)
    vb, yb = np.zeros_like(v), w.copy()
    autodiff(Reverse, f, Const, Duplicated(v.copy(), vb), Duplicated(np.zeros_like(v), yb),
             *[Const(c) for c in consts])
    f(v, y, *consts)
    lhs = np.dot(y.astype(np.float64).ravel(), w.astype(np.float64).ravel())
    rhs = np.dot(v.astype(np.float64).ravel(), vb.astype(np.float64).ravel())
    assert lhs == pytest.approx(rhs, rel=rel)
    return vb, yb


@pytest.mark.parametrize("dtype,rel", [(np.float64, 1e-13), (np.float32, 1e-5)])
@pytest.mark.parametrize("called_first", [False, True])
def test_stencil_transpose_is_exact(called_first, dtype, rel):
    # y = A x is linear: reverse mode must give exactly A^T w, i.e. <A v, w> == <v, A^T w>
    # (float64: windows of 8 lanes, float32: of 16)
    rng = np.random.default_rng(3)
    n = 203                                  # odd: vector body, epilogue and scalar remainder all run
    v, w = rng.standard_normal(n).astype(dtype), rng.standard_normal(n).astype(dtype)
    xb, _ = transpose_check(make_smooth1d(), v, w, (0.3, -1.7, 0.9), called_first, rel)
    # and element by element against the stencil written out
    expect = np.zeros(n)
    ww = w.astype(float)
    ww[0] = ww[-1] = 0.0
    expect[:-2] += 0.3 * ww[1:-1]
    expect[1:-1] += -1.7 * ww[1:-1]
    expect[2:] += 0.9 * ww[1:-1]
    np.testing.assert_allclose(xb, expect, rtol=rel, atol=rel)


def test_stencil_reverse_accumulates_into_existing_shadow():
    smooth1d = make_smooth1d()
    rng = np.random.default_rng(4)
    n = 64
    x = rng.standard_normal(n)
    xb = np.full(n, 0.5)
    yb = np.ones(n)
    autodiff(Reverse, smooth1d, Const, Duplicated(x, xb), Duplicated(np.zeros(n), yb),
             Const(1.0), Const(2.0), Const(4.0))
    expect = np.full(n, 0.5)
    expect[:-2] += 1.0
    expect[1:-1] += 2.0
    expect[2:] += 4.0
    np.testing.assert_array_equal(xb, expect)


def test_heat_gradient_matches_finite_differences_and_forward_mode():
    rng = np.random.default_rng(5)
    u0 = rng.uniform(size=(12, 37))
    du = np.zeros_like(u0)
    ((_, dkappa, _),) = autodiff(Reverse, heat, Active, Duplicated(u0, du), Active(0.05), Const(6))
    np.testing.assert_allclose(du, fd_grad(lambda u: heat(u, 0.05, 6), u0.copy()), rtol=1e-6, atol=1e-8)
    h = 1e-6
    fd_kappa = (heat(u0, 0.05 + h, 6) - heat(u0, 0.05 - h, 6)) / (2 * h)
    assert abs(dkappa - fd_kappa) <= 1e-6 * abs(fd_kappa)
    # forward mode along a random direction agrees with <du, direction> to rounding
    d = rng.standard_normal(u0.shape)
    (tangent,) = autodiff(Forward, heat, Duplicated, Duplicated(u0, d), Const(0.05), Const(6))
    assert abs(tangent - np.sum(du * d)) <= 1e-11 * abs(tangent)


def test_heat_gradient_does_not_depend_on_call_order():
    rng = np.random.default_rng(6)
    u0 = rng.uniform(size=(9, 70))
    grads = []
    for called_first in (False, True):
        f = njit(heat.py_func)                 # a fresh dispatcher each time
        if called_first:
            f(u0, 0.1, 4)
        du = np.zeros_like(u0)
        ((_, dk, _),) = autodiff(Reverse, f, Active, Duplicated(u0, du), Active(0.1), Const(4))
        grads.append((du, dk))
    np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-13, atol=1e-15)
    assert grads[0][1] == pytest.approx(grads[1][1], rel=1e-13)


def make_wide():
    @njit
    def wide(x, y):
        # offsets -3..+3 around j and the row above: numba wraps negative indices around, so these
        # loads vectorize as gathers here, and their reverse scatters (taped address vectors)
        for i in range(1, x.shape[0]):
            for j in range(3, x.shape[1] - 3):
                y[i, j] = (0.5 * x[i, j - 3] - x[i, j - 2] + 2.0 * x[i, j - 1] + 3.0 * x[i, j]
                           - 0.25 * x[i, j + 1] + x[i, j + 2] - 1.5 * x[i, j + 3] + 0.75 * x[i - 1, j])
    return wide


@pytest.mark.parametrize("dtype,rel", [(np.float64, 1e-12), (np.float32, 2e-5)])
@pytest.mark.parametrize("called_first", [False, True])
def test_wide_stencil_transpose(dtype, rel, called_first):
    # <A v, w> == <v, A^T w> for a 7-point stencil plus the row above, in float64 and float32, on a
    # width that leaves vector epilogues and scalar remainders
    rng = np.random.default_rng(7)
    shape = (5, 77)
    v = rng.standard_normal(shape).astype(dtype)
    w = rng.standard_normal(shape).astype(dtype)
    _, yb = transpose_check(make_wide(), v, w, (), called_first, rel)
    # the adjoint of the output rows it writes is consumed (zeroed), the others are left alone
    assert np.all(yb[1:, 3:-3] == 0) and np.array_equal(yb[0], w[0])
