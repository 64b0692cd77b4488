"""Custom rules (enzpy.rules): forward / augmented+reverse rules, JAX-shaped imports, inactive
functions, and the errors for rules that do not fit."""
import math

import numba
import numpy as np
import pytest

from enzpy import (Active, Const, Duplicated, EnzpyError, Forward, Reverse,
                   ReverseSplitWithPrimal, autodiff, autodiff_thunk, rules)
from numba_testutil import fd_grad, fd_scalar

TABLE = np.sin(np.linspace(0.0, 10.0, 10001))


# --- a table lookup: its body has no useful derivative (piecewise constant) -------------------
@numba.njit
def table_sin(x):
    return TABLE[int(x * 1000.0 + 0.5)]


@numba.njit
def table_sin_fwd(x, dx):
    return table_sin(x), math.cos(x) * dx


@numba.njit
def table_sin_aug(x):
    return table_sin(x), math.cos(x)


@numba.njit
def table_sin_rev(x, tape, dy):
    return (tape * dy,)


rules.forward(table_sin, table_sin_fwd)
rules.reverse(table_sin, table_sin_aug, table_sin_rev)


@numba.njit
def uses_table(x):
    return table_sin(x) * x


@numba.njit
def deep(a):                          # reaches the rule two calls down, inside a loop
    s = 0.0
    for i in range(a.shape[0]):
        s += uses_table(a[i]) ** 2
    return s


def test_table_lookup_forward_and_reverse():
    x = 1.2345
    want = math.cos(x) * x + table_sin(x)
    assert autodiff(Forward, uses_table, Duplicated(x, 1.0))[0] == pytest.approx(want, rel=1e-14)
    assert autodiff(Reverse, uses_table, Active, Active(x))[0][0] == pytest.approx(want, rel=1e-14)


def test_rule_reached_deep_inside_and_dot_product():
    a = np.linspace(0.5, 2.0, 5)
    da = np.zeros(5)
    autodiff(Reverse, deep, Active, Duplicated(a, da))
    want = 2 * np.array([uses_table(v) for v in a]) * (np.cos(a) * a + TABLE[(a * 1000 + .5).astype(int)])
    np.testing.assert_allclose(da, want, rtol=1e-13)
    v = np.linspace(-1.0, 1.0, 5)
    (jv,) = autodiff(Forward, deep, Duplicated(a, v))
    assert jv == pytest.approx(v @ da, rel=1e-12)


def test_rule_in_split_mode():
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, uses_table, Active, Active)
    tape, primal, _ = fwd(Const(uses_table), Active(0.7))
    assert primal == uses_table(0.7)
    (g,) = rev(Const(uses_table), Active(0.7), 1.0, tape)
    assert g[0] == pytest.approx(math.cos(0.7) * 0.7 + table_sin(0.7), rel=1e-14)


# --- an iterative solver: Newton for the cube root; the rule uses the implicit function theorem
@numba.njit
def cbrt_newton(c):
    y = 1.0 if c > 0 else -1.0
    for _ in range(200):
        step = (y * y * y - c) / (3.0 * y * y)
        y -= step
        if abs(step) < 1e-15 * abs(y):
            break
    return y


@numba.njit
def cbrt_fwd(c):
    y = cbrt_newton(c)
    return y, y                        # the tape is the solution


@numba.njit
def cbrt_bwd(y, dy):
    return (dy / (3.0 * y * y),)       # dy/dc = 1 / (3 y^2)


@numba.njit
def cbrt_jvp(primals, tangents):
    y = cbrt_newton(primals[0])
    return y, tangents[0] / (3.0 * y * y)


rules.import_vjp(cbrt_newton, cbrt_fwd, cbrt_bwd)
rules.import_jvp(cbrt_newton, cbrt_jvp)


@numba.njit
def volume_side(v, k):
    return k * cbrt_newton(v) + cbrt_newton(2.0 * v)


def test_iterative_solver_with_jax_shaped_rules():
    v = 5.0
    want = fd_scalar(lambda t: volume_side(t, 3.0), v)
    ((g, gk),) = autodiff(Reverse, volume_side, Active, Active(v), Active(3.0))
    assert g == pytest.approx(want, rel=1e-8)
    assert gk == pytest.approx(v ** (1 / 3), rel=1e-13)
    assert autodiff(Forward, volume_side, Duplicated(v, 1.0), Const(3.0))[0] == pytest.approx(
        want, rel=1e-8)


# --- arrays: a rule whose argument is an array; the reverse rule returns the array cotangent
@numba.njit
def weighted_norm(w, x):
    s = 0.0
    for i in range(x.shape[0]):
        s += w[i] * x[i] * x[i]
    return math.sqrt(s)


@numba.njit
def wn_aug(w, x):
    y = weighted_norm(w, x)
    return y, y


@numba.njit
def wn_rev(w, x, y, dy):
    return (0.5 * x * x / y * dy, w * x / y * dy)


@numba.njit
def wn_fwd(w, x, dw, dx):
    y = weighted_norm(w, x)
    return y, (np.sum(0.5 * x * x * dw) + np.sum(w * x * dx)) / y


rules.reverse(weighted_norm, wn_aug, wn_rev)
rules.forward(weighted_norm, wn_fwd)


@numba.njit
def wn_loss(w, x):
    return weighted_norm(w, x) ** 2 + x[0]


def test_array_arguments():
    w, x = np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0])
    dw, dx = np.zeros(3), np.zeros(3)
    autodiff(Reverse, wn_loss, Active, Duplicated(w, dw), Duplicated(x, dx))
    np.testing.assert_allclose(dw, x * x, rtol=1e-13)
    np.testing.assert_allclose(dx, 2 * w * x + np.array([1.0, 0, 0]), rtol=1e-13)
    dx2 = np.zeros(3)                 # w constant: its cotangent lands in scratch memory
    autodiff(Reverse, wn_loss, Active, Const(w), Duplicated(x, dx2))
    np.testing.assert_allclose(dx2, dx, rtol=1e-13)
    tx = np.array([1.0, 0.0, -1.0])
    (t,) = autodiff(Forward, wn_loss, Const(w), Duplicated(x, tx))     # w's tangent: zeros
    assert t == pytest.approx(tx @ dx, rel=1e-13)


# --- inactive functions -----------------------------------------------------------------------
@numba.njit
def count_call(counter, x):
    counter[0] += 1.0
    return 7.0 * x                     # would contribute 7 if it were differentiated


rules.inactive(count_call)


@numba.njit
def logged(x, counter):
    return x * x + count_call(counter, x)


def test_inactive_function():
    counter = np.zeros(1)
    assert autodiff(Reverse, logged, Active, Active(3.0), Const(counter)) == ((6.0, None),)
    assert autodiff(Forward, logged, Duplicated(3.0, 1.0), counter) == (6.0,)
    assert counter[0] == 2             # the primal call still ran


# --- errors -----------------------------------------------------------------------------------
def test_registration_errors():
    with pytest.raises(TypeError, match="must take 2"):
        rules.forward(table_sin, numba.njit(lambda x: (x, x)))
    with pytest.raises(TypeError, match="must take 3"):
        rules.reverse(table_sin, table_sin_aug, numba.njit(lambda x, t: (t,)))
    with pytest.raises(TypeError, match="numba.njit"):
        rules.forward(table_sin, lambda x, dx: (x, dx))
    with pytest.raises(TypeError, match="numba.njit"):
        rules.inactive(math.sin)
    with pytest.raises(TypeError, match="takes 1 arguments; .* must take 2"):
        rules.import_jvp(table_sin, numba.njit(lambda p: p))


def test_rule_that_does_not_fit_the_types():
    @numba.njit
    def g(x):
        return x * 2.0

    @numba.njit
    def bad_aug(x):
        return x * 2.0, x

    @numba.njit
    def bad_rev(x, tape, dy):
        return dy * 2.0                # not a tuple

    rules.reverse(g, bad_aug, bad_rev)

    @numba.njit
    def h(x):
        return g(x) + 1.0

    with pytest.raises(EnzpyError, match="reverse rule for .*g.* tuple"):
        autodiff(Reverse, h, Active, Active(1.0))
    rules.clear(g)


def test_rule_exceptions():
    @numba.njit
    def guarded(x):
        if x < 0.0:
            raise ValueError("guarded: negative input")
        return math.sqrt(x)

    @numba.njit
    def guarded_fwd(x, dx):
        if x <= 0.0:
            raise ValueError("guarded_fwd: x must be positive")
        return math.sqrt(x), 0.5 / math.sqrt(x) * dx

    @numba.njit
    def never_raises(x):
        return x * x

    @numba.njit
    def raising_fwd(x, dx):
        if x > 10.0:
            raise ValueError("raising_fwd: too large")
        return x * x, 2.0 * x * dx

    rules.forward(guarded, guarded_fwd)
    rules.forward(never_raises, raising_fwd)

    @numba.njit
    def outer(x):
        return guarded(x) * 2.0 + never_raises(x)

    assert autodiff(Forward, outer, Duplicated(4.0, 1.0))[0] == pytest.approx(0.5 + 8.0)
    with pytest.raises(ValueError, match="x must be positive"):
        autodiff(Forward, outer, Duplicated(-1.0, 1.0))
    # the target cannot raise, so numba's code around the call does not look at its status: the
    # exception reaches the caller through enzpy's rule-failure slot
    with pytest.raises(ValueError, match="raising_fwd: too large"):
        autodiff(Forward, outer, Duplicated(11.0, 1.0))
    assert autodiff(Forward, outer, Duplicated(4.0, 1.0))[0] == pytest.approx(0.5 + 8.0)


def test_exceptions_of_augmented_and_reverse_rules_propagate():
    """The augmented and reverse parts run where numba's code checks no status: their exceptions
    (also enzpy's own check of a cotangent's shape) used to be dropped, leaving a wrong gradient."""
    @numba.njit
    def square(x):                                  # cannot raise
        return x * x

    @numba.njit
    def square_aug(x):
        if x > 100.0:
            raise ValueError("square_aug: too large")
        return x * x, x

    @numba.njit
    def square_rev(x, tape, dy):
        if x > 1.0:
            raise ValueError("square_rev: x too large")
        return (2.0 * tape * dy,)

    rules.reverse(square, square_aug, square_rev)

    @numba.njit
    def user(x):
        return square(x) + 1.0

    assert autodiff(Reverse, user, Active, Active(0.5)) == ((1.0,),)
    with pytest.raises(ValueError, match="square_rev: x too large"):
        autodiff(Reverse, user, Active, Active(3.0))
    with pytest.raises(ValueError, match="square_aug: too large"):
        autodiff(Reverse, user, Active, Active(300.0))
    assert autodiff(Reverse, user, Active, Active(0.5)) == ((1.0,),)     # nothing left behind

    @numba.njit
    def twice(v):
        return np.sum(v * v)

    @numba.njit
    def twice_aug(v):
        return np.sum(v * v), 0.0

    @numba.njit
    def twice_rev(v, tape, dy):
        return (2.0 * dy * v[:2],)                  # a cotangent of the wrong length

    rules.reverse(twice, twice_aug, twice_rev)

    @numba.njit
    def user2(v):
        return twice(v) * 3.0

    with pytest.raises(ValueError, match="cotangent 0 has another shape than its argument"):
        autodiff(Reverse, user2, Active, Duplicated(np.ones(3), np.zeros(3)))

    @numba.njit
    def descend(x):                                 # inside @njit code too
        return autodiff(Reverse, user, Active, Active(x))[0][0]

    assert descend(0.5) == 1.0
    with pytest.raises(ValueError, match="square_rev: x too large"):
        descend(3.0)


def test_rule_registered_after_a_derivative_was_built():
    """Calls from Python after a registration use the new rule (the cached trampolines and the
    fast-path plans of the old derivative are dropped)."""
    @numba.njit
    def plain(x):
        return x * x

    @numba.njit
    def user(x):
        return plain(x) + 1.0

    for _ in range(3):                  # built, then served by the fast path
        assert autodiff(Reverse, user, Active, Active(3.0)) == ((6.0,),)

    @numba.njit
    def plain_aug(x):
        return x * x, x

    @numba.njit
    def plain_rev(x, tape, dy):
        return (10.0 * dy,)             # deliberately not 2x: shows the rule is used

    @numba.njit
    def user2(x):
        return plain(x) + 1.0           # compiled after the registration: plain is not inlined

    rules.reverse(plain, plain_aug, plain_rev)
    try:
        assert autodiff(Reverse, user2, Active, Active(3.0)) == ((10.0,),)
    finally:
        rules.clear(plain)


def test_reverse_rule_sees_the_arguments_as_they_were_at_the_call():
    """The array arguments are copied for the reverse rule: the function may overwrite them after
    the call, and in split mode the caller may change them before the reverse pass."""
    @numba.njit
    def wsum(w, x):
        s = 0.0
        for i in range(x.shape[0]):
            s += w[i] * x[i] * x[i]
        return s

    @numba.njit
    def wsum_aug(w, x):
        return wsum(w, x), 0.0

    @numba.njit
    def wsum_rev(w, x, tape, dy):
        return (x * x * dy, 2.0 * w * x * dy)

    rules.reverse(wsum, wsum_aug, wsum_rev)

    @numba.njit
    def clobbers(w, x):
        s = wsum(w, x)
        x[:] = 0.0
        w[:] = -1.0
        return s * 2.0

    @numba.njit
    def plain(w, x):
        return wsum(w, x) * 2.0

    w0, x0 = np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0])
    want_w, want_x = 2 * x0 * x0, 4 * w0 * x0
    w, x, dw, dx = w0.copy(), x0.copy(), np.zeros(3), np.zeros(3)
    autodiff(Reverse, clobbers, Active, Duplicated(w, dw), Duplicated(x, dx))
    np.testing.assert_allclose(dw, want_w, rtol=1e-15)
    np.testing.assert_allclose(dx, want_x, rtol=1e-15)

    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, plain, Active, Duplicated, Duplicated)
    w, x, dw, dx = w0.copy(), x0.copy(), np.zeros(3), np.zeros(3)
    tape, primal, _ = fwd(Const(plain), Duplicated(w, dw), Duplicated(x, dx))
    w[:], x[:] = 100.0, 100.0
    rev(Const(plain), Duplicated(w, dw), Duplicated(x, dx), 1.0, tape)
    np.testing.assert_allclose(dw, want_w, rtol=1e-15)
    np.testing.assert_allclose(dx, want_x, rtol=1e-15)

    # strided and reversed views: the copy spans the view's memory, whatever its strides
    base_w, base_x = np.zeros(7), np.zeros(9)
    w, x = base_w[::3], base_x[::-4]
    w[:], x[:] = w0, x0
    dw, dx = np.zeros_like(base_w)[::3], np.zeros_like(base_x)[::-4]
    autodiff(Reverse, clobbers, Active, Duplicated(w, dw), Duplicated(x, dx))
    np.testing.assert_allclose(dw, want_w, rtol=1e-15)
    np.testing.assert_allclose(dx, want_x, rtol=1e-15)
