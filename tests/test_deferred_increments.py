"""The reverse of a load that reads the same element in every iteration of a loop (GMM's triangular product
reloads `xc[i]` while it writes `qxc[j]`): its adjoint is summed over the loop's reverse iterations and added
to the shadow once, where the reverse sweep leaves the loop (docs/how-it-works.md, "Invariant loads").
Checked against central differences and forward mode, in a loop nest where the sum must start again on every
entry of the inner loop."""
import numpy as np
import pytest
from numba import njit

from enzpy import Active, Const, Duplicated, Forward, Reverse, autodiff


@njit
def triangular(icf, x, d):
    xc = np.empty(d)
    qxc = np.empty(d)
    total = 0.0
    for p in range(x.shape[0]):
        for j in range(d):
            xc[j] = x[p, j] - icf[j]
        for j in range(d):
            qxc[j] = np.exp(icf[j]) * xc[j]
        li = d
        for i in range(d):
            for j in range(i + 1, d):
                qxc[j] += icf[li] * xc[i]      # xc[i]: the same element in every iteration of the j loop
                li += 1
        for j in range(d):
            total += qxc[j] * qxc[j]
    return total


def _inputs(d, n, seed=3):
    rng = np.random.default_rng(seed)
    return rng.normal(scale=0.4, size=d + d * (d - 1) // 2), rng.uniform(size=(n, d))


@pytest.mark.parametrize("d,n", [(1, 3), (4, 5), (7, 9)])
def test_invariant_load_adjoints_against_central_differences(d, n):
    icf, x = _inputs(d, n)
    g = np.zeros_like(icf)
    autodiff(Reverse, triangular, Active, Duplicated(icf, g), Const(x), d)
    fd = np.empty_like(icf)
    for k in range(icf.size):
        h = 1e-6 * max(1.0, abs(icf[k]))
        up, dn = icf.copy(), icf.copy()
        up[k] += h
        dn[k] -= h
        fd[k] = (triangular(up, x, d) - triangular(dn, x, d)) / (2 * h)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


def test_invariant_load_adjoints_match_forward_mode():
    d, n = 6, 4
    icf, x = _inputs(d, n, seed=11)
    g = np.zeros_like(icf)
    autodiff(Reverse, triangular, Active, Duplicated(icf, g), Const(x), d)
    v = np.random.default_rng(5).normal(size=icf.size)
    (jv,) = autodiff(Forward, triangular, Duplicated(icf, v), x, d)
    assert abs(jv - g @ v) <= 1e-12 * max(1.0, abs(jv))
