"""np.linalg.solve (numba's numba_xgesv helper): reverse and forward rules against analytic
derivatives, finite differences and the dot-product test."""
import numpy as np
import pytest
from numba import njit

from enzpy import Active, Const, Duplicated, Forward, Reverse, autodiff
from numba_testutil import fd_grad


@njit
def solve_sq(A, b):
    x = np.linalg.solve(A, b)
    return np.sum(x * x)


@njit
def solve_into(y, A, b):
    x = np.linalg.solve(A, b)
    for i in range(y.shape[0]):
        y[i] = np.sin(x[i])


def _system(n, seed, dtype=np.float64, order="C"):
    rng = np.random.default_rng(seed)
    A = (rng.normal(size=(n, n)) + n * np.eye(n)).astype(dtype)
    return np.asarray(A, order=order), rng.normal(size=n).astype(dtype)


@pytest.mark.parametrize("order", ["C", "F"])
def test_reverse_analytic(order):
    A, b = _system(5, 1, order=order)
    dA, db = np.zeros_like(A), np.zeros_like(b)
    assert autodiff(Reverse, solve_sq, Active, Duplicated(A, dA), Duplicated(b, db)) == ((None, None),)
    x = np.linalg.solve(A, b)
    z = np.linalg.solve(A.T, 2 * x)              # adjoint of b: A^-T dL/dx
    np.testing.assert_allclose(db, z, rtol=1e-12)
    np.testing.assert_allclose(dA, -np.outer(z, x), rtol=1e-12, atol=1e-15)


def test_reverse_against_finite_differences_and_const_matrix():
    A, b = _system(4, 2)
    db = np.zeros(4)
    autodiff(Reverse, solve_sq, Active, Const(A), Duplicated(b, db))
    np.testing.assert_allclose(db, fd_grad(lambda v: solve_sq(A, v), b.copy()), rtol=1e-6)
    dA = np.zeros_like(A)
    autodiff(Reverse, solve_sq, Active, Duplicated(A, dA), Const(b))
    np.testing.assert_allclose(dA, fd_grad(lambda M: solve_sq(M, b), A.copy()), rtol=1e-6, atol=1e-9)


def test_forward_and_dot_product():
    A, b = _system(6, 3)
    rng = np.random.default_rng(4)
    vA, vb, w = rng.normal(size=(6, 6)), rng.normal(size=6), rng.normal(size=6)
    y, ty = np.zeros(6), np.zeros(6)
    autodiff(Forward, solve_into, Const, Duplicated(y, ty), Duplicated(A, vA), Duplicated(b, vb))
    dA, db = np.zeros_like(A), np.zeros_like(b)
    autodiff(Reverse, solve_into, Const, Duplicated(np.zeros(6), w.copy()), Duplicated(A, dA),
             Duplicated(b, db))
    assert ty @ w == pytest.approx(np.sum(vA * dA) + vb @ db, rel=1e-11)
    h = 1e-6
    yp, ym = np.zeros(6), np.zeros(6)
    solve_into(yp, A + h * vA, b + h * vb)
    solve_into(ym, A - h * vA, b - h * vb)
    np.testing.assert_allclose(ty, (yp - ym) / (2 * h), rtol=1e-6, atol=1e-9)


def test_float32():
    A, b = _system(4, 5, np.float32)
    dA, db = np.zeros_like(A), np.zeros_like(b)
    autodiff(Reverse, solve_sq, Active, Duplicated(A, dA), Duplicated(b, db))
    A64, b64 = A.astype(np.float64), b.astype(np.float64)
    x = np.linalg.solve(A64, b64)
    np.testing.assert_allclose(db, np.linalg.solve(A64.T, 2 * x), rtol=1e-4)


@pytest.mark.parametrize("order", ["C", "F"])
def test_matrix_right_hand_side(order):
    """solve(A, B) with a 2-d B: numba's implementation keeps a list (NRT_MemInfo_varsize_realloc), which
    has a shadow like any list (tests/test_numba_lists.py)."""
    A, _ = _system(4, 5, order=order)
    B = np.asarray(np.random.default_rng(6).normal(size=(4, 3)), order=order)
    dA, dB = np.zeros_like(A), np.zeros_like(B)
    autodiff(Reverse, solve_sq, Active, Duplicated(A, dA), Duplicated(B, dB))
    X = np.linalg.solve(A, B)
    Z = np.linalg.solve(A.T, 2 * X)              # adjoint of B
    np.testing.assert_allclose(dB, Z, rtol=1e-12)
    np.testing.assert_allclose(dA, -Z @ X.T, rtol=1e-12, atol=1e-15)
    rng = np.random.default_rng(7)
    tA, tB = (np.asarray(rng.normal(size=M.shape), order=order) for M in (A, B))
    (jv,) = autodiff(Forward, solve_sq, Duplicated(A, tA), Duplicated(B, tB))
    assert jv == pytest.approx(np.sum(dA * tA) + np.sum(dB * tB), rel=1e-12)
