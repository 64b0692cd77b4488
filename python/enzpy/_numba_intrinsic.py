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
import threading

import llvmlite.ir as lir

from numba.core import cgutils, types
from numba.core.callconv import RETCODE_USEREXC, excinfo_ptr_t
from numba.core.extending import intrinsic
from numba.core.registry import cpu_target

from . import annotations as A
from ._errors import EnzpyError, EnzpyTypeError, EnzpyValueError
from ._numba_derivative import get_derivative, get_split_derivative, library_for, split_types
from ._numba_plan import ArgSpec, plan_call
from ._numba_primal import get_primal, py_name
from ._numba_rules import RULE_FAILED_WITHOUT_INFO, take_rule_failure_ir
from ._numba_types import AnnotationType, ModeType, annotation_class_of


def _param_names(dispatcher, n):
    try:
        params = list(inspect.signature(dispatcher.py_func).parameters.values())
    except (TypeError, ValueError):
        return [f"#{i}" for i in range(n)], None
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        return [p.name for p in params[:n]] + [f"#{i}" for i in range(len(params), n)], None
    return [p.name for p in params] + [f"#{i}" for i in range(len(params), n)], len(params)


def parse_request(mode, fn, args, split=False):
    """Check an autodiff request given as numba types; return (mode, ret class, ArgSpecs)."""
    if not isinstance(mode, ModeType):
        raise EnzpyTypeError(f"enzpy.autodiff: the first argument must be a mode (Forward, "
                             f"ForwardWithPrimal, Reverse, ReverseWithPrimal), got {mode}")
    m = mode.mode
    if m.split != split:
        raise EnzpyError(f"enzpy: {m.name} (split mode) is used through autodiff_thunk: "
                         "fwd, rev = autodiff_thunk(ReverseSplitWithPrimal, f, Active, ...)"
                         if m.split else f"enzpy: split mode needs ReverseSplitWithPrimal, got {m.name}")
    if fn is not None and not isinstance(fn, types.Dispatcher):
        raise EnzpyTypeError(f"enzpy.autodiff: the function must be a numba.njit function, got "
                             f"{fn}; decorate it with @numba.njit")
    members = list(args)
    ret_cls = annotation_class_of(members[0]) if members else None
    if ret_cls is not None:
        members = members[1:]
        if not ret_cls.supported:
            raise EnzpyError(A.not_supported_message(ret_cls))
    if fn is None:          # autodiff_call_at: a derivative already made, for any function
        fname, names, nparams = "f", [f"#{i}" for i in range(len(members))], None
    else:
        fname = py_name(fn.dispatcher)
        names, nparams = _param_names(fn.dispatcher, len(members))
    if nparams is not None and nparams != len(members):
        raise EnzpyTypeError(f"enzpy: {fname} takes {nparams} arguments, {len(members)} given "
                             "(pass every argument explicitly, defaults are not filled in)")
    specs = []
    for name, ty in zip(names, members):
        for t in (ty.val_type, ty.dval_type) if isinstance(ty, AnnotationType) else (ty,):
            if _has_float16(t):
                raise EnzpyTypeError(f"enzpy: {fname}, argument {name!r}: float16 is not "
                                     f"supported (got {types.unliteral(t)}); float32 and float64 "
                                     "are: convert it, e.g. np.float32(x) or x.astype(np.float32)")
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


def _has_float16(ty) -> bool:
    """Whether numba type `ty` is (or holds, as an array dtype or tuple member) a float16."""
    if ty is None:
        return False
    ty = types.unliteral(ty)
    if isinstance(ty, types.Array):
        return ty.dtype == types.float16
    if isinstance(ty, types.BaseTuple):
        return any(_has_float16(t) for t in ty)
    return ty == types.float16


def _typed_request(mode, fn, seed, args, split=False):
    """(plan, primal, offset) for an autodiff request typed by numba."""
    m, ret_cls, specs, fname = parse_request(mode, fn, args, split)
    offset = len(args) - len(specs)
    seed_type = None if isinstance(seed, (types.NoneType, types.Omitted)) else types.unliteral(seed)
    primal = get_primal(fn.dispatcher, tuple(s.val_type for s in specs))
    context = cpu_target.target_context
    plan = plan_call(context, m.direction, m.with_primal,
                     None if ret_cls is None else ret_cls.__name__, specs, primal.restype,
                     fname, seed_type)
    if split and plan.batched:
        raise EnzpyError(f"enzpy: {fname}: BatchDuplicated is not available in split mode "
                         "(ReverseSplit*); use autodiff(Reverse, ...), which runs all shadows in "
                         "one batched sweep")
    return plan, offset


@intrinsic
def autodiff_call(typingctx, mode, fn, seed, args):
    """``autodiff_call(mode, f, seed, (RetAnnotation?, *annotated_args))`` in njit code.

    `seed` is None (reverse mode: 1.0 for an Active float result) or the adjoint seed of the
    result (a float, or a tuple of floats for a tuple result).
    """
    plan, offset = _typed_request(mode, fn, seed, args)
    deriv = get_derivative(get_primal(fn.dispatcher, _val_types(plan)), plan)
    sig = plan.out_type(mode, fn, seed, args)

    def codegen(context, builder, signature, llargs):
        context.active_code_library.add_linking_library(library_for(context, deriv))
        callee = cgutils.get_or_insert_function(builder.module, plan.deriv_fnty, deriv.name)
        return _call_derivative(context, builder, plan, callee, signature.return_type,
                                (signature.args[2], llargs[2]), (signature.args[3], llargs[3]),
                                offset)

    return sig, codegen


class SignatureMismatch(Exception):
    """Raised by :func:`autodiff_call_at` when the derivative it is given was made for other
    argument types than its caller's (the caller then takes the path that types the call)."""


@intrinsic
def autodiff_call_at(typingctx, mode, restype, desc, seed, args):
    """``autodiff_call_at(mode, R, desc, seed, (RetAnnotation?, *annotated_args))``: like
    :func:`autodiff_call`, for a derivative already compiled to machine code (the core's JIT).

    `R` is the primal's return type (a numba type as a global), `desc` the address of a pair of
    uint64 ``(signature id, derivative address)``: the call goes to that address if the id is the
    one of this call's plan (:func:`signature_id`), else raises :class:`SignatureMismatch`. One
    compiled trampoline so serves every function with these argument types.
    """
    m, ret_cls, specs, _ = parse_request(mode, None, args)
    seed_type = None if isinstance(seed, (types.NoneType, types.Omitted)) else types.unliteral(seed)
    plan = plan_call(cpu_target.target_context, m.direction, m.with_primal,
                     None if ret_cls is None else ret_cls.__name__, specs, restype.instance_type,
                     "f", seed_type)
    sig = plan.out_type(mode, restype, desc, seed, args)

    def codegen(context, builder, signature, llargs):
        address = _descriptor_address(context, builder, plan, llargs[2], 1, False)
        callee = builder.inttoptr(address, plan.deriv_fnty.as_pointer())
        return _call_derivative(context, builder, plan, callee, signature.return_type,
                                (signature.args[3], llargs[3]), (signature.args[4], llargs[4]),
                                len(args) - len(specs))

    return sig, codegen


_signature_ids: dict = {}
_signature_lock = threading.Lock()


def signature_id(plan, split: bool = False) -> int:
    """A number (from 1) per distinct calling convention of a derivative (a split pair: both
    halves, whatever the seed's type): the plan without the names it carries for messages."""
    key = (split, plan.direction, plan.with_primal, plan.ret_kind, plan.restype,
           None if split else plan.seed_type, plan.width,
           tuple((s.kind, s.val_type, s.dval_type) for s in plan.args))
    with _signature_lock:
        return _signature_ids.setdefault(key, len(_signature_ids) + 1)


def _call_derivative(context, builder, plan, callee, return_type, seed, args, offset):
    """The call of derivative `callee` for `plan` with the autodiff arguments `args` and `seed`
    (each a (numba type, LLVM value) pair), and the result tuple of type `return_type`."""
    slots = _ReturnSlots(context, builder, plan, seed[0], seed[1])
    call = slots.leading() + _flat_arguments(context, builder, plan, args[0], args[1], offset)
    res = builder.call(callee, call)
    _propagate_status(context, builder, builder.extract_value(res, 0), slots.exc)
    out = []
    if plan.with_primal:
        out.append(slots.returned(slots.ret))
    if plan.direction == "forward":
        if plan.core_args[0] == "dup":
            tangents = [slots.returned(d) for d in slots.drets]
            out.append(context.make_tuple(builder, return_type[-1], tangents)
                       if plan.batched else tangents[0])
    else:
        out.append(_adjoint_tuple(context, builder, plan, res, 1, return_type[-1]))
    return context.make_tuple(builder, return_type, out)


@intrinsic
def split_forward_call(typingctx, mode, fn, args):
    """Split mode, augmented forward: ``(tape address, primal result)``. The tape is a heap
    ``{ptr data, i64 size, i64 capacity}`` (see :mod:`enzpy._split`); it is freed here if `f`
    raises."""
    plan, offset = _typed_request(mode, fn, types.none, args, split=True)
    deriv = get_split_derivative(get_primal(fn.dispatcher, _val_types(plan)), plan)
    aug_ty, _ = split_types(plan)
    sig = types.Tuple((types.uintp, plan.restype))(mode, fn, args)

    def codegen(context, builder, signature, llargs):
        context.active_code_library.add_linking_library(library_for(context, deriv))
        callee = cgutils.get_or_insert_function(builder.module, aug_ty, deriv.name)
        return _call_augmented(context, builder, plan, callee, signature.return_type,
                               (signature.args[2], llargs[2]), offset)

    return sig, codegen


@intrinsic
def split_reverse_call(typingctx, mode, fn, seed, tape, args):
    """Split mode, reverse: runs the reverse sweep on the tape made by :func:`split_forward_call`
    (seeded with `seed` for an Active result), frees the tape, returns the adjoint tuple."""
    plan, offset = _typed_request(mode, fn, seed, args, split=True)
    deriv = get_split_derivative(get_primal(fn.dispatcher, _val_types(plan)), plan)
    _, rev_ty = split_types(plan)
    sig = types.Tuple((plan.out_type[-1],))(mode, fn, seed, tape, args)

    def codegen(context, builder, signature, llargs):
        context.active_code_library.add_linking_library(library_for(context, deriv))
        callee = cgutils.get_or_insert_function(builder.module, rev_ty, deriv.reverse_name)
        return _call_reverse(context, builder, plan, callee, signature.return_type,
                             (signature.args[2], llargs[2]), llargs[3],
                             (signature.args[4], llargs[4]), offset)

    return sig, codegen


def _split_plan_at(mode, restype, seed, args):
    """(plan, offset) of a split-mode call through a descriptor (see :func:`autodiff_call_at`)."""
    m, ret_cls, specs, _ = parse_request(mode, None, args, split=True)
    seed_type = None if isinstance(seed, (types.NoneType, types.Omitted)) else types.unliteral(seed)
    plan = plan_call(cpu_target.target_context, m.direction, m.with_primal,
                     None if ret_cls is None else ret_cls.__name__, specs, restype.instance_type,
                     "f", seed_type)
    return plan, len(args) - len(specs)


def _descriptor_address(context, builder, plan, desc, which, split):
    """The address in slot `which` of the descriptor `desc` (uint64 words: signature id, entry
    addresses), after checking its signature id (else SignatureMismatch is raised)."""
    words = builder.inttoptr(desc, lir.IntType(64).as_pointer())
    got = builder.load(words)
    ident = signature_id(plan, split)
    with cgutils.if_unlikely(builder, builder.icmp_unsigned("!=", got, got.type(ident))):
        context.call_conv.return_user_exc(builder, SignatureMismatch, ())
    return builder.load(builder.gep(words, [cgutils.int32_t(which)]))


@intrinsic
def split_forward_call_at(typingctx, mode, restype, desc, args):
    """:func:`split_forward_call` for a split pair compiled by the core's JIT: `desc` holds
    (signature id, augmented forward address, reverse address), see :func:`autodiff_call_at`."""
    plan, offset = _split_plan_at(mode, restype, types.none, args)
    aug_ty, _ = split_types(plan)
    sig = types.Tuple((types.uintp, plan.restype))(mode, restype, desc, args)

    def codegen(context, builder, signature, llargs):
        address = _descriptor_address(context, builder, plan, llargs[2], 1, True)
        callee = builder.inttoptr(address, aug_ty.as_pointer())
        return _call_augmented(context, builder, plan, callee, signature.return_type,
                               (signature.args[3], llargs[3]), offset,
                               park=_park_slot(builder, llargs[2]))

    return sig, codegen


@intrinsic
def split_reverse_call_at(typingctx, mode, restype, desc, seed, tape, args):
    """:func:`split_reverse_call` for a split pair compiled by the core's JIT (see
    :func:`split_forward_call_at`)."""
    plan, offset = _split_plan_at(mode, restype, seed, args)
    _, rev_ty = split_types(plan)
    sig = types.Tuple((plan.out_type[-1],))(mode, restype, desc, seed, tape, args)

    def codegen(context, builder, signature, llargs):
        address = _descriptor_address(context, builder, plan, llargs[2], 2, True)
        callee = builder.inttoptr(address, rev_ty.as_pointer())
        return _call_reverse(context, builder, plan, callee, signature.return_type,
                             (signature.args[3], llargs[3]), llargs[4],
                             (signature.args[5], llargs[5]), offset,
                             park=_park_slot(builder, llargs[2]))

    return sig, codegen


def _park_slot(builder, desc):
    """The word of a split pair's descriptor (after its signature id and two addresses) that holds
    the tape buffer the last reverse half left for the next forward half, or 0."""
    words = builder.inttoptr(desc, lir.IntType(64).as_pointer())
    return builder.gep(words, [cgutils.int32_t(3)])


def _call_augmented(context, builder, plan, callee, return_type, args, offset, park=None):
    """The augmented forward call: a new tape (started on the buffer parked in `park`, if given),
    the call, the tape freed if `f` raised; returns (tape address, primal result)."""
    slots = _ReturnSlots(context, builder, plan, types.none, None)
    tape = _tape_new(context, builder)
    if park is not None:
        _tape_unpark(builder, tape, park)
    call = slots.leading() + _flat_arguments(context, builder, plan, args[0], args[1],
                                             offset) + [tape]
    res = builder.call(callee, call)
    status = builder.extract_value(res, 0)
    with cgutils.if_unlikely(builder, builder.icmp_signed("!=", status, status.type(0))):
        _tape_free(builder, tape)
    _propagate_status(context, builder, status, slots.exc)
    out = [builder.ptrtoint(tape, context.get_value_type(types.uintp)), slots.returned(slots.ret)]
    return context.make_tuple(builder, return_type, out)


def _call_reverse(context, builder, plan, callee, return_type, seed, tape, args, offset, park=None):
    """The reverse call on `tape` (an address), which it frees (its buffer parked in `park`, if
    given); returns the adjoint tuple."""
    slots = _ReturnSlots(context, builder, plan, seed[0], seed[1])
    tape_ptr = builder.inttoptr(tape, cgutils.voidptr_t)
    call = slots.leading() + _flat_arguments(context, builder, plan, args[0], args[1],
                                             offset) + [tape_ptr]
    res = builder.call(callee, call)
    if park is not None:
        _tape_park(builder, tape_ptr, park)
    _tape_free(builder, tape_ptr)
    adjs = _adjoint_tuple(context, builder, plan, res, 0, return_type[0])
    return context.make_tuple(builder, return_type, [adjs])


def _val_types(plan):
    return tuple(s.val_type for s in plan.args)


class _ReturnSlots:
    """Stack slots for the result, its shadow (reverse mode: holds the seed) and excinfo."""

    def __init__(self, context, builder, plan, seed_ty, seed_val):
        self.context, self.builder, self.plan = context, builder, plan
        restype = plan.restype
        retty = context.call_conv.get_return_type(restype).pointee
        self.ret = cgutils.alloca_once(builder, retty, name="enzpy.ret")
        self.drets = [cgutils.alloca_once(builder, retty, name="enzpy.dret")
                      for _ in range(plan.width)]
        self.dret = self.drets[0]
        for slot in [self.ret] + self.drets:
            builder.store(cgutils.get_null_value(retty), slot)
        if plan.direction == "reverse" and plan.core_args[0] == "dup":
            if isinstance(seed_ty, (types.NoneType, types.Omitted)):
                sv = context.get_constant(restype, 1.0)
            else:
                sv = context.cast(builder, seed_val, seed_ty, restype)
            for slot in self.drets:     # batched: every lane is seeded alike
                builder.store(context.get_return_value(builder, restype, sv), slot)
        self.exc = cgutils.alloca_once(builder, excinfo_ptr_t, name="enzpy.excinfo")

    def leading(self):
        """retptr[, its shadow], excinfo: the first parameters of every derivative."""
        return [self.ret] + (self.drets if self.plan.core_args[0] == "dup" else []) + [self.exc]

    def returned(self, slot):
        restype = self.plan.restype
        if restype is types.none:
            return self.context.get_constant_null(types.none)
        return self.context.get_returned_value(self.builder, restype, self.builder.load(slot))


def _flat_arguments(context, builder, plan, args_ty, args_val, offset):
    """The flattened arguments, each shadow right after its primal parameter (with run-time
    checks of shadow arrays)."""
    argtys = list(args_ty)[offset:]
    values = cgutils.unpack_tuple(builder, args_val)[offset:]
    call = []
    for spec, pos, ty, v in zip(plan.args, plan.shadow_pos, argtys, values):
        if isinstance(ty, AnnotationType):
            s = cgutils.create_struct_proxy(ty)(context, builder, value=v)
            pv = context.cast(builder, s.val, ty.val_type, spec.val_type)
            sv = s.dval if ty.dval_type is not None else None
        else:
            pv, sv = context.cast(builder, v, ty, spec.val_type), None
        flat = list(context.get_arg_packer([spec.val_type]).as_arguments(builder, [pv]))
        sflats = []
        if pos:
            if spec.kind == "BatchDuplicated":
                sty = ty.dval_type.dtype
                shadows = cgutils.unpack_tuple(builder, sv)
            else:
                sty, shadows = ty.dval_type, [sv]
            if spec.kind == "MixedDuplicated":
                _check_mixed_shadows(context, builder, spec, pv, sv, ty.dval_type)
            for sv in shadows:
                if isinstance(spec.val_type, types.Array):
                    _check_shadow_array(context, builder, spec, pv, sv, sty)
                    sflats.append(list(context.get_arg_packer([sty]).as_arguments(builder, [sv])))
                else:
                    if spec.kind == "MixedDuplicated":     # member by member: a namedtuple's
                        sv = context.make_tuple(builder, spec.val_type, [   # shadow may be a tuple
                            context.cast(builder, builder.extract_value(sv, i), st, t)
                            for i, (t, st) in enumerate(zip(spec.val_type, sty))])
                    else:
                        sv = context.cast(builder, sv, sty, spec.val_type)
                    sflats.append(list(context.get_arg_packer([spec.val_type]).as_arguments(
                        builder, [sv])))
            if spec.kind == "BatchDuplicated" and isinstance(spec.val_type, types.Array) \
                    and len(shadows) > 1:
                _check_distinct_shadows(context, builder, spec, pv, shadows, sty)
        for k, fv in enumerate(flat):
            call.append(fv)
            if k in pos:
                call += [sflat[k] for sflat in sflats]
    return call


def _check_mixed_shadows(context, builder, spec, pv, sv, sty):
    """Run-time checks of the array members of a MixedDuplicated tuple and their shadows."""
    for i, (t, st) in enumerate(zip(spec.val_type, sty)):
        if isinstance(t, types.Array):
            member = ArgSpec(spec.kind, t, st, f"{spec.name}[{i}]")
            _check_shadow_array(context, builder, member, builder.extract_value(pv, i),
                                builder.extract_value(sv, i), st)


def _propagate_status(context, builder, code, excslot):
    """numba's status check: an exception raised by `f` propagates to the caller; so does one that
    a custom rule raised where numba's code around the call does not look (its augmented or
    reverse part, or a function numba compiled as unable to raise): the rule adapters leave it in
    enzpy's rule-failure slot (:func:`enzpy._numba_rules.take_rule_failure_ir`)."""
    failed = take_rule_failure_ir(builder)
    # (a status without its exception: numba's callers of a rule target that cannot raise dropped it)
    use = builder.and_(cgutils.is_not_null(builder, failed),
                       builder.or_(builder.icmp_signed("==", code, code.type(0)),
                                   cgutils.is_null(builder, builder.load(excslot))))
    with cgutils.if_unlikely(builder, use):
        no_info = builder.icmp_unsigned("==", builder.ptrtoint(failed, cgutils.intp_t),
                                        cgutils.intp_t(RULE_FAILED_WITHOUT_INFO))
        with cgutils.if_unlikely(builder, no_info):
            context.call_conv.return_user_exc(builder, EnzpyError, (
                "enzpy: an exception was raised inside a custom rule (enzpy.rules), and its "
                "message is lost",))
        builder.store(builder.bitcast(failed, excslot.type.pointee), excslot)
    code = builder.select(use, RETCODE_USEREXC, code)
    status = context.call_conv._get_return_status(builder, code, builder.load(excslot))
    # a user exception without its info: raised by a custom rule inside a function that numba
    # compiled as unable to raise (its callers dropped the exception's info)
    lost = builder.and_(status.is_user_exc, cgutils.is_null(builder, status.excinfoptr))
    with cgutils.if_unlikely(builder, lost):
        context.call_conv.return_user_exc(builder, EnzpyError, (
            "enzpy: an exception was raised inside a custom rule (enzpy.rules) for a function "
            "that itself never raises, so numba's code for its callers cannot carry it; the "
            "rule's error message is lost: make the rule raise only where its function raises",))
    with cgutils.if_unlikely(builder, status.is_error):
        context.call_conv.return_status_propagate(builder, status)


def _adjoint_tuple(context, builder, plan, res, first, adj_tuple_type):
    """The per-argument adjoint tuple from the derivative's result struct (adjoints of the
    Active parameters from member `first` on, each once per lane; None for the other arguments).
    Batched: each argument's adjoint is the tuple of its lanes' adjoints."""
    k, adjs = first, []
    none = context.get_constant_null(types.none)
    for adj_ty, out_ty in zip(plan.adjoint_types, adj_tuple_type):
        if adj_ty is None:
            adjs.append(none)
            continue
        tuple_adj = isinstance(adj_ty, types.BaseTuple)  # tuple of floats; MixedDuplicated: None
        lanes = [[] for _ in range(plan.width)]           # for its array members
        for member in (adj_ty if tuple_adj else [adj_ty]):
            for parts in lanes:
                if member is types.none:
                    parts.append(none)
                else:
                    parts.append(builder.extract_value(res, k))
                    k += 1
        per_lane = [context.make_tuple(builder, adj_ty, parts) if tuple_adj else parts[0]
                    for parts in lanes]
        adjs.append(context.make_tuple(builder, out_ty, per_lane) if plan.batched
                    else per_lane[0])
    return context.make_tuple(builder, adj_tuple_type, adjs)


_TAPE_BYTES = 24    # { ptr data, i64 size, i64 capacity }, zero-initialized


def _tape_new(context, builder):
    calloc = cgutils.get_or_insert_function(
        builder.module, lir.FunctionType(cgutils.voidptr_t, [cgutils.intp_t, cgutils.intp_t]),
        "calloc")
    tape = builder.call(calloc, [cgutils.intp_t(1), cgutils.intp_t(_TAPE_BYTES)])
    with cgutils.if_unlikely(builder, cgutils.is_null(builder, tape)):
        context.call_conv.return_user_exc(builder, MemoryError,
                                          ("enzpy: out of memory for a split-mode tape",))
    return tape


# A split pair's tape buffer outlives its reverse half: parked in the pair's descriptor, the next forward
# half starts on it instead of growing a fresh buffer by doubling (each growth a realloc, the pages faulted
# in and zeroed again). As the core does for combined derivatives: atomic exchanges (concurrent calls are
# safe, one of them reuses the buffer), the capacity kept in the buffer's first word while parked, buffers
# above _PARK_LIMIT freed.
_PARK_LIMIT = 256 << 20


def _tape_words(builder, tape):
    words = builder.bitcast(tape, lir.IntType(64).as_pointer())
    data = builder.bitcast(tape, cgutils.voidptr_t.as_pointer())
    return data, builder.gep(words, [cgutils.int32_t(2)])


def _tape_unpark(builder, tape, park):
    parked = builder.atomic_rmw("xchg", park, park.type.pointee(0), "acquire")
    with builder.if_then(builder.icmp_unsigned("!=", parked, parked.type(0))):
        data_slot, cap_slot = _tape_words(builder, tape)
        buf = builder.inttoptr(parked, cgutils.voidptr_t)
        builder.store(builder.load(builder.bitcast(buf, lir.IntType(64).as_pointer())), cap_slot)
        builder.store(buf, data_slot)


def _tape_park(builder, tape, park):
    """Parks the tape's buffer (and frees the one parked before); leaves the tape without one."""
    free = cgutils.get_or_insert_function(
        builder.module, lir.FunctionType(lir.VoidType(), [cgutils.voidptr_t]), "free")
    data_slot, cap_slot = _tape_words(builder, tape)
    buf = builder.load(data_slot)
    cap = builder.load(cap_slot)
    keep = builder.and_(builder.icmp_unsigned("!=", buf, buf.type(None)),
                        builder.icmp_unsigned("<=", cap, cap.type(_PARK_LIMIT)))
    with builder.if_then(keep):
        builder.store(cap, builder.bitcast(buf, lir.IntType(64).as_pointer()))
        old = builder.atomic_rmw("xchg", park, builder.ptrtoint(buf, park.type.pointee), "acq_rel")
        builder.call(free, [builder.inttoptr(old, cgutils.voidptr_t)])
        builder.store(buf.type(None), data_slot)


def _tape_free(builder, tape):
    free = cgutils.get_or_insert_function(
        builder.module, lir.FunctionType(lir.VoidType(), [cgutils.voidptr_t]), "free")
    data_slot, _ = _tape_words(builder, tape)
    builder.call(free, [builder.load(data_slot)])
    builder.call(free, [tape])


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
    with cgutils.if_unlikely(builder, _extents_overlap(builder, pa, pa.data, sa.data)):
        context.call_conv.return_user_exc(builder, EnzpyValueError, (
            f"enzpy: argument {spec.name!r}: the shadow overlaps the primal array in memory; "
            "pass a separate array, e.g. np.zeros_like(x)",))


def _extents_overlap(builder, pa, p_data, s_data):
    """Whether two non-empty arrays of the shape and byte strides of `pa` (an array struct),
    with data pointers `p_data` and `s_data`, have overlapping byte extents: each spans
    ``itemsize + sum(|(shape[k] - 1) * strides[k]|)`` bytes from its lowest element, and the two
    lowest elements lie ``|s_data - p_data|`` apart."""
    i64 = lir.IntType(64)
    span = builder.zext(pa.itemsize, i64) if pa.itemsize.type.width < 64 else pa.itemsize
    for n, st in zip(cgutils.unpack_tuple(builder, pa.shape),
                     cgutils.unpack_tuple(builder, pa.strides)):
        ext = builder.mul(builder.sub(n, n.type(1)), st)
        neg = builder.icmp_signed("<", ext, ext.type(0))
        span = builder.add(span, builder.select(neg, builder.neg(ext), ext))
    d = builder.sub(builder.ptrtoint(s_data, i64), builder.ptrtoint(p_data, i64))
    dist = builder.select(builder.icmp_signed("<", d, d.type(0)), builder.neg(d), d)
    nonempty = builder.icmp_signed(">", pa.nitems, pa.nitems.type(0))
    return builder.and_(nonempty, builder.icmp_unsigned("<", dist, span))


def _check_distinct_shadows(context, builder, spec, pv, shadows, sty):
    """Run-time check of a BatchDuplicated array: no two of its shadows share memory (called
    after each shadow was checked to have the primal's shape and strides)."""
    pa = context.make_array(spec.val_type)(context, builder, pv)
    datas = [context.make_array(sty)(context, builder, sv).data for sv in shadows]
    bad = cgutils.false_bit
    for i in range(len(datas)):
        for j in range(i + 1, len(datas)):
            bad = builder.or_(bad, _extents_overlap(builder, pa, datas[i], datas[j]))
    with cgutils.if_unlikely(builder, bad):
        context.call_conv.return_user_exc(builder, EnzpyValueError, (
            f"enzpy: argument {spec.name!r}: the shadows of a BatchDuplicated array must be "
            "separate arrays (two of them share memory)",))


__all__ = ["autodiff_call", "autodiff_call_at", "signature_id", "SignatureMismatch",
           "split_forward_call_at", "split_reverse_call_at", "split_forward_call", "split_reverse_call", "parse_request"]
