"""Batch mode: BatchDuplicated(x, (dx1, ..., dxN)) in forward (one vectorized sweep) and reverse
mode, against N scalar sweeps; jacobian (which uses it) against finite differences."""
import numba
import numpy as np
import pytest

from enzpy import (Active, BatchDuplicated, Const, Duplicated, EnzpyError, Forward,
                   ForwardWithPrimal, Reverse, ReverseWithPrimal, autodiff, jacobian)
from numba_testutil import fd_jac_inplace


@numba.njit
def scalar_f(x, y):
    return np.sin(x * y) + x * x / y


@numba.njit
def mix(y, x, c):
    n = x.shape[0]
    for i in range(y.shape[0]):
        acc = 0.0
        for j in range(n):
            acc += np.tanh(x[j] * c + i) * x[(j + i) % n]
        y[i] = acc + np.exp(-x[i % n])


@numba.njit
def energy(a, s):
    return np.sum(np.cos(a) * a) * s + s * s


RNG = np.random.default_rng(7)


@pytest.mark.parametrize("width", [1, 2, 3, 8])
def test_forward_scalars_against_scalar_sweeps(width):
    dxs = tuple(RNG.normal(size=width))
    dys = tuple(RNG.normal(size=width))
    (batch,) = autodiff(Forward, scalar_f, BatchDuplicated(0.7, dxs), BatchDuplicated(1.3, dys))
    assert isinstance(batch, tuple) and len(batch) == width
    for k in range(width):
        (one,) = autodiff(Forward, scalar_f, Duplicated(0.7, dxs[k]), Duplicated(1.3, dys[k]))
        assert batch[k] == pytest.approx(one, rel=1e-14, abs=1e-15)
    primal, tangents = autodiff(ForwardWithPrimal, scalar_f, BatchDuplicated(0.7, dxs),
                                BatchDuplicated(1.3, dys))
    assert primal == scalar_f(0.7, 1.3) and tangents == batch


@pytest.mark.parametrize("width", [1, 2, 3, 8])
@pytest.mark.parametrize("layout", ["C", "strided"])
def test_forward_arrays_against_scalar_sweeps(width, layout):
    base = RNG.uniform(0.2, 1.0, size=10)
    x = base.copy() if layout == "C" else base[::2]
    vs = [RNG.normal(size=10) for _ in range(width)]
    vs = [v if layout == "C" else v[::2] for v in vs]
    ys = np.zeros(4)
    tys = tuple(np.zeros(4) for _ in range(width))
    assert autodiff(Forward, mix, Const, BatchDuplicated(ys, tys),
                    BatchDuplicated(x, tuple(vs)), 0.3) == ()
    for k in range(width):
        y1, ty1 = np.zeros(4), np.zeros(4)
        autodiff(Forward, mix, Const, Duplicated(y1, ty1), Duplicated(x, vs[k]), 0.3)
        np.testing.assert_allclose(tys[k], ty1, rtol=1e-14, atol=1e-15)
        np.testing.assert_array_equal(ys, y1)


@pytest.mark.parametrize("width", [1, 2, 3, 8])
def test_reverse_against_scalar_sweeps(width):
    x = RNG.uniform(0.2, 1.0, size=5)
    seeds = tuple(RNG.normal(size=4) for _ in range(width))
    dxs = tuple(np.zeros(5) for _ in range(width))
    y = np.zeros(4)
    res = autodiff(Reverse, mix, Const, BatchDuplicated(y, tuple(s.copy() for s in seeds)),
                   BatchDuplicated(x, dxs), Const(0.3))
    assert res == ((None, None, None),)
    for k in range(width):
        dx1 = np.zeros(5)
        autodiff(Reverse, mix, Const, Duplicated(np.zeros(4), seeds[k].copy()), Duplicated(x, dx1),
                 0.3)
        np.testing.assert_allclose(dxs[k], dx1, rtol=1e-14, atol=1e-15)
    y_ref = np.zeros(4)
    mix(y_ref, x, 0.3)
    np.testing.assert_array_equal(y, y_ref)      # the primal ran as one call


def test_reverse_active_arguments_get_one_adjoint_per_shadow():
    a = np.array([0.1, 0.5, 0.9])
    das = (np.zeros(3), np.zeros(3), np.zeros(3))
    primal, (adj_a, adj_s) = autodiff(ReverseWithPrimal, energy, Active, BatchDuplicated(a, das),
                                      Active(1.5))
    assert primal == pytest.approx(energy(a, 1.5))
    assert adj_a is None and len(adj_s) == 3
    da = np.zeros(3)
    ((_, s1),) = autodiff(Reverse, energy, Active, Duplicated(a, da), Active(1.5))
    for k in range(3):
        assert adj_s[k] == s1
        np.testing.assert_array_equal(das[k], da)


def test_forward_dot_product_with_batched_reverse():
    """<J v_k, w_k> == <v_k, J^T w_k> for each of 3 lanes."""
    x = RNG.uniform(0.2, 1.0, size=6)
    vs = tuple(RNG.normal(size=6) for _ in range(3))
    ws = tuple(RNG.normal(size=4) for _ in range(3))
    tys = tuple(np.zeros(4) for _ in range(3))
    autodiff(Forward, mix, Const, BatchDuplicated(np.zeros(4), tys), BatchDuplicated(x, vs), 0.3)
    dxs = tuple(np.zeros(6) for _ in range(3))
    autodiff(Reverse, mix, Const, BatchDuplicated(np.zeros(4), tuple(w.copy() for w in ws)),
             BatchDuplicated(x, dxs), 0.3)
    for k in range(3):
        assert tys[k] @ ws[k] == pytest.approx(vs[k] @ dxs[k], rel=1e-12)


def test_jacobian_5_to_3_against_finite_differences():
    @numba.njit
    def F(y, x):
        y[0] = x[0] * x[1] + np.sin(x[2])
        y[1] = np.exp(x[3] - x[4]) * x[0]
        y[2] = x[1] / (1.0 + x[2] * x[2]) + x[4] ** 3

    x = RNG.uniform(0.2, 1.0, size=5)
    want = fd_jac_inplace(F, np.zeros(3), x.copy())
    for mode in (Forward, Reverse):
        J = jacobian(mode, F, x, out=np.zeros(3))
        assert J.shape == (3, 5)
        np.testing.assert_allclose(J, want, rtol=1e-7, atol=1e-9)


def test_jacobian_many_columns_uses_chunks():
    """20 inputs: three batched sweeps of 8 directions (the last padded)."""
    @numba.njit
    def G(x):
        return (np.sum(x * x), np.sum(np.sin(x)))

    x = np.linspace(0.1, 2.0, 20)
    J = jacobian(Forward, G, x)
    np.testing.assert_allclose(J, np.stack([2 * x, np.cos(x)]), rtol=1e-14)
    np.testing.assert_allclose(jacobian(Reverse, G, x), J, rtol=1e-14)


def test_float32_batch():
    x = np.linspace(0.1, 1.0, 4).astype(np.float32)
    vs = tuple(np.eye(4, dtype=np.float32)[k].copy() for k in range(4))
    tys = tuple(np.zeros(3, np.float32) for _ in range(4))
    autodiff(Forward, mix, Const, BatchDuplicated(np.zeros(3, np.float32), tys),
             BatchDuplicated(x, vs), np.float32(0.3))
    J32 = np.stack(tys, axis=1)
    J64 = jacobian(Forward, _mix64, x.astype(np.float64),
                   out=np.zeros(3))
    np.testing.assert_allclose(J32, J64, rtol=1e-4, atol=1e-5)


@numba.njit
def _mix64(y, x):
    mix(y, x, 0.3)


def test_inside_njit():
    @numba.njit
    def tangents(x, y):
        return autodiff(Forward, scalar_f, BatchDuplicated(x, (1.0, 0.0)),
                        BatchDuplicated(y, (0.0, 1.0)))[0]

    dfdx, dfdy = tangents(0.7, 1.3)
    assert dfdx == autodiff(Forward, scalar_f, Duplicated(0.7, 1.0), Duplicated(1.3, 0.0))[0]
    assert dfdy == autodiff(Forward, scalar_f, Duplicated(0.7, 0.0), Duplicated(1.3, 1.0))[0]


def test_errors():
    x = np.ones(5)
    with pytest.raises(TypeError, match="every shadowed argument is BatchDuplicated"):
        autodiff(Forward, mix, Const, Duplicated(np.zeros(4), np.zeros(4)),
                 BatchDuplicated(x, (np.zeros(5), np.zeros(5))), 0.3)
    with pytest.raises(TypeError, match="different numbers of shadows"):
        autodiff(Forward, scalar_f, BatchDuplicated(1.0, (1.0, 0.0)),
                 BatchDuplicated(2.0, (1.0,)))
    with pytest.raises(ValueError, match="must be equal"):
        autodiff(Forward, mix, Const, BatchDuplicated(np.zeros(4), (np.zeros(4), np.zeros(3))),
                 BatchDuplicated(x, (np.zeros(5), np.zeros(5))), 0.3)
    s = np.zeros(5)
    with pytest.raises(ValueError, match="separate arrays"):
        autodiff(Reverse, energy, Active, BatchDuplicated(x, (s, s)), Active(1.0))
    with pytest.raises(ValueError, match="at least one shadow"):
        autodiff(Forward, scalar_f, BatchDuplicated(1.0, ()), BatchDuplicated(2.0, ()))
    with pytest.raises(TypeError, match="reverse mode pass Active"):
        autodiff(Reverse, scalar_f, Active, BatchDuplicated(1.0, (1.0,)), Active(2.0))


def test_forward_array_result():
    """Forward batch mode on a function that returns an array (from Python): N tangent arrays,
    as N single-direction calls give them."""
    @numba.njit
    def sin_scaled(a, s):
        return np.sin(a) * s

    x = np.array([0.0, 1.0, 2.0])
    d1, d2 = np.ones(3), np.array([0.0, 2.0, 0.0])
    (tans,) = autodiff(Forward, sin_scaled, BatchDuplicated(x, (d1, d2)), 2.0)
    assert isinstance(tans, tuple) and len(tans) == 2
    for d, t in zip((d1, d2), tans):
        np.testing.assert_allclose(t, autodiff(Forward, sin_scaled, Duplicated(x, d), 2.0)[0],
                                   rtol=1e-15)
        np.testing.assert_allclose(t, 2.0 * np.cos(x) * d, rtol=1e-15)
    primal, tans = autodiff(ForwardWithPrimal, sin_scaled, BatchDuplicated(x, (d1, d2)),
                            BatchDuplicated(2.0, (1.0, 0.0)))
    np.testing.assert_allclose(primal, 2.0 * np.sin(x))
    np.testing.assert_allclose(tans[0], 2.0 * np.cos(x) + np.sin(x), rtol=1e-15)
    np.testing.assert_allclose(tans[1], 2.0 * np.cos(x) * d2, rtol=1e-15)
