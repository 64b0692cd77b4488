"""The fast path of repeated calls (enzpy._autodiff._plans): after a call passed the checks, later
calls with the same pattern skip them; every other call, and every error, is what the full path
(``_run_checked``) gives."""
import threading

import numba
import numpy as np
import pytest

from enzpy import (Active, BatchDuplicated, Const, Duplicated, DuplicatedNoNeed, EnzpyError,
                   EnzpyValueError,
                   Forward, ForwardWithPrimal, Reverse, ReverseSplitWithPrimal, ReverseWithPrimal,
                   api, autodiff, autodiff_thunk, gradient)
from enzpy import _autodiff as ad


@numba.njit
def mul(x, y):
    return x * y + x


@numba.njit
def ssq(a, n):
    s = 0.0
    for i in range(n):
        s += a[i] * a[i]
    return s


@numba.njit
def double(x):
    return x * 2.0


def _plans_of(f):
    hit = ad._plans.get(id(f))
    return hit[1] if hit is not None and hit[0] is f else ()


def _outcome(fn, *a):
    try:
        return ("ok", fn(*a))
    except Exception as e:      # noqa: BLE001
        return (type(e), str(e))


def _same_as_full_path(mode, f, *args):
    """autodiff's outcome equals the full path's (type and message of an error included)."""
    fast = _outcome(autodiff, mode, f, *args)
    full = _outcome(ad._run_checked, mode, f, args, None, False)
    assert fast == full
    return fast


@pytest.fixture(autouse=True)
def _restore_options():
    saved = api.options()
    yield
    api.strict_aliasing(saved["strict_aliasing"])


def test_repeated_call_takes_the_plan(monkeypatch):
    assert autodiff(Reverse, mul, Active, Active(3.0), Active(2.0)) == ((3.0, 3.0),)
    assert _plans_of(mul)
    calls = []
    monkeypatch.setattr(ad, "_run_checked", lambda *a: calls.append(a))
    assert autodiff(Reverse, mul, Active, Active(1.5), Active(4.0)) == ((5.0, 1.5),)
    assert gradient(Reverse, mul, 1.5, 4.0) == (5.0, 1.5)
    assert calls == []


@pytest.mark.parametrize("args", [
    (Active, Active(1), Active(2.0)),                       # an int where reverse wants a float
    (Active, Active(np.ones(2)), Active(2.0)),              # Active array
    (Active, Duplicated(1.0, 0.0), Active(2.0)),            # Duplicated float in reverse
    (Active, Active, Active(2.0)),                          # a class where a value is expected
    (Active, Active(1.0)),                                  # one argument short
    (Active, Active(1.0), Active(2.0), Active(3.0)),         # one too many
    (Active, Active(1.0), "two"),                           # numba cannot type it
    (Active, Active(1.0), Active((2.0, 3.0))),              # a tuple
    (Active, Active(np.float32(1.0)), Active(2.0)),
    (Active, Active(True), Active(2.0)),
    (Active, Active(1.0), 2.0),
    (Active, Active(1.0), 2),
    (Active, Active(1.0), 2 ** 63),
    (Const, Active(1.0), Active(2.0)),
    (Duplicated, Active(1.0), Active(2.0)),
    (Active(1.0), Active(2.0)),
])
def test_other_patterns_after_a_plan(args):
    autodiff(Reverse, mul, Active, Active(3.0), Active(2.0))
    autodiff(Reverse, mul, Active, Active(3.0), Active(2.0))
    _same_as_full_path(Reverse, mul, *args)
    _same_as_full_path(Reverse, mul, *args)      # and once more, now maybe with its own plan


@pytest.mark.parametrize("mode", ["Reverse", None, ReverseSplitWithPrimal, Forward,
                                  ForwardWithPrimal, ReverseWithPrimal])
def test_modes_after_a_plan(mode):
    autodiff(Reverse, mul, Active, Active(3.0), Active(2.0))
    _same_as_full_path(mode, mul, Active, Active(3.0), Active(2.0))
    _same_as_full_path(mode, mul, Duplicated(3.0, 1), Active(2.0))
    _same_as_full_path(mode, mul, Duplicated(3.0, np.int64(1)), 2.0)
    _same_as_full_path(mode, mul, Duplicated(3.0, True), 2.0)


def test_not_a_dispatcher():
    _same_as_full_path(Reverse, mul.py_func, Active, Active(3.0), Active(2.0))


def _fresh(a):
    return np.array(a, copy=True)


@pytest.mark.parametrize("make", [
    lambda a: np.zeros(3),                                  # shape
    lambda a: np.zeros(4, np.float32),                      # dtype
    lambda a: np.zeros(8)[::2],                             # strides
    lambda a: np.zeros(4).reshape(2, 2),                    # ndim
    lambda a: [0.0] * 4,                                    # not an array
    lambda a: a,                                            # the primal itself
    lambda a: a[:],                                         # a view with the primal's data
    lambda a: np.lib.stride_tricks.as_strided(np.zeros(4), writeable=False),     # read-only
])
def test_shadow_errors_after_a_plan(make):
    a = np.arange(4.0)
    for _ in range(2):
        autodiff(Reverse, ssq, Active, Duplicated(a, np.zeros(4)), 4)
    assert _plans_of(ssq)
    outcome = _same_as_full_path(Reverse, ssq, Active, Duplicated(a, make(a)), 4)
    assert outcome[0] != "ok" or isinstance(make(a), np.ndarray)


def test_overlapping_shadow_is_rejected_after_a_plan():
    """A shadow that overlaps its primal without starting at its data pointer (base[:4] and
    base[1:]) would corrupt the primal: the plan hands it to the full path, which raises, and
    nothing is written."""
    a = np.arange(4.0)
    for _ in range(2):
        autodiff(Reverse, ssq, Active, Duplicated(a, np.zeros(4)), 4)
    assert _plans_of(ssq)
    base = np.arange(5.0)
    for x, dx in [(base[:4], base[1:]), (base[1:], base[:4]), (base[::2][:2], base[1::2])]:
        with pytest.raises(EnzpyValueError, match="argument 'a': the shadow overlaps the primal "
                           "array in memory"):
            autodiff(Reverse, ssq, Active, Duplicated(x, dx), 2)
    assert base.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    far = np.arange(8.0)                # adjacent, not overlapping: fine
    got = autodiff(Reverse, ssq, Active, Duplicated(far[:4], far[4:]), 4)
    assert got == ((None, None),) and far.tolist() == [0, 1, 2, 3, 4, 7, 10, 13]


def test_shadow_accumulates_through_the_plan():
    a, da = np.arange(4.0), np.zeros(4)
    for k in range(1, 4):
        autodiff(Reverse, ssq, Active, DuplicatedNoNeed(a, da), 3)
        assert np.array_equal(da, k * np.array([0.0, 2.0, 4.0, 0.0]))


def test_strict_aliasing_switched_on_after_a_plan():
    a, c = np.arange(4.0), np.zeros(4)
    for _ in range(2):
        autodiff(Reverse, ssq, Active, Duplicated(a, c), 4)
    api.strict_aliasing(True)
    b = np.arange(4.0)
    args = (Active, Duplicated(b, b[::-1].copy()), 4)
    assert _same_as_full_path(Reverse, ssq, *args)[0] == "ok"

    @numba.njit
    def two(x, y):
        return x.sum() * y.sum()
    x, y = np.arange(4.0), np.zeros(4)
    api.strict_aliasing(False)
    for _ in range(2):
        autodiff(Reverse, two, Active, Duplicated(x, np.zeros(4)), y)
    assert _plans_of(two)
    api.strict_aliasing(True)
    fast = _outcome(autodiff, Reverse, two, Active, Duplicated(x, np.zeros(4)), x[1:])
    assert fast[0] != "ok" and "overlap in memory" in fast[1]


def test_function_found_to_return_arrays_after_a_scalar_plan():
    for _ in range(2):
        assert autodiff(Forward, double, Duplicated(1.5, 1.0)) == (2.0,)
    assert _plans_of(double)
    x, dx = np.arange(3.0), np.ones(3)
    (t,) = autodiff(Forward, double, Duplicated(x, dx))
    assert np.array_equal(t, 2 * dx)
    for _ in range(2):          # the full path again (f registered as returning arrays)
        assert _same_as_full_path(Forward, double, Duplicated(1.5, 1.0)) == ("ok", (2.0,))
        (t,) = autodiff(Forward, double, Duplicated(x, dx))
        assert np.array_equal(t, 2 * dx)


def test_batch_and_thunk_calls_after_a_plan():
    autodiff(Forward, mul, Duplicated(3.0, 1.0), 2.0)
    assert _same_as_full_path(Forward, mul, BatchDuplicated(3.0, (1.0, 2.0)), 2.0)[0] == "ok"
    thunk = autodiff_thunk(Reverse, mul, Active, Active[numba.float64], Active[numba.float64])
    for _ in range(3):
        assert thunk(Const(mul), Active(3.0), Active(2.0)) == ((3.0, 3.0),)
        assert thunk(Const(mul), Active(3.0), Active(2.0), 2.0) == ((6.0, 6.0),)


def test_more_patterns_than_plans():
    @numba.njit
    def h(x, y):
        return x * y
    values = [1.5, np.float32(1.5), np.float64(1.5), 2, np.int32(2), True, np.int64(2), 2.5j,
              np.uint8(2), np.int16(2), np.float32(0.5)]
    for _ in range(2):
        for v in values:
            _same_as_full_path(Reverse, h, Active, Active(3.0), Const(v))
    assert 0 < len(_plans_of(h)) <= ad._MAX_PLANS


def test_eight_threads_on_a_fresh_function():
    @numba.njit
    def k(x, y):
        return x * x * y
    errors = []
    barrier = threading.Barrier(8)

    def work(t):
        try:
            barrier.wait()
            for i in range(300):
                x, y = 1.0 + t, 0.5 * i
                if (i + t) % 3:
                    assert autodiff(Reverse, k, Active, Active(x), Active(y)) == \
                        ((2 * x * y, x * x),)
                elif (i + t) % 2:
                    assert autodiff(ReverseWithPrimal, k, Active, Active(x), y) == \
                        (x * x * y, (2 * x * y, None))
                else:
                    assert autodiff(Forward, k, Duplicated(x, 1), y) == (2 * x * y,)
        except Exception as e:      # noqa: BLE001
            errors.append(e)
    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(_plans_of(k)) == 3


def test_enzpy_error_from_typing_keeps_its_message():
    @numba.njit
    def ret_int(x, n):
        return n
    autodiff(Reverse, mul, Active, Active(3.0), Active(2.0))
    first = _outcome(autodiff, Reverse, ret_int, Active, Active(1.0), 2)
    again = _outcome(autodiff, Reverse, ret_int, Active, Active(1.0), 2)
    assert first == again and first[0] != "ok"
    assert issubclass(first[0], EnzpyError)
