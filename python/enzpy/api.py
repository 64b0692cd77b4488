"""Pass options, the card's ``API.typeWarning!`` and ``API.strictAliasing!``.

>>> import enzpy.api
>>> enzpy.api.options()
{'type_warning': True, 'strict_aliasing': False, 'vector_math': True}

* :func:`type_warning` (default on): when the analyses cannot decide statically whether a value
  has a derivative, the derivative decides at run time, and enzpy says so with an
  :class:`enzpy.EnzpyWarning` naming the instruction (and the Python line when numba's debug info
  has it): a pointer that is sometimes a differentiated array and sometimes a constant one (``src =
  a if flag else c``), whose accesses the derivative then guards (Enzyme's runtime activity; it
  costs a compare per access). Only the user's own functions are reported (not numba's library
  code). Off: no warnings; the derivative is the same.
* :func:`strict_aliasing` (default off): a promise that the array arguments of a differentiated
  function (and their shadows) never overlap in memory. The pass marks their data pointers
  ``noalias``: the reverse sweep may then read inputs the function never writes again instead of
  recording them on the tape (less memory, less time), and LLVM may vectorize more. From Python
  enzpy checks the promise (``np.may_share_memory`` on every pair of arrays in the call) and raises
  ``EnzpyValueError`` when it does not hold; inside ``@njit`` code it is not checked, and a broken
  promise gives wrong derivatives.

* :func:`vector_math` (default on): in the derivative of a function compiled with
  ``numba.njit(fastmath=True)``, calls of ``exp``, ``log``, ``sin``, ``cos``, ``pow`` and ``tan``
  (which fastmath allows to be approximated: LLVM's ``afn`` flag) may become calls of glibc's vector
  math library (libmvec), so that loops calling them vectorize; glibc documents its vector
  functions to within 4 ulp of the exact result, where the scalar libm is within 1. Calls without
  fastmath are never changed. Off: scalar libm everywhere. Without libmvec (not glibc on x86-64)
  it has no effect.

All three apply to derivatives built after the call (derivatives already compiled keep theirs); they are
part of enzpy's cache keys.
"""
from __future__ import annotations

_state = {"type_warning": True, "strict_aliasing": False, "vector_math": True}


def type_warning(flag: bool = True) -> None:
    """Report (True, the default) or silence (False) the analyses' assumptions as EnzpyWarning."""
    _state["type_warning"] = bool(flag)


def strict_aliasing(flag: bool = True) -> None:
    """Promise (True) that array arguments never overlap; see the module documentation."""
    _state["strict_aliasing"] = bool(flag)


def vector_math(flag: bool = True) -> None:
    """Allow (True, the default) glibc's vector math in derivatives of fastmath functions; see the
    module documentation."""
    _state["vector_math"] = bool(flag)


def options() -> dict:
    """The current options."""
    return dict(_state)


__all__ = ["type_warning", "strict_aliasing", "vector_math", "options"]
