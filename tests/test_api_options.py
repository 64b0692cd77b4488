"""enzpy.api: type_warning (the analyses' assumptions as EnzpyWarning) and strict_aliasing
(array arguments promised not to overlap: noalias data pointers, checked from Python)."""
import warnings

import numba
import numpy as np
import pytest

import enzpy
from enzpy import (Active, Const, Duplicated, EnzpyValueError, EnzpyWarning, Reverse,
                   ReverseSplitWithPrimal, api, autodiff, autodiff_thunk)


@pytest.fixture(autouse=True)
def _restore_options():
    saved = api.options()
    yield
    api.type_warning(saved["type_warning"])
    api.strict_aliasing(saved["strict_aliasing"])
    api.vector_math(saved["vector_math"])


def test_defaults_and_setters():
    assert api.options() == {"type_warning": True, "strict_aliasing": False, "vector_math": True}
    api.strict_aliasing(True)
    api.type_warning(False)
    api.vector_math(False)
    assert api.options() == {"type_warning": False, "strict_aliasing": True, "vector_math": False}


def _pick_source():
    @numba.njit
    def pick(a, c, flag):
        src = a if flag > 0 else c          # a phi of a differentiated and a constant pointer
        s = 0.0
        for i in range(src.shape[0]):
            s += src[i] * src[i]
        return s
    return pick


def test_type_warning_reports_runtime_activity():
    pick = _pick_source()
    a, c, da = np.array([1.0, 2.0]), np.array([3.0, 4.0]), np.zeros(2)
    with pytest.warns(EnzpyWarning, match="runtime activity"):
        autodiff(Reverse, pick, Active, Duplicated(a, da), Const(c), 1)
    assert da.tolist() == [2.0, 4.0]
    db = np.zeros(2)
    autodiff(Reverse, pick, Active, Duplicated(a, db), Const(c), 0)   # the constant branch
    assert db.tolist() == [0.0, 0.0]


def test_type_warning_off_is_silent_and_same_result():
    api.type_warning(False)
    pick = _pick_source()
    a, c, da = np.array([1.0, 2.0]), np.array([3.0, 4.0]), np.zeros(2)
    with warnings.catch_warnings():
        warnings.simplefilter("error", EnzpyWarning)
        autodiff(Reverse, pick, Active, Duplicated(a, da), Const(c), 1)
    assert da.tolist() == [2.0, 4.0]


@numba.njit
def smooth(y, x):
    n = x.shape[0]
    for i in range(n):
        y[i] = np.sin(x[i]) * x[(i + 1) % n] + x[(i + n - 1) % n] ** 2


def _split_tape_and_grad(x, w):
    fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, smooth, Const, Duplicated, Duplicated)
    dx = np.zeros_like(x)
    tape, _, _ = fwd(Const(smooth), Duplicated(np.zeros_like(x), w.copy()), Duplicated(x, dx))
    nbytes = tape.nbytes
    rev(Const(smooth), Duplicated(np.zeros_like(x), w.copy()), Duplicated(x, dx), tape)
    return nbytes, dx


def test_strict_aliasing_same_gradient_less_tape():
    x = np.linspace(0.1, 1.0, 64)
    w = np.linspace(-1.0, 1.0, 64)
    loose_bytes, loose = _split_tape_and_grad(x, w)
    dy, dx = w.copy(), np.zeros(64)
    autodiff(Reverse, smooth, Const, Duplicated(np.zeros(64), dy), Duplicated(x, dx))
    api.strict_aliasing(True)
    dy2, dx2 = w.copy(), np.zeros(64)
    autodiff(Reverse, smooth, Const, Duplicated(np.zeros(64), dy2), Duplicated(x, dx2))
    np.testing.assert_allclose(dx2, dx, rtol=1e-14)
    strict_bytes, strict = _split_tape_and_grad(x, w)
    np.testing.assert_allclose(strict, loose, rtol=1e-14)
    # split mode may not re-read inputs (memory may change between the halves): the same tape
    assert strict_bytes == loose_bytes


def test_strict_aliasing_checks_overlap_from_python():
    api.strict_aliasing(True)
    base = np.linspace(0.1, 1.0, 65)
    with pytest.raises(EnzpyValueError, match="overlap"):
        autodiff(Reverse, smooth, Const, Duplicated(base[1:], np.zeros(64)),
                 Duplicated(base[:-1], np.zeros(64)))
    api.strict_aliasing(False)
    autodiff(Reverse, smooth, Const, Duplicated(base[1:].copy(), np.zeros(64)),
             Duplicated(base[:-1], np.zeros(64)))


def test_api_is_exported():
    assert enzpy.api is api and callable(enzpy.api.type_warning)
