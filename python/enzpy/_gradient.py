"""Helpers beyond the card: :func:`gradient`, :func:`jacobian` and :func:`shadow_like`."""
from __future__ import annotations

import numpy as np

from . import annotations as A
from ._autodiff import _check_function, _copy_wrapper, autodiff, autodiff_seeded
from ._errors import EnzpyTypeError
from .modes import Forward, Mode, Reverse


def shadow_like(x, fill=0.0):
    """A new array with the shape, dtype *and byte strides* of `x`, filled with `fill`.

    A shadow must have its primal's memory layout; ``np.zeros_like`` of a strided view (``a[::2]``,
    ``a.T[1:]``) is compact and would not fit.

    >>> import numpy as np, enzpy
    >>> x = np.arange(12.0).reshape(3, 4)[:, ::2]
    >>> s = enzpy.shadow_like(x); s.shape == x.shape and s.strides == x.strides
    True
    """
    x = np.asarray(x)
    if x.flags.c_contiguous or x.flags.f_contiguous:
        s = np.empty_like(x, order="K")
        if s.strides == x.strides:
            s[...] = fill
            return s
    lo = sum(min(0, (n - 1) * st) for n, st in zip(x.shape, x.strides)) if x.size else 0
    hi = (sum(max(0, (n - 1) * st) for n, st in zip(x.shape, x.strides)) + x.itemsize
          if x.size else x.itemsize)
    buf = np.zeros(hi - lo, dtype=np.uint8)
    s = np.ndarray(x.shape, x.dtype, buffer=buf, offset=-lo, strides=x.strides)
    s[...] = fill
    return s


def _is_float(x) -> bool:
    return isinstance(x, (float, np.floating))


def _check_mode(mode, what):
    if not isinstance(mode, Mode) or mode.split:
        raise EnzpyTypeError(f"enzpy.{what}: the mode must be Forward or Reverse, got {mode!r}")
    return Mode._registry["Forward" if mode.direction == "forward" else "Reverse"]


def gradient(mode, f, *xs):
    """The gradient of the float-valued ``@njit`` function `f` at `xs`.

    Each float array in `xs` gets an array of the same shape (and strides), each float a float;
    other arguments are constants and get ``None``. One argument gives one result, several a
    tuple. ``Reverse`` takes one sweep; ``Forward`` one sweep per input entry.

    >>> import numba, numpy as np
    >>> from enzpy import gradient, Reverse, Forward
    >>> @numba.njit
    ... def f(x):
    ...     return (x ** 2).sum()
    >>> gradient(Reverse, f, np.array([1.0, 2.0, 3.0]))
    array([2., 4., 6.])
    >>> gradient(Forward, f, np.array([1.0, 2.0, 3.0]))
    array([2., 4., 6.])
    """
    mode = _check_mode(mode, "gradient")
    _check_function(f)
    kinds = [("array" if isinstance(x, np.ndarray) and x.dtype.kind == "f"
              else "float" if _is_float(x) else "const") for x in xs]
    if mode is Reverse:
        shadows = [shadow_like(x) if k == "array" else None for x, k in zip(xs, kinds)]
        args = [A.Duplicated(x, s) if k == "array" else A.Active(x) if k == "float" else A.Const(x)
                for x, s, k in zip(xs, shadows, kinds)]
        (adjs,) = autodiff(Reverse, f, A.Active, *args)
        out = [np.array(s, order="K") if k == "array" else adj if k == "float" else None
               for s, adj, k in zip(shadows, adjs, kinds)]
    else:
        out = []
        for i, (x, k) in enumerate(zip(xs, kinds)):
            if k == "const":
                out.append(None)
                continue
            tangents = [A.Duplicated(y, shadow_like(y)) if kk == "array"
                        else A.Duplicated(y, 0.0) if kk == "float" else A.Const(y)
                        for y, kk in zip(xs, kinds)]
            if k == "float":
                tangents[i] = A.Duplicated(x, 1.0)
                out.append(autodiff(Forward, f, A.Duplicated, *tangents)[0])
                continue
            g = np.empty(x.shape, dtype=x.dtype)
            t = tangents[i].dval
            for j, idx in enumerate(np.ndindex(x.shape)):
                t[idx] = 1.0
                g[idx] = autodiff(Forward, f, A.Duplicated, *tangents)[0]
                t[idx] = 0.0
            out.append(g)
    return out[0] if len(xs) == 1 else tuple(out)


def jacobian(mode, F, x, *, out=None):
    """The Jacobian of the ``@njit`` function `F` at the float array (or float) `x`.

    Two shapes of `F`:

    * ``F(x)`` returns a float, a tuple of ``m`` floats or a float array of shape ``S``: the result
      has shape ``x.shape`` (a gradient), ``(m,) + x.shape`` or ``S + x.shape``;
    * ``F(y, x)`` writes its output into the array ``y`` (pass it as ``out=y``) and returns None:
      the result has shape ``y.shape + x.shape``. `y` holds F's output afterwards.

    Row ``i`` holds the derivatives of output ``i`` (Enzyme.jl's convention). ``Forward`` takes one
    sweep per entry of `x`, ``Reverse`` one sweep per output.

    >>> import numba, numpy as np
    >>> from enzpy import jacobian, Forward, Reverse
    >>> @numba.njit
    ... def F(y, x):
    ...     y[0] = x[0] * x[0] + x[1]
    ...     y[1] = x[0] * x[1]
    >>> x = np.array([2.0, 3.0])
    >>> jacobian(Forward, F, x, out=np.zeros(2))
    array([[4., 1.],
           [3., 2.]])
    >>> jacobian(Reverse, F, x, out=np.zeros(2))
    array([[4., 1.],
           [3., 2.]])
    """
    mode = _check_mode(mode, "jacobian")
    _check_function(F)
    scalar_x = _is_float(x)
    if scalar_x:
        xa = None
    elif isinstance(x, np.ndarray) and x.dtype.kind == "f":
        xa = x
    else:
        raise EnzpyTypeError(f"enzpy.jacobian: x must be a float or a float array, got "
                             f"{type(x).__name__}")
    xshape = () if scalar_x else x.shape
    n = 1 if scalar_x else x.size
    idxs = [()] if scalar_x else list(np.ndindex(x.shape))

    if out is not None:
        if scalar_x:
            raise EnzpyTypeError("enzpy.jacobian: with out=y, x must be an array")
        y = out
        m = y.size
        J = np.empty((m, n), dtype=np.result_type(y.dtype, x.dtype))
        yidx = list(np.ndindex(y.shape))
        if mode is Forward:
            tx = shadow_like(xa)
            for j, idx in enumerate(idxs):
                tx[idx] = 1.0
                ty = shadow_like(y)
                autodiff(Forward, F, A.Const, A.Duplicated(y, ty), A.Duplicated(xa, tx))
                tx[idx] = 0.0
                J[:, j] = [ty[k] for k in yidx]
        else:
            for i, k in enumerate(yidx):
                dy = shadow_like(y)
                dy[k] = 1.0
                dx = shadow_like(xa)
                autodiff(Reverse, F, A.Const, A.Duplicated(y, dy), A.Duplicated(xa, dx))
                J[i, :] = [dx[idx] for idx in idxs]
        return J.reshape(y.shape + xshape)

    y0 = F(x)
    if _is_float(y0):
        if scalar_x:
            return (autodiff(Reverse, F, A.Active, A.Active(x))[0][0] if mode is Reverse
                    else autodiff(Forward, F, A.Duplicated, A.Duplicated(x, 1.0))[0])
        return gradient(mode, F, x)
    if not (isinstance(y0, tuple) and all(_is_float(v) for v in y0)):
        if isinstance(y0, np.ndarray) and y0.dtype.kind == "f" and not scalar_x:
            w = _copy_wrapper(F, 1, y0.ndim)          # w(out, x): out[...] = F(x)
            return jacobian(mode, w, x, out=np.zeros(y0.shape, y0.dtype))
        raise EnzpyTypeError(f"enzpy.jacobian: F must return a float or a tuple of floats (or "
                             f"write into out=y), got {type(y0).__name__}")
    m = len(y0)
    J = np.empty((m, n), dtype=np.result_type(*(np.asarray(v).dtype for v in y0),
                                              np.asarray(x).dtype))
    if mode is Forward:
        if scalar_x:
            J[:, 0] = autodiff(Forward, F, A.Duplicated, A.Duplicated(x, 1.0))[0]
        else:
            tx = shadow_like(xa)
            for j, idx in enumerate(idxs):
                tx[idx] = 1.0
                J[:, j] = autodiff(Forward, F, A.Duplicated, A.Duplicated(xa, tx))[0]
                tx[idx] = 0.0
    else:
        for i in range(m):
            seed = tuple(type(v)(1.0 if k == i else 0.0) for k, v in enumerate(y0))
            if scalar_x:
                J[i, 0] = autodiff_seeded(Reverse, F, seed, A.Active, A.Active(x))[0][0]
            else:
                dx = shadow_like(xa)
                autodiff_seeded(Reverse, F, seed, A.Active, A.Duplicated(xa, dx))
                J[i, :] = [dx[idx] for idx in idxs]
    return J.reshape((m,) + xshape)


__all__ = ["gradient", "jacobian", "shadow_like"]
