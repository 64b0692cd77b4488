"""Getting the LLVM IR of one overload of an ``@njit`` function (the primal).

Facts used (numba 0.68, see docs/internals-numba.md):

* ``dispatcher.overloads[argtypes]`` is a ``CompileResult``; ``cres.fndesc.mangled_name`` is the
  native function ``i32 name(ptr retptr, ptr excinfo, <arguments expanded>)``;
* an overload numba compiled already gives its IR: the snapshot this module takes of every CPU
  library numba finalizes once enzpy is imported (the optimized module as bitcode, just before
  numba hands it to its engine, whose code generation runs loop strength reduction and
  CodeGenPrepare on it in place: derivatives of that lowered IR ran up to 25 % slower, e.g. the
  heat stencil's JVP 1.8 -> 2.2 ms). About 1 ms and the bitcode's size (36 kB for the GMM kernel)
  per compiled function; ``ENZPY_NUMBA_SNAPSHOT=0`` turns it off. Without a snapshot (compiled
  before enzpy was imported, or snapshots off): ``cres.library.get_llvm_str()``, the module after
  codegen's IR passes;
* otherwise (``f`` not called yet, or loaded from numba's disk cache, which keeps object code only)
  the IR is compiled for enzpy alone, with numba's own pipeline and the dispatcher's options
  (``fastmath``, ...): ``compile_extra`` with ``no_compile`` (no machine code, no entry in numba's
  engine, which keeps every module it compiles: 0.9 MB for a small function), no CPython or C
  wrapper, then the library's finalization with numba's module optimization but without adding it
  to the engine (0.2 MB). Compiling it again when numba already has would cost those 0.2 MB (numba
  keeps what each compile adds to its global LLVM context and typing caches) for IR that differs
  only in codegen's preparation passes.
"""
from __future__ import annotations

import functools
import os
import threading
from dataclasses import dataclass

import llvmlite.binding as llb
from numba.core import codegen, compiler, errors, types
from numba.core.compiler_lock import global_compiler_lock

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
_primal_cache: dict = {}      # (id(f), argtypes, id(f's overload or None)) -> (f, overload, Primal)


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


_SNAPSHOT_ATTR = "_enzpy_pre_codegen_bitcode"


def _install_snapshot() -> None:
    """Wrap numba's CPU library finalization so that it keeps the optimized module as bitcode
    before code generation changes it (see the module documentation)."""
    cls = codegen.CPUCodeLibrary
    original = cls._finalize_final_module
    if getattr(original, "_enzpy_snapshot", False):
        return

    def _finalize_final_module(self):
        try:
            setattr(self, _SNAPSHOT_ATTR, self._final_module.as_bitcode())
        except Exception:   # noqa: BLE001 - a snapshot is an optimization; numba must go on
            pass
        return original(self)

    _finalize_final_module._enzpy_snapshot = True
    cls._finalize_final_module = _finalize_final_module


if os.environ.get("ENZPY_NUMBA_SNAPSHOT", "1") != "0":
    _install_snapshot()


def _compiled_ir(library) -> str:
    """The IR of a library numba has compiled: its pre-codegen snapshot if it has one."""
    bitcode = getattr(library, _SNAPSHOT_ATTR, None)
    if bitcode is not None:
        return str(llb.parse_bitcode(bitcode))
    return library.get_llvm_str()


def _select_overload(dispatcher, argtypes):
    """The CompileResult of `dispatcher` for `argtypes` if it has one, else None; an error when the
    dispatcher may not compile these types (explicit signatures)."""
    cres = dispatcher.overloads.get(argtypes)
    if cres is None and not getattr(dispatcher, "_can_compile", True):
        sigs = ", ".join(str(s) for s in dispatcher.signatures) or "none"
        raise EnzpyError(
            f"enzpy: {py_name(dispatcher)} has no compiled version for argument types "
            f"{argtypes} and was given explicit signatures ({sigs}), so numba may not compile "
            "another: pass arguments of exactly one of those types, or drop the explicit "
            "signature")
    return cres


def runs_in_parallel(dispatcher) -> bool:
    """Whether `dispatcher` was made with ``parallel=True`` (or ParallelOptions enabling it)."""
    option = dispatcher.targetoptions.get("parallel", False)
    return bool(getattr(option, "enabled", option))


_serial_twins: dict = {}     # id(parallel dispatcher) -> (it, its serial twin)


def serial_twin(dispatcher):
    """`dispatcher` itself, or for a ``parallel=True`` one a dispatcher of the same Python function
    with the same options but ``parallel=False``: its ``prange`` loops run as ``range``. enzpy
    differentiates that one's IR, and its wrappers call it (a parallel function they called would be
    linked in with its thread-pool launch). enzpy compiles the twin itself; the user's dispatcher
    gains no overload."""
    if not runs_in_parallel(dispatcher):
        return dispatcher
    hit = _serial_twins.get(id(dispatcher))
    if hit is not None and hit[0] is dispatcher:
        return hit[1]
    twin = type(dispatcher)(dispatcher.py_func, locals=dict(dispatcher.locals),
                            targetoptions={**dispatcher.targetoptions, "parallel": False},
                            pipeline_class=dispatcher._compiler.pipeline_class)
    with _pass_lock:
        _serial_twins[id(dispatcher)] = (dispatcher, twin)
    return twin


def _compile_ir(dispatcher, argtypes):
    """(CompileResult, optimized module text) of `dispatcher` for `argtypes`, compiled for its IR
    only (see the module documentation)."""
    comp = dispatcher._compiler
    failed = getattr(comp, "_failed_cache", {})     # numba's own: a typing error is raised again,
    key = (tuple(argtypes), None)                    # the same object, as numba's compile() does
    if key in failed:
        raise failed[key]
    with global_compiler_lock:
        flags = compiler.Flags()
        dispatcher.targetdescr.options.parse_as_flags(flags, dispatcher.targetoptions)
        flags = comp._customize_flags(flags)
        flags.no_compile = True
        flags.no_cpython_wrapper = True
        flags.no_cfunc_wrapper = True
        try:
            cres = compiler.compile_extra(dispatcher.targetdescr.typing_context,
                                          dispatcher.targetdescr.target_context,
                                          comp._get_implementation(argtypes, {}), args=argtypes,
                                          return_type=None, flags=flags, locals=dispatcher.locals,
                                          pipeline_class=comp.pipeline_class)
        except errors.TypingError as e:
            failed[key] = e
            raise
        if cres.typing_error is not None and not flags.enable_pyobject:
            raise cres.typing_error
        if cres.objectmode:
            return cres, None
        lib = cres.library
        # numba's finalization (linking the callees' libraries, module optimization) without
        # handing the module to its engine
        lib._finalize_final_module = functools.partial(setattr, lib, "_finalized", True)
        lib.finalize()
        return cres, lib.get_llvm_str()


def get_primal(dispatcher, argtypes) -> Primal:
    """The IR of `dispatcher` for `argtypes`: its compiled overload's, or compiled for enzpy."""
    argtypes = tuple(types.unliteral(t) for t in argtypes)
    existing = _select_overload(dispatcher, argtypes)
    if runs_in_parallel(dispatcher):
        existing = None     # its IR launches the parfor on numba's thread pool: the serial twin's
    # keyed by the user's overload too: f.recompile() (e.g. after registering a rule) is seen
    key = (id(dispatcher), argtypes, id(existing))
    hit = _primal_cache.get(key)
    if hit is not None and hit[0] is dispatcher and hit[1] is existing:
        return hit[2]
    if existing is not None and not getattr(existing.library, "_disable_inspection", False):
        cres, text = existing, _compiled_ir(existing.library)     # numba compiled it already
    else:
        cres, text = _compile_ir(serial_twin(dispatcher), argtypes)
    if cres.objectmode:
        raise EnzpyError(f"enzpy: {py_name(dispatcher)} was compiled in object mode, which "
                         "cannot be differentiated: make it compile with numba.njit")
    name = cres.fndesc.mangled_name
    primal = Primal(dispatcher, argtypes, cres.signature.return_type, name,
                    prepare_primal_ir(text, name))
    with _pass_lock:
        _primal_cache[key] = (dispatcher, existing, primal)
    return primal


__all__ = ["Primal", "prepare_primal_ir", "get_primal", "py_name", "runs_in_parallel", "serial_twin"]
