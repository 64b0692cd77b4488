"""numba lists inside differentiated functions: `append` grows the list's block with
NRT_MemInfo_varsize_realloc, whose shadow is resized with it (cpp/lib/ad/Synth.cpp resizeShadowBlock;
the reverse sweep moves the adjoints back, Reverse.cpp NrtResize). Lists of floats, of tuples, of arrays;
pop/insert/sort; a list grown inside a callee; forward, batch, reverse, split mode and inside @njit; no
leaked allocations (numba's NRT statistics)."""
import numba
import numpy as np
import pytest

from enzpy import (Active, BatchDuplicated, Const, Duplicated, Forward, Reverse, ReverseSplitWithPrimal,
                   autodiff, autodiff_thunk)
from numba_testutil import assert_no_nrt_leak


@numba.njit
def appended(x):
    lst = []
    for i in range(x.shape[0]):
        lst.append(x[i] * x[i])
    s = 0.0
    for v in lst:
        s += np.sin(v)
    return s


@numba.njit
def popped_and_inserted(x):
    lst = [x[i] for i in range(x.shape[0])]
    while len(lst) > 1:
        a = lst.pop()
        b = lst.pop()
        lst.insert(0, a * b + np.sin(a))
    return lst[0]


@numba.njit
def assigned(x):
    lst = [0.0] * x.shape[0]
    for i in range(x.shape[0]):
        lst[i] = x[i] * 2.0
    for i in range(1, len(lst)):
        lst[i] += lst[i - 1] * x[i]
    return lst[-1]


@numba.njit
def filtered_to_array(x):
    lst = []
    for i in range(x.shape[0]):
        if x[i] > 0.3:
            lst.append(np.exp(x[i]))
    a = np.array(lst)
    return (a * a).sum()


@numba.njit
def of_tuples(x):
    lst = []
    for i in range(x.shape[0]):
        lst.append((x[i], x[i] * x[i]))
    s = 0.0
    for a, b in lst:
        s += a * b
    return s


@numba.njit
def _push_square(lst, v):
    lst.append(v * v)


@numba.njit
def grown_in_callee(x):
    lst = [1.0]
    for i in range(x.shape[0]):
        _push_square(lst, x[i])
    return sum(lst) * lst[3]


@numba.njit
def sorted_list(x):
    lst = [x[i] * x[i] for i in range(x.shape[0])]
    lst.sort()
    return lst[0] + 2.0 * lst[-1]


@numba.njit
def of_arrays(x):
    lst = []
    for i in range(3):
        lst.append(x * (i + 1.0))
    s = 0.0
    for a in lst:
        s += (a * a).sum()
    return s


@numba.njit
def literal_of_arrays(x):
    lst = [x * 1.0, np.sin(x), x * x]
    s = 0.0
    for a in lst:
        s += (a * a).sum()
    return s


FUNCTIONS = [appended, popped_and_inserted, assigned, filtered_to_array, of_tuples, grown_in_callee,
             sorted_list, of_arrays, literal_of_arrays]


def central_differences(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def gradient_of(f, x):
    dx = np.zeros_like(x)
    autodiff(Reverse, f, Active, Duplicated(x, dx))
    return dx


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_reverse_and_forward_against_central_differences(f):
    rng = np.random.default_rng(3)
    x = rng.uniform(0.1, 1.0, size=11)     # 11 appends: the list's block is resized several times
    g = gradient_of(f, x)
    np.testing.assert_allclose(g, central_differences(f, x), rtol=1e-6, atol=1e-8)
    v = rng.normal(size=x.size)
    (jv,) = autodiff(Forward, f, Duplicated(x, v))
    assert jv == pytest.approx(g @ v, rel=1e-12, abs=1e-12)


def test_appended_analytic_for_several_lengths():
    for n in [0, 1, 3, 4, 5, 17, 1000]:    # 0 and 1: no or one resize; 1000: many, and shrinking pops
        x = np.linspace(0.0, 1.0, n)
        np.testing.assert_allclose(gradient_of(appended, x), 2 * x * np.cos(x * x), rtol=1e-13, atol=0)


@pytest.mark.parametrize("f", [appended, of_arrays, grown_in_callee], ids=lambda f: f.__name__)
def test_batch_and_split_mode_agree_with_plain_reverse(f):
    rng = np.random.default_rng(4)
    x = rng.uniform(0.1, 1.0, size=9)
    g = gradient_of(f, x)
    vs = tuple(rng.normal(size=x.size) for _ in range(3))
    (jvs,) = autodiff(Forward, f, BatchDuplicated(x, vs))
    for jv, v in zip(jvs, vs):
        assert jv == pytest.approx(g @ v, rel=1e-12, abs=1e-12)
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, f, Active, Duplicated[numba.float64[::1]])
    ds = np.zeros_like(x)
    tape, primal, _ = fwd(Const(f), Duplicated(x, ds))
    assert primal == f(x)
    x_saved = x.copy()
    x[:] = np.nan                          # the reverse pass reads its tape, not the primal's memory
    rev(Const(f), Duplicated(x, ds), 1.0, tape)
    x[:] = x_saved
    np.testing.assert_array_equal(ds, g)


def test_inside_njit():
    @numba.njit
    def descend(x):
        for _ in range(20):
            g = np.zeros_like(x)
            autodiff(Reverse, assigned, Active, Duplicated(x, g))
            x = x - 0.01 * g
        return x

    x = np.random.default_rng(5).uniform(size=6)
    expected = x.copy()
    for _ in range(20):
        expected = expected - 0.01 * gradient_of(assigned, expected)
    np.testing.assert_allclose(descend(x), expected, rtol=1e-14)


@pytest.mark.parametrize("f", [appended, of_arrays, literal_of_arrays, grown_in_callee],
                         ids=lambda f: f.__name__)
def test_no_allocation_is_leaked(f):
    """Shadow lists and the shadows of the arrays in them are freed: in forward mode by mirroring the
    primal's reference counts (the shadow list's destructor releases its items), in reverse mode when the
    reverse sweep passes their allocation."""
    x = np.random.default_rng(6).uniform(size=7)

    def calls():
        gradient_of(f, x)
        autodiff(Forward, f, Duplicated(x, np.ones_like(x)))
        autodiff(Forward, f, BatchDuplicated(x, (np.ones_like(x), x.copy())))
    assert_no_nrt_leak(calls, repeats=20)
