"""Reductions of fastmath=True loops: numba vectorizes them and ends each loop with an
llvm.vector.reduce.* call (fadd for sums, fmul for products, fmax/fmin for max/min), whose rules
must give the same derivatives as the scalar loop. Products get inputs with zero entries: the
partial of one factor is the product of the others, which a division by the factor would lose."""
import numba
import numpy as np
import pytest

from enzpy import Active, Duplicated, Forward, Reverse, autodiff


def _product(x, s):
    p = s
    for i in range(x.shape[0]):
        p *= x[i]
    return p


def _sum_max(x):
    t = 0.0
    m = x[0]
    for i in range(x.shape[0]):
        t += x[i] * x[i]
        m = max(m, x[i])
    return t + 3.0 * m


fast_product = numba.njit(fastmath=True)(_product)
exact_product = numba.njit(_product)
fast_sum_max = numba.njit(fastmath=True)(_sum_max)


def _others_product(x, s):
    """d(s * prod x) / dx_i = s * prod_(j != i) x_j, without division."""
    return np.array([s * np.prod(np.delete(x, i)) for i in range(x.size)])


@pytest.mark.parametrize("zeros", [(), (5,), (5, 17), (0, 1, 2)])
def test_product_reduction_reverse_and_forward(zeros):
    rng = np.random.default_rng(len(zeros))
    x = rng.uniform(0.8, 1.2, 37) * rng.choice([-1.0, 1.0], 37)
    x[list(zeros)] = 0.0
    s = 1.3
    dx = np.zeros_like(x)
    (grads,) = autodiff(Reverse, fast_product, Active, Duplicated(x, dx), Active(s))
    np.testing.assert_allclose(dx, _others_product(x, s), rtol=1e-12, atol=1e-300)
    assert grads[1] == pytest.approx(np.prod(x), rel=1e-12, abs=1e-300)
    # the same as the derivative of the exact (non-fastmath) loop
    dx_exact = np.zeros_like(x)
    autodiff(Reverse, exact_product, Active, Duplicated(x, dx_exact), Active(s))
    np.testing.assert_allclose(dx, dx_exact, rtol=1e-12, atol=1e-300)
    # forward mode: the directional derivative along v, and the dot-product test with reverse mode
    v = rng.standard_normal(37)
    (tangent,) = autodiff(Forward, fast_product, Duplicated(x, v), Duplicated(s, 0.5))
    expected = _others_product(x, s) @ v + 0.5 * np.prod(x)
    assert tangent == pytest.approx(expected, rel=1e-11, abs=1e-14)


def test_product_loop_ends_in_a_vector_reduction():
    """What the tests above exercise: numba's fastmath loop multiplies vectors of partial products
    and reduces them with llvm.vector.reduce.fmul."""
    x = np.linspace(0.5, 1.5, 37)
    fast_product(x, 1.0)
    assert any("llvm.vector.reduce.fmul" in ir for ir in fast_product.inspect_llvm().values())


def test_product_reduction_central_differences():
    rng = np.random.default_rng(7)
    x = rng.uniform(0.7, 1.3, 29)
    dx = np.zeros_like(x)
    autodiff(Reverse, fast_product, Active, Duplicated(x, dx), Active(0.9))
    h = 1e-6
    for i in (0, 13, 28):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        fd = (exact_product(xp, 0.9) - exact_product(xm, 0.9)) / (2 * h)
        assert dx[i] == pytest.approx(fd, rel=1e-7)


def test_sum_and_max_reductions():
    rng = np.random.default_rng(3)
    x = rng.standard_normal(45)
    dx = np.zeros_like(x)
    autodiff(Reverse, fast_sum_max, Active, Duplicated(x, dx))
    expected = 2.0 * x
    expected[np.argmax(x)] += 3.0
    np.testing.assert_allclose(dx, expected, rtol=1e-12)
    v = rng.standard_normal(45)
    (tangent,) = autodiff(Forward, fast_sum_max, Duplicated(x, v))
    assert tangent == pytest.approx(expected @ v, rel=1e-12)
