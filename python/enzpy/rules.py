"""Custom derivatives (the card's EnzymeRules) for ``@njit`` functions.

Register, for an njit function ``g``, rules written as njit functions; wherever ``g`` is called
inside differentiated code (also deep inside callees), the pass calls the rule instead of
differentiating ``g``'s body (which may be a table lookup, an iterative solver, a call into
something the pass cannot see)::

    rules.forward(g, g_fwd)                 # g_fwd(x1..xn, dx1..dxn) -> (y, dy)
    rules.reverse(g, g_aug, g_rev)          # g_aug(x1..xn) -> (y, tape)
                                            # g_rev(x1..xn, tape, dy) -> (dx1, ..., dxn)
    rules.import_jvp(g, jvp)                # JAX custom_jvp shape: jvp(primals, tangents) -> (y, dy)
    rules.import_vjp(g, fwd, bwd)           # JAX custom_vjp shape: fwd(x1..xn) -> (y, residuals)
                                            #                       bwd(residuals, dy) -> (dx1..dxn)
    rules.inactive(log_call)                # calls carry no derivative

What a rule target may be: arguments that are floats, float arrays or integers (constants), a
float result. Tangents and cotangents follow the arguments: a float for a float, an array of the
same shape for an array (a reverse rule *returns* the array cotangent; enzpy adds it into the
argument's shadow), anything (ignored) for an integer. The rule's ``tape`` / ``residuals`` may be
any numba value (floats, tuples, arrays).

Register rules before the functions that call ``g`` are first compiled: numba inlines small
functions into their callers, so enzpy marks rule targets ``noinline`` from registration on (a
caller compiled earlier keeps its inlined copy: call ``caller.recompile()``).
"""
from __future__ import annotations

import inspect
import threading

import numpy as np
import warnings

from numba import njit
from numba.core import types
from numba.core.base import BaseContext
from numba.core.dispatcher import Dispatcher

from ._errors import EnzpyError, EnzpyTypeError


class Rule:
    """The registered derivative of one njit function (any of forward / reverse / inactive)."""

    def __init__(self, target):
        self.target = target
        self.forward = None          # njit glue (x..., dx...) -> (y, dy)
        self.augmented = None        # njit glue (x...) -> (y, tape)
        self.reverse = None          # njit glue (x..., dshadow..., tape, dy) -> float cotangents
        self.inactive = False
        self.sources = {}            # kind -> the user's functions, for messages


_rules: dict = {}           # id(dispatcher) -> (dispatcher, Rule)
_lock = threading.RLock()
_version = [0]              # bumped at each registration: part of every derivative's cache key
_noinline: set = set()      # (module, qualname) of rule targets


def _name(f) -> str:
    fn = getattr(f, "py_func", f)
    return getattr(fn, "__qualname__", repr(fn))


def _check_njit(f, role: str) -> None:
    if not isinstance(f, Dispatcher):
        raise EnzpyTypeError(f"enzpy.rules: {role} {_name(f)} must be a numba.njit function")


def _arity(f, role: str, want: int, target) -> None:
    try:
        params = list(inspect.signature(f.py_func).parameters.values())
    except (TypeError, ValueError):
        return
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        return
    if len(params) != want:
        raise EnzpyTypeError(f"enzpy.rules: the {role} {_name(f)} takes {len(params)} arguments; "
                             f"for {_name(target)} with {_nargs(target)} arguments it must take "
                             f"{want}")


def _nargs(target) -> int:
    return len(inspect.signature(target.py_func).parameters)


def _rule_for(target) -> Rule:
    _check_njit(target, "the function")
    hit = _rules.get(id(target))
    if hit is None or hit[0] is not target:
        hit = _rules[id(target)] = (target, Rule(target))
        fn = target.py_func
        _noinline.add((fn.__module__, fn.__qualname__))
        if target.overloads:       # already compiled: compile again, now noinline
            target.recompile()
            warnings.warn(f"enzpy.rules: {_name(target)} was compiled before its rule was "
                          "registered; functions compiled since then that call it may have it "
                          "inlined and ignore the rule: register rules first, or call "
                          "their .recompile()", stacklevel=3)
    _bump()
    return hit[1]


def _bump() -> None:
    """A rule changed: derivatives built from now on see it. The Python entry points' compiled
    trampolines (and their fast-path plans) link the derivatives of the old rules: drop them."""
    _version[0] += 1
    from . import _autodiff, _split
    with _autodiff._tramp_lock, _autodiff._plans_lock:
        _autodiff._trampolines.clear()
        _autodiff._plans.clear()
    with _split._lock:
        _split._trampolines.clear()


def _glue(src: str, **names):
    ns = dict(names)
    exec(compile(src, "<enzpy rule glue>", "exec"), ns)
    return njit(ns["glue"])


def _params(n: int, prefix: str):
    return [f"{prefix}{i}" for i in range(n)]


def forward(target, rule):
    """Register ``rule(x1, ..., xn, dx1, ..., dxn) -> (y, dy)`` as the forward-mode derivative of
    the njit function `target` (``dxk`` is the tangent of ``xk``: 0.0 / zeros when constant)."""
    _check_njit(rule, "forward rule")
    n = _nargs(target)
    _arity(rule, "forward rule", 2 * n, target)
    xs, ds = _params(n, "x"), _params(n, "d")
    g = _glue(f"def glue({', '.join(xs + ds)}):\n    return RULE({', '.join(xs + ds)})\n",
              RULE=rule)
    with _lock:
        r = _rule_for(target)
        r.forward, r.sources["forward"] = g, rule


def import_jvp(target, jvp):
    """Register a JAX ``custom_jvp``-shaped rule, ``jvp(primals, tangents) -> (y, dy)`` with
    `primals` and `tangents` tuples of the arguments and their tangents."""
    _check_njit(jvp, "jvp")
    n = _nargs(target)
    _arity(jvp, "jvp", 2, target)
    xs, ds = _params(n, "x"), _params(n, "d")
    tup = lambda v: "(" + ", ".join(v) + ("," if len(v) == 1 else "") + ")"    # noqa: E731
    g = _glue(f"def glue({', '.join(xs + ds)}):\n    return JVP({tup(xs)}, {tup(ds)})\n", JVP=jvp)
    with _lock:
        r = _rule_for(target)
        r.forward, r.sources["forward"] = g, jvp


def _reverse_glue(n: int, call: str, **names):
    xs, ds = _params(n, "x"), _params(n, "s")
    body = [f"def glue({', '.join(xs + ds)}, tape, dy):", f"    c = {call}",
            "    return ACCUMULATE(c, " + "(" + ", ".join(ds) + ("," if n == 1 else "") + "))"]
    return _glue("\n".join(body) + "\n", ACCUMULATE=_accumulate, **names)


def reverse(target, augmented, reverse_rule):
    """Register a reverse-mode derivative: ``augmented(x1, ..., xn) -> (y, tape)`` runs in the
    forward sweep, ``reverse_rule(x1, ..., xn, tape, dy) -> (dx1, ..., dxn)`` in the reverse
    sweep (one cotangent per argument: a float, an array like the argument, or anything for an
    integer argument)."""
    _check_njit(augmented, "augmented rule")
    _check_njit(reverse_rule, "reverse rule")
    n = _nargs(target)
    _arity(augmented, "augmented rule", n, target)
    _arity(reverse_rule, "reverse rule", n + 2, target)
    xs = _params(n, "x")
    aug = _glue(f"def glue({', '.join(xs)}):\n    return AUG({', '.join(xs)})\n", AUG=augmented)
    rev = _reverse_glue(n, f"REV({', '.join(xs + ['tape', 'dy'])})", REV=reverse_rule)
    with _lock:
        r = _rule_for(target)
        r.augmented, r.reverse = aug, rev
        r.sources["reverse"] = (augmented, reverse_rule)


def import_vjp(target, fwd, bwd):
    """Register a JAX ``custom_vjp``-shaped pair: ``fwd(x1, ..., xn) -> (y, residuals)`` and
    ``bwd(residuals, dy) -> (dx1, ..., dxn)``."""
    _check_njit(fwd, "fwd")
    _check_njit(bwd, "bwd")
    n = _nargs(target)
    _arity(fwd, "fwd", n, target)
    _arity(bwd, "bwd", 2, target)
    xs = _params(n, "x")
    aug = _glue(f"def glue({', '.join(xs)}):\n    return FWD({', '.join(xs)})\n", FWD=fwd)
    rev = _reverse_glue(n, "BWD(tape, dy)", BWD=bwd)
    with _lock:
        r = _rule_for(target)
        r.augmented, r.reverse = aug, rev
        r.sources["reverse"] = (fwd, bwd)


def inactive(*targets):
    """Mark njit functions inactive: calls to them carry no derivative (logging, counters)."""
    with _lock:
        for t in targets:
            _rule_for(t).inactive = True


def clear(target=None) -> None:
    """Forget the rules of `target` (all rules when None)."""
    with _lock:
        if target is None:
            _rules.clear()
        else:
            _rules.pop(id(target), None)
        _bump()


def registered():
    """[(dispatcher, Rule)] of every function with a rule."""
    with _lock:
        return [v for v in _rules.values()]


def version() -> int:
    return _version[0]


# ------------------------------------------------------------------- cotangent accumulation
@njit
def _accumulate(c, shadows):
    """Adds the array cotangents of `c` into the matching shadows; returns the float ones."""
    return _accumulate_impl(c, shadows)


def _accumulate_impl(c, shadows):      # pragma: no cover  (replaced by the overload below)
    raise NotImplementedError


from numba.core.extending import overload  # noqa: E402


@overload(_accumulate_impl)
def _ol_accumulate(c, shadows):
    if not isinstance(c, types.BaseTuple) or len(c) != len(shadows):
        raise EnzpyTypeError(f"enzpy.rules: a reverse rule must return a tuple with one "
                             f"cotangent per argument ({len(shadows)}), got {c}")
    arrays = [i for i, s in enumerate(shadows) if isinstance(s, types.Array)]
    floats = [i for i, s in enumerate(shadows) if isinstance(s, types.Float)]
    for i in arrays:
        if not isinstance(c[i], types.Array):
            raise EnzpyTypeError(f"enzpy.rules: cotangent {i} must be an array like argument {i}, "
                                 f"got {c[i]}")
    src = ["def impl(c, shadows):"]
    for i in arrays:
        src += [f"    s, g = shadows[{i}], c[{i}]",
                "    if s.shape != g.shape:",
                f"        raise ValueError('enzpy.rules: cotangent {i} has another shape than "
                "its argument')",
                "    for idx in np.ndindex(s.shape):",
                "        s[idx] += g[idx]"]
    src.append("    return (" + "".join(f"c[{i}], " for i in floats) + ")")
    ns = {"np": np}
    exec("\n".join(src) + "\n", ns)
    return ns["impl"]


# ------------------------------------------------------------ noinline for rule targets
_orig_declare = BaseContext.declare_function


def _declare_function(self, module, fndesc):
    fn = _orig_declare(self, module, fndesc)
    if _noinline and (fndesc.modname, fndesc.qualname) in _noinline:
        if "alwaysinline" not in fn.attributes:
            fn.attributes.add("noinline")
    return fn


BaseContext.declare_function = _declare_function

__all__ = ["forward", "reverse", "import_jvp", "import_vjp", "inactive", "clear", "registered"]
