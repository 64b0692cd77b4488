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
    tuple. ``Reverse`` takes one sweep; ``Forward`` one batched sweep per 8 input entries.

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
            elif k == "float":
                tangents = [A.Duplicated(y, 1.0 if j == i else 0.0) if kk == "float"
                            else A.Duplicated(y, shadow_like(y)) if kk == "array" else A.Const(y)
                            for j, (y, kk) in enumerate(zip(xs, kinds))]
                out.append(autodiff(Forward, f, A.Duplicated, *tangents)[0])
            else:
                g = np.empty(x.shape, dtype=x.dtype)
                idxs = list(np.ndindex(x.shape))

                def sweep(directions, i=i):
                    w = len(directions.dvals)
                    args = [directions if j == i else
                            A.BatchDuplicated(y, tuple(shadow_like(y) for _ in range(w)))
                            if kk == "array" else A.BatchDuplicated(y, (0.0,) * w)
                            if kk == "float" else A.Const(y)
                            for j, (y, kk) in enumerate(zip(xs, kinds))]
                    return autodiff(Forward, f, A.Duplicated, *args)[0]

                for cols, tangents in _batched_directions(x, idxs, sweep):
                    for idx, t in zip(cols, tangents):
                        g[idx] = t
                out.append(g)
    return out[0] if len(xs) == 1 else tuple(out)


#: directions per forward sweep in gradient/jacobian (BatchDuplicated width)
CHUNK = 8


def _batched_directions(x, idxs, sweep):
    """Yields (indices, per-direction results) for the unit directions e_idx of array `x`, CHUNK
    at a time: ``sweep(BatchDuplicated(x, (e_1, ..., e_CHUNK)))`` (the last chunk is padded with
    zero directions so that one derivative serves every chunk)."""
    width = min(CHUNK, len(idxs))
    for start in range(0, len(idxs), width):
        cols = idxs[start:start + width]
        dirs = [shadow_like(x) for _ in range(width)]
        for d, idx in zip(dirs, cols):
            d[idx] = 1.0
        res = sweep(A.BatchDuplicated(x, tuple(dirs)))
        yield cols, res[:len(cols)]


def jacobian(mode, F, x, *, out=None):
    """The Jacobian of the ``@njit`` function `F` at the float array (or float) `x`.

    Two shapes of `F`:

    * ``F(x)`` returns a float, a tuple of ``m`` floats or a float array of shape ``S``: the result
      has shape ``x.shape`` (a gradient), ``(m,) + x.shape`` or ``S + x.shape``;
    * ``F(y, x)`` writes its output into the array ``y`` (pass it as ``out=y``) and returns None:
      the result has shape ``y.shape + x.shape``. `y` holds F's output afterwards.

    Row ``i`` holds the derivatives of output ``i`` (Enzyme.jl's convention). ``Forward`` takes one
    batched sweep per 8 entries of `x` (``BatchDuplicated``); ``Reverse`` one batched sweep per 8
    entries of ``y`` with ``out=y``, otherwise one sweep per output.

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
            def sweep(directions):
                tys = tuple(shadow_like(y) for _ in directions.dvals)
                autodiff(Forward, F, A.Const, A.BatchDuplicated(y, tys), directions)
                return tys

            j = 0
            for cols, tys in _batched_directions(xa, idxs, sweep):
                for ty in tys:
                    J[:, j] = [ty[k] for k in yidx]
                    j += 1
        else:
            # one batched reverse sweep per CHUNK outputs: lane k seeds output k with 1
            width = min(CHUNK, m)
            for start in range(0, m, width):
                rows = yidx[start:start + width]
                dys = [shadow_like(y) for _ in range(width)]
                for dy, k in zip(dys, rows):
                    dy[k] = 1.0
                dxs = tuple(shadow_like(xa) for _ in range(width))
                autodiff(Reverse, F, A.Const, A.BatchDuplicated(y, tuple(dys)),
                         A.BatchDuplicated(xa, dxs))
                for i, dx in enumerate(dxs[:len(rows)]):
                    J[start + i, :] = [dx[idx] for idx in idxs]
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
            j = 0
            for cols, tangents in _batched_directions(
                    xa, idxs, lambda d: autodiff(Forward, F, A.Duplicated, d)[0]):
                for t in tangents:
                    J[:, j] = t
                    j += 1
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
