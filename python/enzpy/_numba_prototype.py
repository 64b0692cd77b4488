"""Prototype of enzpy's numba CPU bridge (stand-alone: does NOT import enzpy._core).

It proves the route described in docs/internals-numba.md end to end:

    numba dispatcher --(overloads[sig].library.get_llvm_str())--> primal IR
      --(differentiate(ir, fn, mode, args, ret, with_primal))--> derivative module text
      --(rename entry, internalize the rest, parse_assembly, create_library,
         add_llvm_module, active_code_library.add_linking_library)--> callable from njit code

The differentiation backend is pluggable (:func:`set_backend`).  The default backend
is :class:`StandinCore`, a hand-written stand-in for ``enzpy._core.differentiate`` with
exactly the same call signature and derivative calling convention, which knows the
derivatives of a few registered function shapes (``square``, ``poly``, ``sumsq``,
``dot``).  Swapping in the real core is ``set_backend(enzpy._core.differentiate)``.

Two entry points share one mechanism:

* inside ``@njit`` code: ``autodiff_call(f, "reverse", "dup", a, da)``
  (``f`` a global njit function, mode and activities compile-time string constants);
* from Python: ``autodiff("reverse", f, Duplicated(a, da))``, which calls a cached
  njit trampoline that contains the very same ``autodiff_call``.

Results (both paths): forward mode -> ``(primal, tangent_of_return)``; reverse mode ->
``(primal, adjoint_of_each_Active_arg...)``; shadows of ``Duplicated`` arrays accumulate
adjoints in place (reverse) or carry the input tangent (forward).

Example (runs with the stand-in backend)::

    >>> import numpy as np, numba
    >>> from enzpy import _numba_prototype as P
    >>> @numba.njit
    ... def sumsq(a):
    ...     s = 0.0
    ...     for i in range(a.size):
    ...         s += a[i] * a[i]
    ...     return s
    >>> _ = P.STANDIN.register(sumsq, "sumsq")
    >>> a = np.arange(3.0); da = np.zeros(3)
    >>> P.autodiff("reverse", sumsq, P.Duplicated(a, da))
    (5.0,)
    >>> da
    array([0., 2., 4.])
"""
from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass

import llvmlite.binding as llb
import llvmlite.ir as ir
from numba import njit, types
from numba.core import cgutils, errors
from numba.core.callconv import excinfo_ptr_t  # {i8*, i32, i8*, i8*, i32}*
from numba.core.extending import intrinsic
from numba.core.registry import cpu_target

__all__ = [
    "LLVM_MAJOR", "check_llvm_version", "get_primal", "prepare_primal_ir", "plan_call",
    "set_backend", "get_backend", "autodiff_call", "autodiff", "Const", "Active",
    "Duplicated", "StandinCore", "STANDIN", "derivative_cache_info",
]

#: LLVM major version the C++ core is built against (Debian llvm-22).
LLVM_MAJOR = 22


def check_llvm_version(expected: int = LLVM_MAJOR) -> None:
    """Raise ImportError if llvmlite's LLVM is not the core's major version.

    IR text is only portable within one LLVM major version (attribute syntax such
    as ``captures(none)`` / ``initializes((0, 8))`` is new in LLVM 21/22).

    >>> check_llvm_version()   # llvmlite 0.50 is built on LLVM 22.1
    """
    got = llb.llvm_version_info[0]
    if got != expected:
        raise ImportError(f"enzpy: llvmlite uses LLVM {got}, the core needs LLVM {expected}")


check_llvm_version()


# --------------------------------------------------------------------------------------
# 1. primal IR
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Primal:
    """One compiled overload of an njit function, ready for the core."""
    dispatcher: object
    argtypes: tuple
    restype: object
    name: str          # native symbol: i32 name(ptr retptr, ptr excinfo, <expanded args>)
    ir: str            # prepared module text (wrappers stripped)
    library: object    # numba CodeLibrary that already defines `name`


_WRAPPER_PREFIXES = ("_ZN7cpython", "cfunc.")
_pass_builder_lock = threading.Lock()


def _run_module_passes(mod, add_passes) -> None:
    tm = llb.Target.from_default_triple().create_target_machine()
    pto = llb.create_pipeline_tuning_options(speed_level=0)
    with _pass_builder_lock:
        pb = llb.create_pass_builder(tm, pto)
        mpm = llb.create_new_module_pass_manager()
        add_passes(mpm)
        mpm.run(mod, pb)


def prepare_primal_ir(ir_text: str, keep: str) -> str:
    """Return `ir_text` without numba's Python wrappers.

    ``library.get_llvm_str()`` holds, besides the native function `keep`, the CPython
    wrapper ``_ZN7cpython<...>`` (calls PyArg_UnpackTuple & co) and the C wrapper
    ``cfunc.<name>`` (arrays passed as structs by value).  Neither is needed for AD;
    they are made internal and removed with GlobalDCE.  The native function and all
    its callees (linked in from other numba libraries as ``linkonce_odr``) stay.
    """
    mod = llb.parse_assembly(ir_text)
    for fn in mod.functions:
        if not fn.is_declaration and fn.name.startswith(_WRAPPER_PREFIXES) and fn.name != keep:
            fn.linkage = "internal"
    _run_module_passes(mod, lambda m: (m.add_global_dead_code_eliminate_pass(),
                                       m.add_strip_dead_prototype_pass()))
    mod.verify()
    if mod.get_function(keep).is_declaration:
        raise RuntimeError(f"{keep} lost while stripping wrappers")
    return str(mod)


def get_primal(dispatcher, argtypes) -> Primal:
    """Compile (if needed) `dispatcher` for `argtypes` and return its IR.

    Facts used (numba 0.68):
      * ``dispatcher.overloads[argtypes]`` is a ``CompileResult`` (``cres``);
      * ``cres.fndesc.mangled_name`` is the native function (numba calling convention);
      * ``cres.library.get_llvm_str()`` is the *finalized* module: optimized at O3 and
        already run through the backend's IR passes (CodeGenPrepare names such as
        ``%sunkaddr``, ConstantHoisting ``bitcast i64 C to i64``, AtomicExpand's
        ``llvm.x86.atomic.sub.cc.i64`` in ``NRT_decref``) - valid IR, parsable by LLVM 22.
    """
    argtypes = tuple(types.unliteral(t) for t in argtypes)
    dispatcher.compile(argtypes)
    cres = dispatcher.overloads[argtypes]
    if cres.objectmode:
        raise errors.TypingError("enzpy: object-mode functions cannot be differentiated")
    name = cres.fndesc.mangled_name
    text = prepare_primal_ir(cres.library.get_llvm_str(), name)
    return Primal(dispatcher, argtypes, cres.signature.return_type, name, text, cres.library)


# --------------------------------------------------------------------------------------
# 2. argument expansion: Python-level activities -> one activity per LLVM parameter
# --------------------------------------------------------------------------------------
_PY_ACTS = ("const", "active", "dup")


@dataclass(frozen=True)
class ArgSlot:
    """How one Python-level primal argument appears in the derivative call."""
    ty: object          # numba type
    act: str            # "const" | "active" | "dup"
    nflat: int          # number of LLVM parameters of the primal
    shadow_pos: int     # index (within the flat params) of the one shadowed param, or -1


@dataclass(frozen=True)
class CallPlan:
    mode: str
    slots: tuple        # ArgSlot per primal argument
    restype: object
    core_args: tuple    # one activity per LLVM parameter of the primal (retptr, excinfo, ...)
    core_ret: str       # always "const": numba returns an i32 status, the value goes via retptr
    adjoint_types: tuple  # numba types of the adjoints returned (reverse: Active args)
    deriv_fnty: ir.FunctionType  # expected LLVM type of the derivative (llvmlite.ir)


def _flat_llvm_types(context, ty):
    return list(context.get_arg_packer([ty]).argument_types)


def plan_call(context, mode: str, acts, argtypes, restype) -> CallPlan:
    """Map Python-level activities onto the core's per-LLVM-parameter activities.

    numba's native signature is ``i32 f(ptr retptr, ptr excinfo, <args expanded>)``:
      * float64/float32 -> one double/float; int -> i64/i32...; bool -> i8;
      * UniTuple/Tuple -> each member in turn; complex128 -> two doubles;
      * Array(dtype, ndim, layout) -> ptr meminfo, ptr parent, i64 nitems, i64 itemsize,
        ptr data, i64 shape[0..ndim), i64 strides[0..ndim) (strides in BYTES); layout C/F/A
        does not change the expansion.
    Only `data` is shadowed; everything else of an array is "const".  The return value
    lives in memory behind `retptr`, so retptr is "dup" (its shadow holds the return
    seed in reverse mode and receives the return tangent in forward mode), the
    function's own return (i32 status) is "const" and requested with_primal.
    """
    if mode not in ("forward", "reverse"):
        raise errors.TypingError(f"enzpy: unknown mode {mode!r}")
    if len(acts) != len(argtypes):
        raise errors.TypingError(f"enzpy: {len(acts)} activities for {len(argtypes)} arguments")
    slots, core_args, adjoints = [], [], []
    # retptr, excinfo
    if isinstance(restype, types.Float):
        core_args.append("dup")
    elif restype is types.none:
        core_args.append("const")
    else:
        raise errors.TypingError(f"enzpy prototype: return type {restype} not supported "
                                 "(float scalars and None only)")
    core_args.append("const")
    for ty, act in zip(argtypes, acts):
        if act not in _PY_ACTS:
            raise errors.TypingError(f"enzpy: unknown activity {act!r}")
        nflat = len(_flat_llvm_types(context, ty))
        shadow_pos = -1
        if act == "const":
            core_args += ["const"] * nflat
        elif isinstance(ty, types.Float):
            if act == "active" and mode != "reverse":
                raise errors.TypingError("enzpy: 'active' is reverse-mode only; use 'dup' "
                                         "(value + tangent) in forward mode")
            if act == "dup" and mode != "forward":
                raise errors.TypingError("enzpy: scalar floats are 'active' in reverse mode")
            shadow_pos = 0
            core_args.append(act)
            if act == "active":
                adjoints.append(ty)
        elif isinstance(ty, types.Array) and isinstance(ty.dtype, types.Float):
            if act != "dup":
                raise errors.TypingError("enzpy: arrays are 'dup' (with a shadow array) or 'const'")
            assert nflat == 5 + 2 * ty.ndim, (ty, nflat)
            shadow_pos = 4  # meminfo, parent, nitems, itemsize, DATA, shape..., strides...
            core_args += ["const"] * 4 + ["dup"] + ["const"] * (2 * ty.ndim)
        else:
            raise errors.TypingError(f"enzpy prototype: cannot make {ty} {act!r}")
        slots.append(ArgSlot(ty, act, nflat, shadow_pos))

    # expected derivative type: primal params with shadows inserted after dup params
    primal_fnty = context.call_conv.get_function_type(restype, list(argtypes))
    params = []
    for p, a in zip(primal_fnty.args, core_args):
        params.append(p)
        if a in ("dup", "dupnoneed"):
            params.append(p)
    ret_members = [primal_fnty.return_type]  # with_primal: i32 status
    if mode == "reverse":
        ret_members += [context.get_value_type(t) for t in adjoints]
    fnty = ir.FunctionType(ir.LiteralStructType(ret_members), params)
    return CallPlan(mode, tuple(slots), restype, tuple(core_args), "const",
                    tuple(adjoints), fnty)


def _lltype_str(t) -> str:
    """Print an llvmlite.ir type the way LLVM 22 does (opaque pointers)."""
    if isinstance(t, ir.PointerType):
        return "ptr"
    if isinstance(t, ir.LiteralStructType):
        return "{ " + ", ".join(_lltype_str(e) for e in t.elements) + " }" if t.elements else "{}"
    if isinstance(t, ir.FunctionType):
        return f"{_lltype_str(t.return_type)} ({', '.join(_lltype_str(a) for a in t.args)})"
    return str(t)


# --------------------------------------------------------------------------------------
# 3. backend + derivative libraries (cached, uniquely named, internalized)
# --------------------------------------------------------------------------------------
_backend = None


def set_backend(fn) -> None:
    """Install ``fn(ir, fn_name, mode, args, ret, with_primal, opt_level=2) -> (text, name)``.

    ``None`` restores the stand-in.  Code numba has already compiled keeps the
    derivative it was typed with (numba caches typing per dispatcher/signature).
    """
    global _backend
    _backend = fn
    _deriv_cache.clear()


def get_backend():
    return _backend if _backend is not None else STANDIN.differentiate


@dataclass
class _Derivative:
    text: str           # module text after renaming/internalizing
    name: str           # unique entry symbol
    library: object = None  # numba CodeLibrary (built lazily at codegen time)


_deriv_cache: dict = {}
_deriv_lock = threading.RLock()


def derivative_cache_info() -> dict:
    return {"entries": len(_deriv_cache), "names": sorted(d.name for d in _deriv_cache.values())}


def _isolate(text: str, entry: str, new_name: str, expected_fnty: ir.FunctionType) -> str:
    """Rename the derivative entry and make every other definition internal.

    Why: numba puts every finalized library into ONE MCJIT engine and links callers'
    copies as ``linkonce_odr``.  Two derivative modules that both define e.g.
    ``fwddiffe_f`` (different activities!) would silently resolve to whichever was
    linked first (tests/test_numba_prototype.py shows it); copies of the primal / NRT
    helpers defined ``external`` in several modules are duplicate strong symbols in the
    engine (accepted silently today, first definition wins).  Internal definitions are
    private to the module; the unique entry name keeps requests distinct.
    """
    mod = llb.parse_assembly(text)
    fn = mod.get_function(entry)
    if fn.is_declaration:
        raise RuntimeError(f"enzpy: backend did not define {entry}")
    got = re.sub(r"\s+", "", str(fn.global_value_type))
    want = re.sub(r"\s+", "", _lltype_str(expected_fnty))
    if got != want:
        raise RuntimeError(f"enzpy: derivative {entry} has type {got}, bridge expects {want}")
    fn.name = new_name
    fn.linkage = "external"
    for f in mod.functions:
        if not f.is_declaration and f.name != new_name:
            f.linkage = "internal"
    mod.verify()
    return str(mod)


def get_derivative(primal: Primal, plan: CallPlan, opt_level: int = 2) -> _Derivative:
    """Ask the backend once per request; return the cached, isolated derivative."""
    backend = get_backend()
    backend_id = f"{getattr(backend, '__module__', '')}.{getattr(backend, '__qualname__', '')}"
    key = (backend_id, primal.name, primal.ir, plan.mode, plan.core_args, plan.core_ret,
           opt_level)
    with _deriv_lock:
        d = _deriv_cache.get(key)
        if d is None:
            text, entry = backend(primal.ir, primal.name, plan.mode, list(plan.core_args),
                                        plan.core_ret, True, opt_level)
            digest = hashlib.sha1(repr(key).encode()).hexdigest()[:16]
            new_name = f"__enzpy_{plan.mode}_{digest}"
            d = _Derivative(_isolate(text, entry, new_name, plan.deriv_fnty), new_name)
            _deriv_cache[key] = d
        return d


def _library_for(context, d: _Derivative):
    with _deriv_lock:
        if d.library is None:
            lib = context.codegen().create_library(d.name)
            mod = llb.parse_assembly(d.text)
            mod.verify()
            lib.add_llvm_module(mod)
            d.library = lib
        return d.library


# --------------------------------------------------------------------------------------
# 4. the intrinsic
# --------------------------------------------------------------------------------------
def _split_args(acts, args):
    """Values as passed: each primal arg, followed by its shadow if act == 'dup'."""
    primal, shadow, i = [], [], 0
    for act in acts:
        if i >= len(args):
            raise errors.TypingError("enzpy: too few arguments for the activities given")
        primal.append(i)
        if act == "dup":
            if i + 1 >= len(args):
                raise errors.TypingError("enzpy: missing shadow argument")
            shadow.append(i + 1)
            i += 2
        else:
            shadow.append(None)
            i += 1
    if i != len(args):
        raise errors.TypingError("enzpy: more arguments than the activities describe")
    return primal, shadow


@intrinsic(prefer_literal=True)
def autodiff_call(typingctx, fn, mode, acts, *args):
    """``autodiff_call(f, mode, acts, *values)`` - differentiate njit function `f` in njit code.

    `mode` is "forward" or "reverse", `acts` a comma-separated activity per argument of
    `f` ("const", "active" for reverse-mode float scalars, "dup" for a float in forward
    mode or an array: the next value is its tangent/shadow); both must be compile-time
    string constants.  Returns ``(primal, tangent)`` in forward mode and
    ``(primal, adjoints of the active args...)`` in reverse mode (seed 1.0).
    """
    if not isinstance(fn, types.Dispatcher):
        raise errors.TypingError("enzpy: first argument must be an @njit function")
    if not isinstance(mode, types.StringLiteral) or not isinstance(acts, types.StringLiteral):
        return None  # numba retries with literal types (prefer_literal=True)
    mode_s = mode.literal_value
    act_list = tuple(a.strip() for a in acts.literal_value.split(",")) if acts.literal_value else ()
    args = tuple(types.unliteral(a) for a in args)
    pidx, sidx = _split_args(act_list, args)
    for p, s in zip(pidx, sidx):
        if s is not None and not _shadow_ok(args[p], args[s]):
            raise errors.TypingError(f"enzpy: shadow {args[s]} does not match {args[p]}")
    primal = get_primal(fn.dispatcher, tuple(args[i] for i in pidx))
    context = cpu_target.target_context
    plan = plan_call(context, mode_s, act_list, primal.argtypes, primal.restype)
    deriv = get_derivative(primal, plan)          # asks the core at typing time
    rt = types.unliteral(primal.restype)
    if mode_s == "forward":
        out = types.Tuple((rt, rt)) if rt is not types.none else types.Tuple(())
    else:
        out = types.Tuple(((rt,) if rt is not types.none else ()) + plan.adjoint_types)
    sig = out(fn, mode, acts, types.StarArgTuple.from_types(args))

    def codegen(context, builder, signature, llargs):
        values = cgutils.unpack_tuple(builder, llargs[3])
        context.active_code_library.add_linking_library(_library_for(context, deriv))
        callee = cgutils.get_or_insert_function(builder.module, plan.deriv_fnty, deriv.name)

        retty = context.call_conv.get_return_type(primal.restype).pointee
        retslot = cgutils.alloca_once_value(builder, cgutils.get_null_value(retty))
        dretslot = cgutils.alloca_once_value(builder, cgutils.get_null_value(retty))
        if mode_s == "reverse" and isinstance(primal.restype, types.Float):
            builder.store(context.get_constant(primal.restype, 1.0), dretslot)  # seed
        excslot = cgutils.alloca_once(builder, excinfo_ptr_t, name="excinfo")

        # The core shadows only the data pointer: the shadow must have the primal's
        # memory layout (shape AND byte strides), else shadow offsets are wrong.
        for slot, p, s in zip(plan.slots, pidx, sidx):
            if s is not None and isinstance(slot.ty, types.Array):
                pa = context.make_array(slot.ty)(context, builder, values[p])
                sa = context.make_array(signature.args[3][s])(context, builder, values[s])
                bad = cgutils.false_bit
                for x, y in zip(cgutils.unpack_tuple(builder, pa.shape) +
                                cgutils.unpack_tuple(builder, pa.strides),
                                cgutils.unpack_tuple(builder, sa.shape) +
                                cgutils.unpack_tuple(builder, sa.strides)):
                    bad = builder.or_(bad, builder.icmp_signed("!=", x, y))
                with cgutils.if_unlikely(builder, bad):
                    context.call_conv.return_user_exc(
                        builder, ValueError,
                        ("enzpy: a shadow array must have the same shape and strides as "
                         "its primal array",))

        call = [retslot]
        if plan.core_args[0] == "dup":
            call.append(dretslot)
        call.append(excslot)
        for slot, p, s in zip(plan.slots, pidx, sidx):
            flat = list(context.get_arg_packer([slot.ty]).as_arguments(builder, [values[p]]))
            sty = signature.args[3][s] if s is not None else None   # may differ in layout
            sflat = (list(context.get_arg_packer([sty]).as_arguments(builder, [values[s]]))
                     if s is not None else None)
            for k, v in enumerate(flat):
                call.append(v)
                if slot.act == "dup" and k == slot.shadow_pos:
                    call.append(sflat[k])   # the shadow's own data pointer / tangent
        res = builder.call(callee, call)

        status_code = builder.extract_value(res, 0)
        status = context.call_conv._get_return_status(builder, status_code,
                                                      builder.load(excslot))
        with cgutils.if_unlikely(builder, status.is_error):
            context.call_conv.return_status_propagate(builder, status)

        outs = []
        if primal.restype is not types.none:
            outs.append(context.get_returned_value(builder, primal.restype,
                                                   builder.load(retslot)))
            if mode_s == "forward":
                outs.append(context.get_returned_value(builder, primal.restype,
                                                       builder.load(dretslot)))
        if mode_s == "reverse":
            outs += [builder.extract_value(res, 1 + i) for i in range(len(plan.adjoint_types))]
        return context.make_tuple(builder, signature.return_type, outs)

    return sig, codegen


def _shadow_ok(pt, st) -> bool:
    if isinstance(pt, types.Array):
        return (isinstance(st, types.Array) and st.ndim == pt.ndim and st.dtype == pt.dtype
                and st.mutable)
    return pt == st


# --------------------------------------------------------------------------------------
# 5. Python-level entry: a cached njit trampoline around the same intrinsic
# --------------------------------------------------------------------------------------
class Const:
    def __init__(self, val):
        self.val = val


class Active:
    def __init__(self, val):
        self.val = val


class Duplicated:
    def __init__(self, val, dval):
        self.val, self.dval = val, dval


_trampolines: dict = {}


def _trampoline(mode: str, acts: str, nvals: int):
    key = (mode, acts, nvals)
    t = _trampolines.get(key)
    if t is None:
        names = ", ".join(f"a{i}" for i in range(nvals))
        src = (f"def _enzpy_trampoline(f{', ' if nvals else ''}{names}):\n"
               f"    return autodiff_call(f, {mode!r}, {acts!r}{', ' if nvals else ''}{names})\n")
        ns = {"autodiff_call": autodiff_call}
        exec(compile(src, f"<enzpy trampoline {mode} {acts}>", "exec"), ns)
        t = _trampolines[key] = njit(ns["_enzpy_trampoline"])
    return t


def autodiff(mode: str, f, *args):
    """Differentiate njit function `f` from Python.

    Arguments are plain values (constant), ``Active(x)`` (reverse, float scalar) or
    ``Duplicated(x, dx)`` (array + shadow; float + tangent in forward mode).
    """
    acts, vals = [], []
    for a in args:
        if isinstance(a, Duplicated):
            acts.append("dup")
            vals += [a.val, a.dval]
        elif isinstance(a, Active):
            acts.append("active")
            vals.append(a.val)
        else:
            acts.append("const")
            vals.append(a.val if isinstance(a, Const) else a)
    return _trampoline(mode, ",".join(acts), len(vals))(f, *vals)


# --------------------------------------------------------------------------------------
# 6. StandinCore: a hand-written stand-in for enzpy._core.differentiate
# --------------------------------------------------------------------------------------
_LLTYPES = {"ptr": ir.IntType(8).as_pointer(), "double": ir.DoubleType(),
            "float": ir.FloatType(), "i64": ir.IntType(64), "i32": ir.IntType(32),
            "i8": ir.IntType(8), "i1": ir.IntType(1)}
_F64 = ir.DoubleType()
_I64 = ir.IntType(64)


class StandinCore:
    """Same API as ``enzpy._core.differentiate``; derivatives written by hand.

    Function shapes ("kinds") it knows, by the numba signature of the primal:
      square(x)   = x*x                 (float64 x)
      poly(x, y)  = x*x*y               (float64 x, y)
      sumsq(a)    = sum(a**2)           (float64 array, any ndim, any strides)
      dot(a, b)   = sum(a*b)            (two float64 arrays of the same shape)
    ``register(py_func, kind)`` tells it which kind an njit function is (matched by the
    function's name inside the mangled symbol).  It returns the primal module with the
    derivative function added, named Enzyme-style ``fwddiffe_<fn>`` / ``diffe_<fn>``
    (deliberately the same name for different activities, as a real core might).
    The primal is called for the primal value and the status code.
    """

    def __init__(self):
        self._kinds = {}
        self.calls = []

    def register(self, py_func, kind: str):
        if kind not in ("square", "poly", "sumsq", "dot"):
            raise ValueError(kind)
        fn = getattr(py_func, "py_func", py_func)
        self._kinds[fn.__name__] = kind
        return py_func

    def _kind(self, fn: str) -> str:
        for name, kind in self._kinds.items():
            if f"{len(name)}{name}B" in fn:
                return kind
        raise NotImplementedError(f"stand-in core: no hand-written derivative for {fn}")

    def differentiate(self, ir_text, fn, mode, args, ret, with_primal, opt_level=2):
        self.calls.append((fn, mode, tuple(args), ret, with_primal))
        kind = self._kind(fn)
        pmod = llb.parse_assembly(ir_text)
        pfn = pmod.get_function(fn)
        ptypes = [_LLTYPES[str(a.type)] for a in pfn.arguments]
        prt = _LLTYPES[str(pfn.global_value_type.get_function_return())]
        if len(args) != len(ptypes):
            raise ValueError(f"{len(args)} activities for {len(ptypes)} parameters")
        if ret != "const":
            raise NotImplementedError("stand-in: numba functions return an i32 status")

        m = ir.Module(name="standin")
        m.triple, m.data_layout = pmod.triple, pmod.data_layout
        primal = ir.Function(m, ir.FunctionType(prt, ptypes), name=fn)
        params, actives = [], []
        for t, a in zip(ptypes, args):
            params.append(t)
            if a in ("dup", "dupnoneed"):
                params.append(t)
        for t, a in zip(ptypes, args):
            if a == "active":
                actives.append(t)
        rt = ir.LiteralStructType(([prt] if with_primal else [])
                                  + (actives if mode == "reverse" else []))
        name = ("fwddiffe_" if mode == "forward" else "diffe_") + fn
        d = ir.Function(m, ir.FunctionType(rt, params), name=name)
        b = ir.IRBuilder(d.append_basic_block("entry"))
        # slots[i] = (primal value, shadow value or None)
        slots, it = [], iter(d.args)
        for a in args:
            v = next(it)
            slots.append((v, next(it) if a in ("dup", "dupnoneed") else None))
        status = b.call(primal, [v for v, _ in slots])
        getattr(self, "_" + kind)(b, mode, args, slots)
        out = ir.Constant(rt, ir.Undefined)
        k = 0
        if with_primal:
            out = b.insert_value(out, status, 0)
            k = 1
        for i, a in enumerate(args):
            if a == "active" and mode == "reverse":
                out = b.insert_value(out, self._adj.pop(0), k)
                k += 1
        b.ret(out)
        pmod.link_in(llb.parse_assembly(str(m)))
        return str(pmod), name

    # -- helpers ---------------------------------------------------------------------
    @staticmethod
    def _dptr(b, p):
        return b.bitcast(p, _F64.as_pointer())

    def _seed(self, b, slots):
        """Reverse: read the return seed from the shadow of retptr and zero it."""
        _, dret = slots[0]
        if dret is None:
            return ir.Constant(_F64, 0.0)
        p = self._dptr(b, dret)
        s = b.load(p)
        b.store(ir.Constant(_F64, 0.0), p)
        return s

    def _set_tangent(self, b, slots, t):
        _, dret = slots[0]
        if dret is not None:
            b.store(t, self._dptr(b, dret))

    def _tan(self, slots, i):
        return slots[i][1] if slots[i][1] is not None else ir.Constant(_F64, 0.0)

    def _arrays(self, slots, count):
        n = ((len(slots) - 2) // count - 5) // 2
        arrs = []
        for j in range(count):
            base = 2 + j * (5 + 2 * n)
            data, ddata = slots[base + 4]
            shape = [slots[base + 5 + k][0] for k in range(n)]
            strides = [slots[base + 5 + n + k][0] for k in range(n)]
            arrs.append((data, ddata, shape, strides))
        return arrs

    def _elem(self, b, data, idx, strides):
        off = ir.Constant(_I64, 0)
        for i, s in zip(idx, strides):
            off = b.add(off, b.mul(i, s))
        return self._dptr(b, b.gep(b.bitcast(data, ir.IntType(8).as_pointer()), [off]))

    # -- kinds -----------------------------------------------------------------------
    def _square(self, b, mode, args, slots):
        x = slots[2][0]
        two_x = b.fmul(ir.Constant(_F64, 2.0), x)
        if mode == "forward":
            self._set_tangent(b, slots, b.fmul(two_x, self._tan(slots, 2)))
            self._adj = []
        else:
            s = self._seed(b, slots)
            self._adj = [b.fmul(two_x, s)] if args[2] == "active" else []

    def _poly(self, b, mode, args, slots):
        x, y = slots[2][0], slots[3][0]
        dfdx = b.fmul(b.fmul(ir.Constant(_F64, 2.0), x), y)
        dfdy = b.fmul(x, x)
        if mode == "forward":
            t = b.fadd(b.fmul(dfdx, self._tan(slots, 2)), b.fmul(dfdy, self._tan(slots, 3)))
            self._set_tangent(b, slots, t)
            self._adj = []
        else:
            s = self._seed(b, slots)
            self._adj = [b.fmul(g, s) for g, a in ((dfdx, args[2]), (dfdy, args[3]))
                         if a == "active"]

    def _sumsq(self, b, mode, args, slots):
        (data, ddata, shape, strides), = self._arrays(slots, 1)
        self._adj = []
        if mode == "forward":
            acc = cgutils.alloca_once_value(b, ir.Constant(_F64, 0.0))
            if ddata is not None:
                with cgutils.loop_nest(b, shape, _I64) as idx:
                    x = b.load(self._elem(b, data, idx, strides))
                    dx = b.load(self._elem(b, ddata, idx, strides))
                    b.store(b.fadd(b.load(acc), b.fmul(b.fmul(ir.Constant(_F64, 2.0), x), dx)),
                            acc)
            self._set_tangent(b, slots, b.load(acc))
        else:
            s = self._seed(b, slots)
            if ddata is not None:
                with cgutils.loop_nest(b, shape, _I64) as idx:
                    x = b.load(self._elem(b, data, idx, strides))
                    p = self._elem(b, ddata, idx, strides)
                    b.store(b.fadd(b.load(p), b.fmul(b.fmul(ir.Constant(_F64, 2.0), x), s)), p)

    def _dot(self, b, mode, args, slots):
        (a, da, shape, sa), (c, dc, _, sc) = self._arrays(slots, 2)
        self._adj = []
        if mode == "forward":
            acc = cgutils.alloca_once_value(b, ir.Constant(_F64, 0.0))
            with cgutils.loop_nest(b, shape, _I64) as idx:
                av = b.load(self._elem(b, a, idx, sa))
                cv = b.load(self._elem(b, c, idx, sc))
                t = b.load(acc)
                if da is not None:
                    t = b.fadd(t, b.fmul(b.load(self._elem(b, da, idx, sa)), cv))
                if dc is not None:
                    t = b.fadd(t, b.fmul(av, b.load(self._elem(b, dc, idx, sc))))
                b.store(t, acc)
            self._set_tangent(b, slots, b.load(acc))
        else:
            s = self._seed(b, slots)
            with cgutils.loop_nest(b, shape, _I64) as idx:
                av = b.load(self._elem(b, a, idx, sa))
                cv = b.load(self._elem(b, c, idx, sc))
                if da is not None:
                    p = self._elem(b, da, idx, sa)
                    b.store(b.fadd(b.load(p), b.fmul(cv, s)), p)
                if dc is not None:
                    p = self._elem(b, dc, idx, sc)
                    b.store(b.fadd(b.load(p), b.fmul(av, s)), p)


#: the default backend until the real core is plugged in with set_backend(...)
STANDIN = StandinCore()
