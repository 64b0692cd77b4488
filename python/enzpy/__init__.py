"""enzpy: Enzyme-class automatic differentiation of LLVM IR for Python (numba) and C."""
from ._errors import EnzpyError

__version__ = "0.1.0"

__all__ = ["EnzpyError", "__version__"]
