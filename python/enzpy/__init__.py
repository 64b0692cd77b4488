"""enzpy: Enzyme-class automatic differentiation of LLVM IR for Python (numba) and C.

>>> import numba
>>> from enzpy import autodiff, Reverse, Active
>>> @numba.njit
... def f(x):
...     return x * x
>>> autodiff(Reverse, f, Active, Active(3.0))
((6.0,),)

See docs/user-guide.md.
"""
import os as _os

from ._errors import EnzpyError, EnzpyTypeError, EnzpyValueError, EnzpyWarning

__version__ = "0.1.0"


def plugin_path():
    """Path of the LLVM pass plugin: ``opt-22 -load-pass-plugin=<this> -passes=enzpy in.ll``."""
    return _os.path.join(_os.path.dirname(__file__), "lib", "EnzpyPlugin.so")


from ._llvm_check import LLVM_MAJOR, check_llvm_version  # noqa: E402

check_llvm_version()

from .annotations import (Active, BatchDuplicated, Const, Duplicated,  # noqa: E402
                          DuplicatedNoNeed, MixedDuplicated)
from .modes import (Forward, ForwardWithPrimal, Reverse, ReverseSplitWithPrimal,  # noqa: E402
                    ReverseWithPrimal)
from . import _numba_types  # noqa: E402,F401  (numba typing of modes and annotations)
from ._autodiff import autodiff, autodiff_deferred, autodiff_thunk  # noqa: E402
from ._gradient import gradient, jacobian, shadow_like  # noqa: E402
from . import api, rules  # noqa: E402,F401

__all__ = [
    "autodiff", "autodiff_thunk", "autodiff_deferred", "gradient", "jacobian", "shadow_like",
    "Forward", "ForwardWithPrimal", "Reverse", "ReverseWithPrimal", "ReverseSplitWithPrimal",
    "Const", "Active", "Duplicated", "DuplicatedNoNeed", "BatchDuplicated", "MixedDuplicated",
    "EnzpyError", "EnzpyTypeError", "EnzpyValueError", "EnzpyWarning", "api", "rules",
    "plugin_path", "__version__",
    "LLVM_MAJOR", "check_llvm_version",
]
