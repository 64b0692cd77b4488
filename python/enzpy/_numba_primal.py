"""Getting the LLVM IR of one compiled overload of an ``@njit`` function (the primal).

Facts used (numba 0.68, see docs/internals-numba.md):

* ``dispatcher.overloads[argtypes]`` is a ``CompileResult``; ``cres.fndesc.mangled_name`` is the
  native function ``i32 name(ptr retptr, ptr excinfo, <arguments expanded>)``;
* ``cres.library.get_llvm_str()`` is the finalized module (optimized, backend IR passes already
  run); it also holds the CPython wrapper ``_ZN7cpython...`` and the C wrapper ``cfunc.<name>``,
  which are stripped here;
* an overload loaded from numba's on-disk cache (``cache=True``) has object code only: it is
  compiled again (without touching the dispatcher or its cache) to get its IR.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import llvmlite.binding as llb
from numba.core import types

from ._errors import EnzpyError


@dataclass(frozen=True)
class Primal:
    """One compiled overload of an njit function, ready for the core."""
    dispatcher: object
    argtypes: tuple
    restype: object
    name: str           # native symbol: i32 name(ptr retptr, ptr excinfo, <expanded args>)
    ir: str             # module text, wrappers stripped


_WRAPPER_PREFIXES = ("_ZN7cpython", "cfunc.")
_pass_lock = threading.Lock()
_primal_cache: dict = {}      # (id(cres), mangled name) -> Primal


def _run_module_passes(mod, add_passes) -> None:
    tm = llb.Target.from_default_triple().create_target_machine()
    pto = llb.create_pipeline_tuning_options(speed_level=0)
    with _pass_lock:
        pb = llb.create_pass_builder(tm, pto)
        mpm = llb.create_new_module_pass_manager()
        add_passes(mpm)
        mpm.run(mod, pb)


def prepare_primal_ir(ir_text: str, keep: str) -> str:
    """Return `ir_text` without numba's CPython and C wrappers (the native function `keep` and its
    callees stay)."""
    mod = llb.parse_assembly(ir_text)
    for fn in mod.functions:
        if not fn.is_declaration and fn.name.startswith(_WRAPPER_PREFIXES) and fn.name != keep:
            fn.linkage = "internal"
    _run_module_passes(mod, lambda m: (m.add_global_dead_code_eliminate_pass(),
                                       m.add_strip_dead_prototype_pass()))
    mod.verify()
    if mod.get_function(keep).is_declaration:
        raise EnzpyError(f"enzpy: {keep} lost while stripping numba's wrappers")
    return str(mod)


def py_name(dispatcher) -> str:
    """``module.qualname (file:line)`` of an njit function, for messages."""
    fn = getattr(dispatcher, "py_func", dispatcher)
    code = getattr(fn, "__code__", None)
    where = f" ({code.co_filename}:{code.co_firstlineno})" if code is not None else ""
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', fn)}{where}"


def _select_overload(dispatcher, argtypes):
    """The CompileResult for exactly `argtypes`, compiling it if the dispatcher may."""
    cres = dispatcher.overloads.get(argtypes)
    if cres is None:
        if getattr(dispatcher, "_can_compile", True):
            dispatcher.compile(argtypes)
            cres = dispatcher.overloads.get(argtypes)
        if cres is None:
            sigs = ", ".join(str(s) for s in dispatcher.signatures) or "none"
            raise EnzpyError(
                f"enzpy: {py_name(dispatcher)} has no compiled version for argument types "
                f"{argtypes} and was given explicit signatures ({sigs}), so numba may not compile "
                "another: pass arguments of exactly one of those types, or drop the explicit "
                "signature")
    return cres


def get_primal(dispatcher, argtypes) -> Primal:
    """Compile (if needed) `dispatcher` for `argtypes` and return its prepared IR."""
    argtypes = tuple(types.unliteral(t) for t in argtypes)
    cres = _select_overload(dispatcher, argtypes)
    if cres.objectmode:
        raise EnzpyError(f"enzpy: {py_name(dispatcher)} was compiled in object mode, which "
                         "cannot be differentiated: make it compile with numba.njit")
    key = (id(cres), cres.fndesc.mangled_name)
    hit = _primal_cache.get(key)
    if hit is not None and hit[0] is cres:
        return hit[1]
    lib = cres.library
    if getattr(lib, "_disable_inspection", False):
        # loaded from numba's disk cache: object code only; compile the IR again, privately
        cres_ir = dispatcher._compiler._compile_core(argtypes, None)
        lib, name = cres_ir.library, cres_ir.fndesc.mangled_name
    else:
        name = cres.fndesc.mangled_name
    text = prepare_primal_ir(lib.get_llvm_str(), name)
    primal = Primal(dispatcher, argtypes, cres.signature.return_type, name, text)
    _primal_cache[key] = (cres, primal)
    return primal


__all__ = ["Primal", "prepare_primal_ir", "get_primal", "py_name"]
