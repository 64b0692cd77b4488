"""numba types for the modes and annotations, so that they work inside ``@njit`` code.

* a mode (``Reverse``, ...) used as a global or passed as an argument has type
  :class:`ModeType` (zero-size: all the information is in the type);
* ``Active(x)``, ``Duplicated(x, dx)``, ``Const(x)``, ``DuplicatedNoNeed(x, dx)`` built in njit code
  have type :class:`AnnotationType` (a struct ``{val[, dval]}``; ``.val`` / ``.dval`` work);
* an annotation *class* used as a value (the return annotation ``Active`` in
  ``autodiff(Reverse, f, Active, ...)``) has numba's ``types.Function`` type, whose ``typing_key``
  is the class (:func:`annotation_class_of`).
"""
from __future__ import annotations

import numpy as np
from numba.core import cgutils, errors, types
from numba.core.extending import (NativeValue, lower_builtin, make_attribute_wrapper, models,
                                  register_model, type_callable, typeof_impl, unbox)
from numba.core.imputils import lower_constant
from numba.core.typing.templates import signature

from . import annotations as A
from .modes import Mode, _mode_by_name


# ------------------------------------------------------------------------------------ modes
class ModeType(types.Dummy):
    """The numba type of one mode object; ``ModeType("Reverse").mode is enzpy.Reverse``."""

    def __init__(self, mode_name: str):
        self.mode_name = mode_name
        super().__init__(name=f"enzpy.{mode_name}")

    @property
    def mode(self) -> Mode:
        return _mode_by_name(self.mode_name)


@typeof_impl.register(Mode)
def _typeof_mode(val, c):
    return ModeType(val.name)


register_model(ModeType)(models.OpaqueModel)


@lower_constant(ModeType)
def _lower_mode_constant(context, builder, ty, pyval):
    return context.get_dummy_value()


@unbox(ModeType)
def _unbox_mode(typ, obj, c):
    return NativeValue(c.context.get_dummy_value())


# ------------------------------------------------------------------------------ annotations
class AnnotationType(types.Type):
    """``Kind(val[, dval])`` in njit code; `val_type` / `dval_type` are numba types."""

    def __init__(self, kind: str, val_type, dval_type=None):
        self.kind, self.val_type, self.dval_type = kind, val_type, dval_type
        inner = str(val_type) if dval_type is None else f"{val_type}, {dval_type}"
        super().__init__(name=f"enzpy.{kind}({inner})")

    @property
    def annotation(self):
        return A.ANNOTATIONS[self.kind]


@register_model(AnnotationType)
class _AnnotationModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        members = [("val", fe_type.val_type)]
        if fe_type.dval_type is not None:
            members.append(("dval", fe_type.dval_type))
        super().__init__(dmm, fe_type, members)


make_attribute_wrapper(AnnotationType, "val", "val")
make_attribute_wrapper(AnnotationType, "dval", "dval")
make_attribute_wrapper(AnnotationType, "dval", "dvals")     # BatchDuplicated's tuple of shadows


def _register_constructor(cls):
    kind = cls.__name__

    @type_callable(cls)
    def _type_ctor(context):
        def typer(val, dval=None):
            if not cls.supported:
                raise errors.TypingError(A.not_supported_message(cls))
            if cls.has_shadow:
                if dval is None:
                    raise errors.TypingError(f"enzpy: {kind}(x, dx) needs the shadow dx")
                vt, dt = types.unliteral(val), types.unliteral(dval)
                return signature(AnnotationType(kind, vt, dt), vt, dt)
            if dval is not None:
                raise errors.TypingError(f"enzpy: {kind}(x) takes one argument")
            vt = types.unliteral(val)
            return signature(AnnotationType(kind, vt), vt)
        return typer

    def _lower_ctor(context, builder, sig, args):
        s = cgutils.create_struct_proxy(sig.return_type)(context, builder)
        s.val = args[0]
        if cls.has_shadow:
            s.dval = args[1]
        # the struct holds new references to any arrays it contains
        for ty, v in zip(sig.args, args):
            context.nrt.incref(builder, ty, v)
        return s._getvalue()

    lower_builtin(cls, types.Any)(_lower_ctor)
    lower_builtin(cls, types.Any, types.Any)(_lower_ctor)


for _cls in A.ANNOTATIONS.values():
    _register_constructor(_cls)


def annotation_class_of(ty):
    """The annotation class if numba type `ty` is an annotation class used as a value, else None."""
    if isinstance(ty, types.Function):
        key = getattr(ty, "typing_key", None)
        if isinstance(key, type) and issubclass(key, A.Annotation):
            return key
    return None


#: Python classes whose numba type does not depend on the value (a Python int does: int64 or uint64)
FIXED_TYPE_CLASSES = frozenset([float, bool, complex, np.float64, np.float32, np.complex128,
                                np.complex64, np.bool_, np.int8, np.int16, np.int32, np.int64,
                                np.uint8, np.uint16, np.uint32, np.uint64])


__all__ = ["ModeType", "AnnotationType", "annotation_class_of", "FIXED_TYPE_CLASSES"]
