"""Running maxima and minima (`m = max(m, x[i])`, the stabilizer of every logsumexp): a loop that writes no
memory keeps the address of the element it picked last, and its result is read again from there after the
loop (docs/how-it-works.md, "Running maxima and minima"). The derivative goes to that one element (the first
of equal maxima, as the primal picks it), or to the start value when no element beat it; no condition is
taped per element. Checked against the element the primal picked, central differences, forward mode, split
mode's tape, and loops the rewrite must leave alone."""
import math

import numba
import numpy as np
import pytest

from enzpy import (Active, Const, Duplicated, Forward, Reverse, ReverseSplitWithPrimal, autodiff,
                   autodiff_thunk)
from numba_testutil import fd_grad


@numba.njit
def running_max(x):
    m = x[0]
    for i in range(1, x.shape[0]):
        m = max(m, x[i])
    return 3.0 * m


@numba.njit
def running_min(x):
    m = x[0]
    for i in range(1, x.shape[0]):
        m = min(m, x[i])
    return m * m


@numba.njit
def max_from(m0, x):
    m = m0
    for i in range(x.shape[0]):
        m = max(m, x[i])
    return 2.0 * m


@numba.njit
def spread(x):
    lo = x[0]
    hi = x[0]
    for i in range(1, x.shape[0]):
        lo = min(lo, x[i])
        hi = max(hi, x[i])
    return hi - lo


@numba.njit
def if_max(x):
    m = x[0]
    for i in range(1, x.shape[0]):
        if x[i] > m:
            m = x[i]
    return m


def _logsumexp_rows(x):
    total = 0.0
    for b in range(x.shape[0]):
        m = x[b, 0]
        for c in range(1, x.shape[1]):
            m = max(m, x[b, c])
        s = 0.0
        for c in range(x.shape[1]):
            s += math.exp(x[b, c] - m)
        total += math.log(s) + m
    return total


logsumexp_rows = numba.njit(_logsumexp_rows)
logsumexp_rows_fast = numba.njit(fastmath=True)(_logsumexp_rows)


@numba.njit
def sum_of_running_max(x):
    # the running value feeds a sum in the loop: the chain keeps its reverse code
    m = x[0]
    s = 0.0
    for i in range(1, x.shape[0]):
        m = max(m, x[i])
        s += m
    return s


@numba.njit
def prefix_max(x, y):
    # the loop writes memory: left alone
    m = x[0]
    for i in range(x.shape[0]):
        m = max(m, x[i])
        y[i] = m
    return m + y.sum()


def _grad(f, x):
    dx = np.zeros_like(x)
    autodiff(Reverse, f, Active, Duplicated(x, dx))
    return dx


def _unit(n, k, scale):
    e = np.zeros(n)
    e[k] = scale
    return e


@pytest.mark.parametrize("n", [1, 2, 3, 8, 9, 17, 100])
def test_running_max_goes_to_the_first_maximum(n):
    rng = np.random.default_rng(n)
    x = rng.normal(size=n)
    if n > 4:
        x[n // 2] = x[n - 2] = x.max() + 1.0      # two equal maxima: the primal keeps the first
    dx = _grad(running_max, x)
    np.testing.assert_array_equal(dx, _unit(n, int(np.argmax(x)), 3.0))


@pytest.mark.parametrize("n", [1, 5, 16, 33])
def test_running_min(n):
    x = np.random.default_rng(10 + n).normal(size=n)
    k = int(np.argmin(x))
    np.testing.assert_array_equal(_grad(running_min, x), _unit(n, k, 2.0 * x[k]))


def test_start_value_that_is_never_beaten():
    x = np.array([0.5, -1.0, 2.0, 1.5])
    for m0, dm0, dx in [(5.0, 2.0, np.zeros(4)), (1.0, 0.0, _unit(4, 2, 2.0)), (2.0, 2.0, np.zeros(4))]:
        gx = np.zeros(4)
        assert autodiff(Reverse, max_from, Active, Active(m0), Duplicated(x, gx))[0][0] == dm0
        np.testing.assert_array_equal(gx, dx)
    # the first element is the maximum: its load before the loop is the start value
    x = np.array([4.0, 1.0, 3.0, 4.0])
    np.testing.assert_array_equal(_grad(running_max, x), _unit(4, 0, 3.0))


def test_two_chains_in_one_loop():
    x = np.random.default_rng(3).normal(size=25)
    np.testing.assert_array_equal(_grad(spread, x), _unit(25, int(np.argmax(x)), 1.0)
                                  - _unit(25, int(np.argmin(x)), 1.0))


def test_branchy_maximum():
    x = np.random.default_rng(4).normal(size=30)
    np.testing.assert_array_equal(_grad(if_max, x), _unit(30, int(np.argmax(x)), 1.0))


def test_nan_is_never_picked():
    x = np.array([0.5, np.nan, 2.0, np.nan, 1.0])
    dx = _grad(running_max, x)
    np.testing.assert_array_equal(dx, _unit(5, 2, 3.0))


@pytest.mark.parametrize("f", [logsumexp_rows, logsumexp_rows_fast], ids=["strict", "fastmath"])
def test_logsumexp_rows(f):
    x = np.random.default_rng(5).normal(scale=3.0, size=(6, 37))
    dx = _grad(f, x)
    e = np.exp(x - x.max(axis=1, keepdims=True))
    np.testing.assert_allclose(dx, e / e.sum(axis=1, keepdims=True), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(dx, fd_grad(lambda z: f(z), x.copy()), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("f", [sum_of_running_max, running_max, spread])
def test_against_central_differences(f):
    x = np.random.default_rng(6).normal(size=40)
    np.testing.assert_allclose(_grad(f, x), fd_grad(lambda z: f(z), x.copy()), rtol=1e-7, atol=1e-8)


def test_loop_that_writes_memory():
    x = np.random.default_rng(7).normal(size=12)
    y, dx, dy = np.zeros(12), np.zeros(12), np.zeros(12)
    autodiff(Reverse, prefix_max, Active, Duplicated(x, dx), Duplicated(y, dy))
    want = np.zeros(12)
    m = 0
    for i in range(12):           # y[i] = running max up to i; then m itself
        if x[i] > x[m]:
            m = i
        want[m] += 1.0
    want[m] += 1.0
    np.testing.assert_array_equal(dx, want)


@pytest.mark.parametrize("f", [running_max, running_min, spread, logsumexp_rows, sum_of_running_max])
def test_forward_mode_agrees(f):
    rng = np.random.default_rng(8)
    x = rng.normal(size=(4, 9)) if f is logsumexp_rows else rng.normal(size=23)
    v = rng.normal(size=x.shape)
    jvp = autodiff(Forward, f, Duplicated(x, v))[0]
    assert jvp == pytest.approx(float(np.sum(_grad(f, x) * v)), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("f", [running_max, running_min, if_max, spread])
def test_split_mode_tapes_no_condition_per_element(f):
    """Without the rewrite the tape holds a byte per element (the select conditions); with it, a few words
    whatever the length."""
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, f, Active, Duplicated)
    sizes = {}
    for n in (1000, 20000):
        x = np.random.default_rng(n).normal(size=n)
        dx = np.zeros(n)
        tape, primal, _ = fwd(Const(f), Duplicated(x, dx))
        sizes[n] = tape.nbytes
        rev(Const(f), Duplicated(x, dx), 1.0, tape)
        assert primal == f(x)
        np.testing.assert_array_equal(dx, _grad(f, x))
    assert sizes[20000] - sizes[1000] < 1000
