"""Import-time checks: llvmlite's LLVM and the C++ core's LLVM must be the same major version.

Textual LLVM IR is only stable within one major version (numba 0.68 prints attributes such as
``captures(none)`` and ``initializes((0, 8))`` that older parsers reject), and the numba bridge
exchanges IR text with the core in both directions.
"""
import llvmlite.binding as _llb

#: LLVM major version the C++ core is built against (Debian llvm-22, llvmlite 0.50).
LLVM_MAJOR = 22


def check_llvm_version(expected: int = LLVM_MAJOR) -> None:
    """Raise ImportError unless llvmlite's LLVM and the core's LLVM are both major `expected`.

    >>> check_llvm_version()   # llvmlite 0.50 is LLVM 22.1
    """
    got = _llb.llvm_version_info[0]
    if got != expected:
        raise ImportError(
            f"enzpy needs llvmlite built on LLVM {expected} (llvmlite 0.50 / numba 0.68); this "
            f"llvmlite uses LLVM {'.'.join(map(str, _llb.llvm_version_info))}. "
            f"Install them with: pip install 'numba==0.68.*' 'llvmlite==0.50.*'")
    core = load_core()
    if core.llvm_major != expected:
        raise ImportError(
            f"enzpy's C++ core (enzpy._core) was built against LLVM {core.llvm_major}, but "
            f"llvmlite uses LLVM {got}: rebuild enzpy against LLVM {expected} (pip install .)")


def load_core():
    """Import and return the C++ core ``enzpy._core`` with an error that says how to build it."""
    try:
        from . import _core
    except ImportError as e:
        raise ImportError(
            "enzpy's C++ core (enzpy._core) is not built or not importable "
            f"({e}); build and install it with `pip install .` in the enzpy checkout") from e
    return _core
