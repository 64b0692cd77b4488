"""Shared helpers of the tests/test_numba_*.py files: finite differences and shadow makers."""
import numpy as np


def fd_scalar(f, x, h=1e-6):
    """Central difference of a scalar function of one float."""
    return (f(x + h) - f(x - h)) / (2 * h)


def fd_grad(f, x, h=1e-6):
    """Central-difference gradient of the float-valued f at the array x (any layout)."""
    g = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        fp = f(x)
        x[idx] = old - h
        fm = f(x)
        x[idx] = old
        g[idx] = (fp - fm) / (2 * h)
    return g


def fd_jac_inplace(F, y, x, h=1e-6):
    """Central-difference Jacobian of F(y, x) (writes y): shape y.shape + x.shape."""
    J = np.zeros(y.shape + x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        F(y, x)
        yp = y.copy()
        x[idx] = old - h
        F(y, x)
        ym = y.copy()
        x[idx] = old
        J[(Ellipsis,) + idx] = (yp - ym) / (2 * h)
    F(y, x)
    return J


def strided_like(x, fill=0.0):
    """An array with x's shape, dtype and strides (like enzpy.shadow_like, written independently)."""
    base = np.full(x.base.shape, fill, dtype=x.dtype) if x.base is not None else None
    if base is not None and base.strides == x.base.strides:
        off = x.__array_interface__["data"][0] - x.base.__array_interface__["data"][0]
        return np.ndarray(x.shape, x.dtype, buffer=base, offset=off, strides=x.strides)
    return np.full_like(x, fill, order="K")


def layouts(n0=4, n1=6, dtype=np.float64, seed=0):
    """The same 2-d values in C, F and two non-contiguous layouts."""
    rng = np.random.default_rng(seed)
    c = rng.uniform(0.5, 1.5, size=(n0, n1)).astype(dtype)
    big = rng.uniform(0.5, 1.5, size=(2 * n0, 3 * n1)).astype(dtype)
    return {
        "C": c,
        "F": np.asfortranarray(c),
        "strided": big[::2, ::3],
        "transposed": big[::2, ::3].T,
    }


def make_function(k):
    """A different njit function per k (so each needs a fresh derivative); used by
    tests/test_reliability.py and bench/memory.py."""
    import math
    from numba import njit
    src = f"""
def f(x, a):
    s = 0.0
    for v in x:
        s += math.sin(v * {k + 1}.0) * a + v * v * {0.5 + k}
    return s
"""
    ns = {"math": math}
    exec(src, ns)
    return njit(ns["f"])


_long_loop = None


def long_loop():
    """The njit kernel ``sum(sin(A[i]) * A[i])``: a split-mode tape of something per iteration; used by
    tests/test_split_mode.py and bench/memory.py."""
    global _long_loop
    if _long_loop is None:
        import numpy as np
        from numba import njit

        @njit
        def long_loop(A):
            s = 0.0
            for i in range(A.shape[0]):
                s += np.sin(A[i]) * A[i]
            return s
        _long_loop = long_loop
    return _long_loop


def assert_no_nrt_leak(calls, repeats=10):
    """Runs calls() once (compiling), then `repeats` times with numba's NRT statistics on: every allocation
    and every MemInfo made in those runs was freed."""
    from numba.core.runtime import _nrt_python as nrt, rtsys
    enabled = nrt.memsys_stats_enabled()
    nrt.memsys_enable_stats()
    try:
        calls()
        before = rtsys.get_allocation_stats()
        for _ in range(repeats):
            calls()
        after = rtsys.get_allocation_stats()
    finally:
        if not enabled:
            nrt.memsys_disable_stats()
    assert after.alloc - before.alloc == after.free - before.free
    assert after.mi_alloc - before.mi_alloc == after.mi_free - before.mi_free
