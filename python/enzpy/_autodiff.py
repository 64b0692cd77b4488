"""The public entry points ``autodiff``, ``autodiff_deferred`` and ``autodiff_thunk``.

From Python, :func:`autodiff` checks the arguments (clear errors before numba is involved), then
calls a cached ``@njit`` trampoline, one per (function, mode, return annotation, annotation
pattern), with the function ``F`` and the mode as globals::

    def _enzpy_trampoline(v0, v1, v2):
        return autodiff_call(Reverse, F, None, (Active, Active(v0), Duplicated(v1, v2)))

numba specializes it per argument types, so the derivative is built once per
(function, argument types, annotations, mode) and later calls go straight to compiled code.
A repeated call with the same pattern (the classes of the annotations, values and shadows) skips
the checks: a small Python function made for the pattern after its first successful call (a
"plan", see ``_remember_plan``) checks that the call has that pattern and calls the compiled
trampoline; anything else takes the checked path, so errors are the same.
Inside ``@njit`` code, ``enzpy.autodiff`` is an ``@overload`` over the very same intrinsic.
"""
from __future__ import annotations

import inspect
import threading

import numpy as np
from numba import njit, typeof
from numba.core import types
from numba.core.dispatcher import Dispatcher
from numba.core.extending import overload

from . import annotations as A
from . import api
from ._errors import EnzpyError, EnzpyTypeError, EnzpyValueError
from . import _shared_trampolines as shared
from ._numba_intrinsic import SignatureMismatch, autodiff_call
from ._numba_plan import ArrayReturnError
from ._numba_primal import serial_twin
from ._numba_types import FIXED_TYPE_CLASSES
from .modes import Mode

# ----------------------------------------------------------------------------- trampolines
_trampolines: dict = {}
_tramp_lock = threading.Lock()


def _trampoline(f, mode: Mode, ret_cls, kinds: tuple, seeded: bool):
    """The cached njit function ``t(*values[, seed])`` for `f` and one annotation pattern.

    `kinds` has one entry per argument: the annotation class name, or "plain" for a bare value.
    `f` is a global of the trampoline (passing a dispatcher as an argument costs numba a few
    microseconds per call to type it); numba specializes the trampoline per argument types.
    """
    strict = api.options()["strict_aliasing"]
    key = (id(f), mode.name, None if ret_cls is None else ret_cls.__name__, kinds, seeded, strict)
    hit = _trampolines.get(key)
    if hit is not None and hit[0] is f:
        return hit[1]
    params, tup = annotated_source(ret_cls, kinds)
    if seeded:
        params.append("seed")
    src = (f"def _enzpy_trampoline({', '.join(params)}):\n"
           f"    return autodiff_call(MODE, F, {'seed' if seeded else 'None'}, {tup})\n")
    # --- disk cache hook (enzpy._disk_cache): for an @njit(cache=True) f, the trampoline is a
    # file compiled with njit(cache=True); None otherwise, or when that file cannot be made
    from ._disk_cache import cached_trampoline
    t = None if strict else cached_trampoline(f, mode, ret_cls, kinds, seeded, src)
    if t is None:
        ns = dict(A.ANNOTATIONS, autodiff_call=autodiff_call, MODE=mode, F=f)
        exec(compile(src, f"<enzpy trampoline {key[1:]}>", "exec"), ns)
        t = njit(ns["_enzpy_trampoline"])
    # --- end of the disk cache hook
    with _tramp_lock:
        _trampolines[key] = (f, t)
    return t


def annotated_source(ret_cls, kinds: tuple):
    """(parameter names, source of the annotated argument tuple) of a trampoline: one parameter
    per flat value, e.g. ``(["v0", "v1", "v2"], "(Active, Active(v0), Duplicated(v1, v2))")``."""
    params, parts, i = [], [], 0
    if ret_cls is not None:
        parts.append(ret_cls.__name__)
    for k in kinds:
        if k == "plain":
            parts.append(f"v{i}")
            params.append(f"v{i}")
            i += 1
        elif A.ANNOTATIONS[k].has_shadow:
            parts.append(f"{k}(v{i}, v{i + 1})")
            params += [f"v{i}", f"v{i + 1}"]
            i += 2
        else:
            parts.append(f"{k}(v{i})")
            params.append(f"v{i}")
            i += 1
    return params, "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


# ----------------------------------------------------------------------------- Python checks
def _check_mode(mode) -> Mode:
    if not isinstance(mode, Mode):
        raise EnzpyTypeError(f"enzpy.autodiff: the first argument must be a mode (Forward, "
                             f"ForwardWithPrimal, Reverse, ReverseWithPrimal), got {mode!r}")
    if mode.split:
        raise EnzpyError(f"enzpy: {mode.name} (split mode) is used through autodiff_thunk: "
                         "fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, f, Active, ...)")
    return mode


def _check_function(f) -> None:
    if not isinstance(f, Dispatcher):
        what = getattr(f, "__qualname__", None) or repr(f)
        raise EnzpyTypeError(f"enzpy: {what} must be a numba.njit function (decorate it with "
                             "@numba.njit); enzpy differentiates numba's compiled code")


_names_cache: dict = {}


def _param_names(f, n):
    hit = _names_cache.get(id(f))       # keyed by id: hashing a Dispatcher builds its numba type
    if hit is not None and hit[0] is f:
        names = hit[1]
    else:
        try:
            names = list(inspect.signature(f.py_func).parameters)
        except (TypeError, ValueError):
            names = []
        _names_cache[id(f)] = (f, names)
    return names[:n] + [f"#{i}" for i in range(len(names), n)]


def _fname(f) -> str:
    return getattr(f.py_func, "__qualname__", "f")


def _is_float(x) -> bool:
    return isinstance(x, (float, np.floating))


def _check_shadow_array(where, x, dx, forward: bool) -> None:
    if not isinstance(dx, np.ndarray):
        raise EnzpyTypeError(f"{where}: the shadow of an array must be an array of the same shape "
                             f"and dtype, got {type(dx).__name__}; make it with np.zeros_like(x)")
    if dx.shape != x.shape or dx.dtype != x.dtype:
        raise EnzpyValueError(f"{where}: the shadow has shape {dx.shape} and dtype {dx.dtype}, "
                              f"the primal has shape {x.shape} and dtype {x.dtype}; they must be "
                              "equal: make it with np.zeros_like(x)")
    if dx.strides != x.strides:
        raise EnzpyValueError(f"{where}: the shadow has strides {dx.strides}, the primal "
                              f"{x.strides}; the shadow must have the same memory layout: use "
                              "enzpy.shadow_like(x), or for a view x = base[...] the same view of "
                              "np.zeros_like(base)")
    if not dx.flags.writeable:
        raise EnzpyValueError(f"{where}: the shadow array is read-only; enzpy writes "
                              "derivatives into it: pass a writable array")
    if dx.size and dx.__array_interface__["data"][0] == x.__array_interface__["data"][0]:
        raise EnzpyValueError(f"{where}: the shadow is the primal array itself; pass a separate "
                              "array, e.g. np.zeros_like(x)")
    if dx.size and np.may_share_memory(x, dx):     # the memory extents overlap (no exact search:
        raise EnzpyValueError(f"{where}: the shadow overlaps the primal array in memory; pass a "
                              "separate array, e.g. np.zeros_like(x)")    # as inside @njit)


def _flatten(mode: Mode, f, args):
    """(return annotation class or None, kinds, flat values) after checking each argument."""
    ret_cls = None
    if args and isinstance(args[0], type) and issubclass(args[0], A.Annotation):
        ret_cls, args = args[0], args[1:]
        if not ret_cls.supported:
            raise EnzpyError(A.not_supported_message(ret_cls))
    names = _param_names(f, len(args))
    fname = _fname(f)
    forward = mode.direction == "forward"
    kinds, values = [], []
    for name, a in zip(names, args):
        where = f"enzpy: {fname}, argument {name!r}"
        if isinstance(a, type) and issubclass(a, A.Annotation):
            raise EnzpyTypeError(f"{where}: the class {a.__name__} was given where a value is "
                                 f"expected; write {a.__name__}(x) (a return annotation may only "
                                 "come first)")
        if not isinstance(a, A.Annotation):
            kinds.append("plain")
            values.append(a)
            continue
        if not a.supported:
            raise EnzpyError(A.not_supported_message(type(a)))
        kind = type(a).__name__
        if isinstance(a, A.Active):
            if isinstance(a.val, np.ndarray):
                raise EnzpyTypeError(f"{where}: Active(x) is for float scalars, not arrays; an "
                                     "array needs a shadow: Duplicated(x, dx) with "
                                     "dx = np.zeros_like(x)")
            if not forward and isinstance(a.val, (int, np.integer)) and not isinstance(a.val, bool):
                raise EnzpyTypeError(f"{where}: Active(x) needs a float, got the integer "
                                     f"{a.val!r}; write Active({float(a.val)!r})")
            values.append(a.val)
        elif isinstance(a, A.Duplicated):
            if isinstance(a.val, np.ndarray):
                _check_shadow_array(where, a.val, a.dval, forward)
                values += [a.val, a.dval]
            elif _is_float(a.val) or isinstance(a.val, tuple):
                if not forward:
                    raise EnzpyTypeError(f"{where}: a float is Duplicated(x, dx) only in forward "
                                         "mode; in reverse mode pass Active(x): its adjoint is "
                                         "returned")
                dval = a.dval
                if _is_float(a.val) and isinstance(dval, (int, np.integer)):
                    dval = float(dval)
                values += [a.val, dval]
            else:
                values += [a.val, a.dval]      # the intrinsic reports what is wrong
        elif isinstance(a, A.BatchDuplicated):
            values += [a.val, _batch_shadows(where, a, forward)]
        elif isinstance(a, A.MixedDuplicated):
            values += [a.val, _mixed_shadow(where, a)]
        else:
            values.append(a.val)
        kinds.append(kind)
    return ret_cls, tuple(kinds), values


def _mixed_shadow(where, a) -> tuple:
    """The checked shadow of ``MixedDuplicated(x, dx)`` (a tuple like x; ints become floats)."""
    if not isinstance(a.val, tuple) or not isinstance(a.dval, tuple) or len(a.val) != len(a.dval):
        raise EnzpyTypeError(f"{where}: MixedDuplicated(x, dx) takes a tuple x of floats and "
                             "arrays and a tuple dx with one shadow per member (0.0 for a float "
                             "in reverse mode, an array like the member for an array)")
    out = []
    for i, (x, dx) in enumerate(zip(a.val, a.dval)):
        if isinstance(x, np.ndarray) and x.dtype.kind == "f":
            _check_shadow_array(f"{where}, member {i}", x, dx, False)
        elif _is_float(x) and isinstance(dx, (int, np.integer)):
            dx = float(dx)
        out.append(dx)
    return tuple(out)


def _batch_shadows(where, a, forward: bool) -> tuple:
    """The checked shadows of ``BatchDuplicated(x, (dx1, ..., dxN))``, as a tuple."""
    if not a.dvals:
        raise EnzpyValueError(f"{where}: BatchDuplicated(x, (dx1, ..., dxN)) needs at least one "
                              "shadow")
    if isinstance(a.val, np.ndarray):
        for dx in a.dvals:
            _check_shadow_array(where, a.val, dx, forward)
        if len({id(dx) for dx in a.dvals}) != len(a.dvals) or len(
                {dx.__array_interface__["data"][0] for dx in a.dvals if dx.size}) < sum(
                1 for dx in a.dvals if dx.size) or any(
                np.may_share_memory(dx, dy) for i, dx in enumerate(a.dvals) if dx.size
                for dy in a.dvals[i + 1:] if dy.size):
            raise EnzpyValueError(f"{where}: the shadows of a BatchDuplicated array must be "
                                  "separate arrays")
        return tuple(a.dvals)
    if _is_float(a.val) or isinstance(a.val, tuple):
        if not forward:
            raise EnzpyTypeError(f"{where}: a float is BatchDuplicated only in forward mode; in "
                                 "reverse mode pass Active(x)")
        if _is_float(a.val):
            return tuple(float(d) if isinstance(d, (int, np.integer)) else d for d in a.dvals)
    return tuple(a.dvals)


_array_returning: dict = {}     # (id(f), mode, return annotation, kinds) -> f, for f returning arrays


def _check_no_overlap(f, values) -> None:
    """strict_aliasing: no two arrays of the call may share memory."""
    arrays = []
    for v in values:
        for x in (v if isinstance(v, tuple) else (v,)):
            if isinstance(x, np.ndarray) and x.size:
                arrays.append(x)
    for i, x in enumerate(arrays):
        for y in arrays[i + 1:]:
            if np.may_share_memory(x, y):
                raise EnzpyValueError(
                    f"enzpy: {_fname(f)}: two arrays of the call overlap in memory, but "
                    "enzpy.api.strict_aliasing(True) promises that array arguments never do; pass "
                    "separate arrays or call enzpy.api.strict_aliasing(False)")


def _run(mode, f, args, seed=None, seeded=False):
    if type(f) is A.Const:          # Const(f), as in Enzyme.jl (and as thunks take it)
        f = f.val
    if not seeded:                  # a prepared plan for this call pattern (see _remember_plan)
        hit = _plans.get(id(f))
        if hit is not None and hit[0] is f:
            for plan in hit[1]:
                res = plan(mode, args)
                if res is not _MISS:
                    return res
    return _run_checked(mode, f, args, seed, seeded)


def _run_checked(mode, f, args, seed, seeded):
    """The full path: every check, then the cached trampoline."""
    mode = _check_mode(mode)
    _check_function(f)
    ret_cls, kinds, values = _flatten(mode, f, args)
    key = (id(f), mode.name, ret_cls, kinds)
    if _array_returning.get(key) is f and not seeded:
        res = _run_array_return(mode, f, ret_cls, kinds, args)
        if res is not None:
            return res
    if api._state["strict_aliasing"]:
        _check_no_overlap(f, values)
    if seeded:
        values.append(seed)
    try:
        t, lead = _callee(mode, f, ret_cls, kinds, values, seeded)
        res = t(*lead, *values)
    except ArrayReturnError as e:
        return _array_return_fallback(e, mode, f, ret_cls, kinds, args, seeded)
    except SignatureMismatch:       # numba typed the values unlike typeof: the per-f trampoline
        shared.forget(mode, f, ret_cls, kinds, values, seeded)
        return _run_checked(mode, f, args, seed, seeded)
    except EnzpyError as e:         # raised while numba typed the trampoline: drop numba's frames
        raise e.with_traceback(None) from None
    if not seeded and not api._state["strict_aliasing"]:
        _remember_plan(mode, f, ret_cls, kinds, args, values, t, lead)
    return res


def _callee(mode, f, ret_cls, kinds, values, seeded):
    """(njit trampoline, its leading arguments) for a checked call: the shared trampoline and the
    derivative's descriptor (:mod:`._shared_trampolines`), or f's own trampoline."""
    if not api._state["strict_aliasing"]:
        entry = shared.entry_for(mode, f, ret_cls, kinds, values, seeded)
        if entry is not None:
            return entry.trampoline, (entry.address,)
    return _trampoline(f, mode, ret_cls, kinds, seeded), ()


def _array_return_fallback(e, mode, f, ret_cls, kinds, args, seeded):
    """The trampoline raised ArrayReturnError: f returns an array (see _run_array_return)."""
    res = None if seeded else _run_array_return(mode, f, ret_cls, kinds, args)
    if res is None:
        raise e.with_traceback(None) from None
    _array_returning[(id(f), mode.name, ret_cls, kinds)] = f
    return res


# ----------------------------------------------------------------------------- fast path
# A repeated call with the same pattern (f, mode, return annotation, the exact classes of the
# arguments, of their values and of their shadows) skips the checks above: after a call that
# passed them, _remember_plan compiles a small Python function for the pattern which checks
# that a call has exactly that pattern and calls the trampoline with the flat values. Everything
# the checks decide from the classes alone is decided once; what depends on the values (the
# layout of a Duplicated array and its shadow) is re-checked in a form that passes exactly when
# _check_shadow_array would; anything else (another pattern, strict aliasing, an f found to
# return arrays) returns _MISS, and the full path runs, with its checks and messages.
_MISS = object()
_plans: dict = {}               # id(f) -> (f, (plan, ...))
_plan_keys: dict = {}           # id(f) -> (f, {pattern, ...})
_plans_lock = threading.Lock()
_MAX_PLANS = 8                  # per function; more patterns take the full path
_PLAIN_ANNOTATIONS = (A.Const, A.Active)
_SHADOW_ANNOTATIONS = (A.Duplicated, A.DuplicatedNoNeed)


def _plan_pattern(mode, f, ret_cls, args, values):
    """(pattern, per-argument recipes) of a call that passed the checks, or None when the call
    must always take the full path. A recipe is ("plain", cls) | ("val", cls, val_cls) |
    ("dup", cls, val_cls, dval_cls, to_float) | ("array", cls, val_cls, dval_cls)."""
    if len(args) > 32:
        return None
    recipes, flat = [], []
    for a in args[1:] if ret_cls is not None else args:
        cls = type(a)
        if cls in _PLAIN_ANNOTATIONS:
            recipes.append(("val", cls, type(a.val)))
            flat.append(a.val)
        elif cls in _SHADOW_ANNOTATIONS:
            x, dx = a.val, a.dval
            if isinstance(x, np.ndarray):
                if not isinstance(dx, np.ndarray):
                    return None
                recipes.append(("array", cls, type(x), type(dx)))
            else:
                to_float = _is_float(x) and isinstance(dx, (int, np.integer))
                recipes.append(("dup", cls, type(x), type(dx), to_float))
                dx = float(dx) if to_float else dx
            flat += [x, dx]
        elif isinstance(a, (type, A.Annotation)):
            return None
        else:
            recipes.append(("plain", cls))
            flat.append(a)
    if len(flat) != len(values) or any(
            u is not v and not (type(u) is float and type(v) is float and u == v)
            for u, v in zip(flat, values)):
        return None             # not what _flatten made: leave this pattern to the full path
    return (mode, ret_cls, len(args), tuple(recipes)), recipes


def _remember_plan(mode, f, ret_cls, kinds, args, values, t, lead) -> None:
    """After a successful full-path call: compile the plan of its pattern (see above)."""
    hit = _plan_keys.get(id(f))
    if hit is not None and hit[0] is f and len(hit[1]) >= _MAX_PLANS:
        return
    if mode.split or any(type(a) in (A.BatchDuplicated, A.MixedDuplicated) for a in args):
        return
    made = _plan_pattern(mode, f, ret_cls, args, values)
    if made is None:
        return
    pattern, recipes = made
    if hit is not None and hit[0] is f and pattern in hit[1]:
        return
    plan = _compile_plan(mode, f, ret_cls, kinds, len(args), recipes, values, t, lead)
    with _plans_lock:
        hit = _plan_keys.get(id(f))
        keys = hit[1] if hit is not None and hit[0] is f else frozenset()
        if pattern in keys or len(keys) >= _MAX_PLANS:
            return
        old = _plans.get(id(f))
        old = old[1] if old is not None and old[0] is f else ()
        _plan_keys[id(f)] = (f, keys | {pattern})
        _plans[id(f)] = (f, old + (plan,))


def _compile_plan(mode, f, ret_cls, kinds, nargs, recipes, values, t, lead):
    """The Python function ``plan(mode, args)`` of one pattern: the trampoline's result, or _MISS
    when the call does not have the pattern (or the full path must run for it). `lead`: the
    trampoline's leading arguments (a shared trampoline's descriptor address)."""
    g = {"MODE": mode, "RET": ret_cls, "F": f, "KINDS": kinds, "MISS": _MISS, "STATE": api._state,
         "ARRAY_RETURNING": _array_returning, "KEY": (id(f), mode.name, ret_cls, kinds),
         "ArrayReturnError": ArrayReturnError, "EnzpyError": EnzpyError,
         "FALLBACK": _array_return_fallback, "may_share_memory": np.may_share_memory,
         "SignatureMismatch": SignatureMismatch}
    names = [f"a{i}" for i in range(nargs)]
    first = 1 if ret_cls is not None else 0
    cls_checks = ["a0 is not RET"] if ret_cls is not None else []
    loads, val_checks, converts, array_checks, flat = [], [], [], [], []
    for i, r in enumerate(recipes):
        a = names[first + i]
        g[f"C{i}"] = r[1]
        cls_checks.append(f"type({a}) is not C{i}")
        if r[0] == "plain":
            flat.append(a)
            continue
        g[f"V{i}"] = r[2]
        loads.append(f"v{i} = {a}.val")
        val_checks.append(f"type(v{i}) is not V{i}")
        flat.append(f"v{i}")
        if r[0] == "val":
            continue
        g[f"D{i}"] = r[3]
        loads.append(f"d{i} = {a}.dval")
        val_checks.append(f"type(d{i}) is not D{i}")
        flat.append(f"d{i}")
        if r[0] == "dup" and r[4]:
            converts.append(f"d{i} = float(d{i})")
        elif r[0] == "array":
            # passes only when _check_shadow_array passes: a shadow at the primal's data pointer
            # shares its memory bounds (unless no bytes are involved: then the full path decides)
            array_checks.append(
                f"d{i}.shape != v{i}.shape or d{i}.dtype != v{i}.dtype or d{i}.strides != "
                f"v{i}.strides or not d{i}.flags.writeable or (d{i}.size and (not d{i}.itemsize "
                f"or may_share_memory(v{i}, d{i})))")
    g["T"] = t
    flat = [repr(v) for v in lead] + flat
    # values of fixed numba types: the plan may call the compiled specialization
    # (Dispatcher.get_overload) without numba's per-call argument typing
    if all(type(v) in FIXED_TYPE_CLASSES for v in values):
        try:                            # the compiled specialization itself
            g["T"] = t.get_overload(tuple(typeof(v) for v in (*lead, *values)))
        except Exception:               # noqa: BLE001 - not found: numba's dispatcher call
            pass
    body = ["def _enzpy_plan(mode, args):",
            f"    if mode is not MODE or len(args) != {nargs}:",
            "        return MISS"]
    if nargs:
        body.append(f"    {', '.join(names)}{',' if nargs == 1 else ''} = args")
    if cls_checks:
        body += [f"    if {' or '.join(cls_checks)}:", "        return MISS"]
    body += [f"    {line}" for line in loads]
    if val_checks:
        body += [f"    if {' or '.join(val_checks)}:", "        return MISS"]
    for c in array_checks:
        body += [f"    if {c}:", "        return MISS"]
    body += [f"    {line}" for line in converts]
    body += ['    if STATE["strict_aliasing"] or (ARRAY_RETURNING and',
             "                                    ARRAY_RETURNING.get(KEY) is F):",
             "        return MISS",
             "    try:",
             f"        return T({', '.join(flat)})",
             "    except ArrayReturnError as e:",
             "        return FALLBACK(e, MODE, F, RET, KINDS, args, False)",
             "    except SignatureMismatch:   # other argument types: the checked path",
             "        return MISS",
             "    except EnzpyError as e:",
             "        raise e.with_traceback(None) from None"]
    src = "\n".join(body) + "\n"
    exec(compile(src, f"<enzpy plan {_fname(f)} {mode.name}>", "exec"), g)
    plan = g["_enzpy_plan"]
    plan.source = src
    return plan


_copy_wrappers: dict = {}


def _copy_wrapper(f, nargs: int, ndim: int):
    """``w(out, *args)``: runs ``f(*args)`` and copies its array result into `out` (loops, so
    that no numba runtime helper is involved)."""
    key = (id(f), nargs, ndim)
    hit = _copy_wrappers.get(key)
    w = hit[1] if hit is not None and hit[0] is f else None
    if w is None:
        names = "".join(f", a{i}" for i in range(nargs))
        idx = ", ".join(f"i{d}" for d in range(ndim))
        lines = [f"def _enzpy_copy_result(out{names}):", f"    r = F({names[2:]})"]
        for d in range(ndim):
            lines.append("    " * (d + 1) + f"for i{d} in range(r.shape[{d}]):")
        lines.append("    " * (ndim + 1) + f"out[{idx}] = r[{idx}]")
        ns = {"F": serial_twin(f)}     # a parallel=True f would be linked in with its thread pool
        exec(compile("\n".join(lines) + "\n", f"<enzpy copy wrapper {ndim}-d>", "exec"), ns)
        w = njit(ns["_enzpy_copy_result"])
        _copy_wrappers[key] = (f, w)
    return w


def _run_array_return(mode, f, ret_cls, kinds, args):
    """Forward mode (and reverse mode with a Const result) for an f that returns an array:
    differentiate ``w(out, *args)``, which copies f's result into `out`. Returns None if f does
    not return an array for these arguments."""
    if ret_cls is not None and mode.direction == "reverse" and ret_cls is not A.Const:
        return None
    if ret_cls is A.Active:
        return None
    primals = [a.val if isinstance(a, A.Annotation) else a for a in
               (args[1:] if ret_cls is not None else args)]
    r = f(*primals)
    if not isinstance(r, np.ndarray) or r.dtype.kind != "f":
        return None
    out = np.zeros(r.shape, r.dtype)
    annotated = args[1:] if ret_cls is not None else args
    # batch mode: the result takes N shadows too (one per direction), returned as an N-tuple
    width = next((len(a.dvals) for a in annotated if type(a) is A.BatchDuplicated), 0)
    if width:
        dout = tuple(np.zeros(r.shape, r.dtype) for _ in range(width))
        shadowed = A.BatchDuplicated(out, dout)
    else:
        dout = np.zeros(r.shape, r.dtype)
        shadowed = A.Duplicated(out, dout)
    w = _copy_wrapper(f, len(primals), r.ndim)
    res = _run(mode, w, (A.Const, shadowed) + tuple(annotated))
    if mode.direction == "forward":
        want_tangent = ret_cls is not A.Const
        return ((out,) if mode.with_primal else ()) + ((dout,) if want_tangent else ())
    adjs = res[-1][1:]
    return (out, adjs) if mode.with_primal else (adjs,)


# ----------------------------------------------------------------------------- public API
def autodiff(mode, f, *args):
    """Differentiate the ``@njit`` function `f`: ``autodiff(mode, f, [ReturnAnnotation], *args)``.

    Each argument is annotated (``Const(x)``, ``Active(x)``, ``Duplicated(x, dx)``,
    ``DuplicatedNoNeed(x, dx)``; a bare value is ``Const``; `f` may be given as ``Const(f)``).
    The return annotation is optional: ``Active`` for a float result in reverse mode,
    ``Duplicated`` for a float (or tuple of floats) result in forward mode, ``Const`` for a result
    without a derivative (None, ints); any other result that carries a derivative (reverse mode: a
    tuple or an array; forward mode: a tuple holding an array) raises EnzpyTypeError asking for
    an explicit annotation rather than silently dropping the derivative.

    Returns (as in Enzyme.jl, primal first for the WithPrimal modes):

    * ``Reverse``: ``((adjoint or None for each argument),)``; shadows of ``Duplicated`` arrays
      have the gradient *added* to them;
    * ``ReverseWithPrimal``: ``(primal, (adjoints...))``;
    * ``Forward``: ``(tangent of the result,)``, or ``()`` when the result is Const / None;
    * ``ForwardWithPrimal``: ``(primal, tangent)``.

    >>> import numba, numpy as np
    >>> from enzpy import autodiff, Reverse, ReverseWithPrimal, Forward, Active, Duplicated, Const
    >>> @numba.njit
    ... def f(x):
    ...     return x * x
    >>> autodiff(Reverse, f, Active, Active(3.0))
    ((6.0,),)
    >>> autodiff(ReverseWithPrimal, f, Active, Active(3.0))
    (9.0, (6.0,))
    >>> autodiff(Forward, f, Duplicated(3.0, 1.0))
    (6.0,)
    >>> @numba.njit
    ... def g(a):
    ...     return (a ** 2).sum()
    >>> a, da = np.array([1.0, 2.0, 3.0]), np.zeros(3)
    >>> autodiff(Reverse, g, Active, Duplicated(a, da)); da
    ((None,),)
    array([2., 4., 6.])

    Works inside ``@njit`` code as well (same arguments, same results).
    """
    return _run(mode, f, args)


def autodiff_deferred(mode, f, *args):
    """Same as :func:`autodiff` on the CPU (in Enzyme.jl it defers compilation for GPU kernels).

    >>> import numba
    >>> from enzpy import autodiff_deferred, Reverse, Active
    >>> autodiff_deferred(Reverse, numba.njit(lambda x: x * x), Active, Active(3.0))
    ((6.0,),)
    """
    return _run(mode, f, args)


def autodiff_seeded(mode, f, seed, *args):
    """Reverse mode with an explicit adjoint seed for the result (a float, or a tuple of floats
    for a tuple result): the adjoints are ``seed``-weighted, i.e. a vector-Jacobian product."""
    return _run(mode, f, args, seed, seeded=True)


for _fn in (autodiff, autodiff_deferred):
    def _make_overload(fn):
        @overload(fn, prefer_literal=False)
        def _ol(mode, f, *args):
            if _is_const_function(f):       # Const(f), as in Enzyme.jl
                def impl(mode, f, *args):
                    return autodiff_call(mode, f.val, None, args)
                return impl

            def impl(mode, f, *args):
                return autodiff_call(mode, f, None, args)
            return impl
    _make_overload(_fn)


def _is_const_function(ty) -> bool:
    """Whether numba type `ty` is ``Const(f)`` of a function (njit code)."""
    from ._numba_types import AnnotationType
    return isinstance(ty, AnnotationType) and ty.kind == "Const" and isinstance(
        ty.val_type, types.Dispatcher)


@overload(autodiff_seeded)
def _ol_seeded(mode, f, seed, *args):
    if _is_const_function(f):
        def impl(mode, f, seed, *args):
            return autodiff_call(mode, f.val, seed, args)
        return impl

    def impl(mode, f, seed, *args):
        return autodiff_call(mode, f, seed, args)
    return impl


class Thunk:
    """A differentiated function ready to be called: ``thunk(f, *args[, seed])``.

    Returned by :func:`autodiff_thunk` for the combined modes; calling it is ``autodiff(mode, f,
    RetAnnotation, *args)`` with the arguments checked against the annotation types given.
    """

    def __init__(self, mode, f, ret, specs):
        self.mode, self.f, self.ret, self.specs = mode, f, ret, tuple(specs)

    def __repr__(self) -> str:
        ret = "" if self.ret is None else f"{self.ret.__name__}, "
        return f"autodiff_thunk({self.mode}, {_fname(self.f)}, {ret}{', '.join(map(repr, self.specs))})"

    def check(self, f, args) -> tuple:
        """Checks `f` and the annotated `args` against the thunk; returns the arguments with the
        return annotation in front (what :func:`autodiff` takes after `f`)."""
        f = f.val if isinstance(f, A.Const) else f
        if f is not self.f:
            raise EnzpyTypeError(f"enzpy: this thunk was made for {_fname(self.f)}")
        if len(args) != len(self.specs):
            raise EnzpyTypeError(f"enzpy: the thunk takes {len(self.specs)} annotated arguments, "
                                 f"{len(args)} given")
        for i, (spec, a) in enumerate(zip(self.specs, args)):
            cls = spec.annotation if isinstance(spec, A.AnnotationSpec) else spec
            if type(a) is not cls:
                raise EnzpyTypeError(f"enzpy: thunk argument {i} must be {cls.__name__}(...), "
                                     f"got {a!r}")
            if isinstance(spec, A.AnnotationSpec):
                got, want = typeof(a.val), spec.numba_type
                if got != want and not (
                        isinstance(got, types.Array) and isinstance(want, types.Array)
                        and got.copy(layout="A") == want.copy(layout="A")):
                    raise EnzpyTypeError(f"enzpy: thunk argument {i} must hold a "
                                         f"{spec.numba_type}, got {got}")
        return tuple([] if self.ret is None else [self.ret]) + tuple(args)

    def flatten(self, args):
        """(return annotation, kinds, flat values) of checked arguments (see :func:`_flatten`)."""
        return _flatten(self.mode, self.f, args)

    def __call__(self, f, *args):
        seeded = len(args) == len(self.specs) + 1
        seed = args[-1] if seeded else None
        args = self.check(f, args[:len(self.specs)] if seeded else args)
        if seeded:
            return _run(self.mode, self.f, args, seed, seeded=True)
        return _run(self.mode, self.f, args)


def autodiff_thunk(mode, f, ret=None, *arg_annotations):
    """``autodiff_thunk(mode, f, RetAnnotation, *ArgAnnotations)``: a reusable derivative.

    For ``Forward``/``ForwardWithPrimal``/``Reverse``/``ReverseWithPrimal`` it returns a
    :class:`Thunk` callable as ``thunk(Const(f), *args)`` (reverse mode with an Active return
    also takes the result's seed last). Annotations may carry numba types,
    ``Duplicated[numba.float64[::1]]``, which the thunk checks.

    ``ReverseSplitWithPrimal`` returns the pair ``(fwd, rev)`` of split mode:
    ``tape, primal, shadow = fwd(Const(f), *args)`` runs the primal and records what the reverse
    pass needs; ``rev(Const(f), *args, seed, tape)`` (no seed for a Const return) returns the
    adjoint tuple and frees the tape. A tape serves one reverse pass.

    >>> import numba
    >>> from enzpy import autodiff_thunk, Reverse, ReverseSplitWithPrimal, Active, Const
    >>> sq = numba.njit(lambda x: x * x)
    >>> thunk = autodiff_thunk(Reverse, sq, Active, Active[numba.float64])
    >>> thunk(Const(sq), Active(3.0), 2.0)
    ((12.0,),)
    >>> fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, sq, Active, Active[numba.float64])
    >>> tape, primal, shadow = fwd(Const(sq), Active(3.0))
    >>> primal, rev(Const(sq), Active(3.0), 1.0, tape)
    (9.0, ((6.0,),))
    """
    if not isinstance(mode, Mode) or not mode.split:
        _check_mode(mode)
    f = f.val if isinstance(f, A.Const) else f
    if isinstance(f, A.AnnotationSpec) and f.annotation is A.Const:    # Const[f], as in the card
        f = f.numba_type
    _check_function(f)
    if isinstance(ret, A.AnnotationSpec):
        ret = ret.annotation
    if ret is not None and not (isinstance(ret, type) and issubclass(ret, A.Annotation)):
        raise EnzpyTypeError(f"enzpy: the return annotation must be Active, Const or "
                             f"Duplicated, got {ret!r}")
    thunk = Thunk(mode, f, ret, arg_annotations)
    if mode.split:
        from ._split import SplitForward, SplitReverse
        return SplitForward(thunk, False), SplitReverse(thunk, True)
    return thunk


__all__ = ["autodiff", "autodiff_deferred", "autodiff_thunk", "autodiff_seeded", "Thunk"]
