"""Second derivatives: autodiff inside an @njit function that is itself differentiated.
Forward over Reverse (Hessian-vector products), Reverse over Forward, Forward over Forward, and Reverse
over Reverse where the inner derivative needs no tape (scalars, and arrays it only reads); against the
analytic Hessian. Reverse over a
reverse-mode derivative that records a tape raises EnzpyError (its tape has no shadow)."""
import numba
import numpy as np
import pytest

from enzpy import Active, BatchDuplicated, Const, Duplicated, EnzpyError, Forward, Reverse, autodiff


@numba.njit
def cubes(x):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] ** 3 * (1.0 + 0.5 * x[0])
    return s


def hessian_of_cubes(x):
    H = np.diag(6.0 * x * (1.0 + 0.5 * x[0]))
    row0 = 1.5 * x ** 2              # d/dx0 of 3 x_i^2 (1 + 0.5 x0); H[0, 0] gets it twice
    H[0, :] += row0
    H[:, 0] += row0
    return H


@numba.njit
def gradient_into(x, g):
    g[:] = 0.0
    autodiff(Reverse, cubes, Active, Duplicated(x, g))


@numba.njit
def directional(x, v):
    return autodiff(Forward, cubes, Duplicated(x, v))[0]


X = np.array([0.3, -0.2, 0.8, 1.1])


def test_analytic_hessian_is_right():
    h = 1e-5
    H = hessian_of_cubes(X)
    for j in range(X.size):
        e = np.zeros_like(X)
        e[j] = h
        gp, gm = np.zeros_like(X), np.zeros_like(X)
        gradient_into(X + e, gp)
        gradient_into(X - e, gm)
        np.testing.assert_allclose((gp - gm) / (2 * h), H[:, j], rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("j", range(4))
def test_forward_over_reverse_hessian_vector_product(j):
    v = np.eye(X.size)[j]
    hv = np.zeros_like(X)
    autodiff(Forward, gradient_into, Const, Duplicated(X, v), Duplicated(np.zeros_like(X), hv))
    np.testing.assert_allclose(hv, hessian_of_cubes(X) @ v, rtol=1e-13, atol=1e-15)


def test_forward_over_reverse_repeated_batched_and_growing():
    """The inner derivative keeps its tape buffer between calls (parked) and grows it for longer inputs;
    the outer derivative gives every buffer it takes a shadow (once wrong: only the first call, which found
    no parked buffer, was right)."""
    rng = np.random.default_rng(8)
    for n in [4, 300, 3000, 4]:
        x = rng.uniform(size=n)
        H = hessian_of_cubes(x)
        vs = tuple(rng.normal(size=n) for _ in range(3))
        for _ in range(2):
            hvs = tuple(np.zeros(n) for _ in vs)
            autodiff(Forward, gradient_into, Const, BatchDuplicated(x, vs), BatchDuplicated(np.zeros(n), hvs))
            for hv, v in zip(hvs, vs):
                np.testing.assert_allclose(hv, H @ v, rtol=1e-12, atol=1e-12)


def test_reverse_over_forward():
    v = np.array([1.0, -2.0, 0.5, 3.0])
    dx = np.zeros_like(X)
    autodiff(Reverse, directional, Active, Duplicated(X, dx), Const(v))   # d/dx <grad f(x), v> = H v
    np.testing.assert_allclose(dx, hessian_of_cubes(X) @ v, rtol=1e-13)


def test_forward_over_forward():
    @numba.njit
    def second_directional(x, v, w):
        return autodiff(Forward, directional, Duplicated(x, w), Const(v))[0]

    v, w = np.array([1.0, -2.0, 0.5, 3.0]), np.array([0.5, 1.0, -1.0, 2.0])
    assert second_directional(X, v, w) == pytest.approx(w @ hessian_of_cubes(X) @ v, rel=1e-13)


def test_reverse_over_reverse_of_a_scalar_function():
    @numba.njit
    def f(a, b):
        return a * a * b + np.sin(a * b)

    @numba.njit
    def dfda(a, b):
        return autodiff(Reverse, f, Active, Active(a), Const(b))[0][0]

    a, b = 0.7, 1.3
    (d2,) = autodiff(Reverse, dfda, Active, Active(a), Active(b))[0:1]
    expected_aa = 2 * b - b * b * np.sin(a * b)
    expected_ab = 2 * a + np.cos(a * b) - a * b * np.sin(a * b)
    assert d2[0] == pytest.approx(expected_aa, rel=1e-13)
    assert d2[1] == pytest.approx(expected_ab, rel=1e-13)


def test_reverse_over_reverse_of_an_array_function_without_tape():
    # cubes' gradient recomputes everything it needs from x (never written): it records no tape
    gbar = np.array([1.0, -2.0, 0.5, 0.25])
    dx = np.zeros_like(X)
    autodiff(Reverse, gradient_into, Const, Duplicated(X.copy(), dx), Duplicated(np.zeros_like(X), gbar.copy()))
    np.testing.assert_allclose(dx, hessian_of_cubes(X) @ gbar, rtol=1e-13)


@numba.njit
def running_product(x):
    p = 1.0
    for i in range(x.shape[0]):
        p = p * (1.0 + x[i] * x[i])     # the reverse needs each partial product p: taped
    return p


@numba.njit
def product_gradient_into(x, g):
    g[:] = 0.0
    autodiff(Reverse, running_product, Active, Duplicated(x, g))


def test_reverse_over_a_taped_reverse_derivative_is_a_clear_error():
    with pytest.raises(EnzpyError, match="reverse mode over a reverse-mode derivative that records a tape"):
        autodiff(Reverse, product_gradient_into, Const, Duplicated(X.copy(), np.zeros_like(X)),
                 Duplicated(np.zeros_like(X), np.ones_like(X)))
