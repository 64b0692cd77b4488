"""Differentiation modes, as in Enzyme.jl: ``Forward``, ``ForwardWithPrimal``, ``Reverse``,
``ReverseWithPrimal`` and ``ReverseSplitWithPrimal``.

A mode is a singleton object; it can be passed to :func:`enzpy.autodiff` from Python and referenced
as a global (or passed as an argument) inside ``@njit`` code.

>>> from enzpy import Reverse, ForwardWithPrimal
>>> Reverse.direction, Reverse.with_primal
('reverse', False)
>>> ForwardWithPrimal
ForwardWithPrimal
"""
from __future__ import annotations


class Mode:
    """One differentiation mode.

    * ``direction``: ``"forward"`` (tangents flow with the computation) or ``"reverse"``
      (adjoints flow back from the result);
    * ``with_primal``: the result also carries the function's own return value (first);
    * ``split``: augmented forward pass and reverse pass as two functions (thunks only).
    """

    __slots__ = ("name", "direction", "with_primal", "split")
    _registry: dict = {}

    def __init__(self, name: str, direction: str, with_primal: bool, split: bool = False):
        self.name, self.direction, self.with_primal, self.split = name, direction, with_primal, split
        Mode._registry[name] = self

    def __repr__(self) -> str:
        return self.name

    def __reduce__(self):            # pickles (numba's disk cache) as the same singleton
        return (_mode_by_name, (self.name,))


def _mode_by_name(name: str) -> Mode:
    return Mode._registry[name]


Forward = Mode("Forward", "forward", with_primal=False)
ForwardWithPrimal = Mode("ForwardWithPrimal", "forward", with_primal=True)
Reverse = Mode("Reverse", "reverse", with_primal=False)
ReverseWithPrimal = Mode("ReverseWithPrimal", "reverse", with_primal=True)
ReverseSplitWithPrimal = Mode("ReverseSplitWithPrimal", "reverse", with_primal=True, split=True)

__all__ = ["Mode", "Forward", "ForwardWithPrimal", "Reverse", "ReverseWithPrimal",
           "ReverseSplitWithPrimal"]
