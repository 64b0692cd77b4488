"""Binding registered rules (:mod:`enzpy.rules`) into a differentiation request.

The core calls a custom rule with its own convention (docs/c-abi.md): for a callee
``T g(P1 p1, ..., Pn pn)`` every rule takes each LLVM parameter followed by its shadow; forward
returns ``{T, T}``, augmented ``{T, ptr tape}``, reverse takes the pairs then the tape and returns one
adjoint per floating-point parameter. ``g`` here is numba's native function
``i32 g(ptr retptr, ptr excinfo, <flattened arguments>)``, and the user's rules are njit functions
of numba values. For each overload of a rule target that the primal calls, this module writes small
LLVM *adapters* (with numba's own code generator) that rebuild numba values from the flattened
parameters (a shadow array is the primal array with the shadow's data pointer), call the user's
rule through a glue njit function (numba's calling convention: exceptions propagate through
``excinfo``), store the result and its tangent through ``retptr`` and its shadow, and carry the
rule's tape in a heap box from the augmented call to the reverse call.
"""
from __future__ import annotations

import ctypes

import llvmlite.binding as llb
import llvmlite.ir as lir
from numba.core import cgutils, errors, types
from numba.core.registry import cpu_target

from . import rules as R
from ._errors import EnzpyError, EnzpyTypeError
from ._numba_plan import ARRAY_DATA_INDEX

_I32 = lir.IntType(32)
_PTR = cgutils.voidptr_t

# ------------------------------------------------------------------------------ rule failures
# numba's code around a call to a rule target checks its status, but the augmented and reverse parts
# of a rule run where no such check is (and numba drops the check after a target that cannot raise).
# So an adapter whose rule raised leaves the exception (numba's excinfo pointer, or
# RULE_FAILED_WITHOUT_INFO) in a process-wide slot, and the code that called the derivative takes it
# from there and raises it (_numba_intrinsic._propagate_status). One slot for all threads: when two
# threads' rules raise at the same time, one exception may surface in the other thread.
_FAILURE_SYMBOL = "__enzpy_rule_failure"
_failure_slot = ctypes.c_void_p(0)
llb.add_symbol(_FAILURE_SYMBOL, ctypes.addressof(_failure_slot))
RULE_FAILED_WITHOUT_INFO = 1


def _failure_global(module):
    gv = module.globals.get(_FAILURE_SYMBOL)
    if gv is None:
        gv = lir.GlobalVariable(module, _PTR, _FAILURE_SYMBOL)
        gv.linkage = "external"
    return gv


def take_rule_failure_ir(builder):
    """IR: the exception a rule left in the slot (null if none), emptying the slot."""
    gv = _failure_global(builder.module)
    seen = builder.load_atomic(gv, "monotonic", 8)
    out = cgutils.alloca_once_value(builder, lir.Constant(_PTR, None))
    with cgutils.if_unlikely(builder, cgutils.is_not_null(builder, seen)):
        builder.store(builder.atomic_rmw("xchg", gv, lir.Constant(_PTR, None), "acq_rel"), out)
    return builder.load(out)


def _record_failure(builder, status, excinfo):
    """IR for an adapter: when the rule's status is an error, leave its exception in the slot."""
    with cgutils.if_unlikely(builder, builder.icmp_signed("!=", status, _I32(0))):
        info = builder.bitcast(builder.load(excinfo), _PTR)
        none = lir.Constant(lir.IntType(64), RULE_FAILED_WITHOUT_INFO).inttoptr(_PTR)
        info = builder.select(cgutils.is_null(builder, info), none, info)
        # the first exception stays (a reverse sweep goes on after a failed augmented call)
        builder.cmpxchg(_failure_global(builder.module), lir.Constant(_PTR, None), info, "acq_rel",
                        "monotonic")


class Bindings:
    """What one request needs from the rule registry."""

    def __init__(self):
        self.rules = {}          # callee symbol -> [forward, augmented, reverse] adapter names
        self.inactive = []       # callee symbols
        self.libraries = []      # numba libraries of the glue functions
        self.module = None       # llvmlite.ir module with the adapters, or None

    @property
    def empty(self) -> bool:
        return not self.rules and not self.inactive


def bind(primal_ir: str, direction: str) -> Bindings:
    """Adapters for every registered rule whose target the primal module calls."""
    out = Bindings()
    registered = R.registered()
    if not registered:
        return out
    context = cpu_target.target_context.subtarget(enable_nrt=True)
    for target, rule in registered:
        for cres in list(target.overloads.values()):
            sym = cres.fndesc.mangled_name
            if f"@{sym}(" not in primal_ir and f'@"{sym}"(' not in primal_ir:
                continue
            if rule.inactive:
                out.inactive.append(sym)
                continue
            if out.module is None:
                out.module = lir.Module(name="enzpy_rules")
            if direction == "forward" and rule.forward is not None:
                out.rules[sym] = [_forward_adapter(context, out, rule, cres), "", ""]
            elif direction == "reverse" and rule.reverse is not None:
                aug, tape_t = _augmented_adapter(context, out, rule, cres)
                out.rules[sym] = ["", aug, _reverse_adapter(context, out, rule, cres, tape_t)]
    return out


def link_into(primal_ir: str, b: Bindings) -> str:
    """The primal module text with the adapters linked in."""
    if b.module is None:
        return primal_ir
    mod = llb.parse_assembly(primal_ir)
    mod.link_in(llb.parse_assembly(str(b.module)))
    return str(mod)


# ------------------------------------------------------------------------------ helpers
def _compile(glue, argtypes, role, target):
    try:
        if argtypes not in glue.overloads:
            glue.compile(argtypes)
        cres = glue.overloads[argtypes]
    except (errors.TypingError, EnzpyError) as e:
        raise EnzpyTypeError(f"enzpy.rules: the {role} for {R._name(target)} does not compile for "
                             f"the argument types {argtypes}: {str(e).splitlines()[0]}") from None
    return cres


def _signature(cres):
    sig = cres.signature
    for i, t in enumerate(sig.args):
        if not isinstance(t, (types.Float, types.Integer, types.Boolean)) and not (
                isinstance(t, types.Array) and isinstance(t.dtype, types.Float)):
            raise EnzpyError(f"enzpy.rules: {R._name(cres.fndesc)} argument {i} has type {t}; "
                             "rule targets take floats, float arrays and integers")
    if not isinstance(sig.return_type, types.Float):
        raise EnzpyError(f"enzpy.rules: {cres.fndesc.qualname} returns {sig.return_type}; rule "
                         "targets return a float")
    return tuple(sig.args), sig.return_type


def _adapter(module, name, ret, params):
    fn = lir.Function(module, lir.FunctionType(ret, params), name=name)
    fn.linkage = "external"
    return fn, lir.IRBuilder(fn.append_basic_block("entry"))


class _Frame:
    """The numba values of one adapter call: primal arguments and their shadows (tangents)."""

    def __init__(self, context, builder, argtypes, prim, shad):
        self.context, self.builder = context, builder
        packer = context.get_arg_packer(list(argtypes))
        self.xs = list(packer.from_arguments(builder, prim))
        flat, self.scratch, k = [], [], 0
        for t in argtypes:
            n = len(context.get_arg_packer([t]).argument_types)
            if isinstance(t, types.Array):
                fields = list(prim[k:k + n])
                fields[0] = lir.Constant(fields[0].type, None)         # no meminfo / parent
                fields[1] = lir.Constant(fields[1].type, None)
                fields[ARRAY_DATA_INDEX] = self._data_or_scratch(
                    shad[k + ARRAY_DATA_INDEX], prim[k + 2], prim[k + 3])
                flat += fields
            else:
                flat += list(shad[k:k + n])
            k += n
        self.ds = list(packer.from_arguments(builder, flat))

    def _data_or_scratch(self, data, nitems, itemsize):
        """The shadow's data, or zeroed scratch memory where the caller has no shadow."""
        b = self.builder
        calloc = cgutils.get_or_insert_function(
            b.module, lir.FunctionType(_PTR, [cgutils.intp_t, cgutils.intp_t]), "calloc")
        null = cgutils.is_null(b, data)
        slot = cgutils.alloca_once_value(b, data)
        with b.if_then(null):
            b.store(b.bitcast(b.call(calloc, [nitems, itemsize]), data.type), slot)
        ptr = b.load(slot)
        self.scratch.append((null, ptr))
        return ptr

    def free_scratch(self):
        b = self.builder
        free = cgutils.get_or_insert_function(b.module, lir.FunctionType(lir.VoidType(), [_PTR]),
                                              "free")
        for null, ptr in self.scratch:
            with b.if_then(null):
                b.call(free, [b.bitcast(ptr, _PTR)])

    def call(self, cres, args, excinfo):
        """Calls the glue function (numba's convention); returns (status, result value)."""
        ctx, b = self.context, self.builder
        callee = ctx.declare_function(b.module, cres.fndesc)
        rty = cres.signature.return_type
        slot = cgutils.alloca_once(b, ctx.call_conv.get_return_type(rty).pointee)
        b.store(cgutils.get_null_value(slot.type.pointee), slot)
        flat = list(ctx.get_arg_packer(list(cres.signature.args)).as_arguments(b, args))
        status = b.call(callee, [slot, excinfo] + flat)
        return status, ctx.get_returned_value(b, rty, b.load(slot))


def _array_fields(context, argtypes, flat):
    """(type, first index in `flat`) of each array argument's fields in the flattened arguments."""
    out, k = [], 0
    for t in argtypes:
        if isinstance(t, types.Array):
            out.append((t, k))
        k += len(context.get_arg_packer([t]).argument_types)
    return out


def _extent(b, t, flat, k):
    """(lowest address, bytes) of the memory array argument `t` (fields from flat[k]) spans."""
    nitems, itemsize, data = flat[k + 2], flat[k + 3], flat[k + ARRAY_DATA_INDEX]
    shape = flat[k + ARRAY_DATA_INDEX + 1:k + ARRAY_DATA_INDEX + 1 + t.ndim]
    strides = flat[k + ARRAY_DATA_INDEX + 1 + t.ndim:k + ARRAY_DATA_INDEX + 1 + 2 * t.ndim]
    zero = cgutils.intp_t(0)
    lo, hi = zero, zero
    for n, st in zip(shape, strides):
        ext = b.mul(b.sub(n, cgutils.intp_t(1)), st)
        neg = b.icmp_signed("<", ext, zero)
        lo = b.add(lo, b.select(neg, ext, zero))
        hi = b.add(hi, b.select(neg, zero, ext))
    nbytes = b.select(b.icmp_signed(">", nitems, zero), b.add(b.sub(hi, lo), itemsize), zero)
    return b.gep(b.bitcast(data, _PTR), [lo]), nbytes


def _snapshot_arrays(context, b, argtypes, flat, box, offset):
    """Copies of the array arguments' memory into malloc'ed blocks, their addresses stored in `box`
    from byte `offset` on: a reverse rule reads the arguments as they were at the call, whatever the
    function or the caller writes into them afterwards (split mode: before the reverse pass)."""
    malloc = cgutils.get_or_insert_function(b.module, lir.FunctionType(_PTR, [cgutils.intp_t]), "malloc")
    for i, (t, k) in enumerate(_array_fields(context, argtypes, flat)):
        lo, nbytes = _extent(b, t, flat, k)
        copy = b.call(malloc, [b.add(nbytes, cgutils.intp_t(1))])
        cgutils.raw_memcpy(b, copy, lo, nbytes, 1)
        b.store(copy, b.bitcast(b.gep(box, [cgutils.intp_t(offset + 8 * i)]), _PTR.as_pointer()))


def _with_snapshots(context, b, argtypes, flat, box, offset):
    """`flat` with the data pointers of the array arguments moved into their copies in `box`, and
    the copies (to free after the call)."""
    flat, copies = list(flat), []
    for i, (t, k) in enumerate(_array_fields(context, argtypes, flat)):
        copy = b.load(b.bitcast(b.gep(box, [cgutils.intp_t(offset + 8 * i)]), _PTR.as_pointer()))
        lo, _ = _extent(b, t, flat, k)
        data = flat[k + ARRAY_DATA_INDEX]
        delta = b.sub(b.ptrtoint(data, cgutils.intp_t), b.ptrtoint(lo, cgutils.intp_t))
        flat[k + ARRAY_DATA_INDEX] = b.bitcast(b.gep(copy, [delta]), data.type)
        copies.append(copy)
    return flat, copies


def _free_snapshots(b, box, offset, narrays):
    """Frees the copies in `box`, then the box."""
    free = cgutils.get_or_insert_function(b.module, lir.FunctionType(lir.VoidType(), [_PTR]), "free")
    for i in range(narrays):
        b.call(free, [b.load(b.bitcast(b.gep(box, [cgutils.intp_t(offset + 8 * i)]), _PTR.as_pointer()))])
    b.call(free, [box])


def _pair_params(fnty):
    return [t for p in fnty.args for t in (p, p)]


def _store_result(context, b, restype, value, from_type, ptr):
    value = context.cast(b, value, from_type, restype)
    b.store(context.get_return_value(b, restype, value), ptr)


def _member(context, b, tup_type, tup, i, role, target):
    if not isinstance(tup_type, types.BaseTuple) or len(tup_type) != 2:
        raise EnzpyTypeError(f"enzpy.rules: the {role} for {R._name(target)} must return a pair, "
                             f"got {tup_type}")
    return tup_type[i], b.extract_value(tup, i)


# ------------------------------------------------------------------------------ adapters
def _forward_adapter(context, out, rule, cres) -> str:
    argtypes, restype = _signature(cres)
    target = rule.target
    glue = _compile(rule.forward, argtypes + argtypes, "forward rule", target)
    out.libraries.append(glue.library)
    fnty = context.call_conv.get_function_type(restype, list(argtypes))
    name = f"__enzpy_rule_forward.{cres.fndesc.mangled_name}"
    fn, b = _adapter(out.module, name, lir.LiteralStructType([_I32, _I32]), _pair_params(fnty))
    prim, shad = fn.args[0::2], fn.args[1::2]
    frame = _Frame(context, b, argtypes, prim[2:], shad[2:])
    status, res = frame.call(glue, frame.xs + frame.ds, prim[1])
    frame.free_scratch()
    _record_failure(b, status, prim[1])
    with b.if_then(b.icmp_signed("==", status, _I32(0))):
        rty = glue.signature.return_type
        yt, y = _member(context, b, rty, res, 0, "forward rule", target)
        dyt, dy = _member(context, b, rty, res, 1, "forward rule", target)
        for what, t in (("result", yt), ("tangent", dyt)):
            if not isinstance(t, (types.Float, types.Integer, types.Boolean)):
                raise EnzpyTypeError(
                    f"enzpy.rules: the forward rule for {R._name(target)} must return (result, "
                    f"tangent) as two numbers for a function that returns {restype}, but its "
                    f"{what} is {t} (rule returns {rty})")
        _store_result(context, b, restype, y, yt, prim[0])
        with b.if_then(cgutils.is_not_null(b, shad[0])):
            _store_result(context, b, restype, dy, dyt, shad[0])
    agg = b.insert_value(lir.Constant(fn.ftype.return_type, None), status, 0)
    b.ret(agg)
    return name


def _augmented_adapter(context, out, rule, cres):
    argtypes, restype = _signature(cres)
    target = rule.target
    glue = _compile(rule.augmented, argtypes, "augmented rule", target)
    out.libraries.append(glue.library)
    rty = glue.signature.return_type
    if not isinstance(rty, types.BaseTuple) or len(rty) != 2:
        raise EnzpyTypeError(f"enzpy.rules: the augmented rule for {R._name(target)} must return "
                             f"(result, tape), got {rty}")
    tape_t = rty[1]
    fnty = context.call_conv.get_function_type(restype, list(argtypes))
    name = f"__enzpy_rule_augmented.{cres.fndesc.mangled_name}"
    fn, b = _adapter(out.module, name, lir.LiteralStructType([_I32, _PTR]), _pair_params(fnty))
    prim, shad = fn.args[0::2], fn.args[1::2]
    # the box: the rule's tape, then the copies of the array arguments (_snapshot_arrays)
    data_t = context.get_data_type(tape_t)
    offset = (context.get_abi_sizeof(data_t) + 7) // 8 * 8
    narrays = len(_array_fields(context, argtypes, prim[2:]))
    malloc = cgutils.get_or_insert_function(b.module, lir.FunctionType(_PTR, [cgutils.intp_t]), "malloc")
    box = b.call(malloc, [cgutils.intp_t(max(offset + 8 * narrays, 1))])
    _snapshot_arrays(context, b, argtypes, prim[2:], box, offset)
    frame = _Frame(context, b, argtypes, prim[2:], shad[2:])
    status, res = frame.call(glue, frame.xs, prim[1])
    frame.free_scratch()
    _record_failure(b, status, prim[1])
    box_slot = cgutils.alloca_once_value(b, lir.Constant(_PTR, None))
    with b.if_else(b.icmp_signed("==", status, _I32(0))) as (ok, failed):
        with ok:
            _store_result(context, b, restype, b.extract_value(res, 0), rty[0], prim[0])
            dm = context.data_model_manager[tape_t]
            b.store(dm.as_data(b, b.extract_value(res, 1)), b.bitcast(box, data_t.as_pointer()))
            b.store(box, box_slot)
        with failed:   # no tape: the reverse part does nothing (the exception is on its way)
            _free_snapshots(b, box, offset, narrays)
    agg = b.insert_value(lir.Constant(fn.ftype.return_type, None), status, 0)
    b.ret(b.insert_value(agg, b.load(box_slot), 1))
    return name, tape_t


def _reverse_adapter(context, out, rule, cres, tape_t) -> str:
    argtypes, restype = _signature(cres)
    target = rule.target
    glue = _compile(rule.reverse, argtypes + argtypes + (tape_t, restype), "reverse rule", target)
    out.libraries.append(glue.library)
    fnty = context.call_conv.get_function_type(restype, list(argtypes))
    float_params = [t for t in fnty.args[2:] if isinstance(t, (lir.DoubleType, lir.FloatType))]
    name = f"__enzpy_rule_reverse.{cres.fndesc.mangled_name}"
    fn, b = _adapter(out.module, name, lir.LiteralStructType(float_params),
                     _pair_params(fnty) + [_PTR])
    prim, shad, box = fn.args[0:-1:2], fn.args[1:-1:2], fn.args[-1]
    with cgutils.if_unlikely(b, cgutils.is_null(b, box)):   # the augmented part failed
        b.ret(lir.Constant(fn.ftype.return_type, None))
    data_t = context.get_data_type(tape_t)
    offset = (context.get_abi_sizeof(data_t) + 7) // 8 * 8
    flat, copies = _with_snapshots(context, b, argtypes, prim[2:], box, offset)
    frame = _Frame(context, b, argtypes, flat, shad[2:])
    dm = context.data_model_manager[tape_t]
    tape = dm.from_data(b, b.load(b.bitcast(box, data_t.as_pointer())))
    retty = context.call_conv.get_return_type(restype).pointee
    zero_slot = cgutils.alloca_once_value(b, cgutils.get_null_value(retty))
    dy_ptr = b.select(cgutils.is_null(b, shad[0]), zero_slot, shad[0])
    dy = context.get_returned_value(b, restype, b.load(dy_ptr))
    b.store(cgutils.get_null_value(retty), dy_ptr)
    status, res = frame.call(glue, frame.xs + frame.ds + [tape, dy], prim[1])
    frame.free_scratch()
    _record_failure(b, status, prim[1])
    context.nrt.decref(b, tape_t, tape)
    _free_snapshots(b, box, offset, len(copies))
    agg = lir.Constant(fn.ftype.return_type, None)
    rty = glue.signature.return_type
    floats = [t for t in argtypes if isinstance(t, types.Float)]
    for i, t in enumerate(floats):
        v = context.cast(b, b.extract_value(res, i), rty[i], t)
        agg = b.insert_value(agg, v, i)
    b.ret(agg)
    return name


__all__ = ["Bindings", "bind", "link_into"]
