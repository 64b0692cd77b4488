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
import threading

from numba import njit

from . import annotations as A
from . import api
from ._errors import EnzpyError, EnzpyTypeError
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

    __slots__ = ("_addr", "_owner", "_nbytes")

    def __init__(self, addr: int, owner):
        self._addr, self._owner = addr, owner
        self._nbytes = ctypes.c_int64.from_address(addr + 8).value

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
        return Tape(addr, p), primal, None


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
