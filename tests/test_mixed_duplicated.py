"""MixedDuplicated: a tuple holding active floats and duplicated arrays, forward and reverse."""
import numba
import numpy as np
import pytest

from enzpy import (Active, Const, Duplicated, Forward, MixedDuplicated, Reverse,
                   ReverseWithPrimal, autodiff)
from numba_testutil import fd_grad, fd_scalar


@numba.njit
def loss(params, x):
    w, b, scale = params
    s = 0.0
    for i in range(x.shape[0]):
        r = np.tanh(w[i] * x[i] + b) - 0.5
        s += r * r
    return scale * s


@numba.njit
def with_int(p):
    a, B, n = p
    s = 0.0
    for i in range(n):
        s += a * B[i]
    B[0] = a * a
    return s


X = np.linspace(-1.0, 1.0, 6)
W = np.linspace(0.3, 0.9, 6)


def test_reverse_against_finite_differences():
    dW = np.zeros(6)
    (adjs,) = autodiff(Reverse, loss, Active, MixedDuplicated((W, 0.2, 1.5), (dW, 0.0, 0.0)),
                       Const(X))
    (adj_w, adj_b, adj_scale), adj_x = adjs
    assert adj_w is None and adj_x is None
    assert adj_b == pytest.approx(fd_scalar(lambda b: loss((W, b, 1.5), X), 0.2), rel=1e-7)
    assert adj_scale == pytest.approx(loss((W, 0.2, 1.0), X), rel=1e-13)
    np.testing.assert_allclose(dW, fd_grad(lambda w: loss((w, 0.2, 1.5), X), W.copy()),
                               rtol=1e-7)


def test_forward_and_dot_product():
    v_w, v_b, v_s = np.linspace(-0.5, 0.5, 6), 0.7, -0.3
    (t,) = autodiff(Forward, loss, MixedDuplicated((W, 0.2, 1.5), (v_w, v_b, v_s)), X)
    dW = np.zeros(6)
    (((_, adj_b, adj_s), _),) = autodiff(Reverse, loss, Active,
                                         MixedDuplicated((W, 0.2, 1.5), (dW, 0.0, 0.0)), X)
    assert t == pytest.approx(v_w @ dW + v_b * adj_b + v_s * adj_s, rel=1e-12)


def test_same_as_separate_arguments():
    """MixedDuplicated((w, b, s)) gives what Duplicated(w) + Active(b) + Active(s) give."""
    @numba.njit
    def flat(w, b, scale, x):
        return loss((w, b, scale), x)

    dW1, dW2 = np.zeros(6), np.zeros(6)
    ((adj, _),) = autodiff(Reverse, loss, Active, MixedDuplicated((W, 0.2, 1.5), (dW1, 0, 0)), X)
    ((_, b, s, _),) = autodiff(Reverse, flat, Active, Duplicated(W, dW2), Active(0.2),
                               Active(1.5), X)
    assert adj[1:] == (b, s)
    np.testing.assert_array_equal(dW1, dW2)


def test_int_members_are_constant_and_primal_writes():
    B, dB = np.array([1.0, 2.0, 3.0]), np.zeros(3)
    primal, ((adj_a, adj_B, adj_n),) = autodiff(ReverseWithPrimal, with_int, Active,
                                                MixedDuplicated((2.0, B, 2), (0.0, dB, 0)))
    assert primal == 6.0 and adj_a == 3.0 and adj_B is None and adj_n is None
    assert dB.tolist() == [2.0, 2.0, 0.0] and B[0] == 4.0


def test_inside_njit():
    @numba.njit
    def grad_b(w, b, x, dw):
        return autodiff(Reverse, loss, Active, MixedDuplicated((w, b, 1.0), (dw, 0.0, 0.0)),
                        x)[0][0][1]

    dW = np.zeros(6)
    assert grad_b(W, 0.2, X, dW) == pytest.approx(
        fd_scalar(lambda b: loss((W, b, 1.0), X), 0.2), rel=1e-7)


def test_errors():
    with pytest.raises(TypeError, match="tuple"):
        autodiff(Reverse, loss, Active, MixedDuplicated(1.0, 0.0), X)
    with pytest.raises(TypeError, match="one shadow per member"):
        autodiff(Reverse, loss, Active, MixedDuplicated((W, 0.2, 1.5), (np.zeros(6), 0.0)), X)
    with pytest.raises(ValueError, match="member 0"):
        autodiff(Reverse, loss, Active, MixedDuplicated((W, 0.2, 1.5), (np.zeros(5), 0.0, 0.0)),
                 X)
    with pytest.raises(ValueError, match="primal array itself"):
        autodiff(Reverse, loss, Active, MixedDuplicated((W, 0.2, 1.5), (W, 0.0, 0.0)), X)


def test_namedtuple():
    """A namedtuple of floats and arrays is a tuple: MixedDuplicated takes it (its shadow a
    namedtuple or a plain tuple), forward and reverse."""
    from collections import namedtuple
    P = namedtuple("P", ["a", "A"])

    @numba.njit
    def h(p):
        return p.a * np.sum(p.A * p.A)

    A, dA = np.array([1.0, 2.0]), np.zeros(2)
    assert autodiff(Reverse, h, Active, MixedDuplicated(P(0.5, A), P(0.0, dA))) == (
        ((5.0, None),),)
    assert dA.tolist() == [1.0, 2.0]                 # 2 * a * A
    dA[:] = 0.0
    assert autodiff(Reverse, h, Active, MixedDuplicated(P(0.5, A), (0, dA))) == (((5.0, None),),)
    assert dA.tolist() == [1.0, 2.0]
    # forward: da * sum(A^2) + a * 2 A . dA
    (t,) = autodiff(Forward, h, MixedDuplicated(P(0.5, A), P(1.0, np.array([1.0, 0.0]))))
    assert t == pytest.approx(5.0 + 0.5 * 2 * 1.0)

    @numba.njit
    def inside(p, dA):
        return autodiff(Reverse, h, Active, MixedDuplicated(p, P(0.0, dA)))[0][0][0]

    dA[:] = 0.0
    assert inside(P(0.5, A), dA) == 5.0 and dA.tolist() == [1.0, 2.0]
