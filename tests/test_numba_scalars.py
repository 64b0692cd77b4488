"""Scalar functions: math.*, control flow, float32, tuples, calls between njit functions."""
import math

import numpy as np
import pytest
from numba import njit

from enzpy import (Active, Const, Duplicated, Forward, ForwardWithPrimal, Reverse,
                   ReverseWithPrimal, autodiff, autodiff_thunk, gradient, jacobian)
from numba_testutil import fd_scalar

# (function, derivative) pairs on math.* (and NumPy ufuncs on scalars)
MATH = {
    "sin": (njit(lambda x: math.sin(x)), math.cos),
    "cos": (njit(lambda x: math.cos(x)), lambda x: -math.sin(x)),
    "tan": (njit(lambda x: math.tan(x)), lambda x: 1 / math.cos(x) ** 2),
    "exp": (njit(lambda x: math.exp(x)), math.exp),
    "log": (njit(lambda x: math.log(x)), lambda x: 1 / x),
    "sqrt": (njit(lambda x: math.sqrt(x)), lambda x: 0.5 / math.sqrt(x)),
    "tanh": (njit(lambda x: math.tanh(x)), lambda x: 1 - math.tanh(x) ** 2),
    "atan": (njit(lambda x: math.atan(x)), lambda x: 1 / (1 + x * x)),
    "pow": (njit(lambda x: x ** 2.5), lambda x: 2.5 * x ** 1.5),
    "log1p": (njit(lambda x: math.log1p(x)), lambda x: 1 / (1 + x)),
    "expm1": (njit(lambda x: math.expm1(x)), math.exp),
    "sinh_cosh": (njit(lambda x: math.sinh(x) * math.cosh(x)), lambda x: math.cosh(2 * x)),
    "asin": (njit(lambda x: math.asin(x)), lambda x: 1 / math.sqrt(1 - x * x)),
    "erf": (njit(lambda x: math.erf(x)), lambda x: 2 / math.sqrt(math.pi) * math.exp(-x * x)),
    "np_exp_sin": (njit(lambda x: np.exp(x) * np.sin(x)),
                   lambda x: math.exp(x) * (math.sin(x) + math.cos(x))),
    "fabs": (njit(lambda x: math.fabs(x) * x), lambda x: 2 * abs(x)),
    "int_pow": (njit(lambda x: x ** 3), lambda x: 3 * x * x),
}


@pytest.mark.parametrize("name", sorted(MATH))
def test_math_functions_forward_and_reverse(name):
    f, df = MATH[name]
    x = 0.375
    want = df(x)
    (rev,), = autodiff(Reverse, f, Active, Active(x))
    (fwd,) = autodiff(Forward, f, Duplicated(x, 1.0))
    assert rev == pytest.approx(want, rel=1e-12, abs=1e-14)
    assert fwd == pytest.approx(want, rel=1e-12, abs=1e-14)
    assert rev == pytest.approx(fd_scalar(f, x), rel=1e-6)


def test_two_args_hypot_atan2():
    @njit
    def f(x, y):
        return math.hypot(x, y) + math.atan2(y, x)

    x, y = 0.6, 0.8
    (dx, dy), = autodiff(Reverse, f, Active, Active(x), Active(y))
    r2 = x * x + y * y
    assert dx == pytest.approx(x / math.sqrt(r2) - y / r2, rel=1e-12)
    assert dy == pytest.approx(y / math.sqrt(r2) + x / r2, rel=1e-12)
    (tx,) = autodiff(Forward, f, Duplicated(x, 1.0), Duplicated(y, 0.0))
    (ty,) = autodiff(Forward, f, Duplicated(x, 0.0), Duplicated(y, 1.0))
    assert (tx, ty) == pytest.approx((dx, dy), rel=1e-12)


@njit
def poly(x, y):
    return x * x * y


def test_active_const_mix_and_order():
    assert autodiff(Reverse, poly, Active, Active(2.0), Active(5.0)) == ((20.0, 4.0),)
    assert autodiff(Reverse, poly, Active, Const(2.0), Active(5.0)) == ((None, 4.0),)
    assert autodiff(Reverse, poly, Active, 2.0, Active(5.0)) == ((None, 4.0),)   # bare = Const
    assert autodiff(Reverse, poly, Active(2.0), Active(5.0)) == ((20.0, 4.0),)   # default Active
    assert autodiff(ReverseWithPrimal, poly, Active, Active(2.0), Const(5.0)) == (20.0, (20.0, None))
    assert autodiff(Forward, poly, Duplicated(2.0, 1.0), Duplicated(5.0, 1.0)) == (24.0,)
    assert autodiff(ForwardWithPrimal, poly, Const(2.0), Duplicated(5.0, 1.0)) == (20.0, 4.0)
    assert autodiff(Forward, poly, Const, Duplicated(2.0, 1.0), Const(5.0)) == ()
    assert autodiff(ForwardWithPrimal, poly, Const, Duplicated(2.0, 1.0), 5.0) == (20.0,)


def test_integer_and_bool_constants():
    @njit
    def f(x, n, flag):
        s = 0.0
        for i in range(n):
            s += x ** (i + 1)
        return -s if flag else s

    (dx, dn, df), = autodiff(Reverse, f, Active, Active(2.0), 3, True)
    assert (dx, dn, df) == (-(1 + 2 * 2.0 + 3 * 4.0), None, None)


def test_branches():
    @njit
    def piecewise(x):
        if x < 0.0:
            return -x * x
        elif x < 1.0:
            return 3.0 * x
        return math.log(x) + 3.0

    for x, want in [(-2.0, 4.0), (0.5, 3.0), (4.0, 0.25)]:
        assert autodiff(Reverse, piecewise, Active, Active(x)) == ((want,),)
        assert autodiff(Forward, piecewise, Duplicated(x, 1.0)) == (want,)


def test_min_max_abs_select():
    @njit
    def f(x, y):
        return max(x, y) * 2.0 + min(x, y) + abs(x - 3.0 * y)

    (dx, dy), = autodiff(Reverse, f, Active, Active(1.0), Active(2.0))   # max=y, min=x, |x-3y|=3y-x
    assert (dx, dy) == (1.0 - 1.0, 2.0 + 3.0)


def test_loop_with_break():
    @njit
    def f(x):
        s, term = 0.0, 1.0
        for k in range(1, 100):
            term *= x / k
            s += term
            if term < 1e-3:
                break
        return s

    x = 0.7
    (d,), = autodiff(Reverse, f, Active, Active(x))
    assert d == pytest.approx(fd_scalar(f, x), rel=1e-7)
    assert autodiff(Forward, f, Duplicated(x, 1.0))[0] == pytest.approx(d, rel=1e-13)


def test_while_loop_newton_sqrt():
    @njit
    def newton_sqrt(a):
        x = a
        it = 0
        while abs(x * x - a) > 1e-14 * a and it < 50:
            x = 0.5 * (x + a / x)
            it += 1
        return x

    a = 2.0
    (d,), = autodiff(Reverse, newton_sqrt, Active, Active(a))
    assert d == pytest.approx(0.5 / math.sqrt(a), rel=1e-9)
    assert autodiff(Forward, newton_sqrt, Duplicated(a, 1.0))[0] == pytest.approx(d, rel=1e-12)


def test_iterated_map_many_steps():
    @njit
    def logistic(r, x0, n):
        x = x0
        for _ in range(n):
            x = r * x * (1.0 - x)
        return x

    (dr, dx0, _), = autodiff(Reverse, logistic, Active, Active(2.5), Active(0.3), 30)
    assert dr == pytest.approx(fd_scalar(lambda r: logistic(r, 0.3, 30), 2.5), rel=1e-6)
    assert dx0 == pytest.approx(fd_scalar(lambda x: logistic(2.5, x, 30), 0.3), rel=1e-5, abs=1e-9)


@njit
def _inner(x, y):
    return math.sin(x) * y


@njit(inline="never")
def _inner_noinline(x):
    return x * math.exp(x)


def test_calls_between_njit_functions():
    @njit
    def outer(x, y):
        return _inner(x, y) + _inner_noinline(x) + _inner(y, x)

    x, y = 0.4, 1.3
    (dx, dy), = autodiff(Reverse, outer, Active, Active(x), Active(y))
    assert dx == pytest.approx(math.cos(x) * y + math.exp(x) * (1 + x) + math.sin(y), rel=1e-12)
    assert dy == pytest.approx(math.sin(x) + math.cos(y) * x, rel=1e-12)


def test_float32_scalars():
    @njit
    def f(x):
        return x * x * np.float32(3.0)

    (d,), = autodiff(Reverse, f, Active, Active(np.float32(2.0)))
    assert d == 12.0
    assert autodiff(ForwardWithPrimal, f, Duplicated(np.float32(2.0), np.float32(1.0))) == (12.0, 12.0)


def test_tuple_of_floats_active():
    @njit
    def norm2(p):
        return p[0] * p[0] + 3.0 * p[1] * p[1] + p[0] * p[1]

    (dp,), = autodiff(Reverse, norm2, Active, Active((1.0, 2.0)))
    assert dp == (2 * 1.0 + 2.0, 12.0 + 1.0)
    (t,) = autodiff(Forward, norm2, Duplicated((1.0, 2.0), (1.0, 0.0)))
    assert t == dp[0]


def test_tuple_returns_forward_and_seeded_reverse():
    @njit
    def polar(r, th):
        return r * math.cos(th), r * math.sin(th)

    r, th = 2.0, 0.3
    (tang,) = autodiff(Forward, polar, Duplicated(r, 0.0), Duplicated(th, 1.0))
    assert tang == pytest.approx((-r * math.sin(th), r * math.cos(th)), rel=1e-14)
    prim, tang = autodiff(ForwardWithPrimal, polar, Duplicated(r, 1.0), Const(th))
    assert tang == pytest.approx((math.cos(th), math.sin(th)), rel=1e-14)
    thunk = autodiff_thunk(Reverse, polar, Active, Active, Active)
    (dr, dth), = thunk(Const(polar), Active(r), Active(th), (0.0, 1.0))    # seed the 2nd output
    assert (dr, dth) == pytest.approx((math.sin(th), r * math.cos(th)), rel=1e-14)
    J = jacobian(Reverse, njit(lambda p: polar(p[0], p[1])), np.array([r, th]))
    np.testing.assert_allclose(J, [[math.cos(th), -r * math.sin(th)],
                                   [math.sin(th), r * math.cos(th)]], rtol=1e-14)


def test_none_returning_function_with_primal():
    @njit
    def scale(a, s):
        for i in range(a.size):
            a[i] *= s

    a, da = np.array([1.0, 2.0]), np.array([1.0, 1.0])
    assert autodiff(ReverseWithPrimal, scale, Const, Duplicated(a, da), Active(3.0)) == (None, (None, 3.0))
    assert da.tolist() == [3.0, 3.0]
    a, ta = np.array([1.0, 2.0]), np.zeros(2)
    assert autodiff(ForwardWithPrimal, scale, Duplicated(a, ta), Duplicated(2.0, 1.0)) == (None,)
    assert ta.tolist() == [1.0, 2.0]


def test_exceptions_in_f_propagate():
    @njit
    def checked(x):
        if x < 0.0:
            raise ValueError("negative input")
        return x * x

    assert autodiff(Reverse, checked, Active, Active(2.0)) == ((4.0,),)
    with pytest.raises(ValueError, match="negative input"):
        autodiff(Reverse, checked, Active, Active(-2.0))
    with pytest.raises(ValueError, match="negative input"):
        autodiff(Forward, checked, Duplicated(-2.0, 1.0))


def test_bitwise_repeatable():
    @njit
    def f(x, y):
        s = 0.0
        for i in range(1, 50):
            s += math.sin(x * i) / i + math.exp(-y * i) * x
        return s

    runs = {autodiff(ReverseWithPrimal, f, Active, Active(0.3), Active(0.2)) for _ in range(5)}
    assert len(runs) == 1
    fwd = {autodiff(ForwardWithPrimal, f, Duplicated(0.3, 1.0), Duplicated(0.2, 0.5)) for _ in range(5)}
    assert len(fwd) == 1


def test_gradient_helper_scalars():
    assert gradient(Reverse, poly, 2.0, 5.0) == (20.0, 4.0)
    assert gradient(Forward, poly, 2.0, 5.0) == (20.0, 4.0)
    assert gradient(Reverse, MATH["exp"][0], 0.0) == 1.0


def test_inverse_hyperbolic_functions():
    """np.arcsinh / np.arccosh / np.arctanh (libm asinh, acosh, atanh; rows of cpp/lib/rules/Rules.cpp)."""
    @njit
    def f(x):
        return np.arcsinh(x[0]) + np.arccosh(1.0 + x[1]) + np.arctanh(x[2]) + math.asinh(x[3])

    x = np.array([0.3, 0.4, 0.5, -0.7])
    dx = np.zeros(4)
    autodiff(Reverse, f, Active, Duplicated(x, dx))
    ref = np.array([1 / np.sqrt(1 + x[0] ** 2), 1 / np.sqrt((1 + x[1]) ** 2 - 1), 1 / (1 - x[2] ** 2),
                    1 / np.sqrt(1 + x[3] ** 2)])
    np.testing.assert_allclose(dx, ref, rtol=1e-15)
    (t,) = autodiff(Forward, f, Duplicated(x, np.ones(4)))
    assert t == pytest.approx(ref.sum(), rel=1e-15)
