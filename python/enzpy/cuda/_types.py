"""The annotations and ``autodiff_deferred`` in numba-cuda's target.

numba-cuda reads numba's own typing registrations (so ``Reverse``, ``Active(x)``,
``Duplicated(x, dx)`` and ``Const`` type in kernels exactly as in ``@njit`` code, with
:mod:`enzpy._numba_types`), but the CPU lowering of the annotation constructors takes NRT
references, and NRT is off in CUDA kernels. The constructors are registered again here for the
CUDA target with more specific signatures (which numba prefers), without reference counting
(device arrays are not reference counted).

``enzpy.autodiff_deferred`` (the same Python function as on the CPU) gets a CUDA ``@overload``
that calls :func:`._intrinsic.cuda_autodiff_call`.
"""
from __future__ import annotations

from numba.core import types
from numba.cuda import cgutils
from numba.cuda.extending import lower_builtin, overload

from .. import annotations as A
from .._autodiff import autodiff, autodiff_deferred
from ._intrinsic import cuda_autodiff_call

_VALUE_TYPES = (types.Number, types.Array, types.BaseTuple, types.Boolean)


def _register_ctor(cls):
    def _lower(context, builder, sig, args):
        s = cgutils.create_struct_proxy(sig.return_type)(context, builder)
        s.val = args[0]
        if cls.has_shadow:
            s.dval = args[1]
        return s._getvalue()

    if cls.has_shadow:
        for t in _VALUE_TYPES:
            lower_builtin(cls, t, t)(_lower)
    else:
        for t in _VALUE_TYPES:
            lower_builtin(cls, t)(_lower)


for _cls in (A.Const, A.Active, A.Duplicated, A.DuplicatedNoNeed):
    _register_ctor(_cls)


def _register_entry(fn):
    @overload(fn, target="cuda")
    def _ol(mode, f, *args):
        def impl(mode, f, *args):
            return cuda_autodiff_call(mode, f, args)
        return impl


_register_entry(autodiff_deferred)
_register_entry(autodiff)
