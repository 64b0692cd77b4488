"""Split reverse mode from Python: ``fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, f, ...)``.

``fwd(Const(f), *args)`` runs the augmented forward sweep (the primal, recording what the reverse
sweep needs on a heap tape) and returns ``(tape, primal, shadow)``; ``rev(Const(f), *args[, seed],
tape)`` runs the reverse sweep from the tape and returns the adjoint tuple, as ``autodiff(Reverse,
...)`` does. The two halves come from one core request: compiled by the core's JIT and called
through trampolines shared by all functions (``split_forward_call_at`` / ``split_reverse_call_at``,
:mod:`._shared_trampolines`), or, where the JIT does not serve (strict aliasing, ``cache=True``),
per-function njit trampolines over ``split_forward_call`` / ``split_reverse_call``
(:mod:`._numba_intrinsic`).

The tape is ``{ptr data, i64 size, i64 capacity}`` allocated with ``calloc``; the reverse sweep
frees it. A :class:`Tape` object owns it until then: a second use is an error, and a tape that is
never reversed is freed when the object is collected.
"""
from __future__ import annotations

import ctypes
import math
import threading

import numpy as np
from numba import njit, typeof
from numba.core import types

from . import annotations as A
from . import api
from ._errors import EnzpyError, EnzpyTypeError, EnzpyValueError
from . import _shared_trampolines as shared
from ._numba_intrinsic import SignatureMismatch, split_forward_call, split_reverse_call

_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]
_libc.free.restype = None


def _free_tape(addr: int, _word=ctypes.c_void_p.from_address, _free=_libc.free) -> None:
    # (bound as defaults: a tape collected at interpreter exit may outlive this module's globals)
    data = _word(addr).value
    if data:
        _free(data)
    _free(addr)


class Tape:
    """What the augmented forward sweep recorded for the reverse sweep. Use it once, in the
    ``rev`` of the same thunk pair; it is freed by that call (or when collected unused)."""

    __slots__ = ("_addr", "_owner", "_nbytes", "_key", "_kinds")

    def __init__(self, addr: int, owner, key=None, kinds=None):
        self._addr, self._owner = addr, owner
        self._nbytes = ctypes.c_int64.from_address(addr + 8).value
        self._key, self._kinds = key, kinds     # what it was recorded for (see _tape_key)

    @property
    def nbytes(self) -> int:
        """Bytes the augmented forward sweep recorded (values cached for the reverse sweep)."""
        return self._nbytes

    @property
    def used(self) -> bool:
        return self._addr == 0

    def __repr__(self) -> str:
        state = "used" if self.used else f"{self._nbytes} bytes"
        return f"<enzpy Tape of {self._owner}: {state}>"

    def _take(self, owner) -> int:
        if self._owner is not owner:
            raise EnzpyTypeError(f"enzpy: this tape was made by the forward pass of {self._owner}, "
                                 f"not of {owner}")
        if self._addr == 0:
            raise EnzpyError("enzpy: this tape was already used by a reverse pass (a tape serves "
                             "exactly one reverse pass: run the forward pass again)")
        return self._addr

    def _consumed(self) -> None:
        self._addr = 0

    def __del__(self):
        addr, self._addr = self._addr, 0
        if addr:
            _free_tape(addr)


# ----------------------------------------------------------------------------- tape keys
# The reverse sweep reads the tape with the layout the forward sweep wrote it in, and that layout
# depends on the arguments: their numba types (which derivative was compiled), array shapes and
# strides (trip counts: how many values each loop recorded) and scalar values (loop bounds,
# branches). A tape remembers them (one key per flat value) and ``rev`` compares its own
# arguments' keys: a call with other arguments would read the tape out of bounds or as other
# types. Array contents are not compared (the reverse sweep reads what it needs from the tape).
_ARRAY = np.ndarray
_SCALARS = frozenset([float, int, bool, complex, np.float64, np.float32, np.complex128,
                      np.complex64, np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8,
                      np.uint16, np.uint32, np.uint64])

_CANONICAL = {np.float64: float, np.bool_: bool, np.int64: int, np.complex128: complex}  # same type


def _value_key(v):
    cls = type(v)
    if cls is _ARRAY:
        fl = v.flags
        return (v.dtype, v.shape, v.strides, fl.writeable, fl.aligned)
    if cls in _SCALARS:
        return (_CANONICAL.get(cls, cls), v)
    if isinstance(v, np.ndarray):       # a subclass
        return (v.dtype, v.shape, v.strides, v.flags.writeable, v.flags.aligned, cls)
    if isinstance(v, tuple):            # tuples, namedtuples (their class is part of the type)
        return (cls,) + tuple(map(_value_key, v))
    if isinstance(v, list) or type(v).__name__ == "List":    # reflected or typed lists
        return (cls, len(v)) + tuple(map(_value_key, v))
    if v is None or cls is str:
        return (cls, v)
    try:
        return (cls, types.unliteral(typeof(v)))
    except (ValueError, TypeError):
        return (cls, id(v))


def _tape_key(values) -> tuple:
    return tuple(map(_value_key, values))


def _same_key(a, b) -> bool:
    """Key equality where a NaN equals a NaN (float scalars are compared by value)."""
    if a == b:
        return True
    if type(a) is not tuple or type(b) is not tuple:
        return isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)
    return len(a) == len(b) and all(_same_key(x, y) for x, y in zip(a, b))


def _describe(key) -> str:
    cls = key[0]
    if isinstance(cls, np.dtype):
        dtype, shape, strides, writeable, aligned = key[:5]
        extra = ("" if writeable else ", read-only") + ("" if aligned else ", unaligned")
        return f"a {dtype} array of shape {shape} and strides {strides}{extra}"
    if cls in _SCALARS or cls is str or cls is type(None):
        return f"{cls.__name__} {key[1]!r}"
    if issubclass(cls, tuple):
        return f"a {cls.__name__} of {len(key) - 1} ({', '.join(map(_describe, key[1:]))})"
    if issubclass(cls, list) or cls.__name__ == "List":
        return f"a {cls.__name__} of {key[1]} items"
    return f"a {cls.__name__} of numba type {key[1]}"


def _same_type(a, b) -> bool:
    """Whether two keys that differ describe values of the same numba type (then they differ in
    shape, strides or value)."""
    if type(a) is not tuple or type(b) is not tuple or not a or not b:
        return type(a) is type(b)
    if isinstance(a[0], np.dtype) or isinstance(b[0], np.dtype):
        return (isinstance(a[0], np.dtype) and isinstance(b[0], np.dtype) and a[0] == b[0]
                and len(a[1]) == len(b[1]) and a[3:] == b[3:] and _layout(a) == _layout(b))
    if a[0] is not b[0]:
        return False
    if issubclass(a[0], tuple):
        return len(a) == len(b) and all(_same_type(x, y) for x, y in zip(a[1:], b[1:]))
    if issubclass(a[0], list) or a[0].__name__ == "List":
        return all(_same_type(x, y) for x, y in zip(a[2:3], b[2:3]))
    if a[0] is int:                     # numba types a Python int by its value
        return typeof(a[1]) == typeof(b[1])
    return a[0] in _SCALARS or a[0] is str or a == b


def _layout(key) -> str:
    dtype, shape, strides = key[:3]
    probe = np.lib.stride_tricks.as_strided(np.empty(1, dtype), shape=shape, strides=strides)
    return typeof(probe).layout if probe.size else "?"


def _check_tape_key(f, tape, kinds, values) -> None:
    """rev's arguments must be those the tape was recorded for: else an error naming the first
    argument that differs (EnzpyTypeError for another type, EnzpyValueError for another shape,
    strides or value)."""
    from ._autodiff import _fname, _param_names
    key = _tape_key(values)
    if _same_key(key, tape._key) or tape._key is None:
        return
    if kinds != tape._kinds:
        raise EnzpyTypeError(f"enzpy: {_fname(f)}: this tape was recorded for other annotations "
                             "of the arguments; the reverse pass takes the arguments the forward "
                             "pass was given")
    names = _param_names(f, len(kinds))
    i = 0
    for name, kind in zip(names, kinds):
        n = 2 if kind != "plain" and A.ANNOTATIONS[kind].has_shadow else 1
        for j in range(i, i + n):
            got, want = key[j], tape._key[j]
            if _same_key(got, want):
                continue
            what = "" if j == i else "the shadow of "
            msg = (f"enzpy: {_fname(f)}, argument {name!r}: this tape was recorded for "
                   f"{what}{_describe(want)}, the reverse pass got {_describe(got)}; the reverse "
                   "pass takes the arguments the forward pass was given (run the forward pass "
                   "again for these)")
            raise (EnzpyValueError if _same_type(got, want) else EnzpyTypeError)(msg)
        i += n


_trampolines: dict = {}
_lock = threading.Lock()


def _split_trampoline(f, mode, ret_cls, kinds: tuple, seeded: bool, reverse: bool):
    from ._autodiff import annotated_source
    key = (id(f), ret_cls, kinds, seeded, reverse, api.options()["strict_aliasing"])
    hit = _trampolines.get(key)
    if hit is not None and hit[0] is f:
        return hit[1]
    params, tup = annotated_source(ret_cls, kinds)
    if reverse:
        params += ["seed", "tape"] if seeded else ["tape"]
        body = f"split_reverse_call(MODE, F, {'seed' if seeded else 'None'}, tape, {tup})"
    else:
        body = f"split_forward_call(MODE, F, {tup})"
    src = f"def _enzpy_split({', '.join(params)}):\n    return {body}\n"
    ns = dict(A.ANNOTATIONS, split_forward_call=split_forward_call,
              split_reverse_call=split_reverse_call, MODE=mode, F=f)
    exec(compile(src, f"<enzpy split {'reverse' if reverse else 'forward'}>", "exec"), ns)
    t = njit(ns["_enzpy_split"])
    with _lock:
        _trampolines[key] = (f, t)
    return t


def _callee(pair, ret_cls, kinds, values, seeded: bool, reverse: bool):
    """(njit trampoline, its leading arguments) of one half: the shared split trampoline and the
    pair's descriptor (both halves compiled by the core's JIT, see :mod:`._shared_trampolines`),
    or f's own trampoline (strict aliasing, ``cache=True``, or what the JIT cannot take)."""
    if not api.options()["strict_aliasing"]:
        entry = shared.split_entry_for(pair.mode, pair.f, ret_cls, kinds, values)
        if entry is not None:
            return shared.split_trampoline(pair.mode, ret_cls, kinds, seeded, reverse,
                                           entry.restype), (entry.address,)
    return _split_trampoline(pair.f, pair.mode, ret_cls, kinds, seeded, reverse), ()


def _check_aliasing(f, values) -> None:
    if api.options()["strict_aliasing"]:
        from ._autodiff import _check_no_overlap
        _check_no_overlap(f, values)


class _SplitHalf:
    def __init__(self, thunk_pair, reverse: bool):
        self._pair, self._reverse = thunk_pair, reverse

    def __repr__(self) -> str:
        return f"{'reverse' if self._reverse else 'forward'} half of {self._pair}"


class SplitForward(_SplitHalf):
    """``fwd(Const(f), *args) -> (tape, primal, shadow)``; `shadow` is None (an Active or Const
    result has no shadow memory)."""

    def __call__(self, f, *args):
        p = self._pair
        flat_args = p.check(f, args)
        ret_cls, kinds, values = p.flatten(flat_args)
        _check_aliasing(p.f, values)
        try:
            t, lead = _callee(p, ret_cls, kinds, values, False, False)
            addr, primal = t(*lead, *values)
        except SignatureMismatch:       # numba typed the values unlike typeof: f's own trampolines
            shared.forget(p.mode, p.f, ret_cls, kinds, values, False, split=True)
            return self(f, *args)
        except EnzpyError as e:
            raise e.with_traceback(None) from None
        return Tape(addr, p, _tape_key(values), kinds), primal, None


class SplitReverse(_SplitHalf):
    """``rev(Const(f), *args[, seed], tape) -> ((adjoint or None per argument),)``; the seed (the
    adjoint of the result) comes before the tape when the return annotation is Active."""

    def __call__(self, f, *args):
        p, given = self._pair, args
        if not args or not isinstance(args[-1], Tape):
            raise EnzpyTypeError("enzpy: the reverse pass takes the tape returned by the forward "
                                 "pass as its last argument")
        tape, args = args[-1], args[:-1]
        seeded = p.ret is A.Active
        if seeded:
            if len(args) != len(p.specs) + 1:
                raise EnzpyTypeError(f"enzpy: the reverse pass takes {len(p.specs)} annotated "
                                     "arguments, then the adjoint seed of the result (e.g. 1.0), "
                                     f"then the tape; got {len(args) + 1} arguments")
            seed, args = float(args[-1]), args[:-1]
        addr = tape._take(p)
        flat_args = p.check(f, args)
        ret_cls, kinds, values = p.flatten(flat_args)
        if _tape_key(values) != tape._key:      # (the full check: a NaN equals a NaN)
            _check_tape_key(p.f, tape, kinds, values)
        _check_aliasing(p.f, values)
        try:
            t, lead = _callee(p, ret_cls, kinds, values, seeded, True)
            res = t(*lead, *values, *([seed, addr] if seeded else [addr]))
        except SignatureMismatch:       # the tape was not used: f's own trampolines
            shared.forget(p.mode, p.f, ret_cls, kinds, values, False, split=True)
            return self(f, *given)
        except EnzpyError as e:
            raise e.with_traceback(None) from None
        tape._consumed()
        return res


__all__ = ["Tape", "SplitForward", "SplitReverse"]
