"""enzpy: Enzyme-class automatic differentiation of LLVM IR for Python (numba) and C."""
import os as _os

from ._errors import EnzpyError

__version__ = "0.1.0"


def plugin_path():
    """Path of the LLVM pass plugin: ``opt-22 -load-pass-plugin=<this> -passes=enzpy in.ll``."""
    return _os.path.join(_os.path.dirname(__file__), "lib", "EnzpyPlugin.so")


__all__ = ["EnzpyError", "plugin_path", "__version__"]
