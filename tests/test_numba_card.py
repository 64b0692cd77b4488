"""The user's card (seeds/enzyme-autodiff-skill.txt), translated literally to Python, and SPEC §1's
table of return shapes."""
import math
import random
from collections import namedtuple

import numpy as np
import pytest
from numba import njit

from enzpy import (Active, Const, Duplicated, Forward, ForwardWithPrimal, Reverse,
                   ReverseWithPrimal, autodiff)


# ------------------------------------------------------------------ the card's examples
@njit
def f(x):
    return x ** 2


@njit
def g(A):
    return np.sum(A ** 2)          # sum(A .^ 2): allocates through numba's runtime


@njit
def h(x, c):
    return c * x ** 2


def test_card_active_scalar_reverse():
    # autodiff(Reverse, f, Active, Active(3.0)) # Returns ((6.0,),)
    assert autodiff(Reverse, f, Active, Active(3.0)) == ((6.0,),)


def test_card_duplicated_array():
    A = np.array([1.0, 2.0, 3.0])
    dA = np.zeros(3)
    autodiff(Reverse, g, Active, Duplicated(A, dA))
    # dA now contains [2.0, 4.0, 6.0]
    assert dA.tolist() == [2.0, 4.0, 6.0]


def test_card_const_argument():
    # autodiff(Reverse, h, Active, Active(2.0), Const(3.0)) # Only differentiates x
    assert autodiff(Reverse, h, Active, Active(2.0), Const(3.0)) == ((12.0, None),)


def test_card_forward_lambda():
    # autodiff(Forward, x -> x^2, Duplicated(3.0, 1.0)) # Returns (6.0,)
    assert autodiff(Forward, njit(lambda x: x ** 2), Duplicated(3.0, 1.0)) == (6.0,)


def test_card_forward_with_primal_lambda():
    # autodiff(ForwardWithPrimal, x -> x^2, Duplicated(3.0, 1.0)) # Returns (9.0, 6.0)
    assert autodiff(ForwardWithPrimal, njit(lambda x: x ** 2), Duplicated(3.0, 1.0)) == (9.0, 6.0)


def test_card_reverse_lambda():
    # autodiff(Reverse, x -> x^2, Active, Active(3.0)) # Returns ((6.0,),)
    assert autodiff(Reverse, njit(lambda x: x ** 2), Active, Active(3.0)) == ((6.0,),)


Data = namedtuple("Data", ["x", "y"])


@njit
def model(params, x):
    return params[0] * x + params[1]


@njit
def loss(params, data):
    predictions = model(params, data.x)
    return np.sum((predictions - data.y) ** 2)


def test_card_loss_with_const_data():
    params = np.array([0.5, -0.25])
    data = Data(np.linspace(0.0, 1.0, 7), np.linspace(1.0, 3.0, 7))
    dparams = np.zeros_like(params)
    autodiff(Reverse, loss, Active, Duplicated(params, dparams), Const(data))
    # dparams now contains the gradient of the loss
    r = params[0] * data.x + params[1] - data.y
    np.testing.assert_allclose(dparams, [np.sum(2 * r * data.x), np.sum(2 * r)], rtol=1e-12)


# ------------------------------------------------------------------ JVP and VJP patterns
@njit
def f_vec(x):
    return np.array([x[0] ** 2 + x[1], x[0] * x[1]])


@njit
def f_inplace(y, x):
    y[0] = x[0] ** 2 + x[1]
    y[1] = x[0] * x[1]
    return None


def test_card_jvp_pattern():
    x = np.array([2.0, 3.0])
    v = np.array([1.0, 0.0])          # Direction vector
    dx = v.copy()
    (jvp,) = autodiff(Forward, f_vec, Duplicated(x, dx))    # Returns JVP
    np.testing.assert_array_equal(jvp, [2 * x[0], x[1]])


def test_card_vjp_pattern():
    x = np.array([2.0, 3.0])
    dx = np.zeros(2)
    y = np.zeros(2)
    dy = np.array([1.0, 0.0])         # Adjoint seed
    res = autodiff(Reverse, f_inplace, Const, Duplicated(y, dy), Duplicated(x, dx))
    # dx now contains VJP
    assert res == ((None, None),)
    np.testing.assert_array_equal(dx, [2 * x[0], 1.0])
    np.testing.assert_array_equal(y, [7.0, 6.0])
    np.testing.assert_array_equal(dy, [0.0, 0.0])   # the adjoint of y's old value (overwritten)


# ------------------------------------------------------------------ the card's Tests 1, 2, 4
def test_card_test1_polynomial():
    @njit
    def f(x):
        return x ** 2 + 2 * x + 1

    df_dx = autodiff(Reverse, f, Active, Active(3.0))[0][0]
    assert df_dx == pytest.approx(8.0)      # 2x + 2 at x=3


def test_card_test2_forward_with_primal():
    @njit
    def g(x):
        return math.exp(x) * math.sin(x)

    primal, derivative = autodiff(ForwardWithPrimal, g, Duplicated(1.0, 1.0))
    # derivative = exp(x)(sin(x) + cos(x)) at x=1
    assert derivative == pytest.approx(math.exp(1.0) * (math.sin(1.0) + math.cos(1.0)))
    assert primal == pytest.approx(math.exp(1.0) * math.sin(1.0))


@njit
def f_cubic(x):
    return x ** 3 - 2 * x ** 2 + x


def reproducible_test(seed):
    random.seed(seed)                    # Random.seed!(seed)
    x = random.gauss(0.0, 1.0)           # randn()
    grad = autodiff(Reverse, f_cubic, Active, Active(x))[0][0]
    expected = 3 * x ** 2 - 4 * x + 1    # Derivative: 3x² - 4x + 1
    return dict(x=x, grad=grad, expected=expected, match=math.isclose(grad, expected))


def test_card_test4_reproducible():
    result = reproducible_test(0x7f4a3c2b1d0e9a8f)
    assert result["match"]
    again = reproducible_test(0x7f4a3c2b1d0e9a8f)       # same seed -> same results, bitwise
    assert again == result


# ------------------------------------------------------------------ SPEC §1 table
def test_spec_table_shapes():
    @njit
    def sq(x):
        return x * x

    A = np.array([1.0, 2.0])
    dA = np.zeros(2)
    assert autodiff(Reverse, sq, Active, Active(3.0)) == ((6.0,),)
    assert autodiff(Reverse, g, Active, Duplicated(A, dA)) == ((None,),)
    assert autodiff(Reverse, h, Active, Active(2.0), Const(3.0)) == ((12.0, None),)
    assert autodiff(ReverseWithPrimal, sq, Active, Active(3.0)) == (9.0, (6.0,))
    assert autodiff(Forward, sq, Duplicated(3.0, 1.0)) == (6.0,)
    assert autodiff(ForwardWithPrimal, sq, Duplicated(3.0, 1.0)) == (9.0, 6.0)


def test_spec_jvp_written_into_shadow():
    x = np.array([2.0, 3.0])
    y, ty = np.zeros(2), np.zeros(2)
    assert autodiff(Forward, f_inplace, Duplicated(y, ty), Duplicated(x, np.array([0.0, 1.0]))) == ()
    np.testing.assert_array_equal(ty, [1.0, 2.0])        # J[:, 1]
    np.testing.assert_array_equal(y, [7.0, 6.0])


def test_spec_vjp_accumulates():
    x = np.array([2.0, 3.0])
    dx = np.array([10.0, 20.0])
    y, dy = np.zeros(2), np.array([1.0, 1.0])
    autodiff(Reverse, f_inplace, Const, Duplicated(y, dy), Duplicated(x, dx))
    np.testing.assert_array_equal(dx, [10.0 + 2 * 2.0 + 3.0, 20.0 + 1.0 + 2.0])   # dx += J^T dy
