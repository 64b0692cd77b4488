"""Arrays: 1-3 dimensions, C/F/strided layouts, float32/float64, in-place updates (VJP/JVP),
the forward/reverse dot-product test, allocation, gradient and jacobian."""
import math

import numpy as np
import pytest
from numba import njit

from enzpy import (Active, Const, Duplicated, DuplicatedNoNeed, Forward, ForwardWithPrimal,
                   Reverse, ReverseWithPrimal, autodiff, gradient, jacobian, shadow_like)
from numba_testutil import fd_grad, fd_jac_inplace, layouts


@njit
def sumsq_flat(a):
    s = 0.0
    for v in a.flat:
        s += v * v
    return s


@njit
def weighted_2d(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += (i + 1.0) * math.sin(a[i, j]) * (j + 2.0)
    return s


@njit
def cube_3d(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            for k in range(a.shape[2]):
                s += a[i, j, k] ** 3 * (i - j + k)
    return s


@pytest.mark.parametrize("layout", ["C", "F", "strided", "transposed"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_2d_layouts_and_dtypes(layout, dtype):
    a = layouts(dtype=dtype)[layout]
    da = shadow_like(a)
    (res,), = [autodiff(Reverse, weighted_2d, Active, Duplicated(a, da))]
    assert res == (None,)
    i = np.arange(a.shape[0])[:, None] + 1.0
    j = np.arange(a.shape[1])[None, :] + 2.0
    want = i * np.cos(a.astype(np.float64)) * j
    tol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(da, want, rtol=tol)
    assert da.dtype == dtype
    # forward: directional derivative along ones
    (t,) = autodiff(Forward, weighted_2d, Duplicated(a, shadow_like(a, 1.0)))
    assert t == pytest.approx(want.sum(), rel=tol)


@pytest.mark.parametrize("make", [
    lambda: np.linspace(0.1, 1.0, 7),
    lambda: np.linspace(0.1, 1.0, 14)[::2],
    lambda: np.linspace(0.1, 1.0, 7)[::-1],
    lambda: np.linspace(0.1, 1.0, 24).reshape(2, 3, 4),
    lambda: np.asfortranarray(np.linspace(0.1, 1.0, 24).reshape(2, 3, 4)),
    lambda: np.linspace(0.1, 1.0, 96).reshape(4, 6, 4)[::2, 1::2, ::-2],
], ids=["1d", "1d-strided", "1d-reversed", "3d-C", "3d-F", "3d-strided"])
def test_any_ndim_any_layout_accumulates(make):
    a = make()
    da = shadow_like(a, 10.0)                         # shadows accumulate
    autodiff(Reverse, sumsq_flat, Active, Duplicated(a, da))
    np.testing.assert_allclose(da, 10.0 + 2 * a, rtol=1e-15)


@pytest.mark.parametrize("order", ["C", "F", "strided"])
def test_3d_against_finite_differences(order):
    base = np.random.default_rng(1).uniform(0.2, 1.0, size=(4, 6, 6))
    a = {"C": base[:2, :3, :4].copy(), "F": np.asfortranarray(base[:2, :3, :4]),
         "strided": base[::2, ::2, 1::2][:, :3, :]}[order]
    da = shadow_like(a)
    autodiff(Reverse, cube_3d, Active, Duplicated(a, da))
    np.testing.assert_allclose(da, fd_grad(cube_3d, a.copy()), rtol=1e-6, atol=1e-8)


@njit
def dot_loop(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


def test_two_arrays_mixed_activity():
    a, b = np.arange(4.0), np.arange(4.0) + 1.0
    da, db = np.zeros(4), np.zeros(4)
    assert autodiff(Reverse, dot_loop, Active, Duplicated(a, da), Duplicated(b, db)) == ((None, None),)
    np.testing.assert_array_equal(da, b)
    np.testing.assert_array_equal(db, a)
    da[:] = 0
    autodiff(Reverse, dot_loop, Active, Duplicated(a, da), Const(b))
    np.testing.assert_array_equal(da, b)
    assert autodiff(ForwardWithPrimal, dot_loop, Const(a), Duplicated(b, np.ones(4))) == (20.0, a.sum())


def test_duplicated_noneed():
    a = np.array([1.0, 2.0, 3.0])
    da = np.zeros(3)
    autodiff(Reverse, sumsq_flat, Active, DuplicatedNoNeed(a, da))
    np.testing.assert_array_equal(da, 2 * a)
    assert autodiff(Forward, sumsq_flat, DuplicatedNoNeed(a, np.ones(3))) == (12.0,)


def test_reverse_with_primal_array():
    a = np.array([1.0, 2.0, 3.0])
    da = np.zeros(3)
    assert autodiff(ReverseWithPrimal, sumsq_flat, Active, Duplicated(a, da)) == (14.0, (None,))


# --------------------------------------------------------------- in-place updates (VJP / JVP)
@njit
def stencil(y, x, c):
    n = x.shape[0]
    y[0] = c * (-2.0 * x[0] + x[1]) + math.sin(x[0]) * x[0]
    for i in range(1, n - 1):
        y[i] = c * (x[i - 1] - 2.0 * x[i] + x[i + 1]) + math.sin(x[i]) * x[i]
    y[n - 1] = c * (x[n - 2] - 2.0 * x[n - 1]) + math.sin(x[n - 1]) * x[n - 1]


@njit
def stencil_selects(y, x, c):
    """The same stencil with the boundaries as selects: vectorizes with llvm.masked.load."""
    n = x.shape[0]
    for i in range(n):
        left = x[i - 1] if i > 0 else 0.0
        right = x[i + 1] if i < n - 1 else 0.0
        y[i] = c * (left - 2.0 * x[i] + right) + math.sin(x[i]) * x[i]


@njit
def axpy_inplace(y, a, x):
    for i in range(y.shape[0]):
        y[i] += a * x[i]


def test_vjp_inplace_against_fd():
    rng = np.random.default_rng(2)
    x = rng.uniform(-1, 1, 6)
    y = np.zeros(6)
    J = fd_jac_inplace(lambda y, x: stencil(y, x, 0.7), y, x)
    w = rng.uniform(-1, 1, 6)
    dx, dy = np.zeros(6), w.copy()
    autodiff(Reverse, stencil, Const, Duplicated(y, dy), Duplicated(x, dx), Const(0.7))
    np.testing.assert_allclose(dx, J.T @ w, rtol=1e-7, atol=1e-9)
    v = rng.uniform(-1, 1, 6)
    ty = np.zeros(6)
    autodiff(Forward, stencil, Const, Duplicated(y, ty), Duplicated(x, v.copy()), Const(0.7))
    np.testing.assert_allclose(ty, J @ v, rtol=1e-7, atol=1e-9)


def test_masked_load_vectorized_stencil():
    rng = np.random.default_rng(2)
    x, y = rng.uniform(-1, 1, 12), np.zeros(12)
    J = fd_jac_inplace(lambda y, x: stencil_selects(y, x, 0.7), y, x)
    w = rng.uniform(-1, 1, 12)
    dx, dy = np.zeros(12), w.copy()
    autodiff(Reverse, stencil_selects, Const, Duplicated(y, dy), Duplicated(x, dx), Const(0.7))
    np.testing.assert_allclose(dx, J.T @ w, rtol=1e-7, atol=1e-9)


def test_inplace_accumulate_y_plus_ax():
    """y += a x: the adjoint of y passes through, a is Active."""
    x, y = np.array([1.0, 2.0]), np.array([5.0, 6.0])
    dx, dy = np.zeros(2), np.array([1.0, 3.0])
    (_, da, _), = autodiff(Reverse, axpy_inplace, Const, Duplicated(y, dy), Active(2.0), Duplicated(x, dx))
    assert y.tolist() == [7.0, 10.0]
    assert da == 1.0 * 1.0 + 3.0 * 2.0
    assert dx.tolist() == [2.0, 6.0]
    assert dy.tolist() == [1.0, 3.0]         # y_old's adjoint = y_new's adjoint


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dot_product_test_forward_vs_reverse(dtype):
    """<w, J v> (forward) == <J^T w, v> (reverse) for random v, w."""
    rng = np.random.default_rng(3)
    n = 9
    x = rng.uniform(-1, 1, n).astype(dtype)
    v = rng.uniform(-1, 1, n).astype(dtype)
    w = rng.uniform(-1, 1, n).astype(dtype)
    y = np.zeros(n, dtype)
    ty = np.zeros(n, dtype)
    autodiff(Forward, stencil, Const, Duplicated(y, ty), Duplicated(x, v.copy()), Const(dtype(0.3)))
    dx, dy = np.zeros(n, dtype), w.copy()
    autodiff(Reverse, stencil, Const, Duplicated(y, dy), Duplicated(x, dx), Const(dtype(0.3)))
    lhs, rhs = float(np.dot(w, ty)), float(np.dot(dx, v))
    assert lhs == pytest.approx(rhs, rel=1e-12 if dtype == np.float64 else 1e-5)


def test_dot_product_test_2d_strided():
    rng = np.random.default_rng(4)
    big = rng.uniform(-1, 1, (6, 8))
    x = big[::2, ::2]                       # 3x4, non-contiguous

    @njit
    def F(y, x):
        for i in range(x.shape[0]):
            for j in range(x.shape[1]):
                y[j, i] = x[i, j] * x[i, (j + 1) % x.shape[1]] + math.cos(x[i, j])

    y = np.zeros((4, 3), order="F")
    v, w = shadow_like(x), rng.uniform(-1, 1, (4, 3))
    v[...] = rng.uniform(-1, 1, x.shape)
    ty = np.zeros_like(y)
    autodiff(Forward, F, Const, Duplicated(y, ty), Duplicated(x, v))
    dx, dy = shadow_like(x), np.asfortranarray(w)
    autodiff(Reverse, F, Const, Duplicated(y, dy), Duplicated(x, dx))
    assert np.sum(w * ty) == pytest.approx(np.sum(dx * v), rel=1e-12)


# --------------------------------------------------------------- allocation through numba's runtime
ALLOC = {
    "x*y": (njit(lambda x, y: np.sum(x * y)), lambda x, y: y),
    "np.exp": (njit(lambda x, y: np.sum(np.exp(x) * y)), lambda x, y: np.exp(x) * y),
    "np.sum(x**2)": (njit(lambda x, y: np.sum(x ** 2) + y[0]), lambda x, y: 2 * x),
    "np.zeros": (njit(lambda x, y: _zeros_then_fill(x).sum()), lambda x, y: 2 * x),
    "np.empty": (njit(lambda x, y: _empty_then_fill(x)), lambda x, y: np.cos(x)),
    "slicing": (njit(lambda x, y: np.sum(x[1:] * x[:-1])),
                lambda x, y: np.concatenate([[0.0], x[:-1]]) + np.concatenate([x[1:], [0.0]])),
    "x.max()": (njit(lambda x, y: x.max()), lambda x, y: (x == x.max()).astype(float)),
    "np.min": (njit(lambda x, y: np.min(x * y)), lambda x, y: (x * y == np.min(x * y)) * y),
    "np.cumsum": (njit(lambda x, y: np.sum(np.cumsum(x) * y)), lambda x, y: np.cumsum(y[::-1])[::-1]),
    "np.diff": (njit(lambda x, y: np.sum(np.diff(x) ** 2)),
                lambda x, y: np.concatenate([[0.0], 2 * np.diff(x)]) - np.concatenate([2 * np.diff(x), [0.0]])),
    "broadcast 2-d": (njit(lambda x, y: np.sum(np.exp(x.reshape(2, 2)) * y[:2])),
                      lambda x, y: np.exp(x) * np.array([y[0], y[1], y[0], y[1]])),
    "x.sum()": (njit(lambda x, y: (x * x).sum()), lambda x, y: 2 * x),
    "x.mean()": (njit(lambda x, y: np.mean(np.sin(x))), lambda x, y: np.cos(x) / x.size),
    "np.prod": (njit(lambda x, y: np.prod(x)), lambda x, y: np.prod(x) / x),
    "np.var": (njit(lambda x, y: np.var(x)), lambda x, y: 2 * (x - x.mean()) / x.size),
    "np.std": (njit(lambda x, y: np.std(x)), lambda x, y: (x - x.mean()) / (x.size * x.std())),
    "np.concatenate": (njit(lambda x, y: np.sum(np.concatenate((x, 2.0 * x)) ** 2)),
                       lambda x, y: 10 * x),
    "np.sort": (njit(lambda x, y: np.sort(x)[-1] * 2.0), lambda x, y: 2.0 * (x == x.max())),
    "fancy index": (njit(lambda x, y: np.sum(x[np.array([0, 2])] ** 2)),
                    lambda x, y: np.array([2 * x[0], 0.0, 2 * x[2], 0.0])),
    "np.where": (njit(lambda x, y: np.sum(np.where(x > 0.5, x * x, -x))),
                 lambda x, y: np.where(x > 0.5, 2 * x, -1.0)),
    "np.clip": (njit(lambda x, y: np.sum(np.clip(x, 0.0, 1.0) ** 2)),
                lambda x, y: np.where((x > 0) & (x < 1), 2 * x, 0.0)),
    "np.tanh": (njit(lambda x, y: np.sum(np.tanh(x) * y)), lambda x, y: (1 - np.tanh(x) ** 2) * y),
}


@njit
def _zeros_then_fill(x):
    t = np.zeros(x.shape[0])
    for i in range(x.shape[0]):
        t[i] = x[i] * x[i]
    return t


@njit
def _empty_then_fill(x):
    t = np.empty(x.shape[0])
    for i in range(x.shape[0]):
        t[i] = math.sin(x[i])
    return t.sum()


@pytest.mark.parametrize("case", list(ALLOC.values()), ids=list(ALLOC))
def test_allocating_array_expressions(case):
    f, df = case
    x = np.array([0.3, 1.2, -0.4, 0.9])
    y = np.array([1.5, -2.0, 0.5, 3.0])
    dx = np.zeros(4)
    autodiff(Reverse, f, Active, Duplicated(x, dx), Const(y))
    np.testing.assert_allclose(dx, df(x, y), rtol=1e-12)
    (t,) = autodiff(Forward, f, Duplicated(x, np.ones(4)), Const(y))
    assert t == pytest.approx(df(x, y).sum(), rel=1e-12)


def test_numba_list():   # (core gap #1, fixed; more in tests/test_numba_lists.py)
    @njit
    def listsum(a):
        lst = []
        for v in a:
            lst.append(v * v)
        s = 0.0
        for v in lst:
            s += v
        return s

    a, da = np.array([1.0, 2.0, 3.0]), np.zeros(3)
    autodiff(Reverse, listsum, Active, Duplicated(a, da))
    np.testing.assert_array_equal(da, 2 * a)


def test_reshape_and_transpose():
    @njit
    def f(x):
        m = x.reshape(2, 3)
        return np.sum(m.T[0] * 3.0) + np.sum(m[1] ** 2) + np.sum(m.T.ravel() * 0.5)

    x = np.linspace(0.1, 0.6, 6)
    dx = np.zeros(6)
    autodiff(Reverse, f, Active, Duplicated(x, dx))
    want = np.array([3.0, 0.0, 0.0, 3.0 + 2 * x[3], 2 * x[4], 2 * x[5]]) + 0.5
    np.testing.assert_allclose(dx, want, rtol=1e-14)
    (t,) = autodiff(Forward, f, Duplicated(x, np.ones(6)))
    assert t == pytest.approx(want.sum(), rel=1e-14)


def test_array_expression_on_strided_view():
    @njit
    def sum_sq(a):
        return np.sum(a ** 2)

    view = np.arange(24.0).reshape(4, 6)[::2, 1::2]
    dview = shadow_like(view)
    autodiff(Reverse, sum_sq, Active, Duplicated(view, dview))
    np.testing.assert_array_equal(dview, 2 * view)


def test_slice_assignment():
    @njit
    def w(out, x):
        out[:] = x * 2.0

    x, out = np.array([1.0, 2.0]), np.zeros(2)
    tout = np.zeros(2)
    autodiff(Forward, w, Const, Duplicated(out, tout), Duplicated(x, np.array([1.0, 3.0])))
    np.testing.assert_array_equal(tout, [2.0, 6.0])


def test_linalg_norm():
    @njit
    def f(a):
        return np.linalg.norm(a)

    a, da = np.array([3.0, 4.0]), np.zeros(2)
    autodiff(Reverse, f, Active, Duplicated(a, da))
    np.testing.assert_allclose(da, a / 5.0, rtol=1e-15)


def test_array_returning_function_forward():
    @njit
    def f(x):
        return np.exp(x) * x

    x = np.array([0.5, 1.0, 2.0])
    (t,) = autodiff(Forward, f, Duplicated(x, np.ones(3)))
    np.testing.assert_allclose(t, np.exp(x) * (1 + x), rtol=1e-14)
    p, t = autodiff(ForwardWithPrimal, f, Duplicated(x, np.array([0.0, 1.0, 0.0])))
    np.testing.assert_allclose(p, np.exp(x) * x, rtol=1e-15)
    np.testing.assert_allclose(t, [0.0, 2 * np.e, 0.0], rtol=1e-14)


BLAS = {
    "np.dot 1-d": (njit(lambda a, b: np.dot(a, b)), (4,), (4,)),
    "a @ b 1-d": (njit(lambda a, b: a @ b), (4,), (4,)),
    "matvec": (njit(lambda a, b: np.sum(a @ b)), (3, 4), (4,)),
    "matmul": (njit(lambda a, b: np.sum((a @ b) ** 2)), (3, 4), (4, 2)),
    "matmul F-order": (njit(lambda a, b: np.sum(np.tanh(np.asfortranarray(a) @ b))), (3, 4), (4, 2)),
    "np.dot 2-d": (njit(lambda a, b: np.sum(np.dot(a, b) * 1.5)), (2, 3), (3, 3)),
}


@pytest.mark.parametrize("name", list(BLAS))
def test_blas_products(name):
    f, sa, sb = BLAS[name]
    rng = np.random.default_rng(5)
    a, b = rng.uniform(-1, 1, sa), rng.uniform(-1, 1, sb)
    da, db = np.zeros(sa), np.zeros(sb)
    autodiff(Reverse, f, Active, Duplicated(a, da), Duplicated(b, db))
    np.testing.assert_allclose(da, fd_grad(lambda a: f(a, b), a.copy()), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(db, fd_grad(lambda b: f(a, b), b.copy()), rtol=1e-6, atol=1e-9)
    ta, tb = rng.uniform(-1, 1, sa), rng.uniform(-1, 1, sb)
    (t,) = autodiff(Forward, f, Duplicated(a, ta), Duplicated(b, tb))
    assert t == pytest.approx(np.sum(da * ta) + np.sum(db * tb), rel=1e-12)   # dot-product test


# --------------------------------------------------------------- gradient / jacobian helpers
def test_gradient_helper_arrays():
    x = np.linspace(0.2, 1.0, 12).reshape(3, 4)[:, ::2]
    g = gradient(Reverse, weighted_2d, x)
    np.testing.assert_allclose(g, fd_grad(weighted_2d, x.copy()), rtol=1e-7)
    np.testing.assert_allclose(gradient(Forward, weighted_2d, x), g, rtol=1e-14)
    ga, gb = gradient(Reverse, dot_loop, np.arange(3.0), np.ones(3))
    assert ga.tolist() == [1.0, 1.0, 1.0] and gb.tolist() == [0.0, 1.0, 2.0]


def test_jacobian_inplace_forward_and_reverse():
    x = np.array([0.3, -0.2, 0.8, 0.1])
    y = np.zeros(4)
    F = njit(lambda y, x: stencil(y, x, 0.5))
    Jf = jacobian(Forward, F, x, out=y)
    Jr = jacobian(Reverse, F, x, out=y)
    np.testing.assert_allclose(Jf, Jr, rtol=1e-14)
    np.testing.assert_allclose(Jf, fd_jac_inplace(F, np.zeros(4), x.copy()), rtol=1e-7, atol=1e-9)


def test_jacobian_2d_output_and_input():
    @njit
    def F(y, x):
        y[0, 0] = x[0, 0] * x[1, 1]
        y[0, 1] = x[0, 1] + x[1, 0]
        y[1, 0] = math.exp(x[0, 0])
        y[1, 1] = 0.0

    x = np.array([[0.5, 0.2], [0.1, 0.4]])
    J = jacobian(Reverse, F, x, out=np.zeros((2, 2)))
    assert J.shape == (2, 2, 2, 2)
    np.testing.assert_allclose(J, jacobian(Forward, F, x, out=np.zeros((2, 2))), rtol=1e-15)
    np.testing.assert_allclose(J, fd_jac_inplace(F, np.zeros((2, 2)), x.copy()), rtol=1e-8, atol=1e-10)


def test_jacobian_of_tuple_and_array_results():
    @njit
    def F(x):
        return x[0] * x[1], math.sin(x[0]) + x[2], x[2] ** 2

    @njit
    def G(x):
        return np.array([x[0] * x[1], math.sin(x[0]) + x[2], x[2] ** 2])

    x = np.array([0.4, 1.5, -0.7])
    want = [[x[1], x[0], 0.0], [math.cos(x[0]), 0.0, 1.0], [0.0, 0.0, 2 * x[2]]]
    np.testing.assert_allclose(jacobian(Forward, F, x), want, rtol=1e-15)
    np.testing.assert_allclose(jacobian(Reverse, F, x), want, rtol=1e-15)
    np.testing.assert_allclose(jacobian(Forward, G, x), want, rtol=1e-15)


_BROADCAST_CONST = """
import numpy as np
from numba import njit
from enzpy import autodiff, Forward, Reverse, Active, Const, Duplicated

@njit
def f(x, y):
    return np.sum(x * y.reshape((y.size, 1)))

@njit
def g(x, y):
    return np.sum(np.outer(x, y))

x = np.array([0.3, 1.2, -0.4, 0.9]); y = np.array([1.5, -2.0, 0.5, 3.0])
for fn in (f, g):
    (t,) = autodiff(Forward, fn, Duplicated(x, np.ones(4)), Const(y))
    assert abs(t - 4 * y.sum()) < 1e-12, t
    dx = np.zeros(4)
    autodiff(Reverse, fn, Active, Duplicated(x, dx), Const(y))
    assert np.allclose(dx, y.sum()), dx
print("ok")
"""


def test_broadcast_reshaped_const_operand():
    """Runs in a subprocess: the bug this guards against was a segmentation fault."""
    import os
    import subprocess
    import sys

    import enzpy
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(enzpy.__file__)) + os.pathsep
               + os.environ.get("PYTHONPATH", ""))  # the enzpy under test
    proc = subprocess.run([sys.executable, "-c", _BROADCAST_CONST], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", (proc.returncode, proc.stderr[-2000:])


@njit
def _triangular_scratch(x, lower):
    """GMM-style: per row, xc = x[r] * 1.5 and qxc = L xc in scratch arrays reused across rows; the j
    loop reloads xc[i] while it writes qxc (numba cannot tell the two allocations apart)."""
    n, d = x.shape
    xc = np.empty(d)
    qxc = np.empty(d)
    total = 0.0
    for r in range(n):
        for j in range(d):
            xc[j] = 1.5 * x[r, j]
        for j in range(d):
            qxc[j] = math.exp(lower[j, j]) * xc[j]
        for i in range(d):
            for j in range(i + 1, d):
                qxc[j] += lower[j, i] * xc[i]
        for j in range(d):
            total += math.sin(qxc[j]) * qxc[j]
    return total


@njit
def _triangular_in_place(x, lower):
    """The same update in place: the j loop writes the array it reloads xc[i] from."""
    n, d = x.shape
    xc = np.empty(d)
    total = 0.0
    for r in range(n):
        for j in range(d):
            xc[j] = 1.5 * x[r, j]
        for i in range(d):
            for j in range(i + 1, d):
                xc[j] += lower[j, i] * xc[i]
        for j in range(d):
            total += math.sin(xc[j]) * xc[j]
    return total


@pytest.mark.parametrize("f", [_triangular_scratch, _triangular_in_place], ids=["scratch", "in-place"])
@pytest.mark.parametrize("d", [3, 10, 17])
def test_scratch_arrays_reused_across_rows_reverse(f, d):
    """Values a loop reloads from a scratch array it does not write are taped once per loop entry
    (Reverse.cpp, invariant loads); against central differences, for short and unrolled loop lengths."""
    rng = np.random.default_rng(d)
    x, lower = rng.normal(size=(4, d)), 0.3 * rng.normal(size=(d, d))
    dx, dl = np.zeros_like(x), np.zeros_like(lower)
    autodiff(Reverse, f, Active, Duplicated(x, dx), Duplicated(lower, dl))
    np.testing.assert_allclose(dx, fd_grad(lambda v: f(v, lower), x), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(dl, fd_grad(lambda v: f(x, v), lower), rtol=1e-6, atol=1e-8)
