"""Pytest plugin (enabled by ENZPY_CHECK_SPLIT=1, see tests/test_split_mode.py): every
``autodiff(Reverse | ReverseWithPrimal, f, Active, ...)`` made from Python is repeated in split
mode (``autodiff_thunk(ReverseSplitWithPrimal, ...)``) on copies of its arguments, and the two
must agree: the primal, the returned adjoints and every shadow array. The number of checks made is
appended to $ENZPY_CHECK_SPLIT_LOG."""
import os

import numpy as np

import enzpy
from enzpy import _autodiff, _numba_derivative
from enzpy import annotations as A

_orig_run = _autodiff._run
_orig_load_core = _numba_derivative.load_core
checks = {"compared": 0}


def _copy(v):
    if isinstance(v, tuple):
        items = [_copy(x) for x in v]
        return type(v)(*items) if hasattr(v, "_fields") else tuple(items)   # namedtuples too
    return v.copy() if isinstance(v, np.ndarray) else v


def _clone(a):
    if hasattr(a, "dvals"):
        return type(a)(_copy(a.val), tuple(_copy(d) for d in a.dvals))
    if hasattr(a, "dval"):
        return type(a)(_copy(a.val), _copy(a.dval))
    if isinstance(a, A.Annotation):
        return type(a)(_copy(a.val))
    return _copy(a)


def _close(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    tol = 1e-5 if x.dtype == np.float32 else 1e-10
    return x.shape == y.shape and np.allclose(x, y, rtol=tol, atol=tol, equal_nan=True)


def _checked_run(mode, f, args, seed=None, seeded=False):
    want_split = (mode in (enzpy.Reverse, enzpy.ReverseWithPrimal) and not seeded and args
                  and args[0] is A.Active and isinstance(f, _autodiff.Dispatcher)
                  and _numba_derivative.load_core is _orig_load_core)   # not under a test's spy
    copies = [_clone(a) for a in args[1:]] if want_split else None
    res = _orig_run(mode, f, args, seed, seeded)
    if not want_split:
        return res
    specs = [type(a) if isinstance(a, A.Annotation) else A.Const for a in copies]
    copies = [a if isinstance(a, A.Annotation) else A.Const(a) for a in copies]
    fwd, rev = enzpy.autodiff_thunk(enzpy.ReverseSplitWithPrimal, f, A.Active, *specs)
    tape, primal, shadow = fwd(A.Const(f), *copies)
    grads = rev(A.Const(f), *copies, 1.0, tape)
    adjs = res[-1] if mode.with_primal else res[0]
    assert shadow is None
    if mode.with_primal:
        assert _close(primal, res[0]), (f, primal, res[0])
    for a_split, a_comb in zip(grads[0], adjs):
        assert (a_split is None) == (a_comb is None), (f, grads, adjs)
        if a_split is not None:
            assert _close(a_split, a_comb), (f, grads, adjs)
    for orig, c in zip(args[1:], copies):
        if isinstance(orig, (A.Duplicated, A.MixedDuplicated)):
            pairs = (zip(c.dval, orig.dval) if isinstance(orig.dval, tuple)
                     else [(c.dval, orig.dval)])
            for x, y in pairs:
                if isinstance(y, np.ndarray):
                    assert _close(x, y), (f, x, y)
    checks["compared"] += 1
    return res


def pytest_configure(config):
    _autodiff._run = _checked_run


def pytest_unconfigure(config):
    _autodiff._run = _orig_run
    log = os.environ.get("ENZPY_CHECK_SPLIT_LOG")
    if log:
        with open(log, "a") as fh:
            fh.write(f"{checks['compared']}\n")
