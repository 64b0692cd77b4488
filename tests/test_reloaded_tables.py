"""Tables a function fills before reading them (GMM's exp'd diagonals in an `np.empty`, an index table): the
reverse sweep reads such a load again from the table instead of taping it, when no write to the table can
follow the load (docs/how-it-works.md, "Tables filled before they are read"). numba's MemInfo then keeps one
more reference until the reverse sweep has passed its allocation. Checked against central differences where
the table is refilled after a read, updated while it is read, allocated in a loop, or holds indices; and that
no allocation is leaked."""
import numba
import numpy as np
import pytest

from enzpy import Active, Const, Duplicated, Reverse, ReverseSplitWithPrimal, autodiff, autodiff_thunk
from enzpy import _numba_derivative
from numba_testutil import assert_no_nrt_leak, fd_grad


@numba.njit
def filled_then_read(a, x):
    n = a.shape[0]
    q = np.empty(n)
    for j in range(n):
        q[j] = np.exp(a[j])
    s = 0.0
    for i in range(x.shape[0]):
        for j in range(n):
            s += q[j] * x[i, j] ** 2
    return s


@numba.njit
def refilled(a, x):
    # the first loop nest reads exp(a[j]); by the end the table holds sin(a[j]): those reads are taped
    n = a.shape[0]
    q = np.empty(n)
    for j in range(n):
        q[j] = np.exp(a[j])
    s = 0.0
    for i in range(x.shape[0]):
        for j in range(n):
            s += q[j] * x[i, j]
    for j in range(n):
        q[j] = np.sin(a[j])
    for i in range(x.shape[0]):
        for j in range(n):
            s += q[j] * x[i, j] ** 2
    return s


@numba.njit
def updated_while_read(a, x):
    q = np.exp(a)
    s = 0.0
    for i in range(x.shape[0]):
        for j in range(a.shape[0]):
            s += q[j] * x[i, j]
            q[j] = q[j] * 0.5 + x[i, j]
    return s


@numba.njit
def allocated_per_row(a, x):
    n = a.shape[0]
    s = 0.0
    for i in range(x.shape[0]):
        q = np.empty(n)
        for j in range(n):
            q[j] = np.exp(a[j] * x[i, j])
        for j in range(n):
            s += q[j] * q[(j + 1) % n]
    return s


@numba.njit
def index_table(a, x):
    n = a.shape[0]
    idx = np.empty(n, np.int64)
    for j in range(n):
        idx[j] = (3 * j + 1) % n
    s = 0.0
    for i in range(x.shape[0]):
        for j in range(n):
            s += np.sin(a[idx[j]]) * x[i, j]
    return s


@numba.njit
def two_tables(a, x):
    n = a.shape[0]
    e = np.empty(n)
    c = np.zeros(n)
    for j in range(n):
        e[j] = np.exp(a[j])
        c[j] = np.cos(a[j])
    s = 0.0
    for i in range(x.shape[0]):
        for j in range(n):
            s += e[j] * x[i, j] + c[j] * x[i, j] * x[i, j]
    return s


@numba.njit
def chosen_table(a, x):
    # which table a row reads is decided per row: the load's pointer is a select (or phi) of two tables
    n = a.shape[0]
    e = np.empty(n)
    c = np.empty(n)
    for j in range(n):
        e[j] = np.exp(a[j])
        c[j] = np.cos(a[j])
    s = 0.0
    for i in range(x.shape[0]):
        q = e if x[i, 0] > 0.0 else c
        for j in range(n):
            s += q[j] * x[i, j] ** 2
    return s


KERNELS = [filled_then_read, refilled, updated_while_read, allocated_per_row, index_table, two_tables,
           chosen_table]


def _inputs(seed=4):
    rng = np.random.default_rng(seed)
    return rng.normal(scale=0.5, size=7), rng.normal(size=(5, 7))


def _gradient(f, a, x):
    da, dx = np.zeros_like(a), np.zeros_like(x)
    autodiff(Reverse, f, Active, Duplicated(a, da), Duplicated(x, dx))
    return da, dx


@pytest.mark.parametrize("f", KERNELS, ids=lambda f: f.__name__)
def test_gradient_against_central_differences(f):
    a, x = _inputs()
    da, dx = _gradient(f, a, x)
    np.testing.assert_allclose(da, fd_grad(lambda v: f(v, x), a), rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(dx, fd_grad(lambda v: f(a, v), x), rtol=1e-7, atol=1e-8)


def test_filled_table_gradient_is_exact():
    a, x = _inputs(5)
    da, dx = _gradient(filled_then_read, a, x)
    np.testing.assert_allclose(da, np.exp(a) * (x ** 2).sum(axis=0), rtol=1e-13)
    np.testing.assert_allclose(dx, 2 * np.exp(a) * x, rtol=1e-13)


def _derivative_text(f):
    texts = [d.text for d in _numba_derivative._cache.values() if f.__name__ in d.text]
    assert texts, f"no derivative of {f.__name__} was built"
    return "\n".join(texts)


@pytest.mark.parametrize("f", [filled_then_read, index_table, two_tables, chosen_table],
                         ids=lambda f: f.__name__)
def test_tables_read_again_are_kept_alive(f):
    """The mechanism is used: the table gets the extra reference (and gives it back, see the leak test)."""
    _gradient(f, *_inputs())
    text = _derivative_text(f)
    assert "__enzpy_nrt_retain" in text and "__enzpy_nrt_release" in text


@numba.njit
def sines_of_table(a, m):
    n = a.shape[0]
    q = np.empty(n)
    for j in range(n):
        q[j] = np.exp(a[j])
    s = 0.0
    for i in range(m):
        for j in range(n):
            s += np.sin(q[j] * (i + 1))
    return s


def test_split_mode_reads_heap_tables_again():
    """Split mode: a heap table outlives the augmented call (one more reference until the reverse half), so
    the loads of the loop nest are not taped: the tape grows by less than a double per inner iteration
    (without this: 7 doubles per outer iteration, and 16 bytes of loop records)."""
    a = np.linspace(-1.0, 1.0, 7)
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, sines_of_table, Active, Duplicated, Const)
    f = Const(sines_of_table)
    sizes = {}
    for m in (100, 1000):
        da = np.zeros_like(a)
        tape, primal, _ = fwd(f, Duplicated(a, da), Const(m))
        sizes[m] = tape.nbytes
        rev(f, Duplicated(a, da), Const(m), 1.0, tape)
        k = np.arange(1, m + 1)[:, None]
        np.testing.assert_allclose(da, (np.cos(np.exp(a) * k) * k).sum(axis=0) * np.exp(a), rtol=1e-12)
        assert primal == pytest.approx(sines_of_table(a, m), rel=1e-15)
    assert (sizes[1000] - sizes[100]) / 900 < 8 * a.size


def test_split_mode_agrees_with_combined():
    a, x = _inputs(6)
    da, dx = _gradient(filled_then_read, a, x)
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, filled_then_read, Active, Duplicated, Duplicated)
    f = Const(filled_then_read)
    sa, sx = np.zeros_like(a), np.zeros_like(x)
    tape, primal, _ = fwd(f, Duplicated(a, sa), Duplicated(x, sx))
    rev(f, Duplicated(a, sa), Duplicated(x, sx), 1.0, tape)
    assert primal == pytest.approx(filled_then_read(a, x), rel=1e-15)
    np.testing.assert_allclose(sa, da, rtol=1e-14)
    np.testing.assert_allclose(sx, dx, rtol=1e-14)


def test_no_allocation_is_leaked():
    a, x = _inputs(7)
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, filled_then_read, Active, Duplicated, Duplicated)
    f = Const(filled_then_read)

    def calls():
        for k in KERNELS:
            _gradient(k, a, x)
        args = (f, Duplicated(a, np.zeros_like(a)), Duplicated(x, np.zeros_like(x)))
        rev(*args, 1.0, fwd(*args)[0])
    assert_no_nrt_leak(calls)
