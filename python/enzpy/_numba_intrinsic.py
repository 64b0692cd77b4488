"""The one mechanism behind :func:`enzpy.autodiff`: a numba ``@intrinsic``.

``autodiff_call(mode, f, seed, args)`` is typed when the *caller* is compiled: it compiles the primal
``f`` for the argument types, maps the annotations onto the core's per-LLVM-parameter activities
(:mod:`._numba_plan`), asks the core for the derivative (:mod:`._numba_derivative`, cached) and
types the result. Its codegen links the derivative's library into the caller and emits the call:
slots for the return value and its shadow (the reverse-mode seed), an excinfo slot, run-time checks
of shadow arrays, the flattened arguments with each shadow right after its primal parameter, and
numba's status propagation (exceptions raised by `f` propagate to the caller).

``@njit`` code reaches it through ``enzpy.autodiff`` (an ``@overload``), Python through a cached
njit trampoline (:mod:`._autodiff`): one mechanism for both.
"""
from __future__ import annotations

import inspect

from numba.core import cgutils, types
from numba.core.callconv import excinfo_ptr_t
from numba.core.extending import intrinsic
from numba.core.registry import cpu_target

from . import annotations as A
from ._errors import EnzpyError, EnzpyTypeError, EnzpyValueError
from ._numba_derivative import get_derivative, library_for
from ._numba_plan import ArgSpec, plan_call
from ._numba_primal import get_primal, py_name
from ._numba_types import AnnotationType, ModeType, annotation_class_of


def _param_names(dispatcher, n):
    try:
        params = list(inspect.signature(dispatcher.py_func).parameters.values())
    except (TypeError, ValueError):
        return [f"#{i}" for i in range(n)], None
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        return [p.name for p in params[:n]] + [f"#{i}" for i in range(len(params), n)], None
    return [p.name for p in params] + [f"#{i}" for i in range(len(params), n)], len(params)


def parse_request(mode, fn, args):
    """Check an autodiff request given as numba types; return (mode, ret class, ArgSpecs)."""
    if not isinstance(mode, ModeType):
        raise EnzpyTypeError(f"enzpy.autodiff: the first argument must be a mode (Forward, "
                             f"ForwardWithPrimal, Reverse, ReverseWithPrimal), got {mode}")
    m = mode.mode
    if m.split:
        raise EnzpyError(f"enzpy: {m.name} (split mode) is not supported yet; use "
                         "ReverseWithPrimal")
    if not isinstance(fn, types.Dispatcher):
        raise EnzpyTypeError(f"enzpy.autodiff: the function must be a numba.njit function, got "
                             f"{fn}; decorate it with @numba.njit")
    members = list(args)
    ret_cls = annotation_class_of(members[0]) if members else None
    if ret_cls is not None:
        members = members[1:]
        if not ret_cls.supported:
            raise EnzpyError(A.not_supported_message(ret_cls))
    fname = py_name(fn.dispatcher)
    names, nparams = _param_names(fn.dispatcher, len(members))
    if nparams is not None and nparams != len(members):
        raise EnzpyTypeError(f"enzpy: {fname} takes {nparams} arguments, {len(members)} given "
                             "(pass every argument explicitly, defaults are not filled in)")
    specs = []
    for name, ty in zip(names, members):
        if isinstance(ty, AnnotationType):
            specs.append(ArgSpec(ty.kind, types.unliteral(ty.val_type),
                                 None if ty.dval_type is None else types.unliteral(ty.dval_type),
                                 name))
        elif annotation_class_of(ty) is not None:
            cls = annotation_class_of(ty)
            raise EnzpyTypeError(f"enzpy: {fname}, argument {name!r}: the class {cls.__name__} "
                                 f"was given where a value is expected; write {cls.__name__}(x)"
                                 " (a return annotation may only come first)")
        else:
            specs.append(ArgSpec("Const", types.unliteral(ty), None, name))
    return m, ret_cls, specs, fname


@intrinsic
def autodiff_call(typingctx, mode, fn, seed, args):
    """``autodiff_call(mode, f, seed, (RetAnnotation?, *annotated_args))`` in njit code.

    `seed` is None (reverse mode: 1.0 for an Active float result) or the adjoint seed of the
    result (a float, or a tuple of floats for a tuple result).
    """
    m, ret_cls, specs, fname = parse_request(mode, fn, args)
    offset = len(args) - len(specs)
    seed_type = None if isinstance(seed, (types.NoneType, types.Omitted)) else types.unliteral(seed)
    primal = get_primal(fn.dispatcher, tuple(s.val_type for s in specs))
    context = cpu_target.target_context
    plan = plan_call(context, m.direction, m.with_primal,
                     None if ret_cls is None else ret_cls.__name__, specs, primal.restype,
                     fname, seed_type)
    deriv = get_derivative(primal, plan)
    sig = plan.out_type(mode, fn, seed, args)

    def codegen(context, builder, signature, llargs):
        argtys = list(signature.args[3])[offset:]
        values = cgutils.unpack_tuple(builder, llargs[3])[offset:]
        context.active_code_library.add_linking_library(library_for(context, deriv))
        callee = cgutils.get_or_insert_function(builder.module, plan.deriv_fnty, deriv.name)

        restype = plan.restype
        retty = context.call_conv.get_return_type(restype).pointee
        retslot = cgutils.alloca_once(builder, retty, name="enzpy.ret")
        dretslot = cgutils.alloca_once(builder, retty, name="enzpy.dret")
        builder.store(cgutils.get_null_value(retty), retslot)
        builder.store(cgutils.get_null_value(retty), dretslot)
        if plan.direction == "reverse" and plan.core_args[0] == "dup":
            if plan.seed_type is None:
                sv = context.get_constant(restype, 1.0)
            else:
                sv = context.cast(builder, llargs[2], signature.args[2], restype)
            builder.store(context.get_return_value(builder, restype, sv), dretslot)
        excslot = cgutils.alloca_once(builder, excinfo_ptr_t, name="enzpy.excinfo")

        call = [retslot] + ([dretslot] if plan.core_args[0] == "dup" else []) + [excslot]
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
                    _check_shadow_array(context, builder, spec, pv, sv, ty.dval_type)
                    sflat = list(context.get_arg_packer([ty.dval_type]).as_arguments(
                        builder, [sv]))
                else:
                    sv = context.cast(builder, sv, ty.dval_type, spec.val_type)
                    sflat = list(context.get_arg_packer([spec.val_type]).as_arguments(
                        builder, [sv]))
            for k, fv in enumerate(flat):
                call.append(fv)
                if k in pos:
                    call.append(sflat[k])
        res = builder.call(callee, call)

        status = context.call_conv._get_return_status(builder, builder.extract_value(res, 0),
                                                      builder.load(excslot))
        with cgutils.if_unlikely(builder, status.is_error):
            context.call_conv.return_status_propagate(builder, status)

        none = context.get_constant_null(types.none)

        def returned(slot):
            if restype is types.none:
                return none
            return context.get_returned_value(builder, restype, builder.load(slot))

        out = []
        if plan.with_primal:
            out.append(returned(retslot))
        if plan.direction == "forward":
            if plan.core_args[0] == "dup":
                out.append(returned(dretslot))
        else:
            k, adjs = 1, []
            for spec, adj_ty in zip(plan.args, plan.adjoint_types):
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


def _check_shadow_array(context, builder, spec, pv, sv, sty):
    """Run-time check: the shadow has the primal's shape and byte strides, and is not the primal.

    The core shadows only the data pointer, so it indexes the shadow with the primal's strides.
    """
    pa = context.make_array(spec.val_type)(context, builder, pv)
    sa = context.make_array(sty)(context, builder, sv)
    bad = cgutils.false_bit
    for x, y in zip(cgutils.unpack_tuple(builder, pa.shape) + cgutils.unpack_tuple(builder, pa.strides),
                    cgutils.unpack_tuple(builder, sa.shape) + cgutils.unpack_tuple(builder, sa.strides)):
        bad = builder.or_(bad, builder.icmp_signed("!=", x, y))
    with cgutils.if_unlikely(builder, bad):
        context.call_conv.return_user_exc(builder, EnzpyValueError, (
            f"enzpy: argument {spec.name!r}: the shadow array must have the same shape and "
            "strides as its primal array (for a strided view x = base[...], take the shadow as "
            "the same view of np.zeros_like(base))",))
    nonempty = builder.icmp_signed(">", pa.nitems, pa.nitems.type(0))
    same = builder.and_(builder.icmp_unsigned("==", pa.data, sa.data), nonempty)
    with cgutils.if_unlikely(builder, same):
        context.call_conv.return_user_exc(builder, EnzpyValueError, (
            f"enzpy: argument {spec.name!r}: the shadow is the primal array itself; pass a "
            "separate array, e.g. np.zeros_like(x)",))


__all__ = ["autodiff_call", "parse_request"]
