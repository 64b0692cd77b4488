"""Joins whose predecessor the reverse sweep reads from a branch condition instead of an id on the tape: a
block with two predecessors that the branch ending its immediate dominator tells apart (an if/else inside a
loop; an `if` without `else`; the remainder loops numba's unrolling adds). The condition is recomputed when
it can be (a test of the loop index) and kept as a byte otherwise (a test of the data). Checked against
central differences, forward mode, and the dot-product test, with conditions of both kinds, nested."""
import math

import numpy as np
import pytest
from numba import njit

from enzpy import Active, Const, Duplicated, Forward, Reverse, autodiff


@njit
def branchy(x, w, m):
    total = 0.0
    for i in range(x.shape[0]):
        if i % 3 == 0:                       # decided by the loop index
            t = x[i] * x[i]
        else:
            t = math.sin(x[i] * w)
        if x[i] > 0.2:                       # decided by the data, no else
            t = t * x[i]
        for j in range(i % m):               # a loop entered or not, unrolled by LLVM
            if j % 2 == 1 and x[j] < 0.5:
                t += w * x[j] * x[i]
            else:
                t -= 0.25 * x[j]
        total += t * t
    return total


def _x(n, seed=5):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, n)


def _value(x, w, m):
    return branchy.py_func(x, w, m)


@pytest.mark.parametrize("n,m", [(1, 2), (7, 3), (23, 5)])
def test_reverse_matches_central_differences(n, m):
    x, w = _x(n), 0.7
    dx = np.zeros_like(x)
    (_, dw, _), = autodiff(Reverse, branchy, Active, Duplicated(x, dx), Active(w), Const(m))
    h = 1e-6
    for k in range(n):
        xp, xm = x.copy(), x.copy()
        xp[k] += h
        xm[k] -= h
        fd = (_value(xp, w, m) - _value(xm, w, m)) / (2 * h)
        assert dx[k] == pytest.approx(fd, rel=1e-6, abs=1e-8)
    fd_w = (_value(x, w + h, m) - _value(x, w - h, m)) / (2 * h)
    assert dw == pytest.approx(fd_w, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("n,m", [(9, 4), (31, 6)])
def test_dot_product_forward_against_reverse(n, m):
    rng = np.random.default_rng(11)
    x, w = _x(n), 0.3
    v, vw = rng.normal(size=n), 0.6
    jv, = autodiff(Forward, branchy, Duplicated(x, v), Duplicated(w, vw), Const(m))
    dx = np.zeros_like(x)
    (_, dw, _), = autodiff(Reverse, branchy, Active, Duplicated(x, dx), Active(w), Const(m))
    assert jv == pytest.approx(float(dx @ v) + dw * vw, rel=1e-12)
