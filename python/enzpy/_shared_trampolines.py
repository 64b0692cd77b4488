"""Calls from Python through trampolines shared by every function: no numba compile per derivative.

The per-function trampoline of :mod:`._autodiff` (``autodiff_call(MODE, F, ...)`` with ``F`` a
global) costs a numba compile per differentiated function, and numba's engine keeps every module it
compiled: about 1 MB per fresh derivative. Here instead:

* the derivative is compiled to machine code by the core's JIT
  (:func:`._numba_derivative.machine_code`), which frees its IR once the code is made;
* the call goes through one njit trampoline per (mode, return annotation, annotation pattern,
  primal return type), shared by all functions, which numba specializes per argument types::

      def _enzpy_shared_trampoline(desc, v0, v1, v2):
          return autodiff_call_at(MODE, R, desc, None, (Active, Active(v0), Duplicated(v1, v2)))

  ``desc`` is the address of the pair (signature id, derivative address) of one (function,
  argument types); the trampoline checks the id against its own argument types and calls the
  address (:func:`._numba_intrinsic.autodiff_call_at`).

The pair is found from the argument types the Python side computes with numba's ``typeof`` (the
checked path, once per call pattern); the fast path of :mod:`._autodiff` remembers it, and the
trampoline's check sends a call with other types back to the checked path. A function the JIT
cannot take (``cache=True``: its derivative goes into numba's on-disk cache; strict aliasing; an
external symbol the JIT cannot find) keeps the per-function trampoline.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from numba import njit, typeof
from numba.core import types
from numba.core.registry import cpu_target

from . import annotations as A
from ._disk_cache import caching_enabled
from ._numba_derivative import get_derivative, get_split_derivative, machine_code
from ._numba_intrinsic import (SignatureMismatch, _typed_request, _val_types, autodiff_call_at,
                               signature_id, split_forward_call_at, split_reverse_call_at)
from ._numba_primal import get_primal
from ._numba_types import FIXED_TYPE_CLASSES, AnnotationType, ModeType


@dataclass(frozen=True)
class Entry:
    """How to call the derivative of one (function, mode, annotations, argument types)."""
    trampoline: object      # the shared njit trampoline (split mode: None, see split_trampoline)
    desc: np.ndarray        # uint64 (signature id, entry addresses...); kept alive here
    address: int            # of desc: the trampoline's first argument
    restype: object = None  # the primal's return type


_entries: dict = {}         # (id(f), mode, ret class, kinds, seeded, types) -> (f, Entry or None)
_trampolines: dict = {}     # (mode, ret class, kinds, seeded, return type) -> njit trampoline
_descriptors: list = []     # every descriptor made (16 bytes each)
_lock = threading.Lock()


def _type_key(v):
    """What determines numba's type of `v`, cheaply (numba's ``typeof`` of an array takes about
    9 µs, this about 1 µs): the class of a fixed-type scalar; an array's dtype, dimensions,
    layout, writeability and alignment; a tuple's members. Anything else: numba's type itself."""
    cls = type(v)
    if cls in FIXED_TYPE_CLASSES:
        return cls
    if cls is np.ndarray:
        fl = v.flags
        return (v.dtype, v.ndim, fl.c_contiguous, fl.f_contiguous, fl.writeable, fl.aligned)
    if cls is tuple:
        return (tuple,) + tuple(_type_key(m) for m in v)
    return types.unliteral(typeof(v))


def entry_for(mode, f, ret_cls, kinds: tuple, values: list, seeded: bool, split=False):
    """The Entry for a checked call (`values` flat, the seed last when `seeded`), or None when
    this call takes the per-function trampoline. Raises what typing the call would raise.

    Entries are found by the values' type keys (:func:`_type_key`); should two values of one key
    get different numba types, the trampoline's signature check still sends the call back (see
    :func:`forget`)."""
    try:
        key = (id(f), mode.name, ret_cls, kinds, seeded, split, tuple(map(_type_key, values)))
    except (ValueError, TypeError):         # not a value numba can type: numba's error it is
        return None
    hit = _entries.get(key)
    if hit is not None and hit[0] is f:
        return hit[1]
    try:
        argtypes = tuple(types.unliteral(typeof(v)) for v in values)
    except (ValueError, TypeError):
        return None
    entry = None if caching_enabled(f) else _make_entry(mode, f, ret_cls, kinds, argtypes, seeded,
                                                         split)
    with _lock:     # another thread may have made one meanwhile: every caller gets the first
        hit = _entries.get(key)
        if hit is not None and hit[0] is f:
            return hit[1]
        _entries[key] = (f, entry)
    return entry


def split_entry_for(mode, f, ret_cls, kinds: tuple, values: list):
    """The Entry of the split pair for checked arguments `values` (flat, no seed or tape), or None
    when this call takes the per-function split trampolines."""
    return entry_for(mode, f, ret_cls, kinds, values, False, split=True)


def forget(mode, f, ret_cls, kinds: tuple, values: list, seeded: bool, split=False) -> None:
    """This pattern's calls take the per-function trampoline from now on (its shared trampoline
    did not accept the derivative: the Python side and numba typed the arguments differently)."""
    key = (id(f), mode.name, ret_cls, kinds, seeded, split, tuple(map(_type_key, values)))
    with _lock:
        _entries[key] = (f, None)


def _make_entry(mode, f, ret_cls, kinds, argtypes, seeded, split):
    plan = _plan(mode, f, ret_cls, kinds, argtypes, seeded, split)
    primal = get_primal(f, _val_types(plan))
    deriv = get_split_derivative(primal, plan) if split else get_derivative(primal, plan)
    addresses = machine_code(deriv)
    if not addresses:
        return None
    # split pairs: one more word, where the reverse half parks its tape buffer for the next forward half
    desc = np.array([signature_id(plan, split), *addresses] + ([0] if split else []), dtype=np.uint64)
    _descriptors.append(desc)       # plans of the fast path hold its address: never freed
    t = None if split else _trampoline(mode, ret_cls, kinds, seeded, plan.restype)
    return Entry(t, desc, desc.ctypes.data, plan.restype)


def _plan(mode, f, ret_cls, kinds, argtypes, seeded, split=False):
    """The plan numba's typing of ``autodiff_call(mode, f, ...)`` would make for these types
    (same checks, same messages)."""
    typing = cpu_target.typing_context
    members, i = [], 0
    if ret_cls is not None:
        typing.refresh()        # the annotation classes are typed through registered templates
        members.append(typing.resolve_value_type(ret_cls))
    for k in kinds:
        if k == "plain":
            members.append(argtypes[i])
            i += 1
        elif A.ANNOTATIONS[k].has_shadow:
            members.append(AnnotationType(k, argtypes[i], argtypes[i + 1]))
            i += 2
        else:
            members.append(AnnotationType(k, argtypes[i]))
            i += 1
    seed = argtypes[-1] if seeded else types.none
    plan, _ = _typed_request(ModeType(mode.name), types.Dispatcher(f), seed,
                             types.Tuple(members), split=split)
    return plan


def _trampoline(mode, ret_cls, kinds, seeded, restype):
    params, tup = _annotated(ret_cls, kinds)
    seed = "seed" if seeded else "None"
    return _compiled((mode.name, ret_cls, kinds, seeded, restype), mode, restype,
                     params + (["seed"] if seeded else []),
                     f"autodiff_call_at(MODE, R, desc, {seed}, {tup})")


def split_trampoline(mode, ret_cls, kinds, seeded: bool, reverse: bool, restype):
    """The shared njit trampoline of one half of split mode: ``t(desc, *values) -> (tape address,
    primal)`` or, reverse, ``t(desc, *values[, seed], tape) -> (adjoints,)``."""
    params, tup = _annotated(ret_cls, kinds)
    if reverse:
        seed = "seed" if seeded else "None"
        return _compiled((mode.name, ret_cls, kinds, seeded, "reverse", restype), mode, restype,
                         params + (["seed", "tape"] if seeded else ["tape"]),
                         f"split_reverse_call_at(MODE, R, desc, {seed}, tape, {tup})")
    return _compiled((mode.name, ret_cls, kinds, "forward", restype), mode, restype, params,
                     f"split_forward_call_at(MODE, R, desc, {tup})")


def _annotated(ret_cls, kinds):
    from ._autodiff import annotated_source
    return annotated_source(ret_cls, kinds)


def _compiled(key, mode, restype, params, call):
    """The njit function ``_enzpy_shared_trampoline(desc, *params): return <call>`` (once per
    key); numba specializes it per argument types."""
    with _lock:
        t = _trampolines.get(key)
        if t is not None:
            return t
        src = (f"def _enzpy_shared_trampoline(desc, {', '.join(params)}):\n"
               f"    return {call}\n")
        ns = dict(A.ANNOTATIONS, autodiff_call_at=autodiff_call_at, MODE=mode, R=restype,
                  split_forward_call_at=split_forward_call_at,
                  split_reverse_call_at=split_reverse_call_at)
        exec(compile(src, f"<enzpy shared trampoline {key}>", "exec"), ns)
        t = _trampolines[key] = njit(ns["_enzpy_shared_trampoline"])
        return t


__all__ = ["Entry", "entry_for", "split_entry_for", "split_trampoline", "forget",
           "SignatureMismatch"]
