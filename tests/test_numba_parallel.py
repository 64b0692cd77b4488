"""numba's parallel=True. A parallel function is differentiated as the same loops run serially
(prange as range), leaving the user's parallel overloads alone; a parallel function that another
function calls is refused with an EnzpyError that says what to do; and autodiff called from the
threads of a prange loop (how a gradient uses several cores) gives the serial results."""
import math

import numba
import numpy as np
import pytest

from enzpy import (Active, Const, Duplicated, EnzpyError, Forward, Reverse, ReverseSplitWithPrimal,
                   ReverseWithPrimal, autodiff, autodiff_thunk, gradient, jacobian)
from numba_testutil import fd_grad, fd_jac_inplace


@numba.njit(parallel=True)
def sum_sq(x):
    s = 0.0
    for i in numba.prange(x.shape[0]):
        s += x[i] * x[i]
    return s


@numba.njit(parallel=True)
def scaled_sin(y, x, a):
    for i in numba.prange(x.shape[0]):
        y[i] = math.sin(x[i]) * a + x[i] * x[(i + 1) % x.shape[0]]


@numba.njit(parallel=True, fastmath=True)
def pairwise(p):
    n = p.shape[0]
    e = 0.0
    for i in numba.prange(n):
        for j in range(n):
            if i != j:
                e += 1.0 / math.sqrt((p[i, 0] - p[j, 0]) ** 2 + (p[i, 1] - p[j, 1]) ** 2 + 0.1)
    return e


@numba.njit(parallel=True)
def rows_then_total(A):
    m = np.empty(A.shape[0])
    for i in numba.prange(A.shape[0]):
        acc = 0.0
        for j in range(A.shape[1]):
            acc += math.exp(0.3 * A[i, j])
        m[i] = math.log(acc)
    return m.sum()


X = np.linspace(-1.0, 2.0, 40)


def test_reverse_reduction_matches_analytic_and_primal():
    dx = np.zeros_like(X)
    res = autodiff(ReverseWithPrimal, sum_sq, Active, Duplicated(X, dx))
    assert res[0] == pytest.approx(sum_sq(X), rel=1e-14)
    np.testing.assert_allclose(dx, 2 * X, rtol=1e-15)


def test_forward_reduction():
    v = np.cos(np.arange(X.size))
    (t,) = autodiff(Forward, sum_sq, Duplicated(X, v))
    assert t == pytest.approx(2 * (X @ v), rel=1e-13)


def test_array_output_dot_product_test():
    """<J v, w> == <v, J^T w> between forward and reverse mode, and J against finite differences."""
    rng = np.random.default_rng(1)
    x, a = rng.uniform(-1, 1, 33), 0.7
    v, w = rng.normal(size=33), rng.normal(size=33)
    y, ydot = np.zeros(33), np.zeros(33)
    autodiff(Forward, scaled_sin, Const, Duplicated(y, ydot), Duplicated(x, v), Const(a))
    ybar, xbar = w.copy(), np.zeros(33)
    autodiff(Reverse, scaled_sin, Const, Duplicated(np.zeros(33), ybar), Duplicated(x, xbar), Const(a))
    assert ydot @ w == pytest.approx(v @ xbar, rel=1e-13)
    J = fd_jac_inplace(lambda yy, xx: scaled_sin(yy, xx, a), np.zeros(33), x.copy())
    np.testing.assert_allclose(xbar, J.T @ w, rtol=1e-7, atol=1e-9)


def test_active_scalar_of_parallel_loop():
    x = np.linspace(0.1, 1.0, 17)
    y, ybar = np.zeros(17), np.ones(17)
    (grads,) = autodiff(Reverse, scaled_sin, Const, Duplicated(y, ybar), Const(x), Active(0.4))
    assert grads[2] == pytest.approx(np.sin(x).sum(), rel=1e-14)


def test_fastmath_nested_loops_against_finite_differences():
    p = np.random.default_rng(2).uniform(-1, 1, (24, 2))
    dp = np.zeros_like(p)
    autodiff(Reverse, pairwise, Active, Duplicated(p, dp))
    np.testing.assert_allclose(dp, fd_grad(pairwise, p.copy()), rtol=1e-6, atol=1e-8)


def test_allocating_parallel_function():
    A = np.random.default_rng(3).uniform(-1, 1, (9, 13))
    dA = np.zeros_like(A)
    autodiff(Reverse, rows_then_total, Active, Duplicated(A, dA))
    np.testing.assert_allclose(dA, fd_grad(rows_then_total, A.copy()), rtol=1e-7, atol=1e-9)


def test_split_mode():
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, sum_sq, Active, Duplicated)
    dx = np.zeros_like(X)
    tape, primal, _ = fwd(Const(sum_sq), Duplicated(X, dx))
    assert primal == pytest.approx(sum_sq(X), rel=1e-14)
    rev(Const(sum_sq), Duplicated(X, dx), 3.0, tape)
    np.testing.assert_allclose(dx, 6 * X, rtol=1e-15)


def test_inside_njit():
    @numba.njit
    def grad_in_njit(x):
        g = np.zeros_like(x)
        autodiff(Reverse, sum_sq, Active, Duplicated(x, g))
        return g

    np.testing.assert_allclose(grad_in_njit(X), 2 * X, rtol=1e-15)


def test_user_overloads_stay_parallel():
    """The serial compile is enzpy's own: the dispatcher keeps its parallel overload and no other."""
    @numba.njit(parallel=True)
    def g(x):
        s = 0.0
        for i in numba.prange(x.shape[0]):
            s += math.cos(x[i])
        return s

    g(X)
    before = list(g.overloads)
    dx = np.zeros_like(X)
    autodiff(Reverse, g, Active, Duplicated(X, dx))
    np.testing.assert_allclose(dx, -np.sin(X), rtol=1e-14)
    assert list(g.overloads) == before
    (cres,) = g.overloads.values()
    assert cres.metadata["parfors"]                  # still the parallel compile's
    assert g(X) == pytest.approx(np.cos(X).sum(), rel=1e-13)


def test_parallel_callee_is_refused_with_advice():
    @numba.njit
    def outer(x):
        return 2.0 * sum_sq(x)

    with pytest.raises(EnzpyError, match=r"parallel=True.*serial twin.*numba\.njit\(g\.py_func\)"):
        autodiff(Reverse, outer, Active, Duplicated(X, np.zeros_like(X)))

    serial = numba.njit(sum_sq.py_func)

    @numba.njit
    def outer_serial(x):
        return 2.0 * serial(x)

    dx = np.zeros_like(X)
    autodiff(Reverse, outer_serial, Active, Duplicated(X, dx))
    np.testing.assert_allclose(dx, 4 * X, rtol=1e-15)


# --- autodiff called from the threads of a prange loop ---------------------------------------------

@numba.njit
def recurrent_loss(theta, xi):
    h = 0.0
    for j in range(theta.shape[0]):
        h = math.tanh(0.7 * h + theta[j] * xi[j])     # loop-carried: the reverse sweep reads a tape
    return h * h


@numba.njit(parallel=True)
def per_sample_threads(theta, X, G):
    for i in numba.prange(X.shape[0]):
        G[i, :] = 0.0
        autodiff(Reverse, recurrent_loss, Active, Duplicated(theta, G[i]), Const(X[i]))


@numba.njit
def per_sample_serial(theta, X, G):
    for i in range(X.shape[0]):
        G[i, :] = 0.0
        autodiff(Reverse, recurrent_loss, Active, Duplicated(theta, G[i]), Const(X[i]))


@numba.njit
def batch_loss(theta, X):
    s = 0.0
    for i in range(X.shape[0]):
        s += recurrent_loss(theta, X[i])
    return s


@numba.njit(parallel=True)
def chunked_gradient(theta, X, nchunks):
    parts = np.zeros((nchunks, theta.shape[0]))
    n = X.shape[0]
    for c in numba.prange(nchunks):
        lo, hi = c * n // nchunks, (c + 1) * n // nchunks
        autodiff(Reverse, batch_loss, Active, Duplicated(theta, parts[c]), Const(X[lo:hi]))
    return parts.sum(axis=0)


def test_autodiff_on_threads_matches_serial_bitwise():
    """Concurrent derivative calls, each with its own tape (taken from and parked in one shared
    slot with atomic exchanges): every repetition equals the serial loop bit for bit."""
    rng = np.random.default_rng(4)
    theta, X = rng.normal(size=300), rng.normal(size=(400, 300))
    ref = np.empty((400, 300))
    per_sample_serial(theta, X, ref)
    assert np.abs(ref).max() > 0.1
    G = np.empty_like(ref)
    for _ in range(10):
        per_sample_threads(theta, X, G)
        assert np.array_equal(G, ref)
    i = 7
    np.testing.assert_allclose(ref[i], fd_grad(lambda t: recurrent_loss(t, X[i]), theta.copy()),
                               rtol=1e-6, atol=1e-9)


def test_chunked_sum_gradient_equals_whole():
    rng = np.random.default_rng(5)
    theta, X = rng.normal(size=12), rng.normal(size=(301, 12))
    whole = np.zeros(12)
    autodiff(Reverse, batch_loss, Active, Duplicated(theta, whole), Const(X))
    for nchunks in (1, 2, 5):
        np.testing.assert_allclose(chunked_gradient(theta, X, nchunks), whole, rtol=1e-12, atol=1e-14)


@numba.njit(parallel=True)
def nested_prange(x, out):
    for i in numba.prange(x.shape[0]):
        for j in numba.prange(x.shape[0]):
            out[i] += x[i] * x[j]


@numba.njit(parallel=True)
def array_expression(x):
    y = np.sin(x) ** 2 * numba.get_num_threads()     # a parfor numba makes from the expression
    return np.sum(y) + x[0]


def test_nested_prange_and_array_expression_parfors():
    x = np.linspace(0.1, 1.0, 6)
    dx = np.zeros(6)
    autodiff(Reverse, nested_prange, Const, Duplicated(x, dx), Duplicated(np.zeros(6), np.ones(6)))
    np.testing.assert_allclose(dx, 2 * x.sum(), rtol=1e-14)
    dx = np.zeros(6)
    autodiff(Reverse, array_expression, Active, Duplicated(x, dx))
    expect = 2 * np.sin(x) * np.cos(x) * numba.get_num_threads()
    expect[0] += 1.0
    np.testing.assert_allclose(dx, expect, rtol=1e-13)


@numba.njit(parallel=True)
def neighbour_products(x):
    out = np.empty(x.shape[0])
    for i in numba.prange(x.shape[0]):
        out[i] = x[i] * x[(i + 1) % x.shape[0]]
    return out


def test_array_returning_parallel_function():
    """Forward mode and jacobian wrap the function in a copy loop enzpy compiles: it calls a serial
    twin of a parallel=True function, not the parallel one."""
    x = np.array([0.1, 0.4, 0.7, 1.0])
    J = np.diag(np.roll(x, -1)) + np.diag(x[:-1], 1)
    J[-1, 0] = x[-1]
    np.testing.assert_allclose(jacobian(Forward, neighbour_products, x), J, rtol=1e-15)
    np.testing.assert_allclose(jacobian(Reverse, neighbour_products, x), J, rtol=1e-15)
    v = np.array([1.0, -2.0, 0.5, 3.0])
    (t,) = autodiff(Forward, neighbour_products, Duplicated(x, v))
    np.testing.assert_allclose(t, J @ v, rtol=1e-15)
    np.testing.assert_allclose(gradient(Reverse, sum_sq, x), 2 * x, rtol=1e-15)
