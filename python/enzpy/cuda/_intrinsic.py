"""``autodiff_deferred`` inside ``@cuda.jit`` kernels: a numba-cuda ``@intrinsic``.

Typing time (when the kernel is compiled):

1. the device function is compiled for the argument types (``compile_cuda``, no GPU needed) and
   its modules are linked into one LLVM 22 module (:func:`get_cuda_primal`); libdevice math
   becomes libm names the core has rules for; LLVM's O2 runs on it (AD after optimization);
2. the annotations become per-LLVM-parameter activities (:mod:`._plan`);
3. the core synthesizes the derivative (``_core.differentiate``; reverse mode with
   ``atomic=True``: adjoints are accumulated into shadow memory with ``atomicrmw fadd``, since
   any number of threads may share a shadow); the result is checked, its entry renamed after a
   hash of the request, everything else made internal (:func:`get_cuda_derivative`).

Codegen: the derivative text becomes one more "module" of the kernel's ``CUDACodeLibrary`` (an
:class:`Llvm22Module`, linked with ``add_linking_library``), and the call is emitted: slots for
the result and its shadow (seed 1.0 for an Active result), the flattened arguments with each
shadow right after its primal parameter, numba's status check.

libNVVM cannot read LLVM 22 text, so a library holding such a module produces its PTX through
LLVM 22's NVPTX backend instead (:func:`install_library_hook` wraps
``CUDACodeLibrary.get_asm_strs``; libraries without enzpy derivatives are untouched). That is
what a launch on a real GPU (``kernel[grid, block](...)``) uses.
"""
from __future__ import annotations

import contextlib
import hashlib
import re
import threading
from dataclasses import dataclass

from numba.core import types

from .._errors import EnzpyError, EnzpyTypeError
from .._llvm_check import load_core
from .._numba_intrinsic import parse_request
from .._numba_primal import py_name
from .._numba_types import AnnotationType
from . import _llvm
from ._plan import CudaPlan, lltype_str, plan_cuda_call

OPT_LEVEL = 2
DEFAULT_CC = (9, 0)

_lock = threading.RLock()
_tls = threading.local()


# ------------------------------------------------------------------------ compute capability
@contextlib.contextmanager
def compiling_for(cc):
    """Device functions differentiated while this is active are compiled for `cc`."""
    stack = getattr(_tls, "cc", None)
    if stack is None:
        stack = _tls.cc = []
    stack.append(tuple(cc[:2]))
    try:
        yield
    finally:
        stack.pop()


def current_cc():
    stack = getattr(_tls, "cc", None)
    if stack:
        return stack[-1]
    from ._toolchain import gpu_available
    if gpu_available():
        from numba import cuda
        return tuple(cuda.get_current_device().compute_capability)
    return DEFAULT_CC


# ------------------------------------------------------------------------------ the primal
@dataclass(frozen=True)
class CudaPrimal:
    dispatcher: object
    argtypes: tuple
    restype: object
    name: str               # i32 name(ptr retptr, <expanded args>)
    ir: str                 # one LLVM 22 module: the device function and its callees


_primal_cache: dict = {}


def get_cuda_primal(dispatcher, argtypes, cc) -> CudaPrimal:
    """Compile the device function `dispatcher` for `argtypes` (no GPU needed) and return its IR."""
    from numba.cuda.compiler import compile_cuda
    argtypes = tuple(types.unliteral(t) for t in argtypes)
    key = (id(dispatcher), argtypes, tuple(cc))
    with _lock:
        hit = _primal_cache.get(key)
        if hit is not None and hit[0] is dispatcher:
            return hit[1]
        opts = dispatcher.targetoptions
        if not opts.get("device", False):
            raise EnzpyTypeError(f"enzpy.cuda: {py_name(dispatcher)} is a kernel; autodiff_deferred "
                                 "differentiates a device function: decorate it with "
                                 "@cuda.jit(device=True)")
        try:
            cres = compile_cuda(dispatcher.py_func, None, argtypes, cc=tuple(cc),
                                fastmath=bool(opts.get("fastmath", False)), lineinfo=True,
                                nvvm_options={"opt": 3})
        except Exception as e:      # noqa: BLE001 - numba's typing/lowering errors
            raise EnzpyError(f"enzpy.cuda: numba-cuda cannot compile {py_name(dispatcher)} for "
                             f"argument types {argtypes}: {e}") from None
        name = cres.fndesc.llvm_func_name
        text = _llvm.libdevice_to_libm(_llvm.link_texts(cres.library.llvm_strs, "device function"))
        text = _optimize_primal(text, name)
        primal = CudaPrimal(dispatcher, argtypes, cres.signature.return_type, name, text)
        _primal_cache[key] = (dispatcher, primal)
        return primal


def _optimize_primal(text: str, keep: str) -> str:
    """O2 on the device function's module (numba-cuda leaves optimization to NVVM): the core
    differentiates optimized IR. Only `keep` stays external."""
    tm = _llvm.nvptx_target_machine(DEFAULT_CC)
    mod = _llvm.parse(text, "device function")
    _llvm.internalize(mod, {keep})
    _llvm.run_o(mod, tm, 2)
    mod.verify()
    return str(mod)


# -------------------------------------------------------------------------- the derivative
@dataclass
class CudaDerivative:
    text: str
    name: str
    library: object = None


_deriv_cache: dict = {}
_stats = {"core_calls": 0}


def cache_info() -> dict:
    with _lock:
        return {"entries": len(_deriv_cache), "core_calls": _stats["core_calls"],
                "names": sorted(d.name for d in _deriv_cache.values())}


def _isolate(text: str, entry: str, new_name: str, plan: CudaPlan) -> str:
    mod = _llvm.parse(_llvm.device_heap_shims(text), "derivative")
    fn = mod.get_function(entry)
    got = re.sub(r"\s+", "", str(fn.global_value_type))
    want = re.sub(r"\s+", "", lltype_str(plan.deriv_fnty))
    if got != want:
        raise EnzpyError(f"enzpy internal error: derivative {entry} has type {got}, the CUDA "
                         f"bridge expects {want}")
    fn.name = new_name
    fn.linkage = "external"
    for f in mod.functions:
        if not f.is_declaration and f.name != new_name:
            f.linkage = "internal"
    for g in mod.global_variables:      # e.g. __shared__ arrays of the primal: private copies
        if not g.is_declaration and str(g.linkage) not in ("Linkage.common", "common",
                                                            "Linkage.internal", "internal",
                                                            "Linkage.private", "private"):
            g.linkage = "internal"
    mod.verify()
    return str(mod)


def get_cuda_derivative(primal: CudaPrimal, plan: CudaPlan) -> CudaDerivative:
    atomic = plan.direction == "reverse"
    key = (primal.name, primal.ir, plan.direction, plan.core_args, OPT_LEVEL, atomic)
    with _lock:
        d = _deriv_cache.get(key)
        if d is not None:
            return d
        core = load_core()
        _stats["core_calls"] += 1
        try:
            text, entry = core.differentiate(primal.ir, primal.name, plan.direction,
                                             list(plan.core_args), "const", True, OPT_LEVEL,
                                             atomic=atomic)
        except core.CoreError as e:
            raise EnzpyError(f"enzpy.cuda: cannot differentiate {py_name(primal.dispatcher)} in "
                             f"{plan.direction} mode for argument types {primal.argtypes}: {e}"
                             ) from None
        digest = hashlib.sha1(repr(key).encode()).hexdigest()[:16]
        name = f"__enzpy_cuda_{plan.direction}_{digest}"
        d = _deriv_cache[key] = CudaDerivative(_isolate(text, entry, name, plan), name)
        return d


class Llvm22Module:
    """A module of a ``CUDACodeLibrary`` given as LLVM 22 text (libNVVM cannot read it).

    ``CUDACodeLibrary`` only prints its modules (``llvm_strs``) and walks ``.functions`` of linked
    modules to set their linkage; this derivative's definitions are already internal but one."""

    functions = ()

    def __init__(self, text: str, name: str):
        self.text, self.name = text, name

    def __str__(self) -> str:
        return self.text


def library_for(context, d: CudaDerivative):
    with _lock:
        if d.library is None:
            lib = context.codegen().create_library(d.name)
            lib.add_ir_module(Llvm22Module(d.text, d.name))
            lib.finalize()
            d.library = lib
        return d.library


def has_llvm22(lib) -> bool:
    return any(isinstance(m, Llvm22Module) for m in lib.modules)


def library_ptx(lib, cc) -> str:
    """PTX of a ``CUDACodeLibrary`` through LLVM 22 (kernel + device functions + derivatives)."""
    entry = getattr(lib, "_entry_name", None)
    text = _llvm.link_texts(lib.llvm_strs)
    return _llvm.module_to_ptx(text, cc, [entry] if entry else [])


def install_library_hook() -> None:
    """Route ``CUDACodeLibrary`` objects that hold enzpy derivatives through LLVM 22's NVPTX
    backend (libraries without derivatives keep libNVVM)."""
    from numba.cuda.codegen import CUDACodeLibrary
    with _lock:
        if getattr(CUDACodeLibrary, "_enzpy_hooked", False):
            return
        orig_asm, orig_lto = CUDACodeLibrary.get_asm_strs, CUDACodeLibrary.get_ltoir

        def get_asm_strs(self, cc=None):
            if not has_llvm22(self):
                return orig_asm(self, cc)
            cc = self._ensure_cc(cc)
            hit = self._ptx_cache.get(cc)
            if hit:
                return hit
            ptxes = [library_ptx(self, cc)]
            self._ptx_cache[cc] = ptxes
            return ptxes

        def get_ltoir(self, cc=None):
            if has_llvm22(self):
                raise EnzpyError("enzpy.cuda: kernels that call autodiff_deferred cannot be "
                                 "compiled to LTO-IR (libNVVM cannot read the derivative); "
                                 "compile without lto")
            return orig_lto(self, cc)

        CUDACodeLibrary.get_asm_strs = get_asm_strs
        CUDACodeLibrary.get_ltoir = get_ltoir
        CUDACodeLibrary._enzpy_hooked = True


# ------------------------------------------------------------------------------ intrinsic
def _make_intrinsic():
    from numba.cuda import cgutils
    from numba.cuda.descriptor import cuda_target
    from numba.cuda.extending import intrinsic

    @intrinsic
    def cuda_autodiff_call(typingctx, mode, fn, args):
        """``cuda_autodiff_call(mode, device_fn, (RetAnnotation?, *annotated_args))``."""
        if not isinstance(fn, types.Dispatcher):
            raise EnzpyTypeError(f"enzpy.autodiff_deferred: the function must be a numba-cuda "
                                 f"device function (@cuda.jit(device=True)), got {fn}")
        m, ret_cls, specs, fname = parse_request(mode, fn, args)
        offset = len(args) - len(specs)
        context = cuda_target.target_context
        primal = get_cuda_primal(fn.dispatcher, tuple(s.val_type for s in specs), current_cc())
        plan = plan_cuda_call(context, m.direction, m.with_primal,
                              None if ret_cls is None else ret_cls.__name__, specs,
                              primal.restype, fname)
        deriv = get_cuda_derivative(primal, plan)
        sig = plan.out_type(mode, fn, args)

        def codegen(context, builder, signature, llargs):
            install_library_hook()
            argtys = list(signature.args[2])[offset:]
            values = cgutils.unpack_tuple(builder, llargs[2])[offset:]
            context.active_code_library.add_linking_library(library_for(context, deriv))
            callee = cgutils.get_or_insert_function(builder.module, plan.deriv_fnty, deriv.name)
            from numba.cuda.core.callconv import CUDACallConv
            callee_conv = CUDACallConv(context)         # the derivative's convention
            caller_conv = getattr(context.fndesc, "call_conv", None) or callee_conv
            restype = plan.restype
            retty = callee_conv.get_return_type(restype).pointee
            retslot = cgutils.alloca_once(builder, retty, name="enzpy.ret")
            dretslot = cgutils.alloca_once(builder, retty, name="enzpy.dret")
            builder.store(cgutils.get_null_value(retty), retslot)
            builder.store(cgutils.get_null_value(retty), dretslot)
            dup_ret = plan.core_args[0] == "dup"
            if plan.direction == "reverse" and dup_ret:
                seed = context.get_constant(restype, 1.0)
                builder.store(context.get_return_value(builder, restype, seed), dretslot)
            call = [retslot] + ([dretslot] if dup_ret else [])
            for spec, pos, ty, v in zip(plan.args, plan.shadow_pos, argtys, values):
                if isinstance(ty, AnnotationType):
                    s = cgutils.create_struct_proxy(ty)(context, builder, value=v)
                    pv = context.cast(builder, s.val, ty.val_type, spec.val_type)
                    sv = s.dval if ty.dval_type is not None else None
                else:
                    pv, sv = context.cast(builder, v, ty, spec.val_type), None
                flat = list(context.get_arg_packer([spec.val_type]).as_arguments(builder, [pv]))
                sflat = None
                if pos:
                    if isinstance(spec.val_type, types.Array):
                        sflat = list(context.get_arg_packer([ty.dval_type]).as_arguments(
                            builder, [sv]))
                    else:
                        sv = context.cast(builder, sv, ty.dval_type, spec.val_type)
                        sflat = list(context.get_arg_packer([spec.val_type]).as_arguments(
                            builder, [sv]))
                for k, fv in enumerate(flat):
                    call.append(fv)
                    if k in pos:
                        sval = sflat[k]
                        if sval.type != fv.type:        # e.g. the shadow array is 'A' layout
                            sval = builder.bitcast(sval, fv.type)
                        call.append(sval)
            res = builder.call(callee, call)
            status = callee_conv._get_return_status(builder, builder.extract_value(res, 0))
            with cgutils.if_unlikely(builder, status.is_error):
                caller_conv.return_status_propagate(builder, status)
            none = context.get_constant_null(types.none)

            def returned(slot):
                if restype is types.none:
                    return none
                return context.get_returned_value(builder, restype, builder.load(slot))

            out = []
            if plan.with_primal:
                out.append(returned(retslot))
            if plan.direction == "forward":
                if dup_ret:
                    out.append(returned(dretslot))
            else:
                k, adjs = 1, []
                for adj_ty in plan.adjoint_types:
                    if adj_ty is None:
                        adjs.append(none)
                    elif isinstance(adj_ty, types.BaseTuple):
                        parts = [builder.extract_value(res, k + i) for i in range(len(adj_ty))]
                        k += len(adj_ty)
                        adjs.append(context.make_tuple(builder, adj_ty, parts))
                    else:
                        adjs.append(builder.extract_value(res, k))
                        k += 1
                out.append(context.make_tuple(builder, signature.return_type[-1], adjs))
            return context.make_tuple(builder, signature.return_type, out)

        return sig, codegen

    return cuda_autodiff_call


cuda_autodiff_call = _make_intrinsic()

__all__ = ["cuda_autodiff_call", "get_cuda_primal", "get_cuda_derivative", "compiling_for",
           "current_cc", "install_library_hook", "library_ptx", "has_llvm22", "cache_info",
           "Llvm22Module", "CudaPrimal", "CudaDerivative"]
