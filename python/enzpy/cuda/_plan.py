"""Annotations -> one core activity per LLVM parameter, for numba-cuda's device functions.

numba-cuda's device calling convention (``CUDACallConv``) is the CPU one without ``excinfo``::

    i32 f(<restype>* retptr, <arguments expanded as on the CPU>)

(arrays: ``ptr meminfo, ptr parent, i64 nitems, i64 itemsize, ptr data, i64 shape[n],
i64 strides[n]``). The per-argument rules (which flat slot gets a shadow, which are active) are the
CPU bridge's (:mod:`enzpy._numba_plan`); only the leading parameters differ: ``retptr`` alone.
"""
from __future__ import annotations

from dataclasses import dataclass

import llvmlite.ir as lir
from numba.core import types

from .._numba_plan import (_arg_activities, _return_activity, default_return_kind,
                           float_leaves, lltype_str)

__all__ = ["CudaPlan", "plan_cuda_call", "lltype_str", "float_leaves"]


@dataclass(frozen=True)
class CudaPlan:
    direction: str
    with_primal: bool
    ret_kind: str
    restype: object
    args: tuple             # ArgSpec per argument
    shadow_pos: tuple       # per argument: flat indices followed by a shadow / tangent
    core_args: tuple        # one activity per LLVM parameter (retptr, args...)
    adjoint_types: tuple    # per argument: numba type of its adjoint (reverse) or None
    deriv_fnty: lir.FunctionType
    out_type: object        # numba type of autodiff_deferred's result


def plan_cuda_call(context, direction: str, with_primal: bool, ret_kind, args, restype,
                   fname="f") -> CudaPlan:
    restype = types.unliteral(restype)
    if ret_kind is None:
        ret_kind = default_return_kind(direction, restype)
    if ret_kind == "DuplicatedNoNeed":
        ret_kind = "Duplicated"
    ret_act = _return_activity(context, direction, ret_kind, restype, None, fname)
    core_args = [ret_act]                       # retptr; no excinfo on CUDA
    shadow_pos, adjoints, active_lltypes = [], [], []
    for a in args:
        acts, pos, adj = _arg_activities(context, direction, a, fname)
        core_args += acts
        shadow_pos.append(pos)
        adjoints.append(adj)
        if adj is not None:
            active_lltypes += list(context.get_arg_packer([types.unliteral(a.val_type)])
                                   .argument_types)
    argtypes = [types.unliteral(a.val_type) for a in args]
    from numba.cuda.core.callconv import CUDACallConv     # the device-function convention
    primal_fnty = CUDACallConv(context).get_function_type(restype, argtypes)
    params = []
    for p, act in zip(primal_fnty.args, core_args):
        params.append(p)
        if act in ("dup", "dupnoneed"):
            params.append(p)
    deriv_fnty = lir.FunctionType(
        lir.LiteralStructType([primal_fnty.return_type] + active_lltypes), params)
    if direction == "reverse":
        adjs = types.Tuple(tuple(t if t is not None else types.none for t in adjoints))
        out = types.Tuple((restype, adjs)) if with_primal else types.Tuple((adjs,))
    else:
        members = ([restype] if with_primal else []) + ([restype] if ret_act == "dup" else [])
        out = types.Tuple(tuple(members))
    return CudaPlan(direction, with_primal, ret_kind, restype, tuple(args), tuple(shadow_pos),
                    tuple(core_args), tuple(adjoints), deriv_fnty, out)
