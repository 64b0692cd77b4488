"""Activity annotations, as in Enzyme.jl: they say how :func:`enzpy.autodiff` treats each argument.

=====================  =========================================================================
``Const(x)``           not differentiated (hyper-parameters, sizes, data). Plain values are Const.
``Active(x)``          a float scalar (or a tuple of floats) whose adjoint is returned (reverse).
``Duplicated(x, dx)``  an array and its shadow of the same shape, dtype and strides: reverse
                       mode adds the gradient into ``dx``; forward mode reads the tangent from
                       ``dx``. In forward mode a float (or tuple of floats) with its tangent.
``DuplicatedNoNeed``   like Duplicated; the primal value of ``x`` after the call need not be right.
``BatchDuplicated``    ``BatchDuplicated(x, (dx1, ..., dxN))``: N shadows, N derivatives per call.
``MixedDuplicated``    a tuple of floats and arrays: floats active, arrays duplicated.
=====================  =========================================================================

The classes are also the *return annotations* (``Active``, ``Const``, ``Duplicated``,
``DuplicatedNoNeed``), and they work inside ``@njit`` code (constructors and ``.val``/``.dval``).
Subscripting with a numba type, ``Duplicated[numba.float64[::1]]``, gives an annotation *type* for
:func:`enzpy.autodiff_thunk`.

>>> from enzpy import Active, Duplicated
>>> import numpy as np
>>> Active(3.0)
Active(3.0)
>>> d = Duplicated(np.ones(2), np.zeros(2)); d.val, d.dval
(array([1., 1.]), array([0., 0.]))
"""
from __future__ import annotations


class AnnotationSpec:
    """``Annotation[numba_type]``: an annotation class together with the numba type of its value."""

    __slots__ = ("annotation", "numba_type")

    def __init__(self, annotation, numba_type):
        self.annotation, self.numba_type = annotation, numba_type

    def __repr__(self) -> str:
        return f"{self.annotation.__name__}[{self.numba_type}]"

    def __eq__(self, other):
        return (isinstance(other, AnnotationSpec) and other.annotation is self.annotation
                and other.numba_type == self.numba_type)

    def __hash__(self):
        return hash((self.annotation, self.numba_type))


class Annotation:
    """Base class of the activity annotations."""

    __slots__ = ()
    #: whether the annotation carries a shadow (``dval``)
    has_shadow = False
    #: False for the annotations that are declared but not implemented yet
    supported = True

    def __class_getitem__(cls, numba_type):
        return AnnotationSpec(cls, numba_type)


class Const(Annotation):
    """``Const(x)``: `x` is not differentiated; the derivative treats it as a constant."""

    __slots__ = ("val",)

    def __init__(self, val):
        self.val = val

    def __repr__(self) -> str:
        return f"Const({self.val!r})"


class Active(Annotation):
    """``Active(x)``: a float scalar, or a tuple of floats, whose adjoint reverse mode returns.

    As a return annotation: the function returns a float and is seeded with 1.0.
    """

    __slots__ = ("val",)

    def __init__(self, val):
        self.val = val

    def __repr__(self) -> str:
        return f"Active({self.val!r})"


class Duplicated(Annotation):
    """``Duplicated(x, dx)``: `x` with its shadow `dx`.

    * arrays (reverse and forward): `dx` has the shape, dtype and byte strides of `x`; reverse
      mode *adds* the gradient into `dx` (it accumulates, like Enzyme), forward mode reads the
      tangent (direction) from `dx`; for an output array, reverse mode reads the adjoint seed
      from `dx`, forward mode writes the output's tangent into it.
    * floats / tuples of floats (forward mode only): `dx` is the tangent.
    """

    __slots__ = ("val", "dval")
    has_shadow = True

    def __init__(self, val, dval):
        self.val, self.dval = val, dval

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.val!r}, {self.dval!r})"


class DuplicatedNoNeed(Duplicated):
    """``DuplicatedNoNeed(x, dx)``: like :class:`Duplicated`, but the primal value of `x` after the
    call need not be right (the derivative may skip computing it)."""

    __slots__ = ()


class BatchDuplicated(Annotation):
    """``BatchDuplicated(x, (dx1, ..., dxN))``: `x` with N shadows (batch mode).

    Forward mode propagates the N tangents in one vectorized sweep and returns the N tangents of
    the result as a tuple; reverse mode returns, for each Active argument, a tuple of N adjoints
    and accumulates adjoint k into ``dxk``. Every shadowed argument of the call is then
    BatchDuplicated with the same N (at most 64).
    """

    __slots__ = ("val", "dvals")
    has_shadow = True

    def __init__(self, val, dvals):
        self.val, self.dvals = val, tuple(dvals)

    def __repr__(self) -> str:
        return f"BatchDuplicated({self.val!r}, {self.dvals!r})"


class MixedDuplicated(Annotation):
    """``MixedDuplicated(x, dx)``: a tuple `x` that is partly active scalar, partly memory, e.g.
    ``(alpha, A)`` with a float and a float array; `dx` has one member per member of `x`.

    * reverse mode: the float members are active: their adjoints come back as the argument's
      entry of the result, a tuple with ``None`` at the array members (``dx``'s float members are
      not read); each array member's gradient is *added* into the same member of `dx`;
    * forward mode: each member of `dx` is the tangent (float) or tangent array of that member.

    Members that are neither floats nor float arrays (ints, bools) are constants.
    """

    __slots__ = ("val", "dval")
    has_shadow = True

    def __init__(self, val, dval):
        self.val, self.dval = val, dval

    def __repr__(self) -> str:
        return f"MixedDuplicated({self.val!r}, {self.dval!r})"


#: every annotation class, by name
ANNOTATIONS = {c.__name__: c for c in (Const, Active, Duplicated, DuplicatedNoNeed,
                                       BatchDuplicated, MixedDuplicated)}


def not_supported_message(cls) -> str:
    return (f"enzpy: {cls.__name__} is not supported yet; pass the float parts as Active and the "
            "array parts as Duplicated(x, dx) arguments instead")


__all__ = ["Annotation", "AnnotationSpec", "Const", "Active", "Duplicated", "DuplicatedNoNeed",
           "BatchDuplicated", "MixedDuplicated"]
