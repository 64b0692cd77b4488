"""Activity mapping: Python-level annotations -> one core activity per LLVM parameter.

numba's native signature is ``i32 f(ptr retptr, ptr excinfo, <arguments expanded>)``:

* float64 / float32 -> one ``double`` / ``float``; ints -> ``i64``...; bool -> ``i8``;
* UniTuple / Tuple -> each member in turn;
* Array(dtype, ndim, layout) -> ``ptr meminfo, ptr parent, i64 nitems, i64 itemsize, ptr data,
  i64 shape[ndim], i64 strides[ndim]`` (strides in bytes; the layout does not change this).

Only an array's ``data`` pointer gets a shadow; the rest is constant, so the core indexes the
shadow with the *primal's* shape and strides (the bridge checks at run time that they match).
The return value lives behind ``retptr``: ``dup`` when the result is differentiated (reverse: its
shadow holds the seed; forward: it receives the tangent), else ``const``. The i32 status is the
core's return value ("const", requested with the primal so that errors propagate).
"""
from __future__ import annotations

from dataclasses import dataclass

import llvmlite.ir as lir
from numba.core import types

from ._errors import EnzpyError, EnzpyTypeError, EnzpyValueError

class ArrayReturnError(EnzpyError):
    """The function returns an array (handled by the Python entry in forward mode)."""


ARRAY_DATA_INDEX = 4        # meminfo, parent, nitems, itemsize, DATA, shape..., strides...


@dataclass(frozen=True)
class ArgSpec:
    """One argument as given: its annotation kind and the numba types of its value and shadow."""
    kind: str               # "Const" | "Active" | "Duplicated" | "DuplicatedNoNeed" | "BatchDuplicated"
    val_type: object
    dval_type: object = None
    name: str = "?"         # the Python parameter name, for messages


@dataclass(frozen=True)
class Plan:
    direction: str          # "forward" | "reverse"
    with_primal: bool
    ret_kind: str           # "Active" | "Const" | "Duplicated"
    restype: object
    args: tuple             # ArgSpec per argument of f
    shadow_pos: tuple       # per argument: flat indices that get a shadow / tangent right after
    core_args: tuple        # one activity per LLVM parameter (retptr, excinfo, args...)
    adjoint_types: tuple    # per argument: numba type of its adjoint (reverse), or None
    seed_type: object       # numba type of the reverse-mode seed, or None (1.0)
    deriv_fnty: lir.FunctionType
    out_type: object        # numba type of autodiff's result
    width: int = 1          # lanes: shadows per shadowed parameter, seeds and adjoints per lane
    batched: bool = False   # BatchDuplicated arguments: tangents / adjoints come as N-tuples
    array_data: tuple = ()  # LLVM parameter index of each array argument's data pointer


def float_leaves(ty):
    """The member types if `ty` is a float or a tuple of floats, else None."""
    if isinstance(ty, types.Float):
        return [ty]
    if isinstance(ty, types.BaseTuple) and len(ty) and all(isinstance(t, types.Float) for t in ty):
        return list(ty)
    return None


def _is_float_array(ty) -> bool:
    return isinstance(ty, types.Array) and isinstance(ty.dtype, types.Float)


def _describe(ty) -> str:
    if isinstance(ty, types.Array):
        return f"a {ty.ndim}-d {ty.dtype} array"
    return str(ty)


def _flat_types(context, ty):
    return list(context.get_arg_packer([ty]).argument_types)


def _arg_activities(context, direction: str, a: ArgSpec, fname: str):
    """(flat core activities, flat indices with a shadow, adjoint type) of one argument."""
    ty = types.unliteral(a.val_type)
    where = f"enzpy: {fname}, argument {a.name!r}"
    nflat = len(_flat_types(context, ty))
    if a.kind == "Const":
        return ["const"] * nflat, (), None
    leaves = float_leaves(ty)
    if a.kind == "Active":
        if direction != "reverse":
            raise EnzpyTypeError(f"{where}: Active is for reverse mode; in forward mode pass "
                                 "Duplicated(x, dx) with the tangent dx")
        if isinstance(ty, types.Array):
            raise EnzpyTypeError(f"{where}: Active(x) is for float scalars, not {_describe(ty)}; "
                                 "an array needs a shadow: Duplicated(x, dx) with "
                                 "dx = np.zeros_like(x)")
        if leaves is None:
            raise EnzpyTypeError(f"{where}: Active(x) needs a float or a tuple of floats, got "
                                 f"{ty}; write a float (3.0, not 3) or pass it as Const(x)")
        return ["active"] * nflat, (), ty
    if a.kind == "MixedDuplicated":
        return _mixed_activities(context, direction, ty, types.unliteral(a.dval_type), where)
    if a.kind not in ("Duplicated", "DuplicatedNoNeed", "BatchDuplicated"):
        raise EnzpyError(f"{where}: unknown annotation {a.kind}")
    dup = "dupnoneed" if a.kind == "DuplicatedNoNeed" else "dup"
    sty = types.unliteral(a.dval_type)
    if a.kind == "BatchDuplicated":
        sty = batch_shadow_type(sty, where)
    if isinstance(ty, types.Array):
        if not _is_float_array(ty):
            raise EnzpyTypeError(f"{where}: only float32 and float64 arrays can be "
                                 f"{a.kind}, got {_describe(ty)}; pass it as Const(x)")
        if not isinstance(sty, types.Array) or sty.ndim != ty.ndim or sty.dtype != ty.dtype:
            raise EnzpyTypeError(f"{where}: the shadow must be an array of the same shape and "
                                 f"dtype as the primal ({_describe(ty)}), got {_describe(sty)}; "
                                 "make it with np.zeros_like(x)")
        if not sty.mutable:
            raise EnzpyValueError(f"{where}: the shadow array is read-only; enzpy writes "
                                  "derivatives into it: pass a writable array")
        assert nflat == 5 + 2 * ty.ndim, (ty, nflat)
        acts = ["const"] * nflat
        acts[ARRAY_DATA_INDEX] = dup
        return acts, (ARRAY_DATA_INDEX,), None
    if leaves is not None:
        if direction != "forward":
            raise EnzpyTypeError(f"{where}: a float is Duplicated(x, dx) only in forward mode; "
                                 "in reverse mode pass Active(x): its adjoint is returned")
        sleaves = (float_leaves(sty) if isinstance(sty, types.BaseTuple)
                   else [sty] if isinstance(sty, types.Number) else None)
        if sleaves is None or len(sleaves) != len(leaves) or not all(
                isinstance(t, (types.Float, types.Integer)) for t in sleaves):
            raise EnzpyTypeError(f"{where}: the tangent of {ty} must be a number of the same "
                                 f"structure, got {sty}")
        return [dup] * nflat, tuple(range(nflat)), None
    raise EnzpyTypeError(f"{where}: {a.kind} needs a float array (or, in forward mode, a float "
                         f"or tuple of floats), got {_describe(ty)}; pass it as Const(x)")


def _mixed_activities(context, direction, ty, sty, where):
    """MixedDuplicated(x, dx) for a tuple x of floats and float arrays (other members constant):
    float members are active (reverse: their adjoints are returned) or take their tangent from the
    same member of dx (forward); array members are duplicated with the same member of dx as
    shadow."""
    if not isinstance(ty, types.BaseTuple) or not len(ty):
        raise EnzpyTypeError(f"{where}: MixedDuplicated(x, dx) is for a tuple of floats and "
                             f"arrays, got {_describe(ty)}; use Active or Duplicated")
    if not isinstance(sty, types.BaseTuple) or len(sty) != len(ty):
        raise EnzpyTypeError(f"{where}: the shadow of MixedDuplicated(x, dx) is a tuple with "
                             f"one member per member of x ({len(ty)}), got {sty}")
    acts, pos, adjs, off = [], [], [], 0
    for i, (t, st) in enumerate(zip(ty, sty)):
        n = len(_flat_types(context, t))
        if isinstance(t, types.Float):
            if not isinstance(st, (types.Float, types.Integer)):
                raise EnzpyTypeError(f"{where}: member {i} of the shadow must be a number "
                                     f"(the float's tangent, or 0.0), got {st}")
            acts.append("active" if direction == "reverse" else "dup")
            if direction == "forward":
                pos.append(off)
            adjs.append(t)
        elif _is_float_array(t):
            if not isinstance(st, types.Array) or st.ndim != t.ndim or st.dtype != t.dtype:
                raise EnzpyTypeError(f"{where}: member {i} of the shadow must be an array like "
                                     f"member {i} of x ({_describe(t)}), got {_describe(st)}")
            if not st.mutable:
                raise EnzpyValueError(f"{where}: member {i} of the shadow is read-only; enzpy "
                                      "writes derivatives into it")
            part = ["const"] * n
            part[ARRAY_DATA_INDEX] = "dup"
            acts += part
            pos.append(off + ARRAY_DATA_INDEX)
            adjs.append(types.none)
        else:
            acts += ["const"] * n
            adjs.append(types.none)
        off += n
    adj = types.Tuple(tuple(adjs)) if direction == "reverse" else None
    return acts, tuple(pos), adj


def batch_shadow_type(sty, where: str):
    """The type of each shadow of a BatchDuplicated argument (a homogeneous tuple)."""
    if not isinstance(sty, types.UniTuple) or len(sty) < 1:
        raise EnzpyTypeError(f"{where}: BatchDuplicated(x, (dx1, ..., dxN)) needs a tuple of "
                             f"shadows of one type, got {sty}")
    return sty.dtype


def batch_width(args, where: str) -> int:
    """N of BatchDuplicated arguments (1 when there are none): all shadowed arguments must be
    BatchDuplicated with the same N."""
    widths = {len(types.unliteral(a.dval_type)) for a in args if a.kind == "BatchDuplicated"
              and isinstance(types.unliteral(a.dval_type), types.BaseTuple)}
    if not widths:
        return 1
    plain = [a.name for a in args if a.kind in ("Duplicated", "DuplicatedNoNeed",
                                                "MixedDuplicated")]
    if plain:
        raise EnzpyTypeError(f"{where}: argument {plain[0]!r} is not BatchDuplicated but others are "
                             "BatchDuplicated: in batch mode every shadowed argument is "
                             "BatchDuplicated(x, (dx1, ..., dxN)) with the same N")
    if len(widths) > 1:
        raise EnzpyTypeError(f"{where}: the BatchDuplicated arguments have different numbers of "
                             f"shadows ({sorted(widths)}); give each the same N")
    (n,) = widths
    if n > 64:
        raise EnzpyValueError(f"{where}: at most 64 shadows per BatchDuplicated argument, got {n}")
    return n


def _holds_floats(ty) -> bool:
    """Whether a result of numba type `ty` carries a derivative: a float, a float array, or a
    tuple with such a member."""
    if isinstance(ty, types.Float) or _is_float_array(ty):
        return True
    return isinstance(ty, types.BaseTuple) and any(_holds_floats(t) for t in ty)


def default_return_kind(direction: str, restype, fname: str = "f", seed_type=None) -> str:
    """The return annotation when none is given, as Enzyme.jl guesses it: Active for a float
    result in reverse mode (for a tuple of floats too when a seed is given), Duplicated for a
    float (or tuple of floats) result in forward mode (an array result: see ArrayReturnError),
    Const for a result without a derivative (None, integers, bools). A result that carries a
    derivative these cannot take (reverse mode: a tuple or an array; forward mode: a tuple
    holding an array or an integer) is an error rather than a silent Const (Enzyme.jl raises
    for it too): the caller says what it wants."""
    leaves = float_leaves(restype)
    if direction == "reverse":
        if isinstance(restype, types.Float) or (leaves is not None and seed_type is not None):
            return "Active"
        if not _holds_floats(restype):
            return "Const"
        if leaves is not None:
            how = ("an Active result is seeded per member: use a thunk with the seed last, "
                   "autodiff_thunk(Reverse, f, Active, ...)(Const(f), ..., (s1, ..., sn)) (a "
                   "vector-Jacobian product), or jacobian(Reverse, f, x) for every row")
        else:
            how = ("reverse mode cannot seed an array result: write it into an output argument "
                   "y, pass Duplicated(y, dy) (dy holds the seed) and return None")
        raise EnzpyTypeError(
            f"enzpy: {fname} returns {_describe(restype)} and no return annotation was given: "
            f"{how}; or pass Const as the return annotation to ignore the result's derivative "
            "(then only what f writes into Duplicated arrays is differentiated)")
    if leaves is not None:
        return "Duplicated"
    if isinstance(restype, types.Array) or not _holds_floats(restype):
        return "Const"
    raise EnzpyTypeError(
        f"enzpy: {fname} returns {_describe(restype)} and no return annotation was given: "
        "forward mode returns the tangent of a float, of a tuple of floats or (called from "
        "Python) of an array, not of this result; return those parts separately (or write an "
        "array into an output argument Duplicated(y, dy)), or pass Const as the return "
        "annotation to ignore the result's derivative")


def _return_activity(context, direction, ret_kind, restype, seed_type, fname):
    where = f"enzpy: {fname}, return annotation {ret_kind}"
    if isinstance(restype, types.Array) or context.data_model_manager[restype].has_nrt_meminfo():
        raise ArrayReturnError(
            f"enzpy: {fname} returns {_describe(restype)}: differentiating a function that returns "
            "an array (or other memory numba manages) is supported only in forward mode and only "
            "when autodiff is called from Python; otherwise write the result into an output array "
            "argument y, annotate it Duplicated(y, dy) (reverse mode: dy holds the seed), and "
            "return None")
    leaves = float_leaves(restype)
    if ret_kind == "Const":
        if seed_type is not None:
            raise EnzpyTypeError(f"{where}: a seed is only meaningful for an Active return")
        return "const"
    if ret_kind == "Active":
        if direction != "reverse":
            raise EnzpyTypeError(f"{where}: Active is a reverse-mode return annotation; in "
                                 "forward mode use Duplicated (tangent of the result) or Const")
        if restype is types.none:
            raise EnzpyTypeError(f"{where}: the function returns None; use Const as the return "
                                 "annotation (outputs written into Duplicated arrays take their "
                                 "adjoint seed from the shadow)")
        if isinstance(restype, types.Float):
            return "dup"
        if leaves is not None and seed_type is not None:
            return "dup"
        raise EnzpyTypeError(f"{where}: an Active result must be a float, got {restype}; return "
                             "a scalar (or use jacobian for several outputs)")
    if ret_kind in ("Duplicated", "DuplicatedNoNeed"):
        if direction != "forward":
            raise EnzpyTypeError(f"{where}: in reverse mode a float result is Active and a "
                                 "result written into memory is Const")
        if leaves is None:
            raise EnzpyTypeError(f"{where}: a Duplicated result must be a float or a tuple of "
                                 f"floats, got {restype}; use Const")
        return "dup"
    raise EnzpyTypeError(f"{where}: {ret_kind} cannot annotate a return value; use Active, "
                         "Const or Duplicated")


def plan_call(context, direction: str, with_primal: bool, ret_kind, args, restype, fname="f",
              seed_type=None) -> Plan:
    """Check the request and map it onto the core's per-LLVM-parameter activities."""
    restype = types.unliteral(restype)
    width = batch_width(args, f"enzpy: {fname}")
    batched = any(a.kind == "BatchDuplicated" for a in args)
    if ret_kind == "BatchDuplicated":
        ret_kind = "Duplicated"
    if ret_kind is None:
        ret_kind = default_return_kind(direction, restype, fname, seed_type)
    if ret_kind == "DuplicatedNoNeed":
        ret_kind = "Duplicated"
    ret_act = _return_activity(context, direction, ret_kind, restype, seed_type, fname)
    core_args = [ret_act, "const"]                # retptr, excinfo
    shadow_pos, adjoints, active_lltypes = [], [], []
    array_data = []
    for a in args:
        acts, pos, adj = _arg_activities(context, direction, a, fname)
        if isinstance(types.unliteral(a.val_type), types.Array):
            array_data.append(len(core_args) + ARRAY_DATA_INDEX)
        core_args += acts
        shadow_pos.append(pos)
        adjoints.append(adj)
        if adj is not None:
            members = [m for m in adj if m is not types.none] if isinstance(
                adj, types.BaseTuple) else [adj]
            for m in members:       # the core returns each Active parameter's adjoint per lane
                active_lltypes += [t for t in _flat_types(context, m) for _ in range(width)]

    argtypes = [types.unliteral(a.val_type) for a in args]
    primal_fnty = context.call_conv.get_function_type(restype, argtypes)
    params = []
    for p, act in zip(primal_fnty.args, core_args):
        params.append(p)
        if act in ("dup", "dupnoneed"):
            params += [p] * width
    deriv_fnty = lir.FunctionType(
        lir.LiteralStructType([primal_fnty.return_type] + active_lltypes), params)

    if direction == "reverse":
        adjs = types.Tuple(tuple(types.none if t is None else types.UniTuple(t, width)
                                 if batched else t for t in adjoints))
        out = types.Tuple((restype, adjs)) if with_primal else types.Tuple((adjs,))
    else:
        tangent = types.UniTuple(restype, width) if batched else restype
        members = ([restype] if with_primal else []) + ([tangent] if ret_act == "dup" else [])
        out = types.Tuple(tuple(members))
    return Plan(direction, with_primal, ret_kind, restype, tuple(args), tuple(shadow_pos),
                tuple(core_args), tuple(adjoints), seed_type, deriv_fnty, out, width, batched,
                tuple(array_data))


def lltype_str(t) -> str:
    """Print an llvmlite.ir type the way LLVM 22 does (opaque pointers)."""
    if isinstance(t, lir.PointerType):
        return "ptr"
    if isinstance(t, lir.LiteralStructType):
        return "{ " + ", ".join(lltype_str(e) for e in t.elements) + " }" if t.elements else "{}"
    if isinstance(t, lir.FunctionType):
        return f"{lltype_str(t.return_type)} ({', '.join(lltype_str(a) for a in t.args)})"
    return str(t)


__all__ = ["ArrayReturnError", "ArgSpec", "Plan", "plan_call", "float_leaves", "default_return_kind", "lltype_str"]
