"""Asking the C++ core for a derivative, and making it safe to link into numba code.

Each request (primal symbol and IR, mode, per-parameter activities, opt level) is answered once
and cached. The returned module is *isolated* before numba sees it:

* the derivative's LLVM type is checked against the bridge's plan (catches contract drift);
* the entry is renamed ``__enzpy_<mode>_<sha1 of the request>``: numba links every library into one
  MCJIT engine and callers get ``linkonce_odr`` copies, so two different bodies under one name
  would silently resolve to the first (docs/internals-numba.md, pitfall 1);
* every other definition is made ``internal`` (the core's copies of the primal and of NRT helpers
  must not clash with numba's own).

The isolated module becomes one numba ``CodeLibrary`` (built once, at the first codegen), which the
intrinsic adds to each caller with ``add_linking_library``.
"""
from __future__ import annotations

import ctypes.util
import functools
import hashlib
import platform
import re
import sys
import threading
import warnings
from dataclasses import dataclass, field

import llvmlite.binding as llb
import llvmlite.ir as lir

from ._errors import EnzpyError, EnzpyWarning
from ._llvm_check import load_core
from ._numba_plan import Plan, lltype_str
from . import api, rules
from ._numba_primal import Primal, py_name
from ._numba_rules import bind, link_into

#: optimization level the core runs after synthesis (``AD after optimization``: the primal IR is
#: numba's already optimized module; the core optimizes the derivative again)
OPT_LEVEL = 2


@dataclass
class Derivative:
    text: str           # isolated module text
    name: str           # unique entry symbol (split mode: the augmented forward)
    library: object = None
    reverse_name: str = ""      # split mode: the reverse
    libraries: list = field(default_factory=list)   # numba libraries it calls (rule glue)
    addresses: tuple = None     # machine code of the entries made by the core's JIT (() if not)


_cache: dict = {}
_lock = threading.RLock()
_stats = {"core_calls": 0}


def cache_info() -> dict:
    """Number of derivatives built, their symbols, and how often the core was asked."""
    with _lock:
        return {"entries": len(_cache), "core_calls": _stats["core_calls"],
                "names": sorted(d.name for d in _cache.values())}


def _isolate(text: str, entries: dict) -> str:
    """`entries` maps each entry the core made to (unique new name, llvmlite type the bridge
    expects); everything else in the module becomes internal."""
    mod = llb.parse_assembly(text)
    renamed = set()
    for entry, (new_name, fnty) in entries.items():
        fn = mod.get_function(entry)
        if fn.is_declaration:
            raise EnzpyError(f"enzpy: the core did not define {entry}")
        got = re.sub(r"\s+", "", str(fn.global_value_type))
        want = re.sub(r"\s+", "", lltype_str(fnty))
        if got != want:
            raise EnzpyError(f"enzpy internal error: derivative {entry} has type {got}, the bridge "
                             f"expects {want}")
        fn.name = new_name
        fn.linkage = "external"
        renamed.add(new_name)
    for f in mod.functions:
        if not f.is_declaration and f.name not in renamed:
            f.linkage = "internal"
    mod.verify()
    return str(mod)


_EXTERNAL_HINT = "(register a rule, or mark it inactive)"


# entry points of numba's parallel runtime that a parfor (a prange loop of parallel=True) calls
_PARFOR_RUNTIME = re.compile(r"no derivative rule for external function @(get_sched_size|do_scheduling_"
                             r"(un)?signed|set_parallel_chunksize|get_parallel_chunksize|"
                             r"numba_parallel_for|get_num_threads|get_thread_id)\b")


def _core_message(e: Exception, primal: Primal, plan: Plan) -> str:
    msg = str(e)
    if _PARFOR_RUNTIME.search(msg):
        msg = ("it calls a function compiled with numba's parallel=True, whose prange loop runs on "
               "numba's thread pool. enzpy differentiates a parallel=True function given to it "
               "directly, as the same loop run serially, but not one that another function calls: "
               "call a serial twin from there instead (numba.njit(g.py_func) for g; its derivative is "
               "the same). The core's report: " + msg.replace(" " + _EXTERNAL_HINT, ""))
    # enzpy.rules takes njit functions: for a C function numba calls, the rule goes on an njit wrapper
    msg = msg.replace(_EXTERNAL_HINT, "(call it from an @njit function of your own and give that one a "
                                      "rule with enzpy.rules, or mark that one inactive with "
                                      "enzpy.rules.inactive)")
    return (f"enzpy: cannot differentiate {py_name(primal.dispatcher)} in {plan.direction} mode "
            f"for argument types {primal.argtypes}: {msg}")


def get_derivative(primal: Primal, plan: Plan, opt_level: int = OPT_LEVEL) -> Derivative:
    """The isolated derivative for this request (the core is asked once per request)."""
    noalias, vector_math = _noalias(plan), _vector_math()
    key = (primal.name, primal.ir, plan.direction, plan.core_args, plan.width, opt_level,
           rules.version(), noalias, vector_math)
    with _lock:
        d = _cache.get(key)
        if d is not None:
            return d
        core = load_core()
        b = bind(primal.ir, plan.direction)
        _stats["core_calls"] += 1
        try:
            text, entry = core.differentiate(link_into(primal.ir, b), primal.name, plan.direction,
                                             list(plan.core_args), "const", True, opt_level,
                                             plan.width, False, b.rules, b.inactive, list(noalias),
                                             vector_math)
        except core.CoreError as e:
            raise EnzpyError(_core_message(e, primal, plan)) from None
        _warn_notes(core, primal)
        name = f"__enzpy_{plan.direction}_{_digest(key)}"
        d = _cache[key] = Derivative(_isolate(text, {entry: (name, plan.deriv_fnty)}), name,
                                     libraries=b.libraries)
        return d


_libmvec = None


def _vector_math() -> bool:
    """enzpy.api.vector_math and glibc's vector math library loaded, so that numba's engine and the
    JIT can resolve its functions (``_ZGVdN4v_exp``...)."""
    global _libmvec
    if not api.options()["vector_math"]:
        return False
    if _libmvec is None:
        _libmvec = False
        if platform.machine() in ("x86_64", "AMD64") and sys.platform.startswith("linux"):
            for name in (ctypes.util.find_library("mvec"), "libmvec.so.1"):
                try:
                    if name:
                        llb.load_library_permanently(name)
                        _libmvec = bool(llb.address_of_symbol("_ZGVdN4v_exp"))
                        break
                except RuntimeError:        # not there: scalar libm
                    continue
    return _libmvec


def _noalias(plan: Plan) -> tuple:
    """The array data pointers marked noalias under enzpy.api.strict_aliasing(True)."""
    return plan.array_data if api.options()["strict_aliasing"] else ()


#: at most this many notes are shown per derivative
MAX_NOTES = 5


def _warn_notes(core, primal: Primal) -> None:
    """The analyses' assumptions as EnzpyWarning (enzpy.api.type_warning)."""
    take = getattr(core, "take_notes", None)
    notes = take() if take is not None else []
    # numba's own library code (error messages, broadcasting helpers) is not the user's to change
    notes = [n for n in notes if "in function @_ZN5numba" not in n]
    if not notes or not api.options()["type_warning"]:
        return
    shown = notes[:MAX_NOTES]
    more = f"\n  ... and {len(notes) - len(shown)} more" if len(notes) > len(shown) else ""
    warnings.warn(EnzpyWarning(
        f"enzpy: differentiating {py_name(primal.dispatcher)}, the analyses assumed:\n  "
        + "\n  ".join(shown) + more + "\n(silence with enzpy.api.type_warning(False))"),
        stacklevel=2)


def _digest(key) -> str:
    return hashlib.sha1(repr(key).encode()).hexdigest()[:16]


def split_types(plan: Plan):
    """llvmlite types of the split pair for `plan` (a reverse-mode plan): the augmented forward
    ``{i32 status} (params..., ptr tape)`` and the reverse ``{adjoints...} (params..., ptr tape)``;
    params are those of the combined derivative (shadows after their primals)."""
    params = list(plan.deriv_fnty.args) + [lir.PointerType(lir.IntType(8))]
    ret = plan.deriv_fnty.return_type
    aug = lir.FunctionType(lir.LiteralStructType([ret.elements[0]]), params)
    rev = lir.FunctionType(lir.LiteralStructType(list(ret.elements[1:])), params)
    return aug, rev


def get_split_derivative(primal: Primal, plan: Plan, opt_level: int = OPT_LEVEL) -> Derivative:
    """The split pair (augmented forward, reverse) for a reverse-mode plan, isolated like
    :func:`get_derivative`: ``d.name`` is the augmented forward, ``d.reverse_name`` the reverse."""
    noalias, vector_math = _noalias(plan), _vector_math()
    key = (primal.name, primal.ir, "split", plan.core_args, opt_level, rules.version(), noalias,
           vector_math)
    with _lock:
        d = _cache.get(key)
        if d is not None:
            return d
        core = load_core()
        b = bind(primal.ir, "reverse")
        _stats["core_calls"] += 1
        try:
            text, aug, rev = core.differentiate_split(link_into(primal.ir, b), primal.name,
                                                      list(plan.core_args), "const", opt_level,
                                                      b.rules, b.inactive, list(noalias),
                                                      vector_math)
        except core.CoreError as e:
            raise EnzpyError(_core_message(e, primal, plan)) from None
        _warn_notes(core, primal)
        digest = _digest(key)
        aug_ty, rev_ty = split_types(plan)
        names = {aug: (f"__enzpy_augmented_{digest}", aug_ty),
                 rev: (f"__enzpy_split_reverse_{digest}", rev_ty)}
        d = Derivative(_isolate(text, names), names[aug][0], reverse_name=names[rev][0],
                       libraries=b.libraries)
        _cache[key] = d
        return d


def machine_code(d: Derivative) -> tuple:
    """The addresses of derivative `d`'s entries (``d.name``, and ``d.reverse_name`` for a split
    pair) compiled by the core's JIT (once; kept until the process ends), or () when they cannot
    be made there (then numba compiles them, see :func:`library_for`).

    External symbols are found as numba's own code finds them: numba's runtime and helpers are
    registered with llvmlite, custom rules live in numba libraries (``d.libraries``)."""
    with _lock:
        if d.addresses is not None:
            return d.addresses
        symbols, missing = {}, []
        mod = llb.parse_assembly(d.text)
        for g in list(mod.functions) + list(mod.global_variables):
            if not g.is_declaration or g.name.startswith("llvm."):
                continue
            address = llb.address_of_symbol(g.name) or _in_libraries(d.libraries, g.name)
            if address:
                symbols[g.name] = address
            else:
                missing.append(g.name)
        d.addresses = ()
        entries = [d.name] + ([d.reverse_name] if d.reverse_name else [])
        if missing:
            warnings.warn(EnzpyWarning(f"enzpy: the derivative {d.name} is compiled by numba "
                                       "instead of enzpy's JIT: no address for "
                                       f"{', '.join(missing[:3])}"), stacklevel=2)
        else:
            try:
                d.addresses = tuple(load_core().jit_compile(d.text, entries, symbols))
            except load_core().CoreError as e:
                warnings.warn(EnzpyWarning(f"enzpy: the derivative {d.name} is compiled by numba "
                                           f"instead of enzpy's JIT: {e}"), stacklevel=2)
        return d.addresses


def _in_libraries(libraries, name: str) -> int:
    for lib in libraries:
        try:
            address = lib.get_pointer_to_function(name)
        except Exception:       # noqa: BLE001 - not in this library (numba raises various errors)
            address = 0
        if address:
            return address
    return 0


def library_for(context, d: Derivative):
    """The numba CodeLibrary holding derivative `d` (created at the first codegen).

    It is a link-only library: numba links its IR into every caller's module and optimizes and
    compiles it there, so its own finalization skips numba's module optimization (the core already
    ran LLVM's O2 on it) and the machine code numba would otherwise make for it, which nothing
    calls (this halves the first call of a large gradient). Its IR lives only as the text
    ``d.text``: each caller links a fresh parse of it, where numba would keep the parsed module and
    a clone of it for linking (about 170 kB each for a small derivative) for the life of the
    process."""
    with _lock:
        if d.library is None:
            lib = context.codegen().create_library(d.name)
            for dep in d.libraries:
                lib.add_linking_library(dep)
            lib._get_module_for_linking = functools.partial(_module_for_linking, d.text)
            lib._optimize_final_module = _nothing
            lib._finalize_final_module = _mark_finalized.__get__(lib)
            d.library = lib
        return d.library


def _module_for_linking(text: str):
    """What numba's ``_get_module_for_linking`` makes of a library, from the text: external
    definitions become ``linkonce_odr`` (each caller gets its own copy)."""
    mod = llb.parse_assembly(text)
    for fn in mod.functions:
        if not fn.is_declaration and fn.linkage == llb.Linkage.external:
            fn.linkage = "linkonce_odr"
    return mod


def _nothing():
    pass


def _mark_finalized(lib):
    lib._finalized = True


__all__ = ["Derivative", "machine_code", "get_derivative", "get_split_derivative", "split_types", "library_for", "cache_info", "OPT_LEVEL"]
